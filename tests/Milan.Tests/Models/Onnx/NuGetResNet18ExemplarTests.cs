using System.Text.Json;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.Models.Onnx;
using Milan.Tests.Datasets;
using Milan.Tests.Support;
using Xunit.Abstractions;

namespace Milan.Tests.Models.Onnx;

/// <summary>
/// The acceptance check of the imported NuGet ResNet18 in small: exemplar ids of conv1 and
/// layer1..layer4 over a few images equal those of tools/onnx_resnet18_reference.py, an independent
/// PyTorch implementation of the same network and preprocessing (Debian's torch, torchvision, onnx),
/// except where the reference's scores of two ids are exactly equal.
/// </summary>
public class NuGetResNet18ExemplarTests(ITestOutputHelper output)
{
    [Fact]
    public void Top_k_ids_equal_an_independent_pytorch_implementation()
    {
        using var folder = new TempFolder();
        string images = folder.File("images");
        // Eight smooth pictures of different sizes and aspect ratios, so Resize(256) + CenterCrop(224) both act.
        for (int i = 0; i < 8; i++)
        {
            int width = 60 + 7 * i, height = 90 - 4 * i, seed = i;
            TestImages.Write(Path.Combine(images, i % 2 == 0 ? "a" : "b", $"{i}.png"), width, height, (x, y) =>
                ((byte)(128 + 120 * Math.Sin((x + 3 * seed) / (4.0 + seed))), (byte)(128 + 120 * Math.Cos((y - seed) / 6.0)),
                 (byte)((x * y + 40 * seed) % 256), 255));
        }

        string model = NuGetResNet18.Find();
        using var network = OnnxNetwork.Load(model);
        var source = new ImageFolderSource(images, new ImageFolderTransform(256, 224));
        string ours = folder.File("milan");
        var layers = network.DefaultLayerNames.Select(ExemplarLayer.Of).ToList();
        ExemplarComputation.Run(network, layers, source, ours,
                                new ExemplarOptions { K = 3, BatchSize = 4, ContactSheets = false, Normalization = network.Normalization });

        string report = DebianPython.Run(File.ReadAllText(ReferenceScript()),
            "--model", model, "--preprocess", network.PreprocessPath!, "--images", images, "--out", folder.File("reference"),
            "--k", "3", "--compare", ours);
        output.WriteLine(report);
        using var json = JsonDocument.Parse(report);
        foreach (var layer in json.RootElement.GetProperty("layers").EnumerateObject())
        {
            Assert.Equal(0, layer.Value.GetProperty("different").GetInt32());
            Assert.Equal(layer.Value.GetProperty("units").GetInt32(),
                         layer.Value.GetProperty("identical").GetInt32() + layer.Value.GetProperty("ties").GetInt32());
        }
        Assert.Equal(5, json.RootElement.GetProperty("layers").EnumerateObject().Count());
    }

    private static string ReferenceScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "tools", "onnx_resnet18_reference.py");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("tools/onnx_resnet18_reference.py not found above " + AppContext.BaseDirectory);
    }
}
