using System.Diagnostics;
using System.Text.Json.Nodes;
using Milan.Corpus;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.IO;
using Milan.Models;
using Milan.Tests.Support;
using Milan.World;

namespace Milan.Tests.BadInput;

/// <summary>
/// Bad JSON cards and manifests: a subject card (<see cref="SubjectCard"/>), a world's manifest.json
/// (<see cref="WorldManifest"/>), an exemplar folder's exemplars.json (<see cref="ExemplarManifest"/>),
/// world-corpus.json (<see cref="WorldCorpusManifest"/>) and a stage seal (<see cref="StageSeal"/>).
/// </summary>
public class CardBadInputTests
{
    /// <summary>One JSON document of each kind, valid, written into <paramref name="folder"/>; returns (reader, file) pairs.</summary>
    private static IReadOnlyList<(string Name, string File, Action Read)> Documents(TempFolder folder)
    {
        var card = new SubjectCard(new ModelSpec("resnet18", 2, 32, 8), ["cat", "dog"], "world/a/normal", "world/a/normal/train", "world/a/normal/val",
            new SubjectTrainingOptions { Seed = 1 }, 2, 1, [new SubjectEpoch(1, 0.5, 0.6, 0.7), new SubjectEpoch(2, 0.4, 0.7, 0.6)],
            new ClassAccuracy(0.7, [0.6, 0.8], 10), null, null);
        string subject = folder.File("subject/card.json");
        Directory.CreateDirectory(Path.GetDirectoryName(subject)!);
        File.WriteAllText(subject, card.ToJson(folder.Path));

        string world = folder.File("world");
        Directory.CreateDirectory(world);
        File.WriteAllText(Path.Combine(world, WorldManifest.FileName), WorldManifest.Create(WorldDatasets.A, WorldVariant.Normal, WorldSettings.For(Profile.Tiny)).ToJson());

        string exemplars = folder.File("exemplars");
        Directory.CreateDirectory(exemplars);
        var settings = new ExemplarSettings("resnet18", "world/a/normal/val", 100, 32, 32, 15, 0.99, "linear", 4096, 0, null, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
        new ExemplarManifest(settings, new Dictionary<string, ExemplarLayerInfo> { ["layer1"] = new(8, 8, [8, 8], "exact", 0) }).Write(exemplars);
        File.Delete(StageSeal.PathIn(exemplars));

        string corpus = folder.File("corpus");
        new WorldCorpusManifest("tiny",
            new Dictionary<string, WorldCorpusManifest.Subject> { ["resnet18-world-a"] = new("subjects/resnet18-world-a", "resnet18", 8, "world/a/normal", 1, 0.3, 0.3) },
            new Dictionary<string, WorldCorpusManifest.Dataset> { ["resnet18/world-a"] = new("resnet18-world-a", "world/a/normal/val", ["layer1"], 8, 24) })
            .Write(corpus);

        string sealed_ = folder.File("sealed");
        AtomicDirectory.Create(sealed_, f => File.WriteAllText(Path.Combine(f, "ids.csv"), "1,2\n"));

        return
        [
            ("subject card", subject, () => SubjectCard.Read(subject)),
            ("world manifest", Path.Combine(world, WorldManifest.FileName), () => WorldManifest.Read(world)),
            ("exemplar manifest", Path.Combine(exemplars, ExemplarManifest.FileName), () => ExemplarManifest.Read(exemplars)),
            ("corpus manifest", WorldCorpusManifest.PathIn(corpus), () => WorldCorpusManifest.Read(corpus)),
            ("stage seal", StageSeal.PathIn(sealed_), () => StageSeal.Verify(sealed_)),
        ];
    }

    [Fact]
    public void Every_valid_document_reads()
    {
        using var folder = new TempFolder();
        foreach (var (_, _, read) in Documents(folder)) read();
    }

    [Fact]
    public void Each_document_cut_at_any_offset_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        foreach (var (_, file, read) in Documents(folder))
        {
            string text = File.ReadAllText(file);
            foreach (int cut in Refusal.CutPoints(text.Length))
            {
                File.WriteAllText(file, text[..cut]);
                Refusal.Expect(file, read);
            }
        }
    }

    [Fact]
    public void A_document_of_another_format_is_refused_naming_the_field()
    {
        using var folder = new TempFolder();
        // exemplars.json has no format field; its shape is checked below.
        foreach (var (_, file, read) in Documents(folder).Where(d => Path.GetFileName(d.File) != ExemplarManifest.FileName))
        {
            var node = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            node["format"] = "something-else/9";
            File.WriteAllText(file, node.ToJsonString());
            Refusal.Expect(file, read, "something-else/9");
        }
    }

