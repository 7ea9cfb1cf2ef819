using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Zeroes chosen channels ("units") of named layers while attached: a forward hook multiplies the
/// layer output by a 0/1 channel mask, as the reference's ablation does. Disposing removes the hooks,
/// restoring the model exactly. Zeroing a ResNet's conv1 happens before its batch norm, so the
/// post-BN value of an ablated conv1 unit is not 0 (as in the reference).
/// </summary>
public sealed class UnitAblation : IDisposable
{
    private readonly List<Action> _hookRemovers = [];
    private readonly List<Tensor> _masks = [];

    private UnitAblation() { }

    /// <summary>Ablates <paramref name="unitsByLayer"/>: layer path to channel indices.</summary>
    public static UnitAblation Attach(nn.Module<Tensor, Tensor> model, IReadOnlyDictionary<string, IReadOnlyCollection<int>> unitsByLayer)
    {
        var ablation = new UnitAblation();
        try
        {
            foreach (var (layer, units) in unitsByLayer)
            {
                if (units.Count == 0) continue;
                var module = ModulePaths.Find(model, layer);
                Tensor? mask = null;
                var remover = module.register_forward_hook((_, _, output) =>
                {
                    if (mask is null || mask.device != output.device || mask.shape[1] != output.shape[1])
                        mask = ablation.BuildMask(layer, units, output);
                    return output * mask;
                });
                ablation._hookRemovers.Add(remover.remove);
            }
            return ablation;
        }
        catch
        {
            ablation.Dispose();
            throw;
        }
    }

    /// <summary>Ablates <paramref name="units"/> of one layer.</summary>
    public static UnitAblation Attach(nn.Module<Tensor, Tensor> model, string layer, IReadOnlyCollection<int> units) =>
        Attach(model, new Dictionary<string, IReadOnlyCollection<int>> { [layer] = units });

    private Tensor BuildMask(string layer, IReadOnlyCollection<int> units, Tensor output)
    {
        var mask = ZeroMask(layer, units, output).DetachFromDisposeScope();
        _masks.Add(mask);
        return mask;
    }

    /// <summary>1 for every channel of <paramref name="output"/> but <paramref name="units"/>, shaped to broadcast over it: output × mask zeroes them.</summary>
    public static Tensor ZeroMask(string layer, IReadOnlyCollection<int> units, Tensor output)
    {
        long channels = output.shape[1];
        var bad = units.Where(u => u < 0 || u >= channels).ToList();
        if (bad.Count > 0)
            throw new MilanInputException($"layer '{layer}' has {channels} units; cannot ablate {string.Join(", ", bad)}");
        var values = Enumerable.Repeat(1f, (int)channels).ToArray();
        foreach (int unit in units) values[unit] = 0f;
        var shape = new long[output.dim()];
        Array.Fill(shape, 1L);
        shape[1] = channels;
        return tensor(values, device: output.device).to(output.dtype).reshape(shape);
    }

    public void Dispose()
    {
        foreach (var remove in _hookRemovers) remove();
        _hookRemovers.Clear();
        foreach (var mask in _masks) mask.Dispose();
        _masks.Clear();
    }
}
