namespace Milan.Notebooks.Kernel.Hosting;

/// <summary>Connects the kernel helpers to the process that runs the notebook.</summary>
public static class KernelHost
{
    private static volatile IDisplaySink? _sink;

    /// <summary>Attaches the executor's sink (once per process: one notebook per process).</summary>
    public static void Attach(IDisplaySink sink) =>
        _sink = _sink is null ? sink : throw new InvalidOperationException("a display sink is already attached");

    internal static void Publish(DisplayEvent displayEvent) =>
        (_sink ?? throw new InvalidOperationException(
            "display(...) needs a notebook host: run the notebook with `milan notebook run` or in .NET Interactive"))
        .Publish(displayEvent);
}
