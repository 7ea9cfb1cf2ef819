using System.Globalization;

namespace Milan.Benchmarks;

/// <summary>What the timings depend on besides the code: load average, processor, BLAS library.</summary>
public static class MachineState
{
    /// <summary>The 1-, 5- and 15-minute load averages, as /proc/loadavg (and uptime) print them.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static double OneMinuteLoad() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    public static string Processor() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? "unknown processor";

    /// <summary>
    /// The BLAS this process multiplies matrices with. libtorch-cpu 2.10 links MKL statically into
    /// libtorch_cpu.so (its symbols mkl_blas_* and sgemm_ are defined there), so unless another BLAS
    /// library is mapped (e.g. preloaded), it is that MKL.
    /// </summary>
    public static string TorchSharpBlas()
    {
        var mapped = File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(p => p.StartsWith('/'))
            .Distinct()
            .ToList();
        var blas = mapped.Where(p => Path.GetFileName(p).Contains("blas", StringComparison.OrdinalIgnoreCase)).Select(ResolveLinks).Distinct().ToList();
        if (blas.Count > 0) return string.Join(", ", blas);
        return mapped.Any(p => p.EndsWith("libtorch_cpu.so", StringComparison.Ordinal)) ? "MKL inside libtorch_cpu.so" : "unknown";
    }

    private static string ResolveLinks(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    /// <summary>Where Debian's libblas.so.3 points (reference BLAS or OpenBLAS): what python3-torch 1.13 multiplies with.</summary>
    public static string DebianBlasAlternative()
    {
        const string link = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu";
        if (!File.Exists(link)) return "libblas.so.3 not installed";
        return ResolveLinks(link);
    }
}
