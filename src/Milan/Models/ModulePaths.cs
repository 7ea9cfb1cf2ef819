using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>Finds submodules by their dotted state-dict path ("layer4", "layer1.0.conv2", "features.3").</summary>
public static class ModulePaths
{
    /// <summary>
    /// The submodule at <paramref name="path"/>, which must map a tensor to a tensor (hooks need that).
    /// An unknown path is an input error that lists the model's top-level names.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Find(nn.Module model, string path)
    {
        foreach (var (name, module) in model.named_modules())
        {
            if (name != path) continue;
            return module as nn.Module<Tensor, Tensor>
                   ?? throw new MilanInputException($"layer '{path}' of {model.GetName()} is a {module.GetType().Name}, which does not map one tensor to one tensor");
        }
        var topLevel = model.named_children().Select(c => c.name);
        throw new MilanInputException(
            $"unknown layer '{path}' in {model.GetName()}; top-level layers are: {string.Join(", ", topLevel)} "
            + "(any dotted module path below them also works)");
    }
}
