using Milan.Experiments;
using Milan.Tests.Support;
using Milan.World;

namespace Milan.Tests.Experiments;

public class AnnotatorFidelityTests
{
    private const int K = 15;

    /// <summary>A unit whose masks are exactly one concept's label map on the first K probe images holding it.</summary>
    private static (int[] Ids, byte[][] Masks) UnitOn(WorldConceptMasks masks, int layer, string concept)
    {
        byte id = ConceptVocabulary.Default.Id(concept);
        int pixels = masks.ImageSize * masks.ImageSize;
        var ids = new List<int>();
        var result = new List<byte[]>();
        for (int i = 0; i < masks.Count && ids.Count < K; i++)
        {
            var mask = masks.LayerBytes(i).Skip(layer * pixels).Take(pixels).Select(v => (byte)(v == id ? 1 : 0)).ToArray();
            if (!mask.Any(v => v != 0)) continue;
            ids.Add(i);
            result.Add(mask);
        }
        Assert.Equal(K, ids.Count);
        return (ids.ToArray(), result.ToArray());
    }

    [Fact]
    public void Hand_written_annotations_of_a_face_a_text_and_an_empty_unit_give_hand_counted_figures()
    {
        using var folder = new TempFolder();
        string world = folder.File("world");
        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.SpuriousText(), new WorldSettings(32, 0, 120, 0), world);
        string probe = Path.Combine(world, "val");
        string exemplars = folder.File("exemplars");
        using (var masks = new WorldConceptMasks(probe))
        {
            var empty = (Enumerable.Range(0, K).ToArray(), Enumerable.Range(0, K).Select(_ => new byte[32 * 32]).ToArray());
            SyntheticExemplars.WriteLayer(exemplars, "layer4",
                [UnitOn(masks, ConceptLayer.Category, "face"), UnitOn(masks, ConceptLayer.Text, "text"), empty], 32);
        }
        string csv = Path.Combine(exemplars, "annotations.csv");
        File.WriteAllLines(csv,
        [
            "layer,unit,summary",
            "layer4,0,faces", "layer4,0,people", "layer4,0,heads in the top left corner",
            "layer4,1,text", "layer4,1,signs", "layer4,1,the top left corner",
            "layer4,2,things in the upper right", "layer4,2,red things", "layer4,2,words",
        ]);

        var fidelity = AnnotatorFidelity.Measure([new AnnotatedDataset("fixture", exemplars, probe, csv)]);

        Assert.Equal((3, 9), (fidelity.Units, fidelity.Annotations));
        // Unit 0 is exactly the face masks (IoU 1), unit 1 exactly the text masks, unit 2 highlights nothing (IoU 0).
        Assert.Equal((1, 1), (fidelity.FaceUnits, fidelity.TextUnits));
        Assert.Equal(2.0 / 3, fidelity.FaceWordShare!.Value, 12);   // "faces", "heads"; not "people"
        Assert.Equal(1.0 / 3, fidelity.TextWordShare!.Value, 12);   // "text"; not "signs", not a corner
        Assert.Equal(2.0 / 9, fidelity.PositionOnlyShare, 12);      // "the top left corner", "things in the upper right"
        // faces people heads in the top left corner text signs things upper right red words
        Assert.Equal(15, fidelity.DistinctWords);
        Assert.InRange(fidelity.InterAnnotatorRougeL, 0, 1);
    }
}
