using System.Diagnostics;
using System.Globalization;
using Milan.Datasets;
using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Benchmarks;

/// <summary>
/// The side-by-side comparison: for each row, the TorchSharp side and the PyTorch peer
/// (tools/torch_peer.py under Debian's /usr/bin/python3) run alternately, each in its own process,
/// <c>--repeats</c> times (A B A B …, so both see the same machine load); the table shows each side's
/// median, the range, and the ratio TorchSharp time / PyTorch time (below 1: TorchSharp is faster).
/// The load average is printed before and after, with the BLAS library each side used. With
/// <c>--baseline &lt;Milan.Benchmarks.dll&gt;</c> (this benchmark built against an earlier version of the
/// library) a third side runs in the same rotation, for before/after figures under the same load.
/// </summary>
public static class SideBySide
{
    public const string Python = "/usr/bin/python3";

    public static int Run(Arguments args)
    {
        int repeats = args.Number("--repeats", 3);
        int threads = args.Number("--threads", Environment.ProcessorCount);
        var wanted = args.Value("--rows")?.Split(',') ?? [];
        var rows = BenchmarkRow.All.Where(r => wanted.Length == 0 || wanted.Contains(r.Name)).ToList();
        if (rows.Count == 0) throw new ArgumentException($"--rows: none of {string.Join(", ", wanted)}; rows are {string.Join(", ", BenchmarkRow.All.Select(r => r.Name))}");
        string peer = Path.Combine(RepositoryRoot(), "tools", "torch_peer.py");
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} not found: install Debian's python3-torch (docs/performance.md)");

