using Milan.Cli.Commands;
using Milan.Models;
using Milan.Tests.Annotations;
using Milan.Tests.Support;
using Spectre.Console;

namespace Milan.Tests.Captioning;

public class MilanCommandsTests
{
    private static (int Code, string Output) Run(params string[] args)
    {
        var previous = AnsiConsole.Console;
        var writer = new StringWriter();
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        AnsiConsole.Console.Profile.Width = 250;
        try
        {
            return (MilanCommands.Build().Parse(args).Invoke(), writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }

    [Fact]
    public void Train_then_describe_writes_one_row_per_unit()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteAlexNetLike(root.Path);
        string weights = root.File("resnet18.safetensors");
        using (var backbone = SubjectModel.Create(new ModelSpec("resnet18", Classes: 5, ImageSize: 32, Width: 8), seed: 3))
            backbone.SaveWeights(weights);
        string model = root.File("milan");

        var (code, output) = Run("train", "--data", "alexnet/imagenet", "--data-dir", root.Path, "--encoder", weights,
            "--hold-out", "0.34", "--patience", "0", "--max-epochs", "2", "--device", "cpu", "--feature-cache", root.File("features"), "--out", model);
        Assert.True(code == 0, output);
        Assert.Contains("trained on 3 neurons (9 annotations)", output);
        Assert.True(File.Exists(Path.Combine(model, "card.json")));

        string csv = root.File("descriptions.csv");
        (code, output) = Run("describe", "--exemplars", Path.Combine(root.Path, "alexnet", "imagenet"), "--model", model,
            "--beam", "2", "--device", "cpu", "--out", csv);
        Assert.True(code == 0, output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("layer,unit,description", lines[0]);
        Assert.Equal(1 + 4 + 3, lines.Length);   // every unit, annotated or not: conv1 0..3, conv2 0, 5, 9
        Assert.StartsWith("conv1,0,", lines[1]);

        (code, output) = Run("describe", "--exemplars", Path.Combine(root.Path, "alexnet", "imagenet"), "--model", model,
            "--strategy", "best", "--out", csv);
        Assert.Equal(1, code);
        Assert.Contains("--strategy best", output);
    }

    [Fact]
    public void Help_calls_the_program_milan()
    {
        var output = new StringWriter();
        int code = MilanCommands.Build().Parse(["--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });
        Assert.Equal(0, code);
        Assert.Contains("milan [command] [options]", output.ToString());
        Assert.DoesNotContain("Milan.Cli", output.ToString());
    }
}
