using System.Globalization;
using Milan.Stats;
using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Exemplars;

/// <summary>
/// Pass-1 state of one layer: the running top-k of pooled activations, the running quantile of all
/// spatial activations, and the feature maps of the current top-k images, carried along with the
/// top-k so that no second forward pass is needed for the masks. Lives on the model's device.
/// The state of a shard of the images is saved to one file (<see cref="Save"/>) and merged with the
/// other shards' (<see cref="Load"/>, <see cref="Merge"/>); the exact quantile and the top-k merge exactly.
/// </summary>
internal sealed class LayerAccumulator : IDisposable
{
    private readonly ExemplarOptions _options;
    private readonly long _imageCount;
    private readonly int _sketchSeed;
    private RunningTopK? _topK;
    private IRunningQuantile? _quantile;
    private QuantileMethod _method;
    private Tensor? _maps;           // (units, width, h·w)
    private long _layerUnits, _units, _height, _width;

    /// <param name="imageCount">Images of the whole source (the exact quantile is declared for all of them, also in a shard).</param>
    /// <param name="sketchSeed">Seed of the quantile sketch's coins (each shard its own, so that their errors stay independent).</param>
    public LayerAccumulator(string layer, ExemplarOptions options, long imageCount, int? sketchSeed = null)
    {
        Layer = layer;
        _options = options;
        _imageCount = imageCount;
        _sketchSeed = sketchSeed ?? options.Seed;
    }

    public string Layer { get; }

    /// <summary>Adds a batch of layer outputs, (B, C, h, w) or (B, C), for images firstIndex….</summary>
    public void Add(Tensor output, long firstIndex)
    {
        using var scope = NewDisposeScope();
        var acts = output.dim() switch
        {
            4 => output,
            2 => output.unsqueeze(2).unsqueeze(3),
            _ => throw new MilanInputException(
                $"layer '{Layer}' outputs a tensor of shape [{string.Join(", ", output.shape)}]; exemplars need (batch, units, h, w) or (batch, units)"),
        };
        if (_topK is null) Start(acts);
        if (acts.shape[1] != _layerUnits || acts.shape[2] != _height || acts.shape[3] != _width)
            throw new InvalidOperationException($"layer '{Layer}' changed its output shape between batches");

        // Works on the output in place, whatever its strides (a channels-last output is not copied).
        long positions = _height * _width;
        acts = acts.detach().narrow(1, 0, _units).to(ScalarType.Float32);
        var pooled = acts.amax([2, 3]);                                   // (batch, units)

        long previous = _topK!.Width;
        var sources = _topK.AddTracked(pooled, firstIndex);              // (units, width)
        var units = arange(_units, dtype: ScalarType.Int64, device: sources.device).unsqueeze(1).expand_as(sources).flatten();
        var images = (sources - previous).clamp_min(0).flatten();        // the batch image of entries that came from it
        if (_maps is null)
        {
            _maps = Maps(acts, images, units, positions).reshape(_units, -1, positions).DetachFromDisposeScope();
        }
        else
        {
            // Entries that came from this batch; when there are none, the kept entries and their order
            // are unchanged (both sorts are stable), and so are the maps.
            var fromBatch = sources.ge(previous).flatten().nonzero().squeeze(1);
            if (fromBatch.numel() > 0)
            {
                var keptRows = (units * previous + sources.clamp_max(previous - 1).flatten());
                var maps = _maps.reshape(-1, positions).index_select(0, keptRows);
                maps.index_copy_(0, fromBatch, Maps(acts, images.index_select(0, fromBatch), units.index_select(0, fromBatch), positions));
                _maps.Dispose();
                _maps = maps.reshape(_units, -1, positions).DetachFromDisposeScope();
            }
        }

        // (units, batch, h, w): a view; the quantile reads it in place.
        _quantile!.Add(acts.transpose(0, 1));
    }

    /// <summary>The (h·w) maps of the given (image in the batch, unit) pairs, as rows.</summary>
    private static Tensor Maps(Tensor acts, Tensor images, Tensor units, long positions) =>
        acts.index(TensorIndex.Tensor(images), TensorIndex.Tensor(units)).reshape(-1, positions);

    /// <summary>The layer's exemplars (CPU tensors); the accumulator can be disposed afterwards.</summary>
    public LayerExemplars Finish()
    {
        if (_topK is null) throw new InvalidOperationException($"no batches reached layer '{Layer}'");
        var (values, ids) = _topK.Result();
        var levels = _quantile!.Result();
        var maps = _maps!.cpu().reshape(_units, -1, _height, _width).clone();
        long[] unitIds = Enumerable.Range(0, (int)_units).Select(u => (long)u).ToArray();
        return new LayerExemplars(Layer, _layerUnits, unitIds, _options.Units is not null, ids, values, levels, maps,
                                  _method, _quantile.RankErrorBound);
    }

    private void Start(Tensor acts)
    {
        _layerUnits = acts.shape[1];
        _height = acts.shape[2];
        _width = acts.shape[3];
        if (_options.Units is { } wanted && wanted > _layerUnits)
            throw new MilanInputException($"--units {wanted}: layer '{Layer}' has only {_layerUnits} units");
        _units = _options.Units ?? _layerUnits;
        _topK = new RunningTopK(_options.K);

        long values = _imageCount * _height * _width;
        _method = _options.QuantileMethod;
        if (_method == QuantileMethod.Auto)
        {
            long bytes = ExactRunningQuantile.EstimateBytes(_units, _options.Quantile, values, _options.QuantilePosition);
            _method = bytes <= _options.ExactQuantileMaxBytes ? QuantileMethod.Exact : QuantileMethod.Sketch;
        }
        _quantile = _method == QuantileMethod.Exact
            ? new ExactRunningQuantile(_options.Quantile, values, _options.QuantilePosition)
            : new QuantileSketch(_options.Quantile, _options.SketchCapacity, _sketchSeed);
    }

