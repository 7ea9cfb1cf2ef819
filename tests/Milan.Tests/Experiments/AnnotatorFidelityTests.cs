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

    /// <summary>The unit's first <paramref name="covered"/> exemplars kept, the masks of the others emptied.</summary>
    private static (int[] Ids, byte[][] Masks) CoveredOnly((int[] Ids, byte[][] Masks) unit, int covered) =>
        (unit.Ids, unit.Masks.Select((m, k) => k < covered ? m : new byte[m.Length]).ToArray());

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
                [UnitOn(masks, ConceptLayer.Category, "face"), UnitOn(masks, ConceptLayer.Text, "text"), empty,
                 CoveredOnly(UnitOn(masks, ConceptLayer.Category, "face"), 5)], 32);
        }
        string csv = Path.Combine(exemplars, "annotations.csv");
        File.WriteAllLines(csv,
        [
            "layer,unit,summary",
            "layer4,0,faces", "layer4,0,people", "layer4,0,heads in the top left corner",
            "layer4,1,text", "layer4,1,signs", "layer4,1,the top left corner",
            "layer4,2,things in the upper right", "layer4,2,red things", "layer4,2,words",
            "layer4,3,hearts", "layer4,3,red hearts", "layer4,3,some faces",
        ]);

        var fidelity = AnnotatorFidelity.Measure([new AnnotatedDataset("fixture", exemplars, probe, csv)]);

        Assert.Equal((4, 12), (fidelity.Units, fidelity.Annotations));
        // Unit 0 is exactly the face masks (IoU 1), unit 1 exactly the text masks, unit 2 highlights nothing (IoU 0),
        // unit 3 is the face masks on 5 of its 15 exemplars and empty on the others (IoU about 1/3, a face under the mask in 5).
        using (var masks = new WorldConceptMasks(probe))
        {
            var face = ConceptOverlap.Measure(exemplars, masks, "face");
            Assert.Equal((15, 15), (face[new ModelUnit("layer4", 0)].ExemplarsCovered, face[new ModelUnit("layer4", 0)].Exemplars));
            Assert.Equal(1.0, face[new ModelUnit("layer4", 0)].Iou, 12);
            Assert.Equal(5, face[new ModelUnit("layer4", 3)].ExemplarsCovered);
            Assert.InRange(face[new ModelUnit("layer4", 3)].Iou, 0.1, 0.9);
        }
        Assert.Equal((2, 1), (fidelity.FaceUnits, fidelity.TextUnits));
        Assert.Equal(3.0 / 6, fidelity.FaceWordShare!.Value, 12);   // "faces", "heads", "some faces"; not "people", not "hearts"
        Assert.Equal(1.0 / 3, fidelity.TextWordShare!.Value, 12);   // "text"; not "signs", not a corner
        Assert.Equal([("hearts", 1), ("people", 1), ("red hearts", 1)], fidelity.FaceMisses);
        Assert.Equal([("signs", 1), ("the top left corner", 1)], fidelity.TextMisses);
        Assert.Equal((1, 1), (fidelity.ConsistentFaceUnits, fidelity.ConsistentTextUnits));   // unit 3 is not consistent
        Assert.Equal(2.0 / 3, fidelity.ConsistentFaceWordShare!.Value, 12);
        Assert.Equal(1.0 / 3, fidelity.ConsistentTextWordShare!.Value, 12);
        Assert.Equal(2.0 / 12, fidelity.PositionOnlyShare, 12);     // "the top left corner", "things in the upper right"
        // faces people heads in the top left corner text signs things upper right red words hearts some
        Assert.Equal(17, fidelity.DistinctWords);
        Assert.InRange(fidelity.InterAnnotatorRougeL, 0, 1);
        // The people model's ceiling, on ideal units of the one probe split (AnnotatorCeilingTests).
        Assert.Equal(("face", probe, 300), (fidelity.FaceCeiling!.Concept, fidelity.FaceCeiling.ProbeSplit, fidelity.FaceCeiling.Annotations));
        Assert.Equal(("text", probe), (fidelity.TextCeiling!.Concept, fidelity.TextCeiling.ProbeSplit));
    }
}
