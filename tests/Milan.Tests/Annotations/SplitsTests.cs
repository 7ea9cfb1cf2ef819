using Milan.Annotations;
using Milan.Tests.Support;

namespace Milan.Tests.Annotations;

public class SplitsTests
{
    private static string Describe(KeySplit split) =>
        $"{split.Name}: {string.Join(",", split.Train.Select(k => k.Name))} | {string.Join(",", split.Test.Select(k => k.Name))}";

    [Fact]
    public void Paper_experiments_reproduce_the_reference_splits_and_order()
    {
        Assert.Equal(new[]
        {
            "alexnet -> resnet152: alexnet/imagenet,alexnet/places365 | resnet152/imagenet,resnet152/places365",
            "resnet152 -> alexnet: resnet152/imagenet,resnet152/places365 | alexnet/imagenet,alexnet/places365",
        }, GeneralizationSplits.Paper("across-network").Select(Describe));
        Assert.Equal(new[]
        {
            "imagenet -> places365: alexnet/imagenet,resnet152/imagenet,biggan/imagenet | alexnet/places365,resnet152/places365,biggan/places365",
            "places365 -> imagenet: alexnet/places365,resnet152/places365,biggan/places365 | alexnet/imagenet,resnet152/imagenet,biggan/imagenet",
        }, GeneralizationSplits.Paper("across-dataset").Select(Describe));
        Assert.Equal(new[]
        {
            "classifier -> generator: alexnet/imagenet,alexnet/places365,resnet152/imagenet,resnet152/places365 | biggan/imagenet,biggan/places365",
            "generator -> classifier: biggan/imagenet,biggan/places365 | alexnet/imagenet,alexnet/places365,resnet152/imagenet,resnet152/places365",
        }, GeneralizationSplits.Paper("across-task").Select(Describe));
        Assert.Equal(new[]
        {
            "base -> dino_vits8/imagenet: alexnet/imagenet,alexnet/places365,resnet152/imagenet,resnet152/places365,biggan/imagenet,biggan/places365 | dino_vits8/imagenet",
        }, GeneralizationSplits.Paper("across-arch").Select(Describe));

        var leaveOneOut = GeneralizationSplits.Paper("leave-one-out");
        Assert.Equal(6, leaveOneOut.Count);
        foreach (var split in leaveOneOut)
        {
            string heldOut = Assert.Single(split.Test).Name;
            Assert.Equal($"not-{heldOut.Replace('/', '-')} -> {heldOut}", split.Name);
            Assert.Equal(DatasetKeys.Groupings[$"not-{heldOut.Replace('/', '-')}"], split.Train.Select(k => k.Name));
        }
        var within = GeneralizationSplits.Paper("within-network");
        Assert.Equal(DatasetKeys.Groupings["base"], within.Select(s => Assert.Single(s.Train).Name));
        Assert.All(within, s => Assert.Equal(0.1, s.HoldOut));
    }

    [Fact]
    public void World_keys_split_by_architecture_by_dataset_and_leave_one_out()
    {
        using var root = new TempFolder();
        foreach (var arch in new[] { "resnet18", "alexnet" })
            foreach (var world in new[] { "world-a", "world-b" })
                LayoutFixture.WriteLayer(Path.Combine(root.Path, arch, world), "layer1", 1);
        var keys = DatasetKeys.Resolve("*/world-a,*/world-b", root.Path);

        Assert.Equal(new[]
        {
            "alexnet -> resnet18: alexnet/world-a,alexnet/world-b | resnet18/world-a,resnet18/world-b",
            "resnet18 -> alexnet: resnet18/world-a,resnet18/world-b | alexnet/world-a,alexnet/world-b",
        }, GeneralizationSplits.Across(keys, KeyFactor.Architecture).Select(Describe));
        Assert.Equal(new[]
        {
            "world-a -> world-b: alexnet/world-a,resnet18/world-a | alexnet/world-b,resnet18/world-b",
            "world-b -> world-a: alexnet/world-b,resnet18/world-b | alexnet/world-a,resnet18/world-a",
        }, GeneralizationSplits.Across(keys, KeyFactor.Dataset).Select(Describe));
        Assert.Equal("not-resnet18-world-b -> resnet18/world-b: alexnet/world-a,resnet18/world-a,alexnet/world-b | resnet18/world-b",
            Describe(GeneralizationSplits.LeaveOneOut(keys)[3]));
        Assert.Equal("not-world-a -> world-a: alexnet/world-b,resnet18/world-b | alexnet/world-a,resnet18/world-a",
            Describe(GeneralizationSplits.LeaveOneOut(keys, KeyFactor.Dataset)[0]));
        Assert.Contains("task unknown", Assert.Throws<MilanInputException>(() => GeneralizationSplits.Across(keys, KeyFactor.Task)).Message);
    }

