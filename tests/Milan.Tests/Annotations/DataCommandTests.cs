using Milan.Tests.Support;

namespace Milan.Tests.Annotations;

public class DataCommandTests
{
    [Fact]
    public void Info_shows_layers_annotation_counts_vocabulary_and_examples()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteAlexNetLike(root.Path);

        var (code, output) = MilanCli.Run("data", "info", "alexnet/imagenet", "--data-dir", root.Path, "--examples", "2");

        Assert.Equal(0, code);
        Assert.Contains("alexnet/imagenet", output);
        Assert.Matches(@"conv1\s*│\s*4\s*│\s*1\s*│\s*2\s*│\s*4x4\s*│\s*4x4\s*│\s*yes\s*│\s*no", output);
        Assert.Matches(@"conv2\s*│\s*3\s*│\s*2\s*│\s*2\s*│\s*4x4\s*│\s*4x4\s*│\s*yes\s*│\s*yes", output);
        Assert.Contains("annotations: 13 rows; 1 unit(s) with 2, 1 unit(s) with 3, 2 unit(s) with 4", output);
        Assert.Contains("keep units with >= 3, first 3 each; 1 unit(s) dropped", output);
        // Kept annotations: "red, round things" "circles" "red balls" "dog faces" "text with "quotes"" "animal heads" "multi line" "x" "y"
        Assert.Contains("vocabulary: 16 distinct tokens, 17 tokens", output);
        Assert.Contains("conv2:5  \"red, round things\"", output);
        Assert.Contains("conv1:0  \"dog faces\"", output);
    }

    [Fact]
    public void Bad_input_exits_with_one_line_naming_the_problem()
    {
        using var root = new TempFolder();
        var (code, output) = MilanCli.Run("data", "info", "alexnet/imagenett", "--data-dir", root.Path);

        Assert.Equal(1, code);
        Assert.StartsWith("error: dataset key 'alexnet/imagenett': not a registered key", output.Trim());
    }
}
