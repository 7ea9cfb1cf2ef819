using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// State dicts saved with <c>torch.save</c> (e.g. torchvision's <c>resnet18-f37072fd.pth</c>): a
/// dictionary of named tensors, at the root of the file or under its 'state_dict' key (as training
/// checkpoints wrap it). Read with <see cref="TorchSaveFile"/>, so nothing in the file is executed.
/// </summary>
public static class TorchStateDict
{
    /// <summary>Every tensor of the file's state dict, on the CPU, by name (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var file = TorchSaveFile.Open(path);
        var root = file.Root as PickledDict ?? throw MilanInputException.InFile(path, "not a state dict (the pickled object is not a dictionary)");
        var dict = root.TryGet("state_dict", out var inner) && inner is PickledDict wrapped ? wrapped : root;
        return Materialize(file, dict);
    }

    /// <summary>The tensors of a pickled dictionary of named tensors; anything else in it is an error naming the entry.</summary>
    public static Dictionary<string, Tensor> Materialize(TorchSaveFile file, PickledDict dict)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, value) in dict.Items)
            {
                if (key is not string name || value is not StoredTensor stored)
                    throw MilanInputException.InFile(file.Path, $"state dict entry '{key}' is not a named tensor");
                tensors[name] = file.Materialize(stored);
            }
            return tensors;
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
    }
}
