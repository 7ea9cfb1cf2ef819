namespace Milan.Reproduction;

/// <summary>
/// Progress for notebook cells: writes one line to the console when a task (or a task's detail)
/// finishes, synchronously, so the line lands in the cell that did the work. Live progress bars
/// belong to the CLI; a notebook's output keeps only what finished.
/// </summary>
public sealed class FinishedTaskProgress : IProgress<WorkProgress>
{
    private string? _lastFinished;

    public void Report(WorkProgress value)
    {
        string key = value.Task + value.Detail;
        if (value.Total <= 0 || value.Done < value.Total || key == _lastFinished) return;
        _lastFinished = key;
        Console.WriteLine(value.Detail is null ? value.Task : $"{value.Task}: {value.Detail}");
    }
}
