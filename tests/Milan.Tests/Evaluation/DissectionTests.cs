using Milan.Evaluation;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Evaluation;

public class DissectionTests
{
    private const int Images = 40, Size = 16;
    private static readonly string[] Names = ["c0", "c1", "c2", "c3", "c4", "c5"];

    /// <summary>Random concept masks (each pixel in a concept with probability 0.3), seeded.</summary>
    private sealed class RandomMasks : IConceptMasks
    {
        public readonly Tensor All;
        public RandomMasks()
        {
            var generator = new Generator(5);
            All = rand([Images, Names.Length, Size, Size], generator: generator).lt(0.3);
        }
        public int Count => Images;
        public int ImageSize => Size;
        public IReadOnlyList<string> ConceptNames => Names;
        public Tensor Batch(IReadOnlyList<int> indices, Device? device = null) => All.index_select(0, tensor(indices.Select(i => (long)i).ToArray()));
    }

    // Units are the planted masks themselves; a top quantile of 0.9 puts the threshold among the zeros, so the unit mask is the planted mask.
    private static readonly DissectionOptions Options = new() { TopQuantile = 0.9, MaskSize = Size, BatchSize = 16 };

    private static (ConceptPixels Concepts, IReadOnlyList<PixelSet> Units, RandomMasks Masks) Planted(params Func<Tensor, Tensor>[] units)
    {
        var masks = new RandomMasks();
        var concepts = ConceptPixels.Build(masks, Size, batchSize: 16);
        var activations = stack(units.Select(u => u(masks.All).to(ScalarType.Float32)).ToArray(), 1); // (N, U, S, S)
        return (concepts, UnitPixels.Build(activations, Size, Options.TopQuantile, batchSize: 16), masks);
    }

    [Fact]
    public void NetDissectFindsThePlantedConcept()
    {
        var (concepts, units, _) = Planted(m => m[.., 3], m => m[.., 1].logical_and(m[.., 2].logical_not()));
        var label = NetDissect.Label("conv1", 0, units[0], concepts);
        Assert.Equal("c3", label.Label);
        Assert.Equal(1, label.Iou, 9);
        // IoU of a concept against the unit, by hand: |A∩B| / |A∪B|.
        var second = NetDissect.Ious(units[1], concepts);
        var masks = new RandomMasks().All;
        var unit = masks[.., 1].logical_and(masks[.., 2].logical_not());
        double expected = unit.logical_and(masks[.., 1]).sum().item<long>() / (double)unit.logical_or(masks[.., 1]).sum().item<long>();
        Assert.Equal(expected, second[1], 9);
        Assert.Equal("c1", NetDissect.Label("conv1", 1, units[1], concepts).Label);
    }

    [Fact]
    public void CompExpFindsAPlantedFormulaOfLengthThree()
    {
        var (concepts, units, _) = Planted(m => m[.., 1].logical_or(m[.., 4]).logical_and(m[.., 2].logical_not()));
        var label = CompExp.Explain("layer2", 7, units[0], concepts, Options);
        Assert.Equal(1, label.Iou, 9);
        Assert.EndsWith("AND (NOT c2))", label.Formula);
        Assert.Contains("OR", label.Formula);
        Assert.Matches("^c[14] or c[14] and not c2$", label.Label);
    }

    [Fact]
    public void CompExpFindsAPlantedConjunctionAndSingleConcept()
    {
        var (concepts, units, _) = Planted(m => m[.., 0].logical_and(m[.., 5]), m => m[.., 3]);
        var conjunction = CompExp.Explain("l", 0, units[0], concepts, Options);
        Assert.Equal(1, conjunction.Iou, 9);
        Assert.Matches("^c[05] and c[05]$", conjunction.Label);
        Assert.Equal(1, CompExp.Explain("l", 1, units[1], concepts, Options).Iou, 9);
    }

    [Fact]
    public void AUnitThatNeverFiresIsNone()
    {
        var (concepts, units, _) = Planted(m => zeros([Images, Size, Size]));
        var label = CompExp.Explain("l", 0, units[0], concepts, Options);
        Assert.Equal("NONE", label.Formula);
        Assert.Equal(0, label.Iou);
    }

    [Fact]
    public void LabelsAreCleanedAsMilanCleansCompExpOutput() =>
        Assert.Equal("dog and red or not grass", ConceptFormula.ToLabel("((dog-s AND red-c) OR (NOT grass_t))"));

    [Fact]
    public void ThresholdIsTheUpperQuantileAndUpsamplingIsBilinear()
    {
        var activations = arange(100, ScalarType.Float32).reshape(1, 1, 10, 10);
        using var thresholds = UnitPixels.Thresholds(activations, 0.05);
        Assert.Equal(94.05, thresholds[0].item<float>(), 3);           // numpy.quantile(range(100), 0.95)
        var pixels = UnitPixels.Build(activations, 10, 0.05);
        Assert.Equal(5, pixels[0].Count());                             // 95..99
        // [[0, 0], [0, 1]] upsampled to 4x4 (align_corners false) has 0.5625, 0.75, 0.75, 1 in its bottom-right
        // block and at most 0.25 elsewhere; the threshold is quantile 0.8 of (0, 0, 0, 1) = 0.4.
        var small = tensor(new float[] { 0, 0, 0, 1 }).reshape(1, 1, 2, 2);
        var up = UnitPixels.Build(small, 4, 0.2)[0];
        Assert.Equal((1UL << 10) | (1UL << 11) | (1UL << 14) | (1UL << 15), up.Words[0]);
    }

    [Fact]
    public void UserMasksInTheSameFormatGiveTheSameLabels()
    {
        using var folder = new TempFolder();
        var masks = new RandomMasks();
        NpyConceptMasks.Write(folder.Path, masks.All, Names);
        using var user = new NpyConceptMasks(folder.Path);
        Assert.Equal(Names, user.ConceptNames);
        var fromUser = ConceptPixels.Build(user, Size, 16);
        var units = UnitPixels.Build(masks.All[.., 4].unsqueeze(1).to(ScalarType.Float32), Size, 0.9);
        Assert.Equal("c4", NetDissect.Label("l", 0, units[0], fromUser).Label);
        File.WriteAllText(Path.Combine(folder.Path, NpyConceptMasks.NamesFile), "a\nb\n");
        var error = Assert.Throws<MilanInputException>(() => new NpyConceptMasks(folder.Path));
        Assert.Contains("concepts.txt", error.Message);
    }
}
