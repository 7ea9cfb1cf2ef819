using System.CommandLine;
using Milan.Corpus;
using Milan.Experiments;
using Milan.Language;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>`milan experiment ablation|audit|edit|seeds`: the paper's applications (§5–§7) on the world corpus or given models.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var command = new Command("experiment", "The paper's experiments on the bundled world: Table 2 and Table 3 analogues, ablation analysis (§5), face audit (§6), spurious-text editing (§7).");
        foreach (var table in ExperimentTablesCommand.Create()) command.Subcommands.Add(table);
        command.Subcommands.Add(Ablation());
        command.Subcommands.Add(Audit());
        command.Subcommands.Add(Edit());
        command.Subcommands.Add(ExperimentSeedsCommand.Create());
        return command;
    }

    private sealed record Common(Option<string> Profile, Option<string> Device, Option<string?> Milan, Option<int> MilanSeed, Option<string?> Out,
                                 Option<string?> DataDir, Option<string?> ModelsDir, Option<string> Describer)
    {
        public static Common Add(Command command)
        {
            var common = new Common(
                new Option<string>("--profile") { Description = "tiny | demo | paper: sizes of the run and of MILAN when it must be trained", DefaultValueFactory = _ => "demo" },
                new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" },
                new Option<string?>("--milan") { Description = "MILAN folder to describe units with (default: <models-dir>/milan/world-apps, trained there when missing)" },
                new Option<int>("--milan-seed") { Description = "training seed of that MILAN when it must be trained; seeds other than 0 default to <models-dir>/milan/world-apps-seed<S>", DefaultValueFactory = _ => 0 },
                new Option<string?>("--out") { Description = $"results folder (default: MILAN_RESULTS_DIR/experiments/{command.Name}), replaced when the run completes" },
                DataCommand.DataDirOption(),
                new Option<string?>("--models-dir") { Description = "Models root (default: $MILAN_MODELS_DIR, else models/ in the repository)." },
                new Option<string>("--describer") { Description = "milan (default) | annotations: each unit's first annotation instead of MILAN's description", DefaultValueFactory = _ => "milan" });
            foreach (var option in new Option[] { common.Profile, common.Device, common.Milan, common.MilanSeed, common.Out, common.DataDir, common.ModelsDir, common.Describer }) command.Options.Add(option);
            return common;
        }

        public WorldCorpusLayout Layout(ParseResult parse) => new(
            Path.GetFullPath(parse.GetValue(DataDir) ?? MilanRoots.Data), Path.GetFullPath(parse.GetValue(ModelsDir) ?? MilanRoots.Models));

        public string OutFolder(ParseResult parse, string name) => parse.GetValue(Out) ?? ExperimentFolder.Default(name);

        public UnitDescriptions CreateDescriber(ParseResult parse, WorldCorpusLayout layout, Profile profile, TorchSharp.torch.Device device, IProgress<Milan.WorkProgress> progress) =>
            parse.GetValue(Describer) switch
            {
                "milan" => UnitDescriptions.Milan(layout, profile, device, parse.GetValue(Milan), parse.GetValue(MilanSeed), progress),
                "annotations" => UnitDescriptions.FirstAnnotation(),
                var other => throw new MilanInputException($"--describer {other}: expected milan or annotations"),
            };
    }

    private static Command Ablation()
    {
        var command = new Command("ablation", "Ablate units in order of description criteria (POS counts, length, word dissimilarity) and random order; held-out accuracy per fraction.");
        var common = Common.Add(command);
        var model = new Option<string?>("--model") { Description = "subject model weights (default: the world corpus' resnet18-world-a)" };
        var exemplars = new Option<string?>("--exemplars") { Description = "the model's exemplar folder (default: <data-dir>/resnet18/world-a)" };
        var heldOut = new Option<string?>("--held-out") { Description = "labelled npy image folder for accuracy (default: <data-dir>/world/a/normal/test)" };
        var descriptions = new Option<string?>("--descriptions") { Description = "descriptions CSV (layer,unit,description) instead of the describer" };
        var trials = new Option<int?>("--random-trials") { Description = "random orders (default: the profile's)" };
        var seed = new Option<long>("--seed") { Description = "seed of the random orders", DefaultValueFactory = _ => 0 };
        foreach (var option in new Option[] { model, exemplars, heldOut, descriptions, trials, seed }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var device = DeviceChoice.Parse(parse.GetValue(common.Device));
            var profile = Profile.Parse(parse.GetValue(common.Profile));
            var layout = common.Layout(parse);
            var defaults = AblationSetup.ForWorldCorpus(layout, common.OutFolder(parse, "ablation"), profile);
            var setup = defaults with
            {
                ModelWeights = parse.GetValue(model) ?? defaults.ModelWeights, Exemplars = parse.GetValue(exemplars) ?? defaults.Exemplars,
                HeldOut = parse.GetValue(heldOut) ?? defaults.HeldOut, Descriptions = parse.GetValue(descriptions),
                Options = defaults.Options with { RandomTrials = parse.GetValue(trials) ?? defaults.Options.RandomTrials, Seed = parse.GetValue(seed) },
            };
            var result = ConsoleProgress.Run(progress =>
            {
                using var describer = common.CreateDescriber(parse, layout, profile, device, progress);
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
        var models = new Option<string[]>("--model")
        {
            Description = "name=exemplar folder[=descriptions.csv], repeatable (default: the world-a ResNet18s trained on normal and faces-blurred images)",
            AllowMultipleArgumentsPerToken = false,
        };
        var probe = new Option<string?>("--probe-split") { Description = "world split the exemplars were computed on, whose concept masks give the truth (default: <data-dir>/world/a/normal/val)" };
        var threshold = new Option<double>("--iou-threshold") { Description = "face IoU from which a unit is a ground-truth face unit", DefaultValueFactory = _ => new FaceAuditOptions().IouThreshold };
        var sheets = new Option<int?>("--max-sheets") { Description = "exemplar sheets per model (0: none; default: the profile's)" };
        foreach (var option in new Option[] { models, probe, threshold, sheets }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var device = DeviceChoice.Parse(parse.GetValue(common.Device));
            var profile = Profile.Parse(parse.GetValue(common.Profile));
            var layout = common.Layout(parse);
            var defaults = AuditSetup.ForWorldCorpus(layout, common.OutFolder(parse, "audit"), profile);
            var given = parse.GetValue(models) ?? [];
            var setup = defaults with
            {
                Models = given.Length == 0 ? defaults.Models : given.Select(ParseModel).ToList(),
                ProbeSplit = parse.GetValue(probe) ?? defaults.ProbeSplit,
                Options = defaults.Options with { IouThreshold = parse.GetValue(threshold), MaxSheetsPerModel = parse.GetValue(sheets) ?? defaults.Options.MaxSheetsPerModel },
            };
            var result = ConsoleProgress.Run(progress =>
            {
                using var describer = common.CreateDescriber(parse, layout, profile, device, progress);
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
        var model = new Option<string?>("--model") { Description = "weights of the model trained with spurious text (default: the world corpus' resnet18-world-a-spurious-text)" };
        var clean = new Option<string?>("--clean-model") { Description = "weights of the model trained without it ('none' to skip; default: resnet18-world-a)" };
        var exemplars = new Option<string?>("--exemplars") { Description = "exemplar folder of the spurious-text model (default: <data-dir>/resnet18/world-a-spurious-text)" };
        var val = new Option<string?>("--val") { Description = "validation split with spurious text (npy folder; default: <data-dir>/world/a/spurious-text/val)" };
        var test = new Option<string?>("--test") { Description = "adversarial test split (npy folder; default: <data-dir>/world/a/spurious-text/test)" };
        var cleanVal = new Option<string?>("--clean-val") { Description = "validation split without text ('none' to skip; default: <data-dir>/world/a/normal/val)" };
        var cleanTest = new Option<string?>("--clean-test") { Description = "test split without text ('none' to skip; default: <data-dir>/world/a/normal/test)" };
        var descriptions = new Option<string?>("--descriptions") { Description = "descriptions CSV (layer,unit,description) instead of the describer" };
        var rule = new Option<string>("--rule") { Description = "candidate rule: whole-word (text/word/letter as words) | substring (the reference's, also 'texture')", DefaultValueFactory = _ => "whole-word" };
        var maxAblated = new Option<int?>("--max-ablated") { Description = "most units ablated (default: the profile's)" };
        var trials = new Option<int?>("--random-trials") { Description = "random selections (default: the profile's)" };
        var seed = new Option<long>("--seed") { Description = "seed of the random selections", DefaultValueFactory = _ => 0 };
        foreach (var option in new Option[] { model, clean, exemplars, val, test, cleanVal, cleanTest, descriptions, rule, maxAblated, trials, seed }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var device = DeviceChoice.Parse(parse.GetValue(common.Device));
            var profile = Profile.Parse(parse.GetValue(common.Profile));
            var layout = common.Layout(parse);
            var defaults = EditingSetup.ForWorldCorpus(layout, common.OutFolder(parse, "edit"), profile);
            var (chosen, compared) = parse.GetValue(rule) switch
            {
                "whole-word" => (WordRule.TextWords, WordRule.TextSubstringsAsReference),
                "substring" => (WordRule.TextSubstringsAsReference, WordRule.TextWords),
                var other => throw new MilanInputException($"--rule {other}: expected whole-word or substring"),
            };
            var setup = defaults with
            {
                ModelWeights = parse.GetValue(model) ?? defaults.ModelWeights,
                CleanModelWeights = Optional(parse.GetValue(clean), defaults.CleanModelWeights),
                Exemplars = parse.GetValue(exemplars) ?? defaults.Exemplars,
                Validation = parse.GetValue(val) ?? defaults.Validation, AdversarialTest = parse.GetValue(test) ?? defaults.AdversarialTest,
                CleanValidation = Optional(parse.GetValue(cleanVal), defaults.CleanValidation), CleanTest = Optional(parse.GetValue(cleanTest), defaults.CleanTest),
                Descriptions = parse.GetValue(descriptions),
                Options = defaults.Options with
                {
                    Rule = chosen, ComparedRules = [compared], Seed = parse.GetValue(seed),
                    MaxAblated = parse.GetValue(maxAblated) ?? defaults.Options.MaxAblated, RandomTrials = parse.GetValue(trials) ?? defaults.Options.RandomTrials,
                },
            };
            var result = ConsoleProgress.Run(progress =>
            {
                using var describer = common.CreateDescriber(parse, layout, profile, device, progress);
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

    /// <summary>The given path, null for 'none', the default when not given.</summary>
    private static string? Optional(string? value, string? fallback) => value switch
    {
        null => fallback,
        "none" => null,
        _ => value,
    };
}
