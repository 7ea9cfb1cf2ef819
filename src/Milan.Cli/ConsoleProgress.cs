using Spectre.Console;

namespace Milan.Cli;

/// <summary>
/// Shows library <see cref="WorkProgress"/> reports as Spectre.Console progress bars, one per task
/// name. Falls back to plain lines when the console is not interactive (CI logs, pipes).
/// </summary>
public static class ConsoleProgress
{
    public static T Run<T>(Func<IProgress<WorkProgress>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return work(new LineProgress());

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new BarProgress(context)));
    }

    public static void Run(Action<IProgress<WorkProgress>> work) => Run<int>(p => { work(p); return 0; });

    private sealed class BarProgress(ProgressContext context) : IProgress<WorkProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new();
        private readonly Lock _gate = new();

        public void Report(WorkProgress value)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(value.Task, out var task))
                {
                    task = context.AddTask(Markup.Escape(value.Task), maxValue: Math.Max(1, value.Total));
                    _tasks[value.Task] = task;
                }
                if (value.Total > 0) task.MaxValue = value.Total;
                task.Value = value.Done;
                string label = value.Detail is null ? value.Task : $"{value.Task} [grey]{Markup.Escape(value.Detail)}[/]";
                task.Description = value.Detail is null ? Markup.Escape(value.Task) : label;
            }
        }
    }

    /// <summary>Plain output for logs: one line when a task starts, at each tenth, and when it ends.</summary>
    private sealed class LineProgress : IProgress<WorkProgress>
    {
        private readonly Dictionary<string, long> _lastTenth = new();
        private readonly Lock _gate = new();

        public void Report(WorkProgress value)
        {
            lock (_gate)
            {
                long tenth = value.Total > 0 ? value.Done * 10 / value.Total : -1;
                if (_lastTenth.TryGetValue(value.Task, out var last) && last == tenth) return;
                _lastTenth[value.Task] = tenth;
                string amount = value.Total > 0 ? $"{value.Done}/{value.Total}" : $"{value.Done}";
                Console.WriteLine(value.Detail is null ? $"{value.Task}: {amount}" : $"{value.Task}: {amount} ({value.Detail})");
            }
        }
    }
}
