using Milan.Stats;
using static TorchSharp.torch;

namespace Milan.Exemplars;

/// <summary>
/// Pass-1 state of one layer: the running top-k of pooled activations, the running quantile of all
/// spatial activations, and the feature maps of the current top-k images, carried along with the
/// top-k so that no second forward pass is needed for the masks. Lives on the model's device.
/// </summary>
internal sealed class LayerAccumulator : IDisposable
{
    private readonly ExemplarOptions _options;
    private readonly long _imageCount;
    private RunningTopK? _topK;
    private IRunningQuantile? _quantile;
    private QuantileMethod _method;
    private Tensor? _maps;           // (units, width, h·w)
    private long _layerUnits, _units, _height, _width;

    public LayerAccumulator(string layer, ExemplarOptions options, long imageCount)
    {
        Layer = layer;
        _options = options;
        _imageCount = imageCount;
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

        long batch = acts.shape[0], positions = _height * _width;
        acts = acts.detach().narrow(1, 0, _units).to(ScalarType.Float32);
        var byImage = acts.reshape(batch * _units, positions);          // row b·units + u
        var pooled = byImage.amax([1]).reshape(batch, _units);

        long previous = _topK!.Width;
        var sources = _topK.AddTracked(pooled, firstIndex);              // (units, width)
        var unitIds = arange(_units, dtype: ScalarType.Int64, device: sources.device).unsqueeze(1);
        var batchRows = ((sources - previous).clamp_min(0) * _units + unitIds).flatten();
        if (_maps is null)
        {
            _maps = byImage.index_select(0, batchRows).reshape(_units, -1, positions).DetachFromDisposeScope();
        }
        else
        {
            // Entries that came from this batch; when there are none, the kept entries and their order
            // are unchanged (both sorts are stable), and so are the maps.
            var fromBatch = sources.ge(previous).flatten().nonzero().squeeze(1);
            if (fromBatch.numel() > 0)
            {
                var keptRows = (unitIds * previous + sources.clamp_max(previous - 1)).flatten();
                var maps = _maps.reshape(-1, positions).index_select(0, keptRows);
                maps.index_copy_(0, fromBatch, byImage.index_select(0, batchRows.index_select(0, fromBatch)));
                _maps.Dispose();
                _maps = maps.reshape(_units, -1, positions).DetachFromDisposeScope();
            }
        }

        // (units, batch, h·w): a view; the quantile reads it in place.
        _quantile!.Add(byImage.view(batch, _units, positions).transpose(0, 1));
    }

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
            : new QuantileSketch(_options.Quantile, _options.SketchCapacity, _options.Seed);
    }

    public void Dispose()
    {
        _topK?.Dispose();
        _quantile?.Dispose();
        _maps?.Dispose();
    }
}
