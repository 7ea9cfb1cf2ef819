using Milan.Datasets;

namespace Milan.Annotations;

/// <summary>What to do when a layer has no images.npy (ImageNet models ship masks and ids only).</summary>
public enum MissingImages
{
    /// <summary>Build images.npy from the source image folder (the reference's behaviour), then load.</summary>
    Merge,

    /// <summary>Fail with a message that says how to provide the source images.</summary>
    Fail,

    /// <summary>Load anyway; reading such a unit's images fails (for inspection, e.g. `milan data info`).</summary>
    Skip,
}

/// <summary>Options for opening exemplar datasets; the defaults reproduce the reference's loader.</summary>
public sealed record TopImagesLoadOptions
{
    /// <summary>The data root (MILAN_DATA_DIR when null) against which key expressions resolve, with their source image folders.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Overrides the key's annotation count (3 for annotated keys, none for folders).</summary>
    public int? AnnotationCount { get; init; }

    /// <summary>When false, annotations.csv is ignored and every unit is loaded without annotations.</summary>
    public bool LoadAnnotations { get; init; } = true;

    public MissingImages MissingImages { get; init; } = MissingImages.Merge;

    /// <summary>The source image folder for merging; default the key's, &lt;data root&gt;/&lt;dataset&gt;/val, e.g. data/imagenet/val.</summary>
    public string? SourceImagesFolder { get; init; }

    /// <summary>
    /// Opens a class-per-subfolder image folder with Resize(256)+CenterCrop(224) (torchvision
    /// ImageFolder order); default <see cref="SourceImageMerge.DefaultImageFolderOpener"/>.
    /// </summary>
    public Func<string, IImageSource>? OpenImageFolder { get; init; }

    internal string ResolvedDataRoot => Path.GetFullPath(DataRoot ?? MilanRoots.Data);
}
