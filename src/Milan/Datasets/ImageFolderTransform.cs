namespace Milan.Datasets;

/// <summary>
/// How an image folder's pictures become square (3, S, S) bytes, as torchvision's transforms do:
/// Resize(<see cref="Resize"/>), which scales the shorter side to Resize keeping the aspect ratio
/// (the longer side is truncated: int(Resize·long/short)), or with <see cref="KeepAspectRatio"/>
/// false scales to Resize x Resize like Resize((S, S)); then CenterCrop(<see cref="Crop"/>), whose
/// offsets are int(round((side − Crop)/2)) with Python's round-half-to-even. Resampling is
/// Pillow's antialiased bilinear filter, reproduced exactly (see docs/models.md).
/// </summary>
public sealed record ImageFolderTransform(int Resize = 256, int Crop = 224, bool KeepAspectRatio = true)
{
    /// <summary>The reference's ImageNet/Places pipeline: Resize(256), CenterCrop(224).</summary>
    public static readonly ImageFolderTransform ImageNet = new();

    /// <summary>
    /// The ImageNet pipeline scaled to another crop side: Resize(round(crop·256/224)), CenterCrop(crop);
    /// <see cref="ImageNet"/> at 224.
    /// </summary>
    public static ImageFolderTransform CenterCrop(int crop) => new((int)Math.Round(crop * 256.0 / 224.0), crop);

    /// <summary>Resize((size, size)) without cropping, as the reference's spurious-text datasets use.</summary>
    public static ImageFolderTransform Squash(int size) => new(size, size, KeepAspectRatio: false);

    public void Validate()
    {
        if (Resize < 1 || Crop < 1)
            throw new MilanInputException($"image transform: resize ({Resize}) and crop ({Crop}) must be positive");
        if (Crop > Resize)
            throw new MilanInputException($"image transform: crop {Crop} is larger than resize {Resize}; the crop must fit inside the resized image");
    }

    /// <summary>The resized (width, height) of a width x height picture.</summary>
    public (int Width, int Height) ResizedSize(int width, int height)
    {
        if (!KeepAspectRatio) return (Resize, Resize);
        bool portrait = width <= height;
        int shortSide = portrait ? width : height, longSide = portrait ? height : width;
        // torchvision: new_long = int(size * long / short), a float division truncated.
        int newLong = (int)((double)((long)Resize * longSide) / shortSide);
        return portrait ? (Resize, newLong) : (newLong, Resize);
    }

    /// <summary>The top-left corner of the centre crop in a resized width x height picture.</summary>
    public (int Left, int Top) CropOffset(int width, int height) =>
        ((int)Math.Round((width - Crop) / 2.0, MidpointRounding.ToEven),
         (int)Math.Round((height - Crop) / 2.0, MidpointRounding.ToEven));
}
