using System.Diagnostics;

namespace Milan.Reproduction;

/// <summary>
/// Runs named steps in order (<see cref="ReproductionSteps.For"/> for <c>milan reproduce</c>), timing
/// each, then writes the report (<see cref="ReproductionReport"/>) even when a step threw. A step
/// that throws ends the run (later steps are recorded as "not run"); a step that reports
/// <see cref="StepOutcome.Failed"/> (a notebook cell raised) does not.
/// </summary>
public static class Reproducer
{
    /// <param name="onStep">called as each step starts (record with status "running") and ends</param>
    public static ReproductionRun Run(IReadOnlyList<ReproductionStep> steps, ReproductionContext context, Action<StepRecord>? onStep = null)
    {
        if (context.Profile == Profile.Paper) PaperInputs.EnsurePresent(context.Roots, context.Paper ?? new PaperSettings());
        var names = steps.Select(s => s.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ArgumentException($"step names must be unique: {string.Join(", ", names)}");
        foreach (var forced in context.Force ?? new HashSet<string>())
            if (forced != "all" && !names.Contains(forced))
                throw new MilanInputException($"--force {forced}: no such step; the steps are {string.Join(", ", names)} (or 'all')");

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var records = new List<StepRecord>();
        bool stopped = false;
        foreach (var step in steps)
        {
            if (stopped)
            {
                records.Add(new StepRecord(step.Name, step.Description, StepRecord.NotRunStatus, 0, [], "an earlier step raised an error"));
                continue;
            }
            onStep?.Invoke(new StepRecord(step.Name, step.Description, "running", 0, [], null));
            var stepClock = Stopwatch.StartNew();
            StepRecord record;
            try
            {
                var outcome = step.Run(context);
                string status = outcome.Failed ? StepRecord.FailedStatus : outcome.Skipped ? StepRecord.SkippedStatus : StepRecord.DoneStatus;
                record = new StepRecord(step.Name, step.Description, status, stepClock.Elapsed.TotalSeconds, outcome.Numbers, outcome.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                record = new StepRecord(step.Name, step.Description, StepRecord.ErrorStatus, stepClock.Elapsed.TotalSeconds, [],
                    e is MilanInputException ? e.Message : $"{e.GetType().Name}: {e.Message}");
                stopped = true;
            }
            records.Add(record);
            onStep?.Invoke(record);
        }

        var run = new ReproductionRun(context.Profile, context.DeviceName, context.Roots, records, started, clock.Elapsed.TotalSeconds,
            ReproductionReport.IndexPath(context.Roots.Results));
        ReproductionReport.Write(run);
        return run;
    }
}
