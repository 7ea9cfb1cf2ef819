using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Milan.Tests.Models.Onnx;

/// <summary>Runs an ONNX file with Microsoft.ML.OnnxRuntime, the independent implementation the importer is checked against.</summary>
internal static class OnnxRuntimeReference
{
    /// <summary>The model's single output for a float input, as a CPU tensor.</summary>
    public static Tensor Run(string path, Tensor input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        string name = session.InputMetadata.Keys.Single();
        var data = input.contiguous().to(ScalarType.Float32).data<float>().ToArray();
        var value = new DenseTensor(data, input.shape.Select(d => (int)d).ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, value)]);
        var output = results.Single().AsTensor<float>();
        return tensor(output.ToArray(), output.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }
}
