using System.Diagnostics;
using System.Globalization;
using Milan.Benchmarks;

// Exemplar-pass throughput of ResNet18 (random weights, random images) at 64 and 224 px, and the
// process's peak memory. Each size runs in its own process so that VmHWM belongs to that size alone.
//   dotnet run -c Release --project tests/Milan.Benchmarks                       all sizes, default counts
//   dotnet run -c Release --project tests/Milan.Benchmarks -- --size 224 --images 256 --batch-size 32
var settings = ExemplarBenchmark.Settings.Parse(args);
if (settings.Size is not null)
{
    ExemplarBenchmark.Run(settings);
    return 0;
}
foreach (int size in new[] { 64, 224 })
{
    int images = size == 64 ? 1024 : 256;
    var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
    foreach (var argument in args) start.ArgumentList.Add(argument);
    if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)) start.ArgumentList.Insert(0, typeof(ExemplarBenchmark).Assembly.Location);
    start.ArgumentList.Add("--size");
    start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
    if (!args.Contains("--images"))
    {
        start.ArgumentList.Add("--images");
        start.ArgumentList.Add(images.ToString(CultureInfo.InvariantCulture));
    }
    using var child = Process.Start(start)!;
    child.WaitForExit();
    if (child.ExitCode != 0) return child.ExitCode;
}
return 0;
