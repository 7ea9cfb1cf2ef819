namespace Milan.Benchmarks;

/// <summary>
/// A row of the side-by-side table (docs/performance.md): what is timed, and the arguments both sides
/// get (<see cref="TorchSharpSide"/> and tools/torch_peer.py take the same ones). "{source224}" and
/// "{source64}" stand for the npy image sources the comparison writes first.
/// </summary>
public sealed record BenchmarkRow(string Name, string Description, string[] Arguments)
{
    public static IReadOnlyList<BenchmarkRow> All { get; } =
    [
        new("pass1-224", "exemplar pass 1, ResNet18 224 px, 256 images, batch 32, 5 layers (forward + top-k + quantile + maps)",
            ["exemplar", "--mode", "pass1", "--size", "224", "--width", "64", "--images", "256", "--batch", "32", "--source", "{source224}"]),
        new("forward-224", "forward only (5 layers traced), same",
            ["exemplar", "--mode", "forward", "--size", "224", "--width", "64", "--images", "256", "--batch", "32", "--source", "{source224}"]),
        new("pass1-demo", "exemplar pass 1, demo width-8 ResNet18 64 px, 2,000 images, batch 100",
            ["exemplar", "--mode", "pass1", "--size", "64", "--width", "8", "--images", "2000", "--batch", "100", "--source", "{source64}"]),
        new("train-1024", "captioner training, D=1024, vocabulary 1,004, hidden 512, batch 64",
            ["train", "--features", "1024", "--batch", "64"]),
        new("train-3904", "captioner training, D=3904 (ResNet101 pyramid), same",
            ["train", "--features", "3904", "--batch", "64"]),
        new("decode-1024", "PMI beam-50 decode (rerank, λ 0.2), D=1024, 16 neurons per batch, 32 neurons",
            ["decode", "--features", "1024", "--neurons", "32", "--batch", "16"]),
        new("decode-3904", "PMI beam-50 decode, D=3904, same",
            ["decode", "--features", "3904", "--neurons", "32", "--batch", "16"]),
        new("gemm-2048", "2048² float32 matrix product",
            ["gemm", "--n", "2048"]),
    ];
}