        string? baseline = args.Value("--baseline") is { } given ? Path.GetFullPath(given) : null;
        if (baseline is not null && !File.Exists(baseline)) throw new ArgumentException($"--baseline {baseline}: no such file");
        string folder = Path.Combine(Path.GetTempPath(), "milan-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sources = WriteSources(folder, rows);
            string loadBefore = MachineState.LoadAverage();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.Now:yyyy-MM-dd HH:mm}, {MachineState.Processor()}, {Environment.ProcessorCount} cores, {threads} threads per side, {repeats} runs per side (interleaved)"));
            Console.WriteLine($"load average before: {loadBefore}");
            string debianBlas = MachineState.DebianBlasAlternative();
            Console.WriteLine($"Debian's libblas.so.3 -> {debianBlas}; peer environment OMP_WAIT_POLICY={PeerWaitPolicy}");
            if (!debianBlas.Contains("openblas", StringComparison.Ordinal))
                Console.WriteLine("warning: Debian's torch multiplies with the reference BLAS here, 20-40x slower than OpenBLAS; "
                                  + "apt-get install libopenblas0-pthread for a fair peer (docs/performance.md)");
            var table = new List<string>
            {
                "| work | TorchSharp | PyTorch 1.13 | ratio TS/Py time | TS range | Py range | check TS / Py |" + (baseline is null ? "" : " TorchSharp before | before/after time |"),
                "|---|---|---|---|---|---|---|" + (baseline is null ? "" : "---|---|"),
            };
            string? tsBlas = null, pyBlas = null;
            foreach (var row in rows)
            {
                var arguments = row.Arguments.Select(a => sources.TryGetValue(a, out var path) ? path : a).ToList();
                var ours = new List<Measurement>();
                var theirs = new List<Measurement>();
                var before = new List<Measurement>();
                string[] torchSharpArguments = [arguments[0], "--threads", threads.ToString(CultureInfo.InvariantCulture), .. arguments[1..]];
                for (int r = 0; r < repeats; r++)
                {
                    ours.Add(RunSide(TorchSharpCommand(), torchSharpArguments, null, row));
                    theirs.Add(RunSide(Python, [peer, "--threads", threads.ToString(CultureInfo.InvariantCulture), .. arguments], PeerEnvironment, row));
                    if (baseline is not null) before.Add(RunSide(("dotnet", [baseline]), torchSharpArguments, null, row));
                }
                tsBlas ??= ours[0].Blas;
                pyBlas ??= theirs[0].Blas;
                double tsValue = Median(ours.Select(m => m.Value)), pyValue = Median(theirs.Select(m => m.Value));
                string unit = ours[0].Unit;
                // Throughputs: time ratio = PyTorch throughput / TorchSharp throughput.
                double ratio = pyValue / tsValue;
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"| {row.Description} | {Format(tsValue)} {unit} | {Format(pyValue)} {unit} | **{ratio:F2}** | {Range(ours)} | {Range(theirs)} | {ours[^1].Check:G5} / {theirs[^1].Check:G5} |");
                if (baseline is not null)
                {
                    double beforeValue = Median(before.Select(m => m.Value));
                    line += string.Create(CultureInfo.InvariantCulture, $" {Format(beforeValue)} {unit} ({Range(before)}) | {tsValue / beforeValue:F2} |");
                }
                table.Add(line);
                Console.WriteLine($"  {row.Name}: TorchSharp {Format(tsValue)}, PyTorch {Format(pyValue)} {unit}, ratio {ratio.ToString("F2", CultureInfo.InvariantCulture)}");
            }
            Console.WriteLine($"load average after: {MachineState.LoadAverage()}");
            Console.WriteLine($"TorchSharp BLAS: {tsBlas}; PyTorch BLAS: {pyBlas}");
            Console.WriteLine();
            foreach (var line in table) Console.WriteLine(line);
            return 0;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// OpenMP threads that spin while OpenBLAS's own threads work slow Debian's torch down 2-3x on
    /// BLAS-heavy work (torchsharp-notes.md §TL;DR 3); PASSIVE is its best setting. TorchSharp keeps the default.
    /// </summary>
    private const string PeerWaitPolicy = "PASSIVE";

    private static readonly Dictionary<string, string> PeerEnvironment = new() { ["OMP_WAIT_POLICY"] = PeerWaitPolicy };

    /// <summary>The image sources the exemplar rows read (seeded random bytes), written once for both sides.</summary>
    private static Dictionary<string, string> WriteSources(string folder, IReadOnlyList<BenchmarkRow> rows)
    {
        TorchRuntime.EnsureInitialized();
        var sources = new Dictionary<string, string>();
        foreach (var (key, size, count) in new[] { ("{source224}", 224, 256), ("{source64}", 64, 2000) })
        {
            if (!rows.Any(r => r.Arguments.Contains(key))) continue;
            string path = Path.Combine(folder, key.Trim('{', '}'));
            manual_seed(0);
            using (var bytes = randint(0, 256, [count, 3, size, size], dtype: ScalarType.Byte))
                NpyImageSource.Write(path, bytes);
            sources[key] = path;
        }
        return sources;
    }

    private static (string File, string[] Prefix) TorchSharpCommand()
    {
        string process = Environment.ProcessPath!;
        string assembly = typeof(SideBySide).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? (process, [assembly]) : (process, []);
    }

    private static Measurement RunSide((string File, string[] Prefix) command, IReadOnlyList<string> arguments,
                                      Dictionary<string, string>? environment, BenchmarkRow row) =>
        RunSide(command.File, [.. command.Prefix, .. arguments], environment, row);

    private static Measurement RunSide(string file, IReadOnlyList<string> arguments, Dictionary<string, string>? environment, BenchmarkRow row)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return Measurement.FromOutput(output) is { } measurement && process.ExitCode == 0
            ? measurement
            : throw new InvalidOperationException($"{row.Name}: '{file} {string.Join(' ', arguments)}' failed (exit {process.ExitCode}):\n{output}\n{error.Result}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Range(List<Measurement> runs) => $"{Format(runs.Min(m => m.Value))}–{Format(runs.Max(m => m.Value))}";

    private static string Format(double value) => value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    /// <summary>The folder holding Milan.Research.sln, found upwards from the benchmark's binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Milan.Research.sln"))) return dir.FullName;
        throw new InvalidOperationException("Milan.Research.sln not found above " + AppContext.BaseDirectory);
    }
}
