using System.CommandLine;
using Milan.World;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>`milan world generate|sheet`: the bundled procedural world.</summary>
public static class WorldCommand
{
    public static Command Create()
    {
        var command = new Command("world", "The bundled procedural world: generate its datasets and variants, draw sheets of it.");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(Sheet());
        command.Subcommands.Add(Baseline());
        return command;
    }

    private static Command Generate()
    {
        var profile = new Option<string>("--profile") { Description = "tiny | demo | paper (sizes: tiny 32 px, demo 64 px)", DefaultValueFactory = _ => "demo" };
        var dataset = new Option<string>("--dataset") { Description = "a (objects) | b (places) | all", DefaultValueFactory = _ => "a" };
        var variant = new Option<string>("--variant") { Description = "normal | faces-blurred | spurious-text | all", DefaultValueFactory = _ => "normal" };
        var fraction = new Option<double>("--spurious-fraction") { Description = "fraction of train/val images carrying their class name (spurious-text)", DefaultValueFactory = _ => 0.5 };
        var seed = new Option<long>("--seed") { Description = "world seed", DefaultValueFactory = _ => 1 };
        var size = new Option<int?>("--size") { Description = "image side in pixels (default: the profile's)" };
        var output = new Option<string?>("--out") { Description = "root folder; worlds go to <out>/<dataset>/<variant> (default: MILAN_DATA_DIR/world)" };
        var verify = MilannotationsCommand.VerifyOption();
        var command = new Command("generate", "Generate worlds (image source + concept masks + manifest); finished splits are skipped once checked, damaged ones made again.");
        foreach (var option in new Option[] { profile, dataset, variant, fraction, seed, size, output, verify }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var settings = WorldSettings.For(Profile.Parse(parse.GetValue(profile))) with { Seed = parse.GetValue(seed) };
            if (parse.GetValue(size) is int side) settings = settings with { ImageSize = side };
            string? root = parse.GetValue(output);
            var datasets = parse.GetValue(dataset) == "all" ? WorldDatasets.Names : [parse.GetValue(dataset)!];
            var variants = parse.GetValue(variant) == "all"
                ? WorldVariant.Kinds.Select(k => WorldVariant.Parse(k, parse.GetValue(fraction))).ToArray()
                : [WorldVariant.Parse(parse.GetValue(variant), parse.GetValue(fraction))];
            var worlds = datasets.SelectMany(d => variants.Select(v => (Dataset: WorldDatasets.Named(d), Variant: v))).ToArray();
            var damaged = new List<Milan.IO.StageDamage>();
            ConsoleProgress.Run(progress =>
            {
                foreach (var (d, v) in worlds)
                {
                    string folder = root is null ? WorldGenerator.DefaultFolder(d.Name, v) : Path.Combine(root, d.Name, v.FolderName);
                    damaged.AddRange(WorldGenerator.DiscardDamagedSplits(folder, parse.GetValue(verify)));
                    WorldGenerator.Generate(d, v, settings, folder, progress);
                }
            });
            foreach (var damage in damaged)
                AnsiConsole.MarkupLineInterpolated($"[yellow]rebuilt[/] {damage.Folder}: {damage.Message}");
            foreach (var (d, v) in worlds)
                AnsiConsole.MarkupLineInterpolated($"world [green]{d.Name}/{v.FolderName}[/]: {(root is null ? WorldGenerator.DefaultFolder(d.Name, v) : Path.Combine(root, d.Name, v.FolderName))}");
            return 0;
        }));
        return command;
    }

    private static Command Baseline()
    {
        var world = new Option<string?>("--world") { Description = "world folder (default: MILAN_DATA_DIR/world/a/normal)" };
        var command = new Command("baseline", "Accuracy of the mean-colour linear classifier (train on train, test on test): the floor a CNN must clear.");
        command.Options.Add(world);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(world) ?? WorldGenerator.DefaultFolder("a", WorldVariant.Normal);
            WorldManifest.Read(folder);
            using var train = new Milan.Datasets.NpyImageSource(Path.Combine(folder, "train"));
            using var test = new Milan.Datasets.NpyImageSource(Path.Combine(folder, "test"));
            var result = ConsoleProgress.Run(progress => MeanColourBaseline.Evaluate(train, test, progress: progress));
            AnsiConsole.MarkupLineInterpolated($"mean-colour baseline: train [green]{result.TrainAccuracy:P1}[/], test [green]{result.TestAccuracy:P1}[/] (chance {result.Chance:P1}, {result.Classes} classes)");
            return 0;
        }));
        return command;
    }

    private static Command Sheet()
    {
        var world = new Option<string?>("--world") { Description = "world folder (default: MILAN_DATA_DIR/world/a/normal)" };
        var split = new Option<string>("--split") { Description = "split with masks (val or test)", DefaultValueFactory = _ => "val" };
        var count = new Option<int>("--count") { Description = "scenes on the contact sheet", DefaultValueFactory = _ => 10 };
        var start = new Option<int>("--start") { Description = "first scene index on the contact sheet", DefaultValueFactory = _ => 0 };
        var perClass = new Option<int>("--per-class") { Description = "samples per class on the class sheet", DefaultValueFactory = _ => 10 };
        var output = new Option<string?>("--out") { Description = "folder for contact-<split>.png and classes-<split>.png (default: MILAN_RESULTS_DIR/world/<dataset>/<variant>)" };
        var command = new Command("sheet", "Draw a contact sheet (scenes and their concept masks) and a per-class sample sheet as PNG.");
        foreach (var option in new Option[] { world, split, count, start, perClass, output }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(world) ?? WorldGenerator.DefaultFolder("a", WorldVariant.Normal);
            var manifest = WorldManifest.Read(folder);
            string splitFolder = Path.Combine(folder, parse.GetValue(split)!);
            string outFolder = parse.GetValue(output)
                ?? Path.Combine(MilanRoots.Results, "world", manifest.Dataset, new WorldVariant(manifest.Variant, manifest.SpuriousFraction ?? 0.5).FolderName);
            string contact = Path.Combine(outFolder, $"contact-{parse.GetValue(split)}.png");
            string classes = Path.Combine(outFolder, $"classes-{parse.GetValue(split)}.png");
            WorldSheets.ContactSheet(splitFolder, contact, parse.GetValue(count), parse.GetValue(start));
            WorldSheets.ClassSheet(splitFolder, classes, parse.GetValue(perClass));
            AnsiConsole.MarkupLineInterpolated($"wrote [green]{contact}[/] and [green]{classes}[/]");
            return 0;
        }));
        return command;
    }
}
