using System.Diagnostics;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.IO;
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
    /// <param name="verify">how finished items are checked against their seals before they are skipped</param>
    public static WorldCorpusResult Build(WorldCorpusSettings settings, string dataRoot, string modelsRoot, Device device,
        WorldCorpusStage? force = null, IProgress<WorkProgress>? progress = null, SealCheck verify = SealCheck.Fast)
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
            if (Forced(WorldCorpusStage.Worlds) && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            bool complete = File.Exists(Path.Combine(folder, WorldManifest.FileName))
                            && WorldSettings.SplitNames.All(s => settings.World.Count(s) == 0 || Directory.Exists(Path.Combine(folder, s)));
            var repair = new Repair(WorldGenerator.DiscardDamagedSplits(folder, verify));
            if (complete && repair.None)
            {
                WorldGenerator.Generate(WorldDatasets.Named(dataset), variant, settings.World, folder); // checks the settings; writes nothing
                timings.Add(new(WorldCorpusStage.Worlds, Relative(dataRoot, folder), true, 0, 0));
                continue;
            }
            timings.Add(Timed(WorldCorpusStage.Worlds, Relative(dataRoot, folder),
                () => WorldGenerator.Generate(WorldDatasets.Named(dataset), variant, settings.World, folder, progress)) with { Repaired = repair.Note });
            // Regenerated splits with the bytes they had (worlds are deterministic) leave what was made from them valid.
            if (!(complete && repair.Restored())) redoneWorlds.Add(folder);
        }

        // Stage 2: subject models.
        var redoneSubjects = new HashSet<string>();
        foreach (var subject in settings.Subjects)
        {
            string folder = SubjectFolder(modelsRoot, subject.Name);
            string world = WorldFolder(dataRoot, subject.Dataset, subject.Variant);
            var repair = new Repair(Forced(WorldCorpusStage.Subjects) || !Directory.Exists(folder) ? [] : [StageSeal.DiscardIfDamaged(folder, verify)]);
            bool redo = Forced(WorldCorpusStage.Subjects) || redoneWorlds.Contains(world) || !File.Exists(Path.Combine(folder, SubjectCard.FileName));
            if (!redo)
            {
                CheckCard(folder, subject, settings, world, dataRoot);
                timings.Add(new(WorldCorpusStage.Subjects, subject.Name, true, 0, 0));
                continue;
            }
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            timings.Add(Timed(WorldCorpusStage.Subjects, subject.Name, () => Train(subject, settings, dataRoot, world, folder, device, progress)) with { Repaired = repair.Note });
            bool onlyRepaired = !Forced(WorldCorpusStage.Subjects) && !redoneWorlds.Contains(world) && repair.Restored();
            if (!onlyRepaired) redoneSubjects.Add(subject.Name);
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
            bool complete = !redo && ExemplarsComplete(folder, layers);
            var repair = redo ? new Repair([]) : DiscardDamagedExemplars(folder, layers, verify);
            if (complete && repair.None)
            {
                timings.Add(new(WorldCorpusStage.Exemplars, key, true, 0, 0));
                continue;
            }
            timings.Add(Timed(WorldCorpusStage.Exemplars, key, () =>
            {
                using var trained = TrainedSubject.Load(SubjectFolder(modelsRoot, subject.Name), device);
                using var source = new NpyImageSource(probe);
                var exemplarLayers = trained.Model.DefaultLayers.Select(l => new ExemplarLayer(l.Name, l.ModulePath)).ToList();
                var options = settings.Exemplars with { Model = subject.Name, ImageSourceName = RootedPath.Store(probe, dataRoot) };
                ExemplarComputation.Run(trained.Model, exemplarLayers, source, folder, options, progress);
            }) with { Repaired = repair.Note });
            if (!(complete && repair.Restored())) redoneDatasets.Add(key);
        }

        // Stage 4: simulated annotations (three per unit).
        foreach (var subject in settings.Described)
        {
            string key = subject.Key!;
            string folder = DatasetFolder(dataRoot, key);
            string csv = Path.Combine(folder, AnnotationsFile);
            string? repaired = null;
            if (File.Exists(csv) || StageSeal.Read(folder)?.ContainsKey(AnnotationsFile) == true)
            {
                var problems = StageSeal.Check(folder, verify, [AnnotationsFile]);
                if (problems.Count > 0)
                {
                    if (File.Exists(csv)) File.Delete(csv);
                    repaired = problems[0].ToString();
                }
            }
            if (!Forced(WorldCorpusStage.Annotations) && !redoneDatasets.Contains(key) && File.Exists(csv))
            {
                timings.Add(new(WorldCorpusStage.Annotations, key, true, 0, 0));
                continue;
            }
            var (probeDataset, probeVariant) = subject.ProbeWorld;
            string probe = Path.Combine(WorldFolder(dataRoot, probeDataset, probeVariant), WorldCorpusSubject.ProbeSplit);
            timings.Add(Timed(WorldCorpusStage.Annotations, key, () =>
            {
                SimulatedAnnotation.Annotate(folder, probe, csv, settings.AnnotationSeed, progress: progress);
                StageSeal.Record(folder, AnnotationsFile);
            }) with { Repaired = repaired });
        }

        var manifest = Describe(settings, dataRoot, modelsRoot);
        manifest.Write(dataRoot);
        return new WorldCorpusResult(manifest, timings);
    }

    public const string AnnotationsFile = "annotations.csv";

    private static void Train(WorldCorpusSubject subject, WorldCorpusSettings settings, string dataRoot, string world, string folder, Device device, IProgress<WorkProgress>? progress)
    {
        using var train = new NpyImageSource(Path.Combine(world, "train"));
        using var val = new NpyImageSource(Path.Combine(world, "val"));
        using var test = new NpyImageSource(Path.Combine(world, "test"));
        var spec = new ModelSpec(subject.Architecture, Classes: train.ClassNames.Count, ImageSize: train.ImageSize, Width: subject.Width);
        using var trained = SubjectTraining.Train(spec, train, val, settings.Training with { Seed = subject.Seed, MaxEpochs = subject.MaxEpochs ?? settings.Training.MaxEpochs }, device, progress);
        trained.SetWorld(world);
        trained.Test(test, device, progress);
        trained.Save(folder, dataRoot);
    }

    /// <summary>
    /// A subject folder made for other settings (another profile, width or world) is refused, not silently reused.
    /// The card's world is stored relative to the data root, so a copied or moved data root still matches; cards
    /// written before paths were stored relative (absolute paths elsewhere) are refused with a note saying so.
    /// </summary>
    private static void CheckCard(string folder, WorldCorpusSubject subject, WorldCorpusSettings settings, string world, string dataRoot)
    {
        string path = Path.Combine(folder, SubjectCard.FileName);
        var card = SubjectCard.Read(path);
        var expected = new ModelSpec(ModelArchitecture.Get(subject.Architecture).Name, card.Spec.Classes, settings.World.ImageSize, subject.Width);
        var problems = new List<string>();
        if (card.Spec != expected) problems.Add($"model {card.Spec.Architecture} width {card.Spec.Width} at {card.Spec.ImageSize} px, expected {expected.Architecture} width {expected.Width} at {expected.ImageSize} px");
        if (card.Training.Seed != subject.Seed) problems.Add($"seed {card.Training.Seed}, expected {subject.Seed}");
        if (card.World is null || RootedPath.Resolve(card.World, dataRoot) != world)
            problems.Add($"world '{card.World}', expected '{RootedPath.Store(world, dataRoot)}'"
                         + (card.World is not null && Path.IsPathRooted(card.World) ? " (an absolute path: cards written before issue 18 do not move with the data root)" : ""));
        if (problems.Count > 0)
            throw MilanInputException.InFile(path, $"this subject model was made with other settings ({string.Join("; ", problems)}); delete it or rerun with --force-stage subjects");
    }

    private static IReadOnlyList<string> ExpectedLayers(WorldCorpusSubject subject, WorldCorpusSettings settings) =>
        ModelArchitecture.Get(subject.Architecture).DefaultLayers(settings.World.ImageSize, subject.Width).Select(l => l.Name).ToList();

    /// <summary>
    /// Checks a dataset folder's exemplars against their seals: a damaged exemplars.json discards the
    /// whole folder; a damaged layer discards that layer (the next run of the exemplars recomputes it).
    /// </summary>
    private static Repair DiscardDamagedExemplars(string folder, IReadOnlyList<string> layers, SealCheck verify)
    {
        if (!Directory.Exists(folder)) return new Repair([]);
        if (File.Exists(Path.Combine(folder, ExemplarManifest.FileName)) || StageSeal.Read(folder)?.ContainsKey(ExemplarManifest.FileName) == true)
        {
            var problems = StageSeal.Check(folder, verify, [ExemplarManifest.FileName]);
            if (problems.Count > 0)
            {
                Directory.Delete(folder, recursive: true);
                return new Repair([new StageDamage(folder, problems, null)]);
            }
        }
        return new Repair(layers.Select(l => ExemplarLayout.LayerFolder(folder, l)).Where(Directory.Exists)
            .Select(l => StageSeal.DiscardIfDamaged(l, verify)).ToList());
    }

    /// <summary>The damaged items of one build item, discarded to be rebuilt.</summary>
    private sealed class Repair(IReadOnlyList<StageDamage?> found)
    {
        private readonly List<StageDamage> _damages = found.OfType<StageDamage>().ToList();

        public bool None => _damages.Count == 0;

        /// <summary>What was damaged, for the build's report (null when nothing was).</summary>
        public string? Note => None ? null : string.Join("; ", _damages.Select(d => d.Message));

        /// <summary>Something was damaged, and the rebuild gave back exactly the bytes recorded.</summary>
        public bool Restored() => !None && _damages.All(d => d.Restored());
    }

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
