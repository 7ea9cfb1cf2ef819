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
    /// <summary>What the paper profile needs; this project reproduces on the bundled world only.</summary>
    public const string PaperProfileMessage =
        "--profile paper: reproducing the paper's numbers needs what this machine cannot provide here: "
        + "the real MILANNOTATIONS corpus (human descriptions; 'milan data fetch base' on a connected machine, then "
        + "'milan data fetch <key> --archive <zip>'), the ImageNet and Places365 validation images for its exemplars "
        + "(data/README.md), the subject models' torchvision weights, and a CUDA GPU (TorchSharp-cuda-linux; environment.md) "
        + "for training MILAN on 20k units and the paper's sizes (224 px). The paper profile's steps are not implemented "
        + "in 'milan reproduce'; run the stages by hand ('milan train', 'milan describe') or use --profile demo "
        + "(the bundled world, simulated annotators, about 30 minutes on 2 CPU cores).";

    /// <param name="onStep">called as each step starts (record with status "running") and ends</param>
    public static ReproductionRun Run(IReadOnlyList<ReproductionStep> steps, ReproductionContext context, Action<StepRecord>? onStep = null)
    {
        if (context.Profile == Profile.Paper) throw new MilanInputException(PaperProfileMessage);
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
