namespace Milan.Annotations;

/// <summary>
/// One exemplar dataset: a model's top images on one image dataset, in the folder
/// <c>MILAN_DATA_DIR/&lt;arch&gt;/&lt;dataset&gt;</c> (or any folder in the same layout).
/// Registered keys (<see cref="DatasetKeys"/>) carry the reference's settings; a folder found on disk
/// gets the defaults of an unregistered folder.
/// </summary>
/// <param name="Name">How the key is written, e.g. "alexnet/imagenet" or "resnet18/world-a" (a folder outside the data root: "&lt;parent&gt;/&lt;folder&gt;", as the reference names datasets).</param>
/// <param name="Architecture">The model, e.g. "alexnet" (for a folder: its parent folder's name).</param>
/// <param name="Dataset">The image dataset, e.g. "imagenet" (for a folder: the folder's name).</param>
/// <param name="Folder">Where the files are (or will be, once fetched).</param>
/// <param name="AnnotationCount">
/// Annotations required per unit (3 for the annotated keys): units with fewer are dropped, longer
/// lists cut to the first N. Null keeps every unit with all its annotations (possibly none), as the
/// reference does for keys without a count.
/// </param>
/// <param name="SourceImages">
/// The source image folder for merging, &lt;data root&gt;/&lt;dataset&gt;/val (e.g. data/imagenet/val), or
/// null when the dataset always ships its images (BigGAN's generated images).
/// </param>
/// <param name="ArchiveName">The published archive (e.g. "alexnet-imagenet.zip"), or null when not downloadable.</param>
/// <param name="Task">"classifier", "generator" or "self-supervised" for registered keys; null when unknown.</param>
public sealed record DatasetKey(
    string Name,
    string Architecture,
    string Dataset,
    string Folder,
    int? AnnotationCount,
    string? SourceImages,
    string? ArchiveName,
    string? Task)
{
    /// <summary>The archive's address under <paramref name="baseUrl"/> (e.g. http://milan.csail.mit.edu/data), or null.</summary>
    public Uri? ArchiveUrl(string baseUrl) =>
        ArchiveName is null ? null : new Uri(baseUrl.TrimEnd('/') + "/" + ArchiveName);

    public override string ToString() => Name;
}
