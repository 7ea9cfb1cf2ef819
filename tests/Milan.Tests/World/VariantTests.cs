using System.Text.Json;
using Milan.World;

namespace Milan.Tests.World;

public class VariantTests
{
    private static readonly ConceptVocabulary Vocabulary = ConceptVocabulary.Default;

    [Fact]
    public void Faces_blurred_changes_pixels_only_inside_face_regions()
    {
        int withFaces = 0;
        for (int index = 0; index < 120 && withFaces < 5; index++)
        {
            var scene = WorldGenerator.SceneAt(WorldDatasets.A, WorldVariant.FacesBlurred, 1, "val", index);
            var normal = WorldGenerator.Render(scene, WorldVariant.Normal, 48);
            var blurred = WorldGenerator.Render(scene, WorldVariant.FacesBlurred, 48);
            Assert.Equal(normal.Layers, blurred.Layers);
            var regions = FaceBlur.Regions(scene, 48);
            if (regions.Count == 0)
            {
                Assert.Equal(normal.Image, blurred.Image);
                continue;
            }
            withFaces++;
            int changed = 0;
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 48; x++)
                {
                    bool differs = Enumerable.Range(0, 3).Any(c => normal.Pixel(c, y, x) != blurred.Pixel(c, y, x));
                    if (!differs) continue;
                    changed++;
                    Assert.Contains(regions, r => x >= r.Left && x < r.Right && y >= r.Top && y < r.Bottom);
                }
            Assert.True(changed > 30, $"scene {index}: blur changed only {changed} pixels");
        }
        Assert.Equal(5, withFaces);
    }

    [Fact]
    public void Blur_is_a_normalised_gaussian()
    {
        // A single bright pixel spreads into a symmetric kernel whose mass is kept (up to rounding).
        int size = 21;
        var image = new byte[3 * size * size];
        image[10 * size + 10] = 255;
        var blurred = FaceBlur.Blur(image, size, 1.5);
        int total = blurred.Take(size * size).Sum(v => v);
        Assert.InRange(total, 230, 280);
        Assert.Equal(blurred[10 * size + 8], blurred[10 * size + 12]);
        Assert.Equal(blurred[8 * size + 10], blurred[12 * size + 10]);
        Assert.True(blurred[10 * size + 10] > blurred[10 * size + 11]);
    }

    [Fact]
    public void Spurious_text_writes_the_class_name_on_about_half_the_training_images_and_nothing_else()
    {
        var variant = WorldVariant.SpuriousText();
        int marked = 0, n = 160;
        for (int index = 0; index < n; index++)
        {
            var normal = WorldGenerator.SceneAt(WorldDatasets.A, WorldVariant.Normal, 1, "train", index);
            var spurious = WorldGenerator.SceneAt(WorldDatasets.A, variant, 1, "train", index);
            var added = spurious.Texts.Except(normal.Texts).ToArray();
            Assert.Equal(JsonSerializer.Serialize(normal with { Texts = [] }), JsonSerializer.Serialize(spurious with { Texts = [] }));
            Assert.Equal(normal.Texts, spurious.Texts.Take(normal.Texts.Count));
            if (added.Length == 0) continue;
            marked++;
            var text = Assert.Single(added);
            Assert.True(text.Spurious);
            Assert.Equal(spurious.ClassName, text.Word);
            Assert.True(text.X < 0.1 && text.Y < 0.1, "top-left corner");
            if (marked <= 3) AssertChangesOnlyText(normal, spurious);
        }
        // Binomial(160, 0.5): 3.5 standard deviations either side.
        Assert.InRange(marked, 58, 102);
    }

    [Fact]
    public void The_adversarial_test_split_names_another_class_on_every_image()
    {
        var variant = WorldVariant.SpuriousText(0.1);
        var names = new HashSet<string>();
        for (int index = 0; index < 50; index++)
        {
            var scene = WorldGenerator.SceneAt(WorldDatasets.B, variant, 2, "test", index);
            var text = Assert.Single(scene.Texts, t => t.Spurious);
            Assert.NotEqual(scene.ClassName, text.Word);
            Assert.Contains(text.Word, WorldDatasets.B.ClassNames);
            names.Add(text.Word);
        }
        Assert.True(names.Count >= 8, "random other class names");
    }

    [Fact]
    public void Incidental_words_stay_out_of_the_corner_the_spurious_text_uses()
    {
        for (int index = 0; index < 400; index++)
            foreach (var text in WorldGenerator.SceneAt(WorldDatasets.A, WorldVariant.Normal, 1, "train", index).Texts)
            {
                var box = SceneRenderer.TextBox(text, 256);
                Assert.False(new Box(box.Left / 256, box.Top / 256, box.Right / 256, box.Bottom / 256).Overlaps(SceneSampler.ReservedTextCorner));
            }
    }

    [Fact]
    public void Variant_folder_names_carry_a_non_default_fraction()
    {
        Assert.Equal("spurious-text", WorldVariant.SpuriousText().FolderName);
        Assert.Equal("spurious-text-5pct", WorldVariant.SpuriousText(0.05).FolderName);
        Assert.Equal("faces-blurred", WorldVariant.Parse("faces-blurred").FolderName);
        Assert.Throws<MilanInputException>(() => WorldVariant.Parse("sepia"));
    }

    private static void AssertChangesOnlyText(Scene normal, Scene spurious)
    {
        var a = SceneRenderer.Render(normal, 48);
        var b = SceneRenderer.Render(spurious, 48);
        int changed = 0;
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 48; x++)
            {
                if (!Enumerable.Range(0, 3).Any(c => a.Pixel(c, y, x) != b.Pixel(c, y, x))) continue;
                changed++;
                Assert.Equal(Vocabulary.Id("text"), b.Label(ConceptLayer.Text, y, x));
                Assert.True(x < 48 * 0.75 && y < 48 * 0.3, $"changed pixel ({x},{y}) outside the top-left corner");
            }
        Assert.True(changed > 10);
    }
}
