using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Records the outputs of named layers during a forward pass (forward hooks, removed on dispose).
/// <see cref="Run"/> calls the model once and returns each traced layer's output, attached to the
/// caller's dispose scope; every other intermediate tensor of the pass is freed.
/// Like the reference (netdissect's InstrumentedModel), "conv1" of a ResNet is the raw convolution
/// output before batch norm, because that is the output of the module named conv1.
/// Hooks run in the order they were attached: attach a trace after a <see cref="UnitAblation"/> of the
/// same layer to record the ablated output.
/// </summary>
public sealed class LayerTrace : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly List<Action> _hookRemovers = [];
    private readonly Dictionary<string, Tensor> _captured = new();

    public IReadOnlyList<string> Layers { get; }

    private LayerTrace(nn.Module<Tensor, Tensor> model, IReadOnlyList<string> layers)
    {
        _model = model;
        Layers = layers;
        foreach (var layer in layers)
        {
            var module = ModulePaths.Find(model, layer);
            string name = layer;
            // Outputs that the model changes in place later (e.g. before an in-place ReLU) are cloned so that
            // the recorded values are what the module returned; other outputs of our own models are kept as
            // they are, without a copy. Imported graphs never write in place (every node returns a new
            // tensor). Models that cannot tell are always copied.
            bool copy = model switch
            {
                SubjectModel subject => subject.OutputChangedInPlace(layer),
                Onnx.OnnxNetwork => false,
                _ => true,
            };
            var remover = module.register_forward_hook((_, _, output) =>
            {
                _captured[name] = (copy ? output.detach().clone() : output.detach()).DetachFromDisposeScope();
                return output;
            });
            _hookRemovers.Add(remover.remove);
        }
    }

    /// <summary>Hooks <paramref name="layers"/> (dotted module paths) of <paramref name="model"/>.</summary>
    public static LayerTrace Attach(nn.Module<Tensor, Tensor> model, params string[] layers)
    {
        if (layers.Length == 0) throw new ArgumentException("at least one layer is needed", nameof(layers));
        if (layers.Distinct().Count() != layers.Length) throw new ArgumentException("a layer is listed twice", nameof(layers));
        return new LayerTrace(model, layers);
    }

    /// <summary>Runs the model on <paramref name="input"/> and returns the traced outputs by layer name.</summary>
    public IReadOnlyDictionary<string, Tensor> Run(Tensor input)
    {
        var callerScope = CurrentDisposeScope;
        ClearCaptured();
        try
        {
            using (NewDisposeScope())
            {
                _model.call(input);
            }
            var missing = Layers.Where(l => !_captured.ContainsKey(l)).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"layers {string.Join(", ", missing)} were not reached by the forward pass");
            var result = new Dictionary<string, Tensor>(_captured);
            foreach (var tensor in result.Values) callerScope?.Attach(tensor);
            _captured.Clear();
            return result;
        }
        catch
        {
            ClearCaptured();
            throw;
        }
    }

    /// <summary>Runs the model and returns the output of the single traced layer.</summary>
    public Tensor RunSingle(Tensor input)
    {
        if (Layers.Count != 1) throw new InvalidOperationException($"{Layers.Count} layers are traced; use Run");
        return Run(input)[Layers[0]];
    }

    private void ClearCaptured()
    {
        foreach (var tensor in _captured.Values) tensor.Dispose();
        _captured.Clear();
    }

    public void Dispose()
    {
        foreach (var remove in _hookRemovers) remove();
        _hookRemovers.Clear();
        ClearCaptured();
    }
}