    /// <summary>Whether any batch was added (a shard may hold no images).</summary>
    public bool IsEmpty => _topK is null;

    /// <summary>
    /// Adds another shard's state of the same layer (disjoint images): the top-k merge carries the feature
    /// maps along, the quantiles merge (exactly, for the exact method).
    /// </summary>
    public void Merge(LayerAccumulator other)
    {
        if (other.IsEmpty) return;
        if (IsEmpty) throw new InvalidOperationException("merge shards into a non-empty one");
        if (other._layerUnits != _layerUnits || other._units != _units || other._height != _height || other._width != _width || other._method != _method)
            throw new MilanInputException($"layer '{Layer}': shards disagree on the layer's shape or quantile method");
        using var scope = NewDisposeScope();
        var sources = _topK!.MergeTracked(other._topK!)!;
        // Sources index the concatenation [kept entries, the other shard's entries], as the top-k's candidates.
        var candidates = cat([_maps!, other._maps!.to(_maps!.device)], 1);
        var maps = candidates.gather(1, sources.unsqueeze(2).expand(-1, -1, candidates.shape[2]));
        _maps.Dispose();
        _maps = maps.DetachFromDisposeScope();
        if (_quantile is ExactRunningQuantile exact) exact.Merge((ExactRunningQuantile)other._quantile!);
        else ((QuantileSketch)_quantile!).Merge((QuantileSketch)other._quantile!);
    }

    /// <summary>Writes the state to one safetensors file (tensors on the CPU, sizes and counts as metadata).</summary>
    public void Save(string path)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string> { ["layer"] = Layer, ["empty"] = IsEmpty ? "true" : "false" };
        if (!IsEmpty)
        {
            var (values, indices) = _topK!.Result();
            tensors["topk.values"] = values;
            tensors["topk.indices"] = indices;
            tensors["maps"] = _maps!.cpu();
            metadata["topk.count"] = Text(_topK.Count);
            metadata["shape"] = string.Join(",", new[] { _layerUnits, _units, _height, _width }.Select(Text));
            metadata["quantile.method"] = _method.ToString();
            metadata["quantile.count"] = Text(_quantile!.Count);
            if (_quantile is ExactRunningQuantile exact)
            {
                tensors["quantile.held"] = exact.HeldValues()!;
            }
            else
            {
                var state = ((QuantileSketch)_quantile).State();
                metadata["quantile.sums"] = string.Join(",", new[] { state.SumWeights, state.SumSquaredWeights }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                metadata["quantile.levels"] = Text(state.Levels.Count);
                for (int h = 0; h < state.Levels.Count; h++)
                    if (state.Levels[h] is { } level) tensors[$"quantile.level.{h}"] = level;
            }
        }
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>Reads a state written by <see cref="Save"/> onto <paramref name="device"/>; the options are the run's.</summary>
    public static LayerAccumulator Load(string path, ExemplarOptions options, long imageCount, int sketchSeed, Device device)
    {
        using var contents = SafeTensors.Read(path);
        string Meta(string key) => contents.Metadata.TryGetValue(key, out var value)
            ? value : throw MilanInputException.InFile(path, $"metadata '{key}' missing; not a shard's layer state");
        Tensor Get(string key) => contents.Tensors.TryGetValue(key, out var tensor)
            ? tensor : throw MilanInputException.InFile(path, $"tensor '{key}' missing; not a shard's layer state");
        var accumulator = new LayerAccumulator(Meta("layer"), options, imageCount, sketchSeed);
        if (Meta("empty") == "true") return accumulator;
        var shape = Meta("shape").Split(',').Select(long.Parse).ToArray();
        (accumulator._layerUnits, accumulator._units, accumulator._height, accumulator._width) = (shape[0], shape[1], shape[2], shape[3]);
        accumulator._method = Enum.Parse<QuantileMethod>(Meta("quantile.method"));
        accumulator._topK = RunningTopK.FromState(options.K, Get("topk.values").to(device), Get("topk.indices").to(device), long.Parse(Meta("topk.count"), CultureInfo.InvariantCulture));
        accumulator._maps = Get("maps").to(device).clone();
        long count = long.Parse(Meta("quantile.count"), CultureInfo.InvariantCulture);
        if (accumulator._method == QuantileMethod.Exact)
        {
            accumulator._quantile = ExactRunningQuantile.FromState(options.Quantile, imageCount * shape[2] * shape[3], options.QuantilePosition,
                                                                   count, Get("quantile.held").to(device));
        }
        else
        {
            var sums = Meta("quantile.sums").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var levels = Enumerable.Range(0, int.Parse(Meta("quantile.levels"), CultureInfo.InvariantCulture))
                .Select(h => contents.Tensors.TryGetValue($"quantile.level.{h}", out var level) ? level.to(device) : null).ToList();
            accumulator._quantile = QuantileSketch.FromState(options.Quantile, options.SketchCapacity, sketchSeed, new QuantileSketchState(count, sums[0], sums[1], levels));
        }
        return accumulator;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _topK?.Dispose();
        _quantile?.Dispose();
        _maps?.Dispose();
    }
}
