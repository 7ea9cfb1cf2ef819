using System.Diagnostics;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.Models;
using Milan.World;
using static TorchSharp.torch;

namespace Milan.Corpus;

/// <summary>
/// Builds the bundled world corpus (<c>milan milannotations build</c>) in four stages: the worlds
/// (<see cref="WorldGenerator"/>), the subject models (<see cref="SubjectTraining"/>), the exemplars of
/// every default layer of each described model on its probe split (<see cref="ExemplarComputation"/>),
/// and three simulated annotations per unit (<see cref="SimulatedAnnotation"/>), laid out as
/// MILANNOTATIONS under the data root (<c>&lt;arch&gt;/&lt;dataset&gt;/</c>), then
/// <c>world-corpus.json</c>. Every item whose output is complete (by its manifest: the world's
/// manifest.json, the subject's card.json, exemplars.json with every layer, annotations.csv) is
/// skipped; outputs made with other settings are refused rather than mixed. Each output is written
/// atomically (world splits, subject folders, exemplar layers and files), so an interrupted build
/// resumes where it stopped. Redoing an item redoes what depends on it.
/// </summary>
public static class WorldCorpus
{
    public static string WorldFolder(string dataRoot, string dataset, WorldVariant variant) => Path.Combine(dataRoot, "world", dataset, variant.FolderName);

    public static string SubjectFolder(string modelsRoot, string name) => Path.Combine(modelsRoot, "subjects", name);

    public static string DatasetFolder(string dataRoot, string key) => Path.Combine(dataRoot, key.Replace('/', Path.DirectorySeparatorChar));

