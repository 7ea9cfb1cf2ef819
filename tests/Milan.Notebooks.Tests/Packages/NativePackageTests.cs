using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Packages;

/// <summary>Packages with native libraries load inside notebooks: SkiaSharp and TorchSharp (libtorch).</summary>
public sealed class NativePackageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_png_drawn_with_skiasharp_shows_as_image_png()
    {
        string notebook = NotebookFile.Write(_folder.File("image.ipynb"), Notebook(
            Code("#r \"nuget: SkiaSharp, 3.119.4\"\n#r \"nuget: SkiaSharp.NativeAssets.Linux.NoDependencies, 3.119.4\"", "s1"),
            Code("using SkiaSharp;\n" +
                 "var bitmap = new SKBitmap(24, 16);\n" +
                 "using (var canvas = new SKCanvas(bitmap))\n" +
                 "{\n    canvas.Clear(SKColors.White);\n    canvas.DrawCircle(12, 8, 6, new SKPaint { Color = SKColors.Red });\n}\n" +
                 "var png = bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray();\n" +
                 "Convert.ToBase64String(png).DisplayAs(\"image/png\");", "s2")));

        var run = NotebookRun.Execute(notebook);

        Assert.True(run.ExitCode == 0, run.ToString());
        var value = Assert.Single(run.Outputs("s2", "display_data"))["data"]!["image/png"];
        byte[] png = Convert.FromBase64String(Assert.IsAssignableFrom<JsonValue>(value).GetValue<string>());
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(24, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(16, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Contains("data:image/png;base64,", File.ReadAllText(DebianNotebookTools.AssertValidAndConvertible(run.OutputPath)));
    }

    [Fact]
    public void Torchsharp_runs_with_its_native_backend_loaded_by_the_executor()
    {
        string fallbackCopy = Path.Combine(Tools.NuGetPackages, "torchsharp", "0.107.0", "lib", "net8.0", "cpu");
        bool copyExistedBefore = Directory.Exists(fallbackCopy);
        string notebook = NotebookFile.Write(_folder.File("torch.ipynb"), Notebook(
            Code("#r \"nuget: TorchSharp, 0.107.0\"\n#r \"nuget: libtorch-cpu-linux-x64, 2.10.0\"\n" +
                 "using static TorchSharp.torch;\nvar t = ones(3) * 2;\nt.sum().item<float>()", "t1"),
            Code("(t + 1).sum().item<float>()", "t2")));

        var run = NotebookRun.Execute(notebook);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Installed Packages\n - TorchSharp, 0.107.0\n - libtorch-cpu-linux-x64, 2.10.0", "6"], run.Displayed("t1", "text/plain"));
        Assert.Equal(["9"], run.Displayed("t2", "text/plain"));
        Assert.Contains("libLibTorchSharp.so", run.Log);
        // TorchSharp's own fallback (copying 600 MB of natives into the package folder) was not needed
        Assert.True(copyExistedBefore || !Directory.Exists(fallbackCopy), $"TorchSharp copied its natives into {fallbackCopy}");
        DebianNotebookTools.AssertValidAndConvertible(run.OutputPath);
    }

    public void Dispose() => _folder.Dispose();
}
