using System.Text.Json;
using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.World;

/// <summary>A concept and its binary mask (S, S) in one image; the caller owns the tensor.</summary>
public sealed record ConceptMask(Concept Concept, Tensor Mask);

/// <summary>
/// The exact concept masks of one split of a generated world, with random access by image index
/// (the same index as the split's <see cref="NpyImageSource"/> and as exemplar ids.csv). Label maps
/// are memory-mapped from concepts.npy; position masks are the cells of a 3x3 grid; a relation's
/// mask covers the objects that are its subject in that image (from scenes.jsonl and the instance
/// layer). Masks are bool tensors at image resolution.
/// </summary>
public sealed class WorldConceptMasks : IDisposable
{
    private readonly NpyMappedArray _layers;
    private readonly Scene[] _scenes;

    public string Folder { get; }
    public WorldManifest Manifest { get; }
    public ConceptVocabulary Vocabulary { get; } = ConceptVocabulary.Default;
    public int Count => _scenes.Length;
    public int ImageSize { get; }

    public WorldConceptMasks(string splitFolder)
    {
        Folder = splitFolder;
        string layersPath = Path.Combine(splitFolder, WorldGenerator.ConceptsFile);
        if (!File.Exists(layersPath))
            throw MilanInputException.InFile(layersPath, "no concept masks here: masks are stored for the probed splits only (val and test by default)");
        Manifest = WorldManifest.Read(splitFolder);
        var known = Vocabulary.All.Select(c => (c.Id, c.Name, c.Kind));
        if (!Manifest.Vocabulary.Select(c => (c.Id, c.Name, c.Kind)).SequenceEqual(known))
            throw MilanInputException.InFile(Path.Combine(splitFolder, ".."), "the manifest's concept vocabulary differs from this version's; regenerate the world");
        _layers = new NpyMappedArray(layersPath);
        var shape = _layers.Header.Shape;
        if (_layers.Header.Type != NpyType.UInt8 || shape.Length != 4 || shape[1] != ConceptLayer.Count || shape[2] != shape[3])
        {
            _layers.Dispose();
            throw MilanInputException.InFile(layersPath, $"expected uint8 label maps (N, {ConceptLayer.Count}, S, S), found {_layers.Header.ShapeText}");
        }
        ImageSize = (int)shape[2];
        _scenes = ReadScenes(Path.Combine(splitFolder, WorldGenerator.ScenesFile));
        if (_scenes.Length != shape[0])
        {
            _layers.Dispose();
            throw MilanInputException.InFile(layersPath, $"{shape[0]} label maps but {_scenes.Length} scenes in {WorldGenerator.ScenesFile}");
        }
    }

    /// <summary>The scene record of an image: class, background, objects (instance = index + 1), words, relations.</summary>
    public Scene Scene(int index) => _scenes[CheckIndex(index)];

    /// <summary>The raw label maps of one image, (<see cref="ConceptLayer.Count"/>, S, S) uint8 on the CPU.</summary>
    public Tensor Layers(int index) => _layers.Read(CheckIndex(index));

