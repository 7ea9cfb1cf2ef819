using System.Globalization;

namespace Milan.Models;

/// <summary>
/// What to build: an architecture name (see <see cref="ModelArchitecture.Names"/>), the number of
/// classes, the side of the square input images, and the base channel width (64 in torchvision;
/// smaller widths give the cheap models the bundled world trains on a laptop CPU).
/// </summary>
public sealed record ModelSpec(string Architecture, int Classes, int ImageSize = 224, int Width = 64)
{
    private const string ArchitectureKey = "milan.architecture";
    private const string ClassesKey = "milan.classes";
    private const string ImageSizeKey = "milan.image_size";
    private const string WidthKey = "milan.width";

    /// <summary>The architecture this spec names; an unknown name is an input error listing the known ones.</summary>
    public ModelArchitecture Describe() => ModelArchitecture.Get(Architecture);

    /// <summary>Throws an input error when a field is out of range for the architecture.</summary>
    public void Validate()
    {
        var architecture = Describe();
        if (Classes < 1) throw new MilanInputException($"model {Architecture}: classes must be at least 1, got {Classes}");
        if (Width < 1) throw new MilanInputException($"model {Architecture}: width must be at least 1, got {Width}");
        if (ImageSize < architecture.MinimumImageSize)
            throw new MilanInputException(
                $"model {Architecture}: image size {ImageSize} px is below its minimum of {architecture.MinimumImageSize} px"
                + (architecture.SmallInputAlternative is { } alternative ? $"; use '{alternative}' for small images" : ""));
    }

    /// <summary>The spec as safetensors metadata (strings), written next to exported weights.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [ArchitectureKey] = Architecture,
        [ClassesKey] = Classes.ToString(CultureInfo.InvariantCulture),
        [ImageSizeKey] = ImageSize.ToString(CultureInfo.InvariantCulture),
        [WidthKey] = Width.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The spec stored by <see cref="ToMetadata"/>, or null when the metadata holds none.</summary>
    public static ModelSpec? FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(ArchitectureKey, out var architecture)) return null;
        int Number(string key) =>
            metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw MilanInputException.InFile(source, $"metadata '{key}' missing or not a whole number");
        return new ModelSpec(architecture, Number(ClassesKey), Number(ImageSizeKey), Number(WidthKey));
    }
}
