using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// A deep copy of a module's state, to restore the best epoch's weights. (The reference keeps
/// <c>state_dict()</c> without copying; those tensors alias the live parameters, so its "restore best"
/// restores nothing and it ends with the last epoch's weights. Copying does what was intended.)
/// </summary>
internal sealed class WeightsSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    public WeightsSnapshot(nn.Module module)
    {
        using var noGrad = no_grad();
        _tensors = module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    public void RestoreInto(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict()) tensor.copy_(_tensors[name]);
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values) tensor.Dispose();
    }
}
