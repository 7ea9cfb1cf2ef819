using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.Evaluation;

/// <summary>
/// A user's concept masks: a folder with <c>concept-masks.npy</c>, (N, C, S, S) uint8 or bool, 1 where
/// concept c is in image n (images in the probe source's order), and <c>concepts.txt</c>, the C concept
/// names one per line. Read lazily along the image axis.
/// </summary>
public sealed class NpyConceptMasks : IConceptMasks, IDisposable
{
    public const string MasksFile = "concept-masks.npy";
    public const string NamesFile = "concepts.txt";

    private readonly NpyMappedArray _masks;

    public NpyConceptMasks(string folder)
    {
        string masks = Path.Combine(folder, MasksFile), names = Path.Combine(folder, NamesFile);
        if (!File.Exists(masks)) throw MilanInputException.InFile(masks, "file not found; expected (N, C, S, S) uint8 concept masks");
        if (!File.Exists(names)) throw MilanInputException.InFile(names, "file not found; expected one concept name per line");
        ConceptNames = File.ReadAllLines(names).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        _masks = new NpyMappedArray(masks);
        var shape = _masks.Header.Shape;
        if (shape.Length != 4 || shape[2] != shape[3])
            throw MilanInputException.InFile(masks, $"shape [{string.Join(",", shape)}]; expected (N, C, S, S)");
        if (_masks.Header.Type is not (NpyType.UInt8 or NpyType.Bool))
            throw MilanInputException.InFile(masks, $"dtype {_masks.Header.Type}; expected uint8 or bool");
        if (shape[1] != ConceptNames.Count)
            throw MilanInputException.InFile(names, $"{ConceptNames.Count} names for {shape[1]} concept channels in {MasksFile}");
        Count = (int)shape[0];
        ImageSize = (int)shape[2];
    }

    public int Count { get; }
    public int ImageSize { get; }
    public IReadOnlyList<string> ConceptNames { get; }

    public Tensor Batch(IReadOnlyList<int> indices, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var parts = indices.Select(i => _masks.Read(i).unsqueeze(0)).ToList();
        return cat(parts, 0).ne(0).to(device ?? CPU).MoveToOuterDisposeScope();
    }

    public void Dispose() => _masks.Dispose();

    /// <summary>Writes masks (N, C, S, S) and names into a folder in this format.</summary>
    public static void Write(string folder, Tensor masks, IReadOnlyList<string> names)
    {
        Directory.CreateDirectory(folder);
        using var bytes = masks.to(ScalarType.Byte).cpu();
        Npy.Write(Path.Combine(folder, MasksFile), bytes);
        IO.AtomicFile.WriteAllText(Path.Combine(folder, NamesFile), string.Join("\n", names) + "\n");
    }
}
