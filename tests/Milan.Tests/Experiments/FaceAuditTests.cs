using Milan.Datasets;
using Milan.Experiments;
using Milan.Tests.Support;
using Milan.World;

namespace Milan.Tests.Experiments;

public class FaceAuditTests : IClassFixture<TinyWorld>
{
    private const int K = 15;
    private readonly TinyWorld _world;

    public FaceAuditTests(TinyWorld world) => _world = world;

    /// <summary>Face masks (category layer == face) of the first 15 images holding a face, and of 15 images without.</summary>
    private (int[] WithFaces, byte[][] FaceMasks, int[] WithoutFaces) Faces()
    {
        using var masks = new WorldConceptMasks(_world.Val);
        byte face = ConceptVocabulary.Default.Id("face");
        int pixels = masks.ImageSize * masks.ImageSize;
        var with = new List<int>();
        var faceMasks = new List<byte[]>();
        var without = new List<int>();
        for (int i = 0; i < masks.Count && (with.Count < K || without.Count < K); i++)
        {
            var mask = masks.LayerBytes(i).Take(pixels).Select(v => (byte)(v == face ? 1 : 0)).ToArray();
            if (mask.Any(v => v == 1)) { if (with.Count < K) { with.Add(i); faceMasks.Add(mask); } }
            else if (without.Count < K) without.Add(i);
        }
        Assert.True(with.Count == K && without.Count == K, "the tiny world needs 15 images with and 15 without faces");
        return (with.ToArray(), faceMasks.ToArray(), without.ToArray());
    }

    private static void WriteLayer(string folder, IReadOnlyList<(int[] Ids, byte[][] Masks)> units, int size)
    {
        Directory.CreateDirectory(folder);
        Npy.Write<byte>(Path.Combine(folder, "masks.npy"), units.SelectMany(u => u.Masks.SelectMany(m => m)).ToArray(), units.Count, K, 1, size, size);
        Npy.Write<byte>(Path.Combine(folder, "images.npy"), new byte[units.Count * K * 3 * size * size], units.Count, K, 3, size, size);
        File.WriteAllLines(Path.Combine(folder, "ids.csv"), units.Select(u => string.Join(",", u.Ids)));
    }

    [Fact]
    public void Flags_by_words_and_by_face_masks_and_measures_the_rule_against_the_truth()
    {
        var (with, faceMasks, without) = Faces();
        const int size = 32;
        var full = Enumerable.Range(0, K).Select(_ => Enumerable.Repeat((byte)1, size * size).ToArray()).ToArray();
        var half = faceMasks.Select((m, i) => i < 8 ? m : new byte[size * size]).ToArray();
        using var root = new TempFolder();
        string exemplars = Path.Combine(root.Path, "exemplars");
        WriteLayer(Path.Combine(exemplars, "layer1"), [(with, faceMasks), (without, full), (with, half), (with, full)], size);

        // By hand: Σ|M∩F| / Σ|M∪F| over the 15 exemplars.
        double facePixels = faceMasks.Sum(m => m.Count(v => v == 1));
        double halfIou = faceMasks.Take(8).Sum(m => m.Count(v => v == 1)) / facePixels;
        double fullIou = facePixels / (K * size * size);
        Assert.True(halfIou is > 0.3 and < 1 && fullIou < 0.3, $"fixture: half {halfIou}, full {fullIou}");

        var descriptions = new List<UnitDescription>
        {
            new("layer1", 0, "faces of people"), new("layer1", 1, "eyes"), new("layer1", 2, "red circles"), new("layer1", 3, "headlights and surfaces"),
        };
        var options = new FaceAuditOptions { IouThreshold = 0.3, ReportedThresholds = [0.3, 0.99] };
        var result = FaceAudit.Run([new AuditedModel("m", exemplars, descriptions)], _world.Val, options);

        Assert.Equal([1.0, 0.0, halfIou, fullIou], result.Units.Select(u => u.FaceIou), new ToleranceComparer(1e-12));
        Assert.Equal([true, true, false, false], result.Units.Select(u => u.WordFlagged));
        Assert.Equal([true, false, true, false], result.Units.Select(u => u.TruthFlagged));
        Assert.Equal(["faces"], result.Units[0].MatchedWords);
        var all = result.Counts.Single(c => c.Layer == FaceAuditResult.AllLayers);
        Assert.Equal(new PrecisionRecall(2, 2, 1), all.Agreement);
        Assert.Equal((0.5, 0.5), (all.Agreement.Precision, all.Agreement.Recall));
        Assert.Equal(new PrecisionRecall(2, 1, 1), result.Thresholds.Single(t => t.Model == "m" && t.Threshold == 0.99).Agreement);

        string outFolder = Path.Combine(root.Path, "audit");
        ExperimentFolder.Replace(outFolder, result.Write);
        Assert.Equal(["layer1-0.png", "layer1-1.png", "layer1-2.png", "index.html"],
            new[] { "layer1-0.png", "layer1-1.png", "layer1-2.png", "index.html" }.Where(f => File.Exists(Path.Combine(outFolder, "sheets", "m", f))));
        Assert.False(File.Exists(Path.Combine(outFolder, "sheets", "m", "layer1-3.png")));
        Assert.Contains("m,all,4,2,2,1,0.5,0.5", File.ReadAllLines(Path.Combine(outFolder, "counts.csv")));
    }

    [Fact]
    public void Exemplars_that_index_outside_the_probe_split_are_refused()
    {
        using var root = new TempFolder();
        string exemplars = Path.Combine(root.Path, "exemplars");
        var ids = Enumerable.Range(190, K).Select(i => i + 100).ToArray();
        WriteLayer(Path.Combine(exemplars, "layer1"), [(ids, Enumerable.Range(0, K).Select(_ => new byte[32 * 32]).ToArray())], 32);
        var error = Assert.Throws<MilanInputException>(() =>
            FaceAudit.Run([new AuditedModel("m", exemplars, [new("layer1", 0, "faces")])], _world.Val));
        Assert.Contains("ids.csv", error.Message);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
