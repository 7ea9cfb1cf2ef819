using Milan.Exemplars;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Milan.Tests.Exemplars;

public class MaskUpsamplingTests
{
    private static float[,] Run(float[,] map, int size)
    {
        int h = map.GetLength(0), w = map.GetLength(1);
        using var input = tensor(map.Cast<float>().ToArray(), [1, h, w]);
        using var output = MaskUpsampling.Upsample(input, size);
        var values = output.data<float>().ToArray();
        var result = new float[size, size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
                result[i, j] = values[i * size + j];
        return result;
    }

    private static void AssertClose(double[,] expected, float[,] actual, double tolerance = 1e-6)
    {
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance, $"({i},{j}): expected {expected[i, j]}, got {actual[i, j]}");
    }

    [Fact]
    public void Two_by_two_to_four_by_four_matches_the_values_computed_by_hand()
    {
        // Output pixel i samples x = (i + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25; outside [0, 1] the
        // neighbour is a zero, so the 1-D weights are (0.75, 0), (0.75, 0.25), (0.25, 0.75), (0, 0.75).
        var expected = new double[,]
        {
            { 0.5625, 0.9375, 1.3125, 1.125 },
            { 1.125, 1.75, 2.25, 1.875 },
            { 1.875, 2.75, 3.25, 2.625 },
            { 1.6875, 2.4375, 2.8125, 2.25 },
        };
        AssertClose(expected, Run(new float[,] { { 1, 2 }, { 3, 4 } }, 4));
    }

    [Fact]
    public void Three_by_three_to_seven_by_seven_pulls_only_the_border_toward_zero()
    {
        // x = (3i − 2)/7 = −2/7, 1/7, 4/7, 1, 10/7, 13/7, 16/7. On a map of ones every sample inside
        // [0, 2] is 1; the first and last lie 2/7 outside, so they weigh the zero padding by 2/7.
        var ones = new float[3, 3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) ones[i, j] = 1;
        var expected = new double[7, 7];
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 7; j++)
                expected[i, j] = (i is 0 or 6 ? 5.0 / 7 : 1) * (j is 0 or 6 ? 5.0 / 7 : 1);
        AssertClose(expected, Run(ones, 7));

        var map = new float[,] { { 0, 1, 2 }, { 3, 4, 5 }, { 6, 7, 8 } };
        AssertClose(ByFormula(map, 7), Run(map, 7));
    }

    [Fact]
    public void A_one_by_one_map_is_constant_so_its_mask_is_the_whole_image_exactly_when_it_exceeds_the_level()
    {
        var upsampled = Run(new float[,] { { 2 } }, 5);
        Assert.All(upsampled.Cast<float>(), v => Assert.Equal(2f, v));

        using var maps = tensor(new float[] { 2, 2, -1 }, [3, 1, 1]);
        using var levels = tensor(new float[] { 1.999f, 2f, -1.5f });
        using var masks = MaskUpsampling.Masks(maps, levels, 7);
        Assert.Equal(49, masks[0].sum().item<long>());   // 2 > 1.999: the whole image
        Assert.Equal(0, masks[1].sum().item<long>());    // 2 is not above 2: empty
        Assert.Equal(49, masks[2].sum().item<long>());   // −1 > −1.5: a negative level works the same
    }

    [Fact]
    public void A_map_with_one_row_is_constant_down_the_columns_and_interpolated_across()
    {
        // Along x (3 cells, S = 6, s = 2): x = (j + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25, 1.75, 2.25,
        // so row values 0.75·1, 0.75·1 + 0.25·2, 0.25·1 + 0.75·2, 0.75·2 + 0.25·4, 0.25·2 + 0.75·4, 0.75·4.
        double[] row = [0.75, 1.25, 1.75, 2.5, 3.5, 3];
        var expected = new double[6, 6];
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) expected[i, j] = row[j];
        AssertClose(expected, Run(new float[,] { { 1, 2, 4 } }, 6));

        var column = new float[,] { { 1 }, { 2 }, { 4 } };
        AssertClose(ByFormula(column, 6), Run(column, 6));
        Assert.Equal(3.5f, Run(column, 6)[4, 0]);
    }

    [Fact]
    public void Non_square_and_odd_scale_maps_follow_the_formula()
    {
        var random = new Random(5);
        var map = new float[4, 6];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) map[i, j] = (float)random.NextDouble() * 4 - 2;
        AssertClose(ByFormula(map, 22), Run(map, 22), 1e-5);
    }

    [Fact]
    public void Differs_from_plain_interpolate_only_at_the_border()
    {
        var map = new float[,] { { 1, 2 }, { 3, 4 } };
        var ours = Run(map, 4);
        using var input = tensor(map.Cast<float>().ToArray(), [1, 1, 2, 2]);
        using var plain = F.interpolate(input, [4, 4], mode: InterpolationMode.Bilinear, align_corners: false);
        var clamped = plain.data<float>().ToArray();
        Assert.Equal(1f, clamped[0]);           // clamped corner keeps the cell's value ...
        Assert.Equal(0.5625f, ours[0, 0]);      // ... the reference's grid blends it with zeros
        for (int i = 1; i < 3; i++)
            for (int j = 1; j < 3; j++)
                Assert.Equal(clamped[i * 4 + j], ours[i, j], 6);
    }

    [Fact]
    public void Masks_are_strictly_above_each_maps_level()
    {
        using var maps = tensor(new float[] { 1, 2, 3, 4, 1, 2, 3, 4 }, [2, 2, 2]);
        using var levels = tensor(new float[] { 2.25f, 10f });
        using var masks = MaskUpsampling.Masks(maps, levels, 4);
        var first = masks[0].data<byte>().ToArray();
        // Values above 2.25 in the hand-computed 4×4 map of the first test: 1.75 and 2.25 are not.
        byte[] expected = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0];
        Assert.Equal(expected, first);
        Assert.Equal(0, masks[1].sum().item<long>());
        Assert.Equal(ScalarType.Byte, masks.dtype);
    }

    /// <summary>The reference's upsampling written out: separable bilinear weights with zero padding.</summary>
    internal static double[,] ByFormula(float[,] map, int size)
    {
        int h = map.GetLength(0), w = map.GetLength(1);
        var wy = Weights(h, size);
        var wx = Weights(w, size);
        var result = new double[size, size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
                for (int p = 0; p < h; p++)
                    for (int q = 0; q < w; q++)
                        result[i, j] += wy[i, p] * map[p, q] * wx[j, q];
        return result;
    }

    private static double[,] Weights(int cells, int size)
    {
        var weights = new double[size, cells];
        if (cells == 1)
        {
            // A one-cell axis is constant (grid_sample with align_corners reads that cell everywhere).
            for (int i = 0; i < size; i++) weights[i, 0] = 1;
            return weights;
        }
        double scale = (double)size / cells;
        for (int i = 0; i < size; i++)
        {
            double x = (i + 0.5) / scale - 0.5;
            int below = (int)Math.Floor(x);
            double fraction = x - below;
            if (below >= 0 && below < cells) weights[i, below] += 1 - fraction;
            if (below + 1 >= 0 && below + 1 < cells) weights[i, below + 1] += fraction;
        }
        return weights;
    }
}
