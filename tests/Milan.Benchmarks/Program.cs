using System.Diagnostics;
using System.Globalization;
using Milan.Benchmarks;

// Benchmarks of the pipeline's hot loops (docs/performance.md). Verbs:
//   compare [--repeats 3] [--rows pass1-224,decode-3904] [--threads N] [--baseline <an older build of this dll>]
//       every row for TorchSharp and for the PyTorch peer (tools/torch_peer.py), interleaved, with ratios
//   exemplar|train|decode|gemm <arguments>     one TorchSharp measurement as a JSON line (what compare runs)
//   layout [--size 224 --images 256 --batch-size 32 --no-sheets --threads 1 --layers layer4]
//       the whole exemplar pass (pass 1 + writing the layout) with peak memory; both sizes without --size
//   gpu-check [--device cuda]    CPU against CUDA outputs of the exemplar pass and a decode (tools/gpu_check.sh)
// e.g. dotnet run -c Release --project tests/Milan.Benchmarks -- compare
var arguments = new Arguments(args.Skip(1).ToList());
switch (args.FirstOrDefault())
{
    case "compare":
        return SideBySide.Run(arguments);
    case "exemplar" or "train" or "decode" or "gemm":
        Console.WriteLine(TorchSharpSide.Run(args[0], arguments).ToJson());
        return 0;
    case "layout":
        return Layout(arguments);
    case "gpu-check":
        return GpuCheck.Run(arguments);
    default:
        Console.Error.WriteLine("usage: Milan.Benchmarks compare | exemplar | train | decode | gemm | layout | gpu-check [options] (see Program.cs)");
        return 2;
}

// Each size in its own process, so that VmHWM belongs to that size alone.
static int Layout(Arguments arguments)
{
    var settings = ExemplarBenchmark.Settings.Parse(arguments);
    if (settings.Size is not null)
    {
        ExemplarBenchmark.Run(settings);
        return 0;
    }
    foreach (int size in new[] { 64, 224 })
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(ExemplarBenchmark).Assembly.Location);
        start.ArgumentList.Add("layout");
        foreach (var argument in arguments.All) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--size");
        start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
        if (!arguments.Flag("--images"))
        {
            start.ArgumentList.Add("--images");
            start.ArgumentList.Add((size == 64 ? 1024 : 256).ToString(CultureInfo.InvariantCulture));
        }
        using var child = Process.Start(start)!;
        child.WaitForExit();
        if (child.ExitCode != 0) return child.ExitCode;
    }
    return 0;
}
