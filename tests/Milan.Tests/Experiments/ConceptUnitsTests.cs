using Milan.Experiments;

namespace Milan.Tests.Experiments;

public class ConceptUnitsTests
{
    [Fact]
    public void Units_are_counted_per_layer_at_each_threshold_with_the_best_iou()
    {
        var iou = new Dictionary<ModelUnit, double>
        {
            [new("layer3", 0)] = 0.04, [new("layer3", 1)] = 0.05, [new("layer3", 2)] = 0.12,
            [new("layer4", 0)] = 0.25, [new("layer4", 1)] = 0.1, [new("layer4", 2)] = 0.0, [new("layer4", 3)] = 0.09,
        };

        var units = ConceptUnits.Count("face", iou, [0.05, 0.1, 0.2]);

        Assert.Equal(["layer3", "layer4"], units.Layers.Select(l => l.Layer));
        Assert.Equal((3, 0.12), (units.Layers[0].Units, units.Layers[0].BestIou));
        Assert.Equal([2, 1, 0], units.Layers[0].AtThresholds);   // 0.05 and 0.12 reach 0.05; 0.12 reaches 0.1
        Assert.Equal((4, 0.25), (units.Layers[1].Units, units.Layers[1].BestIou));
        Assert.Equal([3, 2, 1], units.Layers[1].AtThresholds);   // 0.25, 0.1 (exactly), 0.09 reach 0.05
        Assert.Equal([5, 3, 1], units.Total);
    }
}
