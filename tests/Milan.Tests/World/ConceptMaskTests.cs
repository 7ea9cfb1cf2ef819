using Milan.Tests.Support;
using Milan.World;
using static TorchSharp.torch;

namespace Milan.Tests.World;

public class ConceptMaskTests : IClassFixture<ConceptMaskTests.SmallWorld>
{
    public sealed class SmallWorld : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Val => Path.Combine(Folder.Path, "val");

        public SmallWorld() => WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, new WorldSettings(32, 0, 40, 0), Folder.Path);

        public void Dispose() => Folder.Dispose();
    }

    private readonly SmallWorld _world;
    private static readonly ConceptVocabulary Vocabulary = ConceptVocabulary.Default;

    public ConceptMaskTests(SmallWorld world) => _world = world;

    [Fact]
    public void Each_present_concept_has_a_nonempty_mask_equal_to_its_label_map()
    {
        using var masks = new WorldConceptMasks(_world.Val);
        for (int index = 0; index < 10; index++)
        {
            var bytes = masks.LayerBytes(index);
            foreach (var (concept, mask) in masks.Masks(index))
            {
                using (mask)
                {
                    Assert.Equal(new long[] { 32, 32 }, mask.shape);
                    Assert.Equal(ScalarType.Bool, mask.dtype);
                    var values = mask.data<bool>().ToArray();
                    Assert.Contains(true, values);
                    int layer = ConceptLayer.Of(concept.Kind);
                    if (layer < 0) continue;
                    for (int p = 0; p < 32 * 32; p++)
                        Assert.Equal(bytes[layer * 1024 + p] == concept.Id, values[p]);
                }
            }
        }
    }

    [Fact]
    public void Batch_masks_agree_with_the_per_image_masks_for_every_concept()
    {
        using var masks = new WorldConceptMasks(_world.Val);
        int[] indices = [3, 0, 17];
        using var batch = masks.Batch(indices);
        Assert.Equal(new long[] { 3, Vocabulary.Count, 32, 32 }, batch.shape);
        for (int k = 0; k < indices.Length; k++)
            foreach (var concept in Vocabulary.All)
            {
                using var single = masks.Mask(indices[k], concept);
                Assert.True(batch[k, concept.Id - 1].equal(single).all().item<bool>(), $"{concept.Name} in image {indices[k]}");
            }
    }

    [Fact]
    public void Relation_masks_cover_the_subjects_of_the_relation()
    {
        using var masks = new WorldConceptMasks(_world.Val);
        int index = Enumerable.Range(0, masks.Count).First(i => masks.Scene(i).Relations.Count > 0);
        var relation = masks.Scene(index).Relations[0];
        using var mask = masks.Mask(index, Vocabulary.Named(relation.Relation));
        using var subject = masks.ObjectMask(index, relation.Subject);
        Assert.True(mask.logical_and(subject).equal(subject).all().item<bool>(), "the subject is inside the relation's mask");
        Assert.Contains(Vocabulary.Named(relation.Relation), masks.ConceptsIn(index));
    }

    [Fact]
    public void Position_masks_are_the_cells_of_a_three_by_three_grid()
    {
        var cells = ConceptVocabulary.Positions.Select(p => WorldConceptMasks.PositionMask(Vocabulary.Named(p), 30)).ToArray();
        using var sum = stack(cells).to(ScalarType.Int32).sum(dim: 0);
        Assert.True(sum.eq(1).all().item<bool>(), "the cells tile the image");
        Assert.True(cells[0][9, 9].item<bool>() && !cells[0][10, 0].item<bool>() && !cells[0][0, 10].item<bool>());
        Assert.True(cells[8][29, 29].item<bool>());
        foreach (var cell in cells) cell.Dispose();
    }

    [Fact]
    public void The_training_split_has_no_masks_and_says_so()
    {
        using var folder = new TempFolder();
        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, new WorldSettings(24, 4, 0, 0), folder.Path);
        var error = Assert.Throws<MilanInputException>(() => new WorldConceptMasks(Path.Combine(folder.Path, "train")));
        Assert.Contains("concepts.npy", error.Message);
    }

    [Fact]
    public void The_vocabulary_has_unique_names_and_ids_that_fit_a_byte()
    {
        Assert.Equal(Vocabulary.Count, Vocabulary.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, Vocabulary.Count), Vocabulary.All.Select(c => c.Id));
        Assert.True(Vocabulary.Count < 255);
        Assert.Equal(ConceptKind.Part, Vocabulary.Named("eyes").Kind);
        Assert.Equal(ConceptKind.Colour, Vocabulary.Named("dark brown").Kind);
    }
}
