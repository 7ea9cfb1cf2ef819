using Milan.Exemplars;
using Milan.Reproduction;
using Milan.Tests.Datasets;
using Milan.Tests.Support;
using TorchSharp;

namespace Milan.Tests.Reproduction;

/// <summary>The real-network step on a handful of pictures with the tiny profile (3 exemplars of 4 units per layer).</summary>
public sealed class RealNetworkStepTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private ReproductionContext Context() => new(
        new ReproductionRoots(_folder.File("data"), _folder.File("models"), _folder.File("results")), Profile.Tiny, torch.CPU);

    [Fact]
    public void Without_a_photo_folder_the_step_says_how_to_make_one()
    {
        var outcome = RealNetworkStep.Run(Context());
        Assert.True(outcome.Skipped);
        Assert.Contains("milan data photos", outcome.Message);
    }

    [Fact]
    public void Writes_exemplars_and_sheets_of_all_five_layers_and_skips_them_on_rerun()
    {
        for (int i = 0; i < 5; i++)
            TestImages.Write(_folder.File($"data/photos/debian/{i}.png"), 48 + 8 * i, 40, (x, y) => TestImages.Pattern(x, y, i));

        var outcome = RealNetworkStep.Run(Context());

        Assert.False(outcome.Skipped);
        Assert.Equal(["5", "20"], outcome.Numbers.Select(n => n.Value));
        string output = RealNetworkStep.OutputFolder(Context().Roots);
        var manifest = ExemplarManifest.Read(output)!;
        Assert.Equal(["conv1", "layer1", "layer2", "layer3", "layer4"], manifest.Layers.Keys);
        Assert.Contains("ResNet18.onnx", manifest.Settings.Model);
        Assert.Contains("ResNetPreprocess.onnx", manifest.Settings.Model);
        foreach (var layer in manifest.Layers.Keys)
        {
            Assert.Equal(4, File.ReadAllLines(Path.Combine(output, layer, "ids.csv")).Length);
            Assert.Equal(4, Directory.GetFiles(Path.Combine(output, layer, "sheets"), "*.png").Length);
        }
        Assert.False(File.Exists(Path.Combine(output, "descriptions.csv")));

        Assert.True(RealNetworkStep.Run(Context()).Skipped);
    }

    public void Dispose() => _folder.Dispose();
}