    /// <summary>The raw label maps of several images, (B, <see cref="ConceptLayer.Count"/>, S, S) uint8 on the CPU.</summary>
    public Tensor Layers(IReadOnlyList<int> indices)
    {
        using var scope = NewDisposeScope();
        var items = indices.Select(i => _layers.Read(CheckIndex(i), 1)).ToArray();
        var result = items.Length == 0 ? empty([0, ConceptLayer.Count, ImageSize, ImageSize], ScalarType.Byte) : cat(items, 0);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The label maps of one image as bytes, layer-major (for code that scans pixels itself).</summary>
    public byte[] LayerBytes(int index)
    {
        using var layers = Layers(index);
        return layers.bytes.ToArray();
    }

    /// <summary>The concepts present in an image: those in its label maps, every position, and its relations.</summary>
    public IReadOnlyList<Concept> ConceptsIn(int index)
    {
        var bytes = LayerBytes(index);
        int pixels = ImageSize * ImageSize;
        var ids = new SortedSet<int>();
        for (int layer = 0; layer < ConceptLayer.Count; layer++)
        {
            if (layer == ConceptLayer.Instance) continue;
            for (int p = layer * pixels; p < (layer + 1) * pixels; p++)
                if (bytes[p] != 0) ids.Add(bytes[p]);
        }
        foreach (var position in Vocabulary.OfKind(ConceptKind.Position)) ids.Add(position.Id);
        foreach (var relation in _scenes[index].Relations) ids.Add(Vocabulary.Id(relation.Relation));
        return ids.Select(id => Vocabulary[id]).ToArray();
    }

    /// <summary>The (S, S) bool mask of a concept in an image (all false when absent).</summary>
    public Tensor Mask(int index, Concept concept, Device? device = null)
    {
        using var scope = NewDisposeScope();
        using var layers = Layers(index);
        return MaskFrom(layers, _scenes[index], concept).to(device ?? CPU).MoveToOuterDisposeScope();
    }

    /// <summary>Every concept present in an image with its (S, S) bool mask.</summary>
    public IReadOnlyList<ConceptMask> Masks(int index, Device? device = null)
    {
        using var layers = Layers(index);
        var scene = _scenes[index];
        return ConceptsIn(index).Select(c =>
        {
            using var scope = NewDisposeScope();
            return new ConceptMask(c, MaskFrom(layers, scene, c).to(device ?? CPU).MoveToOuterDisposeScope());
        }).ToArray();
    }

    /// <summary>
    /// Masks of every concept for a batch of images, (B, C, S, S) bool with channel c holding the
    /// concept of id c + 1: the form NetDissect-style IoU over a probe set wants.
    /// </summary>
    public Tensor Batch(IReadOnlyList<int> indices, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var target = device ?? CPU;
        int s = ImageSize, b = indices.Count;
        var layers = Layers(indices).to(target);
        var result = zeros([b, Vocabulary.Count, s, s], ScalarType.Bool, target);
        foreach (var kind in new[] { ConceptKind.Category, ConceptKind.Part, ConceptKind.Colour, ConceptKind.Texture, ConceptKind.Text })
        {
            var ids = Vocabulary.OfKind(kind).Select(c => (long)c.Id).ToArray();
            var idTensor = tensor(ids, ScalarType.Byte, target).view(1, -1, 1, 1);
            var equal = layers[.., ConceptLayer.Of(kind)].unsqueeze(1).eq(idTensor);
            result.index_copy_(1, tensor(ids.Select(id => id - 1).ToArray(), device: target), equal);
        }
        foreach (var position in Vocabulary.OfKind(ConceptKind.Position))
            result[.., position.Id - 1] = PositionMask(position, s, target);
        for (int k = 0; k < b; k++)
            foreach (var relation in _scenes[indices[k]].Relations.Select(r => r.Relation).Distinct())
            {
                var concept = Vocabulary.Named(relation);
                result[k, concept.Id - 1] = RelationMask(layers[k, ConceptLayer.Instance], _scenes[indices[k]], relation);
            }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The (S, S) bool mask of a position concept: one cell of a 3x3 grid.</summary>
    public static Tensor PositionMask(Concept position, int size, Device? device = null)
    {
        int cell = ConceptVocabulary.Positions.ToList().IndexOf(position.Name);
        if (position.Kind != ConceptKind.Position || cell < 0) throw new ArgumentException($"'{position.Name}' is not a position concept");
        var (rows, columns) = GridSpan(cell, size);
        var mask = zeros([size, size], ScalarType.Bool, device ?? CPU);
        mask[rows.Start..rows.End, columns.Start..columns.End] = true;
        return mask;
    }

    /// <summary>Rows and columns of grid cell <paramref name="cell"/> (0..8, row by row) at a size.</summary>
    public static (Range Rows, Range Columns) GridSpan(int cell, int size)
    {
        int Edge(int k) => (int)Math.Round(k * size / 3.0);
        int row = cell / 3, column = cell % 3;
        return (Edge(row)..Edge(row + 1), Edge(column)..Edge(column + 1));
    }

    /// <summary>The (S, S) bool mask of one object of the scene (0-based index), as visible.</summary>
    public Tensor ObjectMask(int index, int objectIndex, Device? device = null)
    {
        using var layers = Layers(index);
        return layers[ConceptLayer.Instance].eq(objectIndex + 1).to(device ?? CPU);
    }

    private Tensor MaskFrom(Tensor layers, Scene scene, Concept concept) => concept.Kind switch
    {
        ConceptKind.Position => PositionMask(concept, ImageSize),
        ConceptKind.Relation => RelationMask(layers[ConceptLayer.Instance], scene, concept.Name),
        _ => layers[ConceptLayer.Of(concept.Kind)].eq((byte)concept.Id),
    };

    private static Tensor RelationMask(Tensor instances, Scene scene, string relation)
    {
        var subjects = scene.Relations.Where(r => r.Relation == relation).Select(r => (long)r.Subject + 1).Distinct().ToArray();
        if (subjects.Length == 0) return zeros_like(instances, ScalarType.Bool);
        return isin(instances, tensor(subjects, ScalarType.Byte, instances.device));
    }

    private int CheckIndex(int index) =>
        index >= 0 && index < _scenes.Length ? index : throw new ArgumentOutOfRangeException(nameof(index), $"{Folder}: image {index} outside 0..{_scenes.Length - 1}");

    internal static Scene[] ReadScenes(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "scene records not found");
        var scenes = new List<Scene>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length == 0) continue;
            try
            {
                scenes.Add(JsonSerializer.Deserialize<Scene>(text, WorldJson.Compact) ?? throw new JsonException("null scene"));
            }
            catch (JsonException e)
            {
                throw MilanInputException.InFile(path, $"line {line}: not a scene record ({e.Message})");
            }
        }
        return scenes.ToArray();
    }

    public void Dispose() => _layers.Dispose();
}
