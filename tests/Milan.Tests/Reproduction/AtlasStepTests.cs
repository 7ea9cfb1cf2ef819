using Milan.Corpus;
using Milan.Reproduction;
using Milan.Tests.Support;
using Milan.Visualization.Atlas;
using TorchSharp;

namespace Milan.Tests.Reproduction;

public sealed class AtlasStepTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ReproductionContext Context() => new(
        new ReproductionRoots(_folder.File("data"), _folder.File("models"), _folder.File("results")), Profile.Tiny, torch.CPU);

    [Fact]
    public void Without_a_world_corpus_the_step_is_skipped_and_says_why()
    {
        var outcome = AtlasStep.Run(Context());

        Assert.True(outcome.Skipped);
        Assert.Contains("no world corpus", outcome.Message);
    }

    [Fact]
    public void Draws_the_world_corpus_and_the_real_network_and_the_report_links_them_without_listing_their_pictures()
    {
        var roots = Context().Roots;
        AtlasFixture.Write(roots.Data);
        new WorldCorpusManifest("tiny", new Dictionary<string, WorldCorpusManifest.Subject>(),
            new Dictionary<string, WorldCorpusManifest.Dataset> { ["toynet/photos"] = new("toynet", "world/a/normal/val", ["conv1", "layer4"], 5, 3) })
            .Write(roots.Data);
        string real = RealNetworkStep.OutputFolder(roots);
        Directory.CreateDirectory(Path.GetDirectoryName(real)!);
        AtlasFixture.Write(_folder.File("real"));
        Directory.Move(_folder.File("real/toynet/photos"), real);

        var outcome = AtlasStep.Run(Context());
        var again = AtlasStep.Run(Context());   // an existing atlas is replaced, not refused

        Assert.False(outcome.Skipped);
        Assert.Equal("5", outcome.Numbers.Single().Value);
        var world = AtlasIndex.ParseScript(File.ReadAllText(Path.Combine(AtlasStep.WorldAtlas(roots), AtlasPaths.SearchIndex)));
        Assert.Equal(["toynet/photos"], world.Layers.Select(l => l.Model).Distinct());
        var network = AtlasIndex.ParseScript(File.ReadAllText(Path.Combine(AtlasStep.RealNetworkAtlas(roots), AtlasPaths.SearchIndex)));
        Assert.Equal(["real-network/nuget-resnet18"], network.Layers.Select(l => l.Model).Distinct());
        Assert.Equal(5, network.Units.Count);
        Assert.Empty(ReproductionReport.Figures(roots.Results));
    }
}
