using Milan.IO;
using Milan.Tests.Support;

namespace Milan.Tests.IO;

public class StageSealTests
{
    /// <summary>A finished stage folder made by <see cref="AtomicDirectory.Create"/>: two files and one in a subfolder.</summary>
    private static string Finished(TempFolder root, string name = "stage")
    {
        string folder = Path.Combine(root.Path, name);
        AtomicDirectory.Create(folder, f =>
        {
            File.WriteAllBytes(Path.Combine(f, "images.npy"), Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray());
            File.WriteAllText(Path.Combine(f, "ids.csv"), "1,2,3\n");
            Directory.CreateDirectory(Path.Combine(f, "sheets"));
            File.WriteAllText(Path.Combine(f, "sheets", "unit_0000.png"), "png");
        });
        return folder;
    }

    [Fact]
    public void A_finished_folder_is_sealed_with_every_file_and_checks_clean()
    {
        using var root = new TempFolder();
        string folder = Finished(root);

        var seal = StageSeal.Read(folder)!;
        Assert.Equal(["ids.csv", "images.npy", "sheets/unit_0000.png"], seal.Keys);
        Assert.Equal(5000, seal["images.npy"].Size);
        Assert.Equal(StageSeal.Hash(Path.Combine(folder, "images.npy")), seal["images.npy"].Hash);
        Assert.Equal(32, seal["ids.csv"].Hash.Length);
        Assert.Empty(StageSeal.Check(folder));
        Assert.Empty(StageSeal.Check(folder, SealCheck.Full));
    }

    [Fact]
    public void The_hash_is_xxh128_of_the_content()
    {
        using var root = new TempFolder();
        File.WriteAllBytes(root.File("empty"), []);
        // XXH3-128 of no bytes (the xxHash reference's test vector).
        Assert.Equal("99aa06d3014798d86001c324468d497f", StageSeal.Hash(root.File("empty")));
        File.WriteAllText(root.File("a"), "a");
        File.WriteAllText(root.File("b"), "b");
        Assert.NotEqual(StageSeal.Hash(root.File("a")), StageSeal.Hash(root.File("b")));
    }

    [Fact]
    public void A_deleted_file_is_named_as_missing()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        File.Delete(Path.Combine(folder, "sheets", "unit_0000.png"));

        var problem = Assert.Single(StageSeal.Check(folder));
        Assert.Equal(Path.Combine(folder, "sheets/unit_0000.png"), problem.File);
        Assert.Equal("missing", problem.What);
        var error = Assert.Throws<MilanInputException>(() => StageSeal.Verify(folder));
        Assert.Contains("unit_0000.png: missing", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_named_with_both_sizes()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        string images = Path.Combine(folder, "images.npy");
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..4000]);

        var problem = Assert.Single(StageSeal.Check(folder));
        Assert.Equal($"{images}: 4000 bytes, 5000 when written", problem.ToString());
    }

    [Fact]
    public void A_byte_changed_in_place_is_found_by_its_hash()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        string images = Path.Combine(folder, "images.npy");
        var bytes = File.ReadAllBytes(images);
        bytes[2500] ^= 1;
        File.WriteAllBytes(images, bytes);

        var problem = Assert.Single(StageSeal.Check(folder));
        Assert.Equal(images, problem.File);
        Assert.StartsWith("content changed (XXH128 ", problem.What);
    }

    [Fact]
    public void A_change_that_keeps_size_and_time_escapes_the_fast_check_and_not_the_full_one()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        string images = Path.Combine(folder, "images.npy");
        var written = File.GetLastWriteTimeUtc(images);
        var bytes = File.ReadAllBytes(images);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(images, bytes);
        File.SetLastWriteTimeUtc(images, written);

        Assert.Empty(StageSeal.Check(folder, SealCheck.Fast));
        Assert.Equal(images, Assert.Single(StageSeal.Check(folder, SealCheck.Full)).File);
    }

    [Fact]
    public void A_copy_with_new_times_checks_clean_once_hashed_and_then_records_the_new_times()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        string copy = Path.Combine(root.Path, "copy");
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        }

        Assert.Empty(StageSeal.Check(copy));

        var renewed = StageSeal.Read(copy)!;
        Assert.All(renewed.Values, e => Assert.Equal(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc).Ticks, e.ModifiedTicks));
        Assert.Equal(StageSeal.Read(folder)!.Values.Select(e => e.Hash), renewed.Values.Select(e => e.Hash));
    }

    [Fact]
    public void Files_added_after_sealing_are_ignored()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        Directory.CreateDirectory(Path.Combine(folder, "descriptions"));
        File.WriteAllText(Path.Combine(folder, "descriptions", "cache.csv"), "x");

        Assert.Empty(StageSeal.Check(folder));
    }

    [Fact]
    public void A_folder_without_a_seal_is_sealed_when_first_checked_and_checked_from_then_on()
    {
        using var root = new TempFolder();
        string folder = root.File("old");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "card.json"), "{}");

        Assert.Empty(StageSeal.Check(folder));
        Assert.Equal(["card.json"], StageSeal.Read(folder)!.Keys);
        File.Delete(Path.Combine(folder, "card.json"));
        Assert.Equal("missing", Assert.Single(StageSeal.Check(folder)).What);
    }

    [Fact]
    public void Single_files_are_recorded_beside_others_and_checked_by_name()
    {
        using var root = new TempFolder();
        string folder = root.File("dataset");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "exemplars.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "annotations.csv"), "layer,unit,summary\n");
        StageSeal.Record(folder, "exemplars.json");
        StageSeal.Record(folder, "annotations.csv");

        Assert.Equal(["annotations.csv", "exemplars.json"], StageSeal.Read(folder)!.Keys);
        File.AppendAllText(Path.Combine(folder, "annotations.csv"), "conv1,0,red\n");
        Assert.Empty(StageSeal.Check(folder, files: ["exemplars.json"]));
        Assert.Equal(Path.Combine(folder, "annotations.csv"), Assert.Single(StageSeal.Check(folder, files: ["annotations.csv"])).File);
        Assert.Equal("missing", Assert.Single(StageSeal.Check(folder, files: ["units.npy"])).What);
    }

    [Fact]
    public void A_damaged_folder_is_discarded_and_a_rebuild_with_the_same_bytes_counts_as_restored()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        File.Delete(Path.Combine(folder, "ids.csv"));

        var damage = StageSeal.DiscardIfDamaged(folder)!;

        Assert.False(Directory.Exists(folder));
        Assert.EndsWith("ids.csv: missing", damage.Message);
        Finished(root);
        Assert.True(damage.Restored());
        Assert.Null(StageSeal.DiscardIfDamaged(folder));

        File.WriteAllText(Path.Combine(folder, "ids.csv"), "9,9,9\n");
        var again = StageSeal.DiscardIfDamaged(folder)!;
        AtomicDirectory.Create(folder, f => File.WriteAllText(Path.Combine(f, "ids.csv"), "other"));
        Assert.False(again.Restored());
    }

    [Fact]
    public void A_damaged_seal_is_a_problem_naming_it()
    {
        using var root = new TempFolder();
        string folder = Finished(root);
        File.WriteAllText(StageSeal.PathIn(folder), "{\"format\": \"milan-seal/1\", \"files\": ");

        var problem = Assert.Single(StageSeal.Check(folder));
        Assert.Equal(StageSeal.PathIn(folder), problem.File);
        Assert.Contains("not a valid stage seal", problem.What);
    }
}
