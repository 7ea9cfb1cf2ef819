using System.CommandLine;
using Milan.Experiments;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>`milan experiment seeds`: the three applications once per training seed of their MILAN, key numbers side by side.</summary>
public static class ExperimentSeedsCommand
{
    public static Command Create()
    {
        var command = new Command("seeds", "Run the ablation, face audit and editing once per training seed of the applications' MILAN (each trained once, in <models-dir>/milan/world-apps[-seed<S>]) and list their key numbers per seed (seeds.csv).");
        var profile = new Option<string>("--profile") { Description = "tiny | demo | paper: sizes of the runs and of the MILANs", DefaultValueFactory = _ => "demo" };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated training seeds of the applications' MILAN.", DefaultValueFactory = _ => "0,1,2" };
        var dataDir = DataCommand.DataDirOption();
        var modelsDir = new Option<string?>("--models-dir") { Description = "Models root (default: $MILAN_MODELS_DIR, else models/ in the repository)." };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var output = new Option<string?>("--out") { Description = "results folder (default: MILAN_RESULTS_DIR/experiments/seeds), replaced when the run completes" };
        foreach (var option in new Option[] { profile, seeds, dataDir, modelsDir, device, output }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var chosenSeeds = ExperimentTablesCommand.ParseSeeds(parse.GetValue(seeds)!);
            string outFolder = parse.GetValue(output) ?? ExperimentFolder.Default("seeds");
            var result = ConsoleProgress.Run(progress => ApplicationSeeds.Run(
                Path.GetFullPath(parse.GetValue(dataDir) ?? MilanRoots.Data), Path.GetFullPath(parse.GetValue(modelsDir) ?? MilanRoots.Models), outFolder,
                Profile.Parse(parse.GetValue(profile)), chosenSeeds, DeviceChoice.Parse(parse.GetValue(device)), progress));
            var table = new Table().AddColumns(["application", "measure", .. result.Seeds.Select(s => $"seed {s}")]);
            foreach (var m in result.Measures)
                table.AddRow([Markup.Escape(m.Application), Markup.Escape(m.Measure), .. m.Values.Select(v => double.IsNaN(v) ? "" : $"{v:0.###}")]);
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"results in {outFolder}");
            return 0;
        }));
        return command;
    }
}
