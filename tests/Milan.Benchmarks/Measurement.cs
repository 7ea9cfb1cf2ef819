using System.Text.Json;
using System.Text.Json.Serialization;

namespace Milan.Benchmarks;

/// <summary>
/// One timed piece of work, printed by either side as one JSON line: the throughput, its unit, the timed
/// wall seconds, a number computed from the results that the other side should roughly reproduce
/// (<see cref="Check"/>), the BLAS library and the threads used, and for the longer rows the CPU seconds
/// of the timed part (all threads; less disturbed by other processes than the wall time).
/// </summary>
public sealed record Measurement(
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("check")] double Check,
    [property: JsonPropertyName("blas")] string Blas,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("cpu")] double? CpuSeconds = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The measurement in the last line of a side's output that parses as one.</summary>
    public static Measurement? FromOutput(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse())
        {
            if (!line.StartsWith('{')) continue;
            try
            {
                return JsonSerializer.Deserialize<Measurement>(line);
            }
            catch (JsonException)
            {
            }
        }
        return null;
    }
}
