namespace Milan.Models.Onnx;

/// <summary>Kernel, strides and dilations of a 2-D convolution or pooling window, read from an ONNX node (defaults 1).</summary>
internal sealed record WindowShape(long[] Kernel, long[] Strides, long[] Dilations)
{
    /// <summary>
    /// Reads kernel_shape (or <paramref name="kernel"/> when the weights give it), strides and dilations;
    /// each must have two entries.
    /// </summary>
    public static WindowShape FromNode(OnnxNode node, long[]? kernel = null)
    {
        var declared = node.Ints("kernel_shape");
        if (kernel is not null && declared is not null && !declared.SequenceEqual(kernel))
            throw node.Error($"kernel_shape [{string.Join(",", declared)}] does not match the weights' [{string.Join(",", kernel)}]");
        kernel ??= declared ?? throw node.Error("kernel_shape is missing");
        var strides = node.Ints("strides") ?? [1, 1];
        var dilations = node.Ints("dilations") ?? [1, 1];
        foreach (var (name, values) in new[] { ("kernel_shape", kernel), ("strides", strides), ("dilations", dilations) })
        {
            if (values.Length != 2) throw node.Error($"{name} has {values.Length} entries; only 2-D windows are supported");
            if (values.Any(v => v < 1)) throw node.Error($"{name} [{string.Join(",", values)}] must be positive");
        }
        return new WindowShape(kernel, strides, dilations);
    }

    /// <summary>Whether the window moves by more than one pixel (a resolution change, e.g. a ResNet stage's first block).</summary>
    public bool Downsamples => Strides.Any(s => s > 1);
}
