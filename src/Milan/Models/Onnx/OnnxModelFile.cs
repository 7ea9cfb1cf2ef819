using Google.Protobuf;

namespace Milan.Models.Onnx;

/// <summary>
/// Reads an ONNX model file (a protobuf ModelProto, parsed by Google.Protobuf) and checks the parts
/// the importer relies on: one graph with nodes, an operator set of the default domain, one image
/// input. Every problem is a <see cref="MilanInputException"/> naming the file.
/// </summary>
internal static class OnnxModelFile
{
    /// <summary>The oldest default-domain operator set accepted: from opset 7 on, element-wise operators broadcast as numpy does.</summary>
    public const long MinimumOpset = 7;

    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "ONNX model not found");
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw MilanInputException.InFile(path, $"not an ONNX model: the protobuf does not parse ({e.Message})");
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw MilanInputException.InFile(path, "not an ONNX model: it holds no graph with nodes");
        return model;
    }

    /// <summary>The version of the default ("" or "ai.onnx") operator set the model declares.</summary>
    public static long Opset(ModelProto model, string path)
    {
        var versions = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).ToList();
        if (versions.Count == 0)
            throw MilanInputException.InFile(path, "the model declares no operator set of the default ONNX domain (opset_import)");
        long version = versions.Max();
        if (version < MinimumOpset)
            throw MilanInputException.InFile(path, $"operator set {version} is older than the oldest supported ({MinimumOpset}); re-export the model with a newer opset");
        return version;
    }
}