    [Fact]
    public void Within_network_splits_are_seeded_floor_sized_and_disjoint()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "net", "data");
        LayoutFixture.WriteLayer(folder, "layer1", 25);
        using var dataset = TopImagesDataset.Open(folder);

        var a = WithinNetworkSplit.Create("net/data", dataset.Samples, 0.1, seed: 7);
        var b = WithinNetworkSplit.Create("net/data", dataset.Samples, 0.1, seed: 7);
        var c = WithinNetworkSplit.Create("net/data", dataset.Samples, 0.1, seed: 8);

        Assert.Equal(2, a.Test.Count); // floor(0.1 × 25)
        Assert.Equal(23, a.Train.Count);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Test, c.Test);
        Assert.Equal(Enumerable.Range(0, 25), a.Train.Concat(a.Test).Order());
        Assert.Equal(a.Test.Select(i => $"net/data:layer1:{i}"), a.TestUnits);
    }

    [Fact]
    public void Within_network_splits_reload_identically_and_refuse_a_different_dataset()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "net", "data");
        LayoutFixture.WriteLayer(folder, "layer1", 30);
        string file = Path.Combine(root.Path, WithinNetworkSplit.FileName("net/data"));
        Assert.Equal("net_data-splits.json", Path.GetFileName(file));

        WithinNetworkSplit first;
        using (var dataset = TopImagesDataset.Open(folder))
        {
            first = WithinNetworkSplit.LoadOrCreate(file, "net/data", dataset.Samples, seed: 3);
            var second = WithinNetworkSplit.LoadOrCreate(file, "net/data", dataset.Samples, seed: 99); // reuses the file
            Assert.Equal(first.Test, second.Test);
            Assert.Equal(3, second.Seed);
            var (train, test) = second.Apply(dataset.Samples);
            Assert.Equal(first.Test.Select(i => i), test.Select(s => s.Unit));
            Assert.Equal(27, train.Count);
        }

        Directory.Delete(folder, recursive: true);
        LayoutFixture.WriteLayer(folder, "layer1", 31);
        using var changed = TopImagesDataset.Open(folder);
        var error = Assert.Throws<MilanInputException>(() => WithinNetworkSplit.Load(file).Apply(changed.Samples));
        Assert.Equal("within-network split of net/data: drawn from 30 samples, the dataset now has 31", error.Message);
    }

    [Fact]
    public void Loaded_splits_hand_out_train_and_test_samples()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteAlexNetLike(root.Path, "alexnet", "world-a");
        LayoutFixture.WriteAlexNetLike(root.Path, "resnet18", "world-a");
        var options = new TopImagesLoadOptions { DataRoot = root.Path };
        var keys = DatasetKeys.Resolve("*/world-a", root.Path);

        using (var across = LoadedSplit.Load(GeneralizationSplits.Across(keys, KeyFactor.Architecture)[0], options))
        {
            Assert.All(across.Train, s => Assert.Equal("alexnet/world-a", s.Dataset));
            Assert.All(across.Test, s => Assert.Equal("resnet18/world-a", s.Dataset));
            Assert.Equal((7, 7), (across.Train.Count, across.Test.Count));
        }

        string splits = Path.Combine(root.Path, "splits");
        var within = GeneralizationSplits.WithinNetwork(keys, holdOut: 0.3);
        using var loaded = LoadedSplit.Load(within[1], options, splits, seed: 1);
        Assert.Equal((5, 2), (loaded.Train.Count, loaded.Test.Count)); // floor(0.3 × 7) = 2
        Assert.Empty(loaded.Train.Select(s => s.Id).Intersect(loaded.Test.Select(s => s.Id)));
        Assert.True(File.Exists(Path.Combine(splits, "resnet18_world-a-splits.json")));
    }
}