    [Theory]
    [InlineData("width", "\"eight\"", "field 'width' is not a int32")]
    [InlineData("width", "1e30", "field 'width' is not a int32")]
    [InlineData("classes", "[1, 2]", "field 'classes[0]' is not a string")]
    [InlineData("classes", "[]", "field 'classes' is empty")]
    [InlineData("best_epoch", "0", "field 'best_epoch' is 0, expected 1..2")]
    [InlineData("validation", "{\"accuracy\": 0.5}", "field 'validation.per_class' missing")]
    [InlineData("weights", "\"../../etc/passwd\"", "field 'weights' is '../../etc/passwd'")]
    public void A_subject_card_with_a_wrong_field_is_refused_naming_it(string field, string json, string what)
    {
        using var folder = new TempFolder();
        var (_, file, read) = Documents(folder)[0];
        var card = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        card[field] = JsonNode.Parse(json);
        File.WriteAllText(file, card.ToJsonString());
        Refusal.Expect(file, read, what);
    }

    [Theory]
    [InlineData("{\"settings\": 3, \"layers\": {}}", "not a valid exemplar manifest")]
    [InlineData("{\"settings\": {\"k\": \"fifteen\"}, \"layers\": {}}", "not a valid exemplar manifest")]
    [InlineData("[]", "not a valid exemplar manifest")]
    [InlineData("null", "empty manifest")]
    public void An_exemplar_manifest_of_the_wrong_shape_is_refused(string json, string what)
    {
        using var folder = new TempFolder();
        var (_, file, read) = Documents(folder)[2];
        File.WriteAllText(file, json);
        Refusal.Expect(file, read, what);
    }

    [Theory]
    [InlineData("{\"format\": \"milan-world-corpus/1\", \"profile\": \"tiny\"}", "fields 'subjects' and 'datasets' are required")]
    [InlineData("{\"format\": \"milan-world-corpus/1\", \"profile\": \"tiny\", \"subjects\": [], \"datasets\": {}}", "not a valid world corpus manifest")]
    [InlineData("{\"format\": \"milan-world-corpus/1\", \"subjects\": {\"s\": {\"width\": NaN}}, \"datasets\": {}}", "not a valid world corpus manifest")]
    public void A_corpus_manifest_of_the_wrong_shape_is_refused(string json, string what)
    {
        using var folder = new TempFolder();
        var (_, file, read) = Documents(folder)[3];
        File.WriteAllText(file, json);
        Refusal.Expect(file, read, what);
    }

    [Fact]
    public void Empty_documents_and_folders_in_their_place_are_refused()
    {
        using var folder = new TempFolder();
        foreach (var (_, file, read) in Documents(folder))
        {
            File.WriteAllText(file, "");
            Refusal.Expect(file, read);
            File.Delete(file);
            Directory.CreateDirectory(file);
            Refusal.Expect(file, read, "is a folder");
        }
    }

    [Fact]
    public void Spaces_and_non_ascii_names_are_read_and_named_when_broken()
    {
        using var folder = new TempFolder();
        string card = folder.File("modèles ü/sujet ø/card.json");
        Directory.CreateDirectory(Path.GetDirectoryName(card)!);
        File.Copy(Documents(folder)[0].File, card);
        Assert.Equal("resnet18", SubjectCard.Read(card).Spec.Architecture);
        File.WriteAllText(card, File.ReadAllText(card)[..40]);
        Refusal.Expect(card, () => SubjectCard.Read(card), "not valid JSON");
    }

    /// <summary>
    /// Where this process ignores permissions (root), the refusal of an unreadable file is checked
    /// through the command line run as an unprivileged user (setpriv, uid 65534): <c>milan subject info</c>
    /// on a folder whose card.json has mode 000 must print one error line naming the card.
    /// </summary>
    [Fact]
    public async Task An_unreadable_card_is_refused_naming_it_when_an_unprivileged_user_reads_it()
    {
        if (!File.Exists("/usr/bin/setpriv")) Assert.Fail("/usr/bin/setpriv (util-linux) is needed to run the command as another user");
        using var folder = new TempFolder();
        string card = Documents(folder)[0].File;
        Refusal.MakeUnreadable(card);

        var start = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", Path.Combine(AppContext.BaseDirectory, "Milan.Cli"), "subject", "info", Path.GetDirectoryName(card)! })
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2))) await process.WaitForExitAsync(limit.Token);

        // The console wraps long lines at spaces: compare with every run of white space as one space.
        string said = System.Text.RegularExpressions.Regex.Replace(await output + await errors, @"\s+", " ");
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}: {said}");
        Assert.Contains($"error: {card}: cannot be read: permission denied", said);
    }

    [PermissionFact]
    public void An_unreadable_document_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        foreach (var (_, file, read) in Documents(folder))
        {
            Refusal.MakeUnreadable(file);
            Refusal.Expect(file, read, "permission denied");
        }
    }
}
