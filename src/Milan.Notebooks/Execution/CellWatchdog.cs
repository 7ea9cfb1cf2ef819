namespace Milan.Notebooks.Execution;

/// <summary>
/// Enforces the per-cell timeout. Running code cannot be cancelled (reference/notebooks-spec.md
/// 4.5), so when a cell overruns, <c>onTimeout</c> writes what there is and ends the process.
/// Exactly one of "the cell finished" and "the cell timed out" wins.
/// </summary>
public sealed class CellWatchdog(TimeSpan timeout, Action onTimeout)
{
    private const int Running = 0, Finished = 1, TimedOut = 2;
    private int _state = Finished;
    private ManualResetEventSlim? _done;

    public void Arm()
    {
        var done = new ManualResetEventSlim();
        _done = done;
        Volatile.Write(ref _state, Running);
        var thread = new Thread(() =>
        {
            if (!done.Wait(timeout) && Interlocked.CompareExchange(ref _state, TimedOut, Running) == Running)
                onTimeout();
        })
        { IsBackground = true, Name = "cell watchdog" };
        thread.Start();
    }

    /// <summary>
    /// The cell finished (or never started running); returns only if the watchdog has not fired,
    /// otherwise waits for the watchdog to end the process.
    /// </summary>
    public void Disarm()
    {
        bool timedOut = Interlocked.CompareExchange(ref _state, Finished, Running) == TimedOut;
        _done?.Set();
        if (timedOut) Thread.Sleep(Timeout.Infinite); // the watchdog is writing the notebook and exiting
    }
}