    /// <param name="force">a stage to redo for every item, with every later stage</param>
    public static WorldCorpusResult Build(WorldCorpusSettings settings, string dataRoot, string modelsRoot, Device device,
        WorldCorpusStage? force = null, IProgress<WorkProgress>? progress = null)
    {
        dataRoot = Path.GetFullPath(dataRoot);
        modelsRoot = Path.GetFullPath(modelsRoot);
        var timings = new List<WorldCorpusTiming>();
        bool Forced(WorldCorpusStage stage) => force is { } f && f <= stage;

        // Stage 1: worlds.
        var redoneWorlds = new HashSet<string>();
        foreach (var (dataset, variant) in settings.Worlds)
        {
            string folder = WorldFolder(dataRoot, dataset, variant);
            bool complete = File.Exists(Path.Combine(folder, WorldManifest.FileName))
                            && WorldSettings.SplitNames.All(s => settings.World.Count(s) == 0 || Directory.Exists(Path.Combine(folder, s)));
            if (Forced(WorldCorpusStage.Worlds) && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            else if (complete)
            {
                WorldGenerator.Generate(WorldDatasets.Named(dataset), variant, settings.World, folder); // checks the settings; writes nothing
                timings.Add(new(WorldCorpusStage.Worlds, Relative(dataRoot, folder), true, 0, 0));
                continue;
            }
            timings.Add(Timed(WorldCorpusStage.Worlds, Relative(dataRoot, folder),
                () => WorldGenerator.Generate(WorldDatasets.Named(dataset), variant, settings.World, folder, progress)));
            redoneWorlds.Add(folder);
        }

        // Stage 2: subject models.
        var redoneSubjects = new HashSet<string>();
        foreach (var subject in settings.Subjects)
        {
            string folder = SubjectFolder(modelsRoot, subject.Name);
            string world = WorldFolder(dataRoot, subject.Dataset, subject.Variant);
            bool redo = Forced(WorldCorpusStage.Subjects) || redoneWorlds.Contains(world) || !File.Exists(Path.Combine(folder, SubjectCard.FileName));
            if (!redo)
            {
                CheckCard(folder, subject, settings, world);
                timings.Add(new(WorldCorpusStage.Subjects, subject.Name, true, 0, 0));
                continue;
            }
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            timings.Add(Timed(WorldCorpusStage.Subjects, subject.Name, () => Train(subject, settings, world, folder, device, progress)));
            redoneSubjects.Add(subject.Name);
        }

        // Stage 3: exemplars of every default layer of the described models on their probe splits.
        var redoneDatasets = new HashSet<string>();
        foreach (var subject in settings.Described)
        {
            string key = subject.Key!;
            string folder = DatasetFolder(dataRoot, key);
            var (probeDataset, probeVariant) = subject.ProbeWorld;
            string probe = Path.Combine(WorldFolder(dataRoot, probeDataset, probeVariant), WorldCorpusSubject.ProbeSplit);
            bool redo = Forced(WorldCorpusStage.Exemplars) || redoneSubjects.Contains(subject.Name)
                        || redoneWorlds.Contains(WorldFolder(dataRoot, probeDataset, probeVariant));
            if (redo && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            var layers = subject.Key is null ? [] : ExpectedLayers(subject, settings);
            if (!redo && ExemplarsComplete(folder, layers))
            {
                timings.Add(new(WorldCorpusStage.Exemplars, key, true, 0, 0));
                continue;
            }
            timings.Add(Timed(WorldCorpusStage.Exemplars, key, () =>
            {
                using var trained = TrainedSubject.Load(SubjectFolder(modelsRoot, subject.Name), device);
                using var source = new NpyImageSource(probe);
                var exemplarLayers = trained.Model.DefaultLayers.Select(l => new ExemplarLayer(l.Name, l.ModulePath)).ToList();
                ExemplarComputation.Run(trained.Model, exemplarLayers, source, folder, settings.Exemplars with { Model = subject.Name }, progress);
            }));
            redoneDatasets.Add(key);
        }

        // Stage 4: simulated annotations (three per unit).
        foreach (var subject in settings.Described)
        {
            string key = subject.Key!;
            string folder = DatasetFolder(dataRoot, key);
            string csv = Path.Combine(folder, AnnotationsFile);
            if (!Forced(WorldCorpusStage.Annotations) && !redoneDatasets.Contains(key) && File.Exists(csv))
            {
                timings.Add(new(WorldCorpusStage.Annotations, key, true, 0, 0));
                continue;
            }
            var (probeDataset, probeVariant) = subject.ProbeWorld;
            string probe = Path.Combine(WorldFolder(dataRoot, probeDataset, probeVariant), WorldCorpusSubject.ProbeSplit);
            timings.Add(Timed(WorldCorpusStage.Annotations, key,
                () => SimulatedAnnotation.Annotate(folder, probe, csv, settings.AnnotationSeed, progress: progress)));
        }

        var manifest = Describe(settings, dataRoot, modelsRoot);
        manifest.Write(dataRoot);
        return new WorldCorpusResult(manifest, timings);
    }

    public const string AnnotationsFile = "annotations.csv";

    private static void Train(WorldCorpusSubject subject, WorldCorpusSettings settings, string world, string folder, Device device, IProgress<WorkProgress>? progress)
    {
        using var train = new NpyImageSource(Path.Combine(world, "train"));
        using var val = new NpyImageSource(Path.Combine(world, "val"));
        using var test = new NpyImageSource(Path.Combine(world, "test"));
        var spec = new ModelSpec(subject.Architecture, Classes: train.ClassNames.Count, ImageSize: train.ImageSize, Width: subject.Width);
        using var trained = SubjectTraining.Train(spec, train, val, settings.Training with { Seed = subject.Seed, MaxEpochs = subject.MaxEpochs ?? settings.Training.MaxEpochs }, device, progress);
        trained.SetWorld(world);
        trained.Test(test, device, progress);
        trained.Save(folder);
    }

    /// <summary>A subject folder made for other settings (another profile, width or world) is refused, not silently reused.</summary>
    private static void CheckCard(string folder, WorldCorpusSubject subject, WorldCorpusSettings settings, string world)
    {
        string path = Path.Combine(folder, SubjectCard.FileName);
        var card = SubjectCard.Read(path);
        var expected = new ModelSpec(ModelArchitecture.Get(subject.Architecture).Name, card.Spec.Classes, settings.World.ImageSize, subject.Width);
        var problems = new List<string>();
        if (card.Spec != expected) problems.Add($"model {card.Spec.Architecture} width {card.Spec.Width} at {card.Spec.ImageSize} px, expected {expected.Architecture} width {expected.Width} at {expected.ImageSize} px");
        if (card.Training.Seed != subject.Seed) problems.Add($"seed {card.Training.Seed}, expected {subject.Seed}");
        if (card.World is null || Path.GetFullPath(card.World) != world) problems.Add($"world '{card.World}', expected '{world}'");
        if (problems.Count > 0)
            throw MilanInputException.InFile(path, $"this subject model was made with other settings ({string.Join("; ", problems)}); delete it or rerun with --force-stage subjects");
    }

    private static IReadOnlyList<string> ExpectedLayers(WorldCorpusSubject subject, WorldCorpusSettings settings) =>
        ModelArchitecture.Get(subject.Architecture).DefaultLayers(settings.World.ImageSize, subject.Width).Select(l => l.Name).ToList();

    private static bool ExemplarsComplete(string folder, IReadOnlyList<string> layers) =>
        ExemplarManifest.Read(folder) is { } manifest
        && layers.All(l => manifest.Layers.ContainsKey(l) && Directory.Exists(ExemplarLayout.LayerFolder(folder, l)));

    private static WorldCorpusManifest Describe(WorldCorpusSettings settings, string dataRoot, string modelsRoot)
    {
        var subjects = new SortedDictionary<string, WorldCorpusManifest.Subject>(StringComparer.Ordinal);
        foreach (var subject in settings.Subjects)
        {
            string folder = SubjectFolder(modelsRoot, subject.Name);
            var card = SubjectCard.Read(Path.Combine(folder, SubjectCard.FileName));
            subjects[subject.Name] = new WorldCorpusManifest.Subject(
                Relative(modelsRoot, folder), card.Spec.Architecture, card.Spec.Width,
                Relative(dataRoot, WorldFolder(dataRoot, subject.Dataset, subject.Variant)), card.Training.Seed,
                card.Validation.Overall, card.Test?.Overall ?? double.NaN);
        }
        var datasets = new SortedDictionary<string, WorldCorpusManifest.Dataset>(StringComparer.Ordinal);
        foreach (var subject in settings.Described)
        {
            string folder = DatasetFolder(dataRoot, subject.Key!);
            var exemplars = ExemplarManifest.Read(folder) ?? throw MilanInputException.InFile(folder, $"{ExemplarManifest.FileName} missing after the build");
            var layers = ExpectedLayers(subject, settings);
            int annotations = File.ReadLines(Path.Combine(folder, AnnotationsFile)).Count() - 1;
            var (probeDataset, probeVariant) = subject.ProbeWorld;
            datasets[subject.Key!] = new WorldCorpusManifest.Dataset(
                subject.Name,
                Relative(dataRoot, Path.Combine(WorldFolder(dataRoot, probeDataset, probeVariant), WorldCorpusSubject.ProbeSplit)),
                layers, (int)layers.Sum(l => exemplars.Layers[l].Units), annotations);
        }
        return new WorldCorpusManifest(settings.Profile.Name, subjects, datasets);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static WorldCorpusTiming Timed(WorldCorpusStage stage, string item, Action work)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        process.Refresh();
        return new WorldCorpusTiming(stage, item, false, clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
