using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Weight files for any module, by state-dict name: safetensors, PyTorch state dicts (torch.save's
/// .pt/.pth zip archives, read only) or TorchSharp's own format. Loading is strict: unknown keys,
/// missing keys and shape mismatches are one input error listing them all.
/// </summary>
public static class WeightsFile
{
    public const string SafeTensorsExtension = ".safetensors";

    /// <summary>The format of an existing file, from its first bytes. PyTorch's pre-1.6 pickles are an input error that says how to convert them.</summary>
    public static WeightsFormat Detect(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "weight file not found");
        Span<byte> head = stackalloc byte[9];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        // safetensors: an 8-byte little-endian header length, then a JSON object.
        if (read == 9 && head[8] == (byte)'{') return WeightsFormat.SafeTensors;
        // torch.save writes a zip archive ("PK\x03\x04"), or before PyTorch 1.6 a pickle starting with protocol 2 and a long magic number.
        bool zip = read >= 4 && head[..4].SequenceEqual("PK\u0003\u0004"u8);
        bool legacyPickle = read >= 4 && head[..4].SequenceEqual(new byte[] { 0x80, 0x02, 0x8A, 0x0A });
        if (legacyPickle)
            throw MilanInputException.InFile(path,
                "saved in PyTorch's format from before 1.6, which cannot be read here; re-save it with torch.save in PyTorch 1.6 or later, "
                + "or convert the state dict to safetensors (docs/models.md, \"Bringing weights from PyTorch\")");
        return zip ? WeightsFormat.PyTorch : WeightsFormat.TorchSharp;
    }

    /// <summary>All named tensors (on the CPU) and metadata of a weight file; TorchSharp files have no metadata.</summary>
    public static SafeTensors.Contents Read(string path) => Detect(path) switch
    {
        WeightsFormat.SafeTensors => SafeTensors.Read(path),
        WeightsFormat.PyTorch => new SafeTensors.Contents(PyTorchWeights.Read(path), []),
        _ => new SafeTensors.Contents(TorchSharpWeights.Read(path), []),
    };

    /// <summary>Copies the weights in <paramref name="path"/> into <paramref name="module"/> (strict, on the module's device).</summary>
    public static void Load(nn.Module module, string path)
    {
        using var contents = Read(path);
        ModuleWeights.Load(module, contents.Tensors, path);
    }

    /// <summary>
    /// Writes <paramref name="module"/>'s state dict atomically: safetensors (with
    /// <paramref name="metadata"/>) when the path ends in .safetensors, TorchSharp's format otherwise
    /// (metadata cannot be stored there).
    /// </summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (FormatForPath(path) == WeightsFormat.SafeTensors) ModuleWeights.SaveSafeTensors(module, path, metadata);
        else TorchSharpWeights.Write(module, path);
    }

    /// <summary>The format <see cref="Save"/> writes for <paramref name="path"/>.</summary>
    public static WeightsFormat FormatForPath(string path) =>
        path.EndsWith(SafeTensorsExtension, StringComparison.OrdinalIgnoreCase) ? WeightsFormat.SafeTensors : WeightsFormat.TorchSharp;
}
