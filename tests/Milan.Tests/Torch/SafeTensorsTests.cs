using Milan.Tests.Support;
using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Tests.Torch;

public class SafeTensorsTests
{
    [Fact]
    public void Round_trip_keeps_names_types_shapes_values_and_metadata()
    {
        using var folder = new TempFolder();
        string path = folder.File("w.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["layer.weight"] = randn(3, 4),
            ["layer.bias"] = arange(3, dtype: ScalarType.Float64),
            ["bn.num_batches_tracked"] = tensor(17L),
            ["mask"] = tensor(new byte[] { 0, 1, 1 }),
        };
        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        using var back = SafeTensors.Read(path);

        Assert.Equal("pt", back.Metadata["format"]);
        Assert.Equal(tensors.Keys.Order(), back.Tensors.Keys.Order());
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.dtype, back.Tensors[name].dtype);
            Assert.True(original.equal(back.Tensors[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void Header_follows_the_format_length_prefix_json_then_aligned_data()
    {
        using var folder = new TempFolder();
        string path = folder.File("h.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["x"] = tensor(new[] { 1f, 2f }) });

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd();

        Assert.Equal(0, headerLength % 8);
        Assert.Equal("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", header);
        Assert.Equal(BitConverter.GetBytes(1f).Concat(BitConverter.GetBytes(2f)), bytes[(int)(8 + headerLength)..]);
    }

    [Fact]
    public void Loading_into_a_module_lists_unknown_missing_and_mismatched_keys()
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor>
        {
            ["weight"] = zeros(5, 3),
            ["extra"] = zeros(1),
        });
        using var module = nn.Linear(3, 4);

        var error = Assert.Throws<MilanInputException>(() => ModuleWeights.LoadSafeTensors(module, path));

        Assert.Contains("unknown keys: extra", error.Message);
        Assert.Contains("missing keys: bias", error.Message);
        Assert.Contains("weight (model [4,3], file [5,3])", error.Message);
    }

    [Fact]
    public void Saved_module_weights_load_back_into_a_fresh_module()
    {
        using var folder = new TempFolder();
        string path = folder.File("linear.safetensors");
        using var original = nn.Linear(3, 2);
        ModuleWeights.SaveSafeTensors(original, path);
        using var copy = nn.Linear(3, 2);

        ModuleWeights.LoadSafeTensors(copy, path);

        using var input = randn(4, 3);
        Assert.True(original.call(input).allclose(copy.call(input)));
    }
}
