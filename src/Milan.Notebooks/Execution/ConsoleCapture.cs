using System.Text;

namespace Milan.Notebooks.Execution;

/// <summary>
/// Console.Out / Console.Error while cells run: text goes to the running cell's outputs as a
/// "stdout" or "stderr" stream. Writes from background work that outlives its cell land in the
/// cell running at the time (reference/notebooks-spec.md 8.2, rule 16).
/// </summary>
public sealed class ConsoleCapture(OutputCollector collector, string stream) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => collector.Write(stream, value.ToString());

    public override void Write(string? value) => collector.Write(stream, value ?? "");

    public override void Write(char[] buffer, int index, int count) => collector.Write(stream, new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => collector.Write(stream, new string(buffer));

    public override void WriteLine(string? value) => collector.Write(stream, (value ?? "") + "\n");

    public override void WriteLine() => collector.Write(stream, "\n");
}
