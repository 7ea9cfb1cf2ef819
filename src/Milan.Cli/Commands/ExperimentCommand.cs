using System.CommandLine;
using Milan.Experiments;
using Milan.Language;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>`milan experiment ablation|audit|edit`: the paper's applications (§5–§7) on the world corpus or given models.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var command = new Command("experiment", "The paper's applications: ablation analysis (§5), face audit (§6), spurious-text editing (§7).");
        command.Subcommands.Add(Ablation());
        command.Subcommands.Add(Audit());
        command.Subcommands.Add(Edit());
        return command;
    }

    private sealed record Common(Option<string> Profile, Option<string> Device, Option<string?> Milan, Option<string?> Out)
    {
        public static Common Add(Command command)
        {
            var common = new Common(
                new Option<string>("--profile") { Description = "tiny | demo | paper: sizes of MILAN when it must be trained, and its beam", DefaultValueFactory = _ => "demo" },
                new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" },
                new Option<string?>("--milan") { Description = "MILAN folder to describe units with (default: MILAN_MODELS_DIR/milan/world-apps, trained when missing)" },
                new Option<string?>("--out") { Description = $"results folder (default: MILAN_RESULTS_DIR/experiments/{command.Name}), replaced when the run completes" });
            foreach (var option in new Option[] { common.Profile, common.Device, common.Milan, common.Out }) command.Options.Add(option);
            return common;
        }
    }

    private static Command Ablation()
    {
        var command = new Command("ablation", "Ablate units in order of description criteria (POS counts, length, word dissimilarity) and random order; held-out accuracy per fraction.");
        var common = Common.Add(command);
        var defaults = new AblationSetup();
        var model = new Option<string>("--model") { Description = "subject model weights (safetensors with metadata)", DefaultValueFactory = _ => defaults.ModelWeights };
        var exemplars = new Option<string>("--exemplars") { Description = "the model's exemplar folder", DefaultValueFactory = _ => defaults.Exemplars };
        var heldOut = new Option<string>("--held-out") { Description = "labelled npy image folder for accuracy", DefaultValueFactory = _ => defaults.HeldOut };
        var descriptions = new Option<string?>("--descriptions") { Description = "descriptions CSV (layer,unit,description) instead of MILAN" };
        var trials = new Option<int>("--random-trials") { Description = "random orders", DefaultValueFactory = _ => 5 };
        var seed = new Option<long>("--seed") { Description = "seed of the random orders", DefaultValueFactory = _ => 0 };
        foreach (var option in new Option[] { model, exemplars, heldOut, descriptions, trials, seed }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var device = DeviceChoice.Parse(parse.GetValue(common.Device));
            var setup = new AblationSetup
            {
                ModelWeights = parse.GetValue(model)!, Exemplars = parse.GetValue(exemplars)!, HeldOut = parse.GetValue(heldOut)!,
                Descriptions = parse.GetValue(descriptions),
                Options = new AblationOptions { RandomTrials = parse.GetValue(trials), Seed = parse.GetValue(seed) },
                OutFolder = parse.GetValue(common.Out) ?? defaults.OutFolder,
            };
            var result = ConsoleProgress.Run(progress =>
            {
                using var describer = new UnitDescriptions(Profile.Parse(parse.GetValue(common.Profile)), device, parse.GetValue(common.Milan), progress);
                return ApplicationRuns.Ablation(setup, describer, device, progress);
            });
            AnsiConsole.MarkupLineInterpolated($"unablated accuracy {result.Unablated}; at {result.Points.Max(p => p.Fraction):P0} ablated:");
            foreach (var criterion in result.Criteria.Append(AblationAnalysisResult.RandomCriterion))
                AnsiConsole.MarkupLineInterpolated($"  {criterion}: {result.Curve(criterion)[^1].Accuracy:P1}");
            AnsiConsole.MarkupLineInterpolated($"results in {setup.OutFolder}");
            return 0;
        }));
        return command;
    }

    private static Command Audit()
    {
        var command = new Command("audit", "Flag face units by the word rule and by the world's face masks; counts per model and layer, precision and recall, exemplar sheets.");
        var common = Common.Add(command);
        var defaults = new AuditSetup();
        var models = new Option<string[]>("--model")
        {
            Description = "name=exemplar folder[=descriptions.csv], repeatable (default: the world-a ResNet18s trained on normal and faces-blurred images)",
            AllowMultipleArgumentsPerToken = false,
        };
        var probe = new Option<string>("--probe-split") { Description = "world split the exemplars were computed on (its concept masks give the truth)", DefaultValueFactory = _ => defaults.ProbeSplit };
        var threshold = new Option<double>("--iou-threshold") { Description = "face IoU from which a unit is a ground-truth face unit", DefaultValueFactory = _ => defaults.Options.IouThreshold };
        var sheets = new Option<int>("--max-sheets") { Description = "exemplar sheets per model (0: none)", DefaultValueFactory = _ => defaults.Options.MaxSheetsPerModel };
        foreach (var option in new Option[] { models, probe, threshold, sheets }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var device = DeviceChoice.Parse(parse.GetValue(common.Device));
            var given = parse.GetValue(models) ?? [];
            var setup = new AuditSetup
            {
                Models = given.Length == 0 ? defaults.Models : given.Select(ParseModel).ToList(),
                ProbeSplit = parse.GetValue(probe)!,
                Options = defaults.Options with { IouThreshold = parse.GetValue(threshold), MaxSheetsPerModel = parse.GetValue(sheets) },
                OutFolder = parse.GetValue(common.Out) ?? defaults.OutFolder,
            };
            var result = ConsoleProgress.Run(progress =>
            {
                using var describer = new UnitDescriptions(Profile.Parse(parse.GetValue(common.Profile)), device, parse.GetValue(common.Milan), progress);
                return ApplicationRuns.Audit(setup, describer, progress);
            });
            foreach (var count in result.Counts.Where(c => c.Layer == FaceAuditResult.AllLayers))
                AnsiConsole.MarkupLineInterpolated(
                    $"{count.Model}: {count.Agreement.Flagged} of {count.Units} units flagged by the word rule, {count.Agreement.Relevant} by face IoU >= {setup.Options.IouThreshold}, {count.Agreement.Both} by both (precision {count.Agreement.Precision:P0}, recall {count.Agreement.Recall:P0})");
            AnsiConsole.MarkupLineInterpolated($"results in {setup.OutFolder}");
            return 0;
        }));
        return command;
    }

    private static (string Name, string Exemplars, string? Descriptions) ParseModel(string text)
    {
        var parts = text.Split('=');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw new MilanInputException($"--model {text}: expected name=exemplar folder or name=exemplar folder=descriptions.csv");
        return (parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    private static Command Edit()
    {
        var command = new Command("edit", "Ablate units whose description mentions text in a model trained with spurious text; adversarial-test accuracy against sort-all and random ablations.");
        var common = Common.Add(command);
        var defaults = new EditingSetup();
        var model = new Option<string>("--model") { Description = "weights of the model trained with spurious text", DefaultValueFactory = _ => defaults.ModelWeights };
        var clean = new Option<string?>("--clean-model") { Description = "weights of the model trained without it ('none' to skip)", DefaultValueFactory = _ => defaults.CleanModelWeights };
        var exemplars = new Option<string>("--exemplars") { Description = "exemplar folder of the spurious-text model", DefaultValueFactory = _ => defaults.Exemplars };
        var val = new Option<string>("--val") { Description = "validation split with spurious text (npy folder)", DefaultValueFactory = _ => defaults.Validation };
        var test = new Option<string>("--test") { Description = "adversarial test split (npy folder)", DefaultValueFactory = _ => defaults.AdversarialTest };
        var cleanVal = new Option<string?>("--clean-val") { Description = "validation split without text ('none' to skip)", DefaultValueFactory = _ => defaults.CleanValidation };
        var cleanTest = new Option<string?>("--clean-test") { Description = "test split without text ('none' to skip)", DefaultValueFactory = _ => defaults.CleanTest };
        var descriptions = new Option<string?>("--descriptions") { Description = "descriptions CSV (layer,unit,description) instead of MILAN" };
        var rule = new Option<string>("--rule") { Description = "candidate rule: whole-word (text/word/letter as words) | substring (the reference's, also 'texture')", DefaultValueFactory = _ => "whole-word" };
        var maxAblated = new Option<int>("--max-ablated") { Description = "most units ablated", DefaultValueFactory = _ => 49 };
        var trials = new Option<int>("--random-trials") { Description = "random selections", DefaultValueFactory = _ => 5 };
        var seed = new Option<long>("--seed") { Description = "seed of the random selections", DefaultValueFactory = _ => 0 };
        foreach (var option in new Option[] { model, clean, exemplars, val, test, cleanVal, cleanTest, descriptions, rule, maxAblated, trials, seed }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var device = DeviceChoice.Parse(parse.GetValue(common.Device));
            var (chosen, compared) = parse.GetValue(rule) switch
            {
                "whole-word" => (WordRule.TextWords, WordRule.TextSubstringsAsReference),
                "substring" => (WordRule.TextSubstringsAsReference, WordRule.TextWords),
                var other => throw new MilanInputException($"--rule {other}: expected whole-word or substring"),
            };
            var setup = new EditingSetup
            {
                ModelWeights = parse.GetValue(model)!, CleanModelWeights = NoneIsNull(parse.GetValue(clean)), Exemplars = parse.GetValue(exemplars)!,
                Validation = parse.GetValue(val)!, AdversarialTest = parse.GetValue(test)!,
                CleanValidation = NoneIsNull(parse.GetValue(cleanVal)), CleanTest = NoneIsNull(parse.GetValue(cleanTest)),
                Descriptions = parse.GetValue(descriptions),
                Options = new EditingOptions { Rule = chosen, ComparedRules = [compared], MaxAblated = parse.GetValue(maxAblated), RandomTrials = parse.GetValue(trials), Seed = parse.GetValue(seed) },
                OutFolder = parse.GetValue(common.Out) ?? defaults.OutFolder,
            };
            var result = ConsoleProgress.Run(progress =>
            {
                using var describer = new UnitDescriptions(Profile.Parse(parse.GetValue(common.Profile)), device, parse.GetValue(common.Milan), progress);
                return ApplicationRuns.Edit(setup, describer, device, progress);
            });
            foreach (var b in result.Baselines) AnsiConsole.MarkupLineInterpolated($"{b.Model}, {b.Split}: {b.Accuracy}");
            foreach (var r in result.Rules) AnsiConsole.MarkupLineInterpolated($"{r}: {result.Units.Count(u => u.Flags[r])} of {result.Units.Count} units flagged");
            foreach (var s in result.Summary)
                AnsiConsole.MarkupLineInterpolated($"{s.Condition}: best adversarial accuracy {s.BestTest:P1} ({s.Gain * 100:+0.0;-0.0;0.0} points) at {s.BestAblated} units (val {s.ValidationAtBest:P1})");
            AnsiConsole.MarkupLineInterpolated($"results in {setup.OutFolder}");
            return 0;
        }));
        return command;
    }

    private static string? NoneIsNull(string? value) => value is null || value == "none" ? null : value;
}
