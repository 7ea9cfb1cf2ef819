namespace Milan.Tests.Models;

/// <summary>
/// torchvision's state-dict keys and shapes, written by hand from its model definitions
/// (torchvision/models/resnet.py and alexnet.py), in registration order, as the reference the
/// models under test must match key for key.
/// </summary>
internal static class TorchvisionStateDict
{
    private static readonly string[] BatchNormEntries = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"];

    public static List<(string Key, long[] Shape)> ResNet(int[] blocks, bool bottleneck, int classes = 1000, int width = 64)
    {
        var keys = new List<(string, long[])>();
        void Conv(string name, long outChannels, long inChannels, long kernel) =>
            keys.Add(($"{name}.weight", [outChannels, inChannels, kernel, kernel]));
        void BatchNorm(string name, long channels)
        {
            foreach (var entry in BatchNormEntries)
                keys.Add(($"{name}.{entry}", entry == "num_batches_tracked" ? [] : [channels]));
        }

        Conv("conv1", width, 3, 7);
        BatchNorm("bn1", width);
        int expansion = bottleneck ? 4 : 1;
        long inChannels = width;
        for (int layer = 0; layer < 4; layer++)
        {
            long planes = (long)width << layer;
            for (int b = 0; b < blocks[layer]; b++)
            {
                string prefix = $"layer{layer + 1}.{b}";
                int stride = b == 0 && layer > 0 ? 2 : 1;
                if (bottleneck)
                {
                    Conv($"{prefix}.conv1", planes, inChannels, 1);
                    BatchNorm($"{prefix}.bn1", planes);
                    Conv($"{prefix}.conv2", planes, planes, 3);
                    BatchNorm($"{prefix}.bn2", planes);
                    Conv($"{prefix}.conv3", planes * 4, planes, 1);
                    BatchNorm($"{prefix}.bn3", planes * 4);
                }
                else
                {
                    Conv($"{prefix}.conv1", planes, inChannels, 3);
                    BatchNorm($"{prefix}.bn1", planes);
                    Conv($"{prefix}.conv2", planes, planes, 3);
                    BatchNorm($"{prefix}.bn2", planes);
                }
                if (b == 0 && (stride != 1 || inChannels != planes * expansion))
                {
                    Conv($"{prefix}.downsample.0", planes * expansion, inChannels, 1);
                    BatchNorm($"{prefix}.downsample.1", planes * expansion);
                }
                inChannels = planes * expansion;
            }
        }
        keys.Add(("fc.weight", [classes, inChannels]));
        keys.Add(("fc.bias", [classes]));
        return keys;
    }

    public static List<(string Key, long[] Shape)> AlexNet(int classes = 1000) =>
    [
        ("features.0.weight", [64, 3, 11, 11]), ("features.0.bias", [64]),
        ("features.3.weight", [192, 64, 5, 5]), ("features.3.bias", [192]),
        ("features.6.weight", [384, 192, 3, 3]), ("features.6.bias", [384]),
        ("features.8.weight", [256, 384, 3, 3]), ("features.8.bias", [256]),
        ("features.10.weight", [256, 256, 3, 3]), ("features.10.bias", [256]),
        ("classifier.1.weight", [4096, 9216]), ("classifier.1.bias", [4096]),
        ("classifier.4.weight", [4096, 4096]), ("classifier.4.bias", [4096]),
        ("classifier.6.weight", [classes, 4096]), ("classifier.6.bias", [classes]),
    ];
}
