using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Milan.Exemplars;

/// <summary>
/// Upsamples feature maps to image size exactly as the reference does for its masks (netdissect's
/// upsample grid, milan-spec §1.2 step 5): bilinear grid_sample with zero padding, where output pixel i
/// samples the source coordinate x = (i + 0.5)/s − 0.5 with s = S/h. Positions beyond the outermost
/// feature cells are blended with zeros, so border pixels are pulled toward 0; this differs from
/// F.interpolate(bilinear, align_corners: false), which clamps at the edges. An axis with a single
/// cell is constant along that axis, as grid_sample with align_corners reads it.
/// </summary>
public static class MaskUpsampling
{
    /// <summary>(N, h, w) maps → (N, size, size) float32 on the maps' device.</summary>
    public static Tensor Upsample(Tensor maps, int size)
    {
        if (maps.dim() != 3) throw new ArgumentException($"maps must be (N, h, w), got [{string.Join(", ", maps.shape)}]", nameof(maps));
        using var scope = NewDisposeScope();
        long count = maps.shape[0], height = maps.shape[1], width = maps.shape[2];
        var input = maps.to(ScalarType.Float32).unsqueeze(1);
        var ys = Coordinates(size, height, maps.device);
        var xs = Coordinates(size, width, maps.device);
        // grid_sample wants (x, y) pairs in a (N, S, S, 2) grid.
        var grid = stack([xs.unsqueeze(0).expand(size, size), ys.unsqueeze(1).expand(size, size)], 2)
            .unsqueeze(0).expand(count, size, size, 2);
        var output = F.grid_sample(input, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: true);
        return output.squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Masks (N, size, size) uint8 0/1: upsampled map &gt; the level of each map, (N,).</summary>
    public static Tensor Masks(Tensor maps, Tensor levels, int size)
    {
        using var scope = NewDisposeScope();
        var upsampled = Upsample(maps, size);
        var threshold = levels.to(upsampled.device).to(ScalarType.Float32).reshape(-1, 1, 1);
        return upsampled.gt(threshold).to(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Normalised grid coordinates along one axis, for grid_sample with align_corners: the reference's
    /// formula (i − o)·2/(s·(n−1)) − 1 with o = s/2 − 1/2, computed in float32 as the reference does.
    /// With a single cell (n = 1) that formula divides by zero (netdissect's Python raises
    /// ZeroDivisionError); grid_sample with align_corners maps every coordinate of a one-cell axis onto
    /// that cell, so the map is constant along it and E = {x : f(x) &gt; η} holds: a 1×1 map's mask is
    /// the whole image exactly when its activation exceeds η (docs/exemplars.md). Zeros say so plainly.
    /// </summary>
    private static Tensor Coordinates(int size, long cells, Device device)
    {
        if (cells == 1) return zeros(size, dtype: ScalarType.Float32, device: device);
        var i = arange(size, dtype: ScalarType.Float32, device: device);
        double scale = (double)size / cells;
        double offset = 0.5 * scale - 0.5;
        return (i - (float)offset) * (float)(2 / (scale * (cells - 1))) - 1f;
    }
}
