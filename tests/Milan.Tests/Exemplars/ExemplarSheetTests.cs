using Milan.Exemplars;
using SkiaSharp;
using static TorchSharp.torch;

namespace Milan.Tests.Exemplars;

public class ExemplarSheetTests
{
    /// <summary>Two 8×8 images of value 200 (red 201), the mask a 4×4 square at rows/columns 2..5.</summary>
    private static (Tensor Images, Tensor Masks) TwoTiles()
    {
        var images = full(new long[] { 2, 3, 8, 8 }, (byte)200, dtype: ScalarType.Byte);
        images[.., 0] = full(new long[] { 2, 8, 8 }, (byte)201, dtype: ScalarType.Byte);
        var masks = zeros(2, 1, 8, 8, dtype: ScalarType.Byte);
        masks[.., .., TensorIndex.Slice(2, 6), TensorIndex.Slice(2, 6)] = ones(2, 1, 4, 4, dtype: ScalarType.Byte);
        return (images, masks);
    }

    private static byte[] Pixel(byte[] rgba, int width, int x, int y) => rgba.AsSpan((y * width + x) * 4, 4).ToArray();

    [Fact]
    public void Dims_outside_the_mask_outlines_its_edge_and_keeps_its_inside()
    {
        var (images, masks) = TwoTiles();
        var (rgba, width, height) = ExemplarSheet.Compose(images, masks);

        Assert.Equal((2 * 8 + 3 * 2, 8 + 2 * 2), (width, height));   // two tiles, 2 px gaps
        int left = 2, top = 2;                                          // first tile's corner
        Assert.Equal(new byte[] { 50, 50, 50, 255 }, Pixel(rgba, width, left, top));           // outside: 201 >> 2, 200 >> 2
        Assert.Equal(new byte[] { 255, 214, 0, 255 }, Pixel(rgba, width, left + 2, top + 2));   // mask corner: outline
        Assert.Equal(new byte[] { 255, 214, 0, 255 }, Pixel(rgba, width, left + 5, top + 3));   // mask edge: outline
        Assert.Equal(new byte[] { 201, 200, 200, 255 }, Pixel(rgba, width, left + 3, top + 3)); // mask inside: unchanged
        Assert.Equal(new byte[] { 32, 32, 32, 255 }, Pixel(rgba, width, 0, 0));                 // gap
        Assert.Equal(new byte[] { 201, 200, 200, 255 }, Pixel(rgba, width, 2 + 8 + 2 + 3, top + 4)); // second tile inside
    }

    [Fact]
    public void A_mask_reaching_the_image_edge_has_no_outline_along_that_edge()
    {
        var images = full(new long[] { 1, 3, 4, 4 }, (byte)100, dtype: ScalarType.Byte);
        var masks = ones(1, 1, 4, 4, dtype: ScalarType.Byte);
        var (rgba, width, _) = ExemplarSheet.Compose(images, masks);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(new byte[] { 100, 100, 100, 255 }, Pixel(rgba, width, 2 + x, 2 + y));
    }

    [Fact]
    public void The_png_decodes_to_the_composed_pixels()
    {
        var (images, masks) = TwoTiles();
        var (rgba, width, height) = ExemplarSheet.Compose(images, masks);
        using var bitmap = SKBitmap.Decode(ExemplarSheet.Png(images, masks));
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var colour = bitmap.GetPixel(x, y);
                Assert.Equal(Pixel(rgba, width, x, y), new[] { colour.Red, colour.Green, colour.Blue, colour.Alpha });
            }
    }
}
