using System.CommandLine;
using Milan.Datasets.Photos;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary><c>milan data photos --out &lt;folder&gt;</c>: the photographs of Debian packages as an image folder (docs/data.md).</summary>
public static class DataPhotosCommand
{
    public static Command Create()
    {
        var packagesRoot = new Option<string?>("--packages") { Description = "Folder of unpacked packages, <folder>/<package>/usr/... (default: <data root>/photo-packages, filled by scripts/setup-photos.sh)." };
        var dataDir = DataCommand.DataDirOption();
        var output = new Option<string>("--out") { Description = "Image folder to write (must not exist): one class folder per package, manifest.csv, filter.csv.", Required = true };
        var command = new Command("photos", "Gather the photographs shipped in Debian packages (wallpapers, puzzles, stamps, sample images) into an image folder, with licences, dropping drawings and icons.");
        foreach (var option in new Option[] { packagesRoot, dataDir, output }) command.Options.Add(option);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            string outFolder = parseResult.GetValue(output)!;
            if (Directory.Exists(outFolder) || File.Exists(outFolder))
                throw new MilanInputException($"--out {outFolder}: already exists (photos are gathered into a new folder)");
            string root = parseResult.GetValue(packagesRoot) ?? Path.Combine(parseResult.GetValue(dataDir) ?? MilanRoots.Data, "photo-packages");
            var summaries = ConsoleProgress.Run(progress => PhotoCollection.Gather(root, outFolder, PhotoPackage.Debian, new PhotoFilter(), progress));
            var table = new Table().AddColumns("package", "found", "kept", "dropped (why)");
            foreach (var s in summaries)
                table.AddRow(Markup.Escape(s.Package), s.Present ? s.Found.ToString() : "not unpacked", s.Kept.ToString(),
                    Markup.Escape(string.Join(", ", s.Dropped.OrderByDescending(d => d.Value).Select(d => $"{d.Key} {d.Value}"))));
            table.AddRow("all", summaries.Sum(s => s.Found).ToString(), summaries.Sum(s => s.Kept).ToString(), "");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{summaries.Sum(s => s.Kept)} photographs written to {outFolder} (manifest.csv: licence per image; filter.csv: every image's statistics and verdict)");
            return 0;
        }));
        return command;
    }
}
