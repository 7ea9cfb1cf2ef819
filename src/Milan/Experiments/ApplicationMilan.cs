using System.Security.Cryptography;
using System.Text;
using Milan.Annotations;
using Milan.Captioning;
using Milan.Corpus;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// The MILAN the applications use to describe units, with its encoder and decoding settings. By
/// default it is trained on <see cref="TrainingData"/> (alexnet/world-a, resnet18/world-b and the
/// world-b spurious-text ResNet18, whose units give it descriptions that mention text; none
/// of the described world-a ResNet18s is in its training data, as in the paper) and stored at
/// <see cref="WorldCorpusLayout.ApplicationMilanFolder"/>; any folder written by <c>milan train</c> works instead.
/// </summary>
public sealed class ApplicationMilan : IDisposable
{
    public const string TrainingData = "alexnet/world-a,resnet18/world-b,resnet18/world-b-spurious-text";

    public MilanModel Model { get; }
    public PyramidEncoder Encoder { get; }
    public DecodingOptions Decoding { get; }
    public string Folder { get; }

    private ApplicationMilan(MilanModel model, PyramidEncoder encoder, DecodingOptions decoding, string folder)
    {
        Model = model;
        Encoder = encoder;
        Decoding = decoding;
        Folder = folder;
    }

    /// <summary>
    /// Training sizes per profile: tiny trains a small network for 2 epochs; demo the reference's sizes for at most
    /// 12 captioner epochs with the reference's patience 4 and 3 language-model epochs; paper the reference's settings.
    /// </summary>
    /// <remarks>
    /// The demo captioner had at most 4 epochs (patience 2) before: validation BLEU on its 54 held-out units is noisy
    /// (16.1 at epoch 2, 9.7, 16.1), early stopping kept epoch 2 while the validation loss still fell (2.21 to 1.89),
    /// and that captioner described the world-a ResNet18's 128 units with 7 distinct phrases, none naming faces.
    /// With 12 epochs it kept epoch 7 (BLEU 41.6) and gave 34 distinct greedy descriptions (docs/experiments.md).
    /// The demo captioner stops on validation loss: on those 54 units BLEU jumps between epochs (5.6 to 26.8 and back),
    /// and stopping on it kept epoch 7, 11 and 3 for seeds 0, 1 and 2, whose MILANs named faces for 6, 16 and 0 units
    /// of the world-a ResNet18 (docs/experiments.md, "Seeds"). Table 2/3 stop on loss at demo size for the same reason.
    /// </remarks>
    public static MilanTrainingOptions TrainingOptions(Profile profile, int seed = 0) => profile.Choose(
        new MilanTrainingOptions
        {
            EmbeddingSize = 64, HiddenSize = 128, SplitSeed = seed,
            Captioner = new CaptionerTrainingSettings { MaxEpochs = 2, Patience = 1, Seed = seed },
            LanguageModel = new LanguageModelTrainingSettings { MaxEpochs = 2, Patience = 1, Seed = seed },
        },
        new MilanTrainingOptions
        {
            SplitSeed = seed,
            Captioner = new CaptionerTrainingSettings { MaxEpochs = 12, Patience = 4, StopOnMetric = false, Seed = seed },
            LanguageModel = new LanguageModelTrainingSettings { MaxEpochs = 3, Patience = 2, Seed = seed },
        },
        new MilanTrainingOptions { SplitSeed = seed, Captioner = new() { Seed = seed }, LanguageModel = new() { Seed = seed } });

    /// <summary>Decoding per profile: PMI rerank with λ 0.2 (the reference's) and a beam of 5 (tiny), 20 (demo) or 50 (paper, the reference's).</summary>
    public static DecodingOptions DecodingFor(Profile profile) =>
        DecodingOptions.Default with { BeamSize = profile.Choose(5, 20, 50) };

    /// <summary>Loads a MILAN folder and the encoder its card records (or <paramref name="encoderWeights"/>, which must hash the same).</summary>
    public static ApplicationMilan Load(string folder, Device device, DecodingOptions? decoding = null, string? encoderWeights = null)
    {
        var model = MilanModel.Load(folder, device);
        try
        {
            string weights = encoderWeights ?? model.Card.Encoder.WeightsFile
                ?? throw MilanInputException.InFile(Path.Combine(folder, MilanCard.FileName), "the card records no encoder weights file; pass the encoder weights");
            var encoder = PyramidEncoder.FromWeights(weights, model.Card.Encoder.Architecture, device);
            try
            {
                model.UseEncoder(encoder);
                return new ApplicationMilan(model, encoder, decoding ?? model.Card.Decoding, Path.GetFullPath(folder));
            }
            catch
            {
                encoder.Dispose();
                throw;
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the applications' MILAN from <paramref name="folder"/> (default
    /// <see cref="WorldCorpusLayout.ApplicationMilanFolder"/>), training it first on <see cref="TrainingData"/>
    /// of the layout's data root, with the layout's encoder, when the folder holds no MILAN (sizes from
    /// <paramref name="profile"/>, features cached in <see cref="WorldCorpusLayout.FeatureCache"/>).
    /// Decoding follows <see cref="DecodingFor"/>.
    /// </summary>
    public static ApplicationMilan LoadOrTrain(WorldCorpusLayout layout, Profile profile, Device device, string? folder = null,
                                               int seed = 0, IProgress<WorkProgress>? progress = null)
    {
        var options = TrainingOptions(profile, seed) with { Decoding = DecodingFor(profile) };
        bool ownFolder = folder is null;
        folder ??= layout.ApplicationMilanFolderFor(seed);
        string card = Path.Combine(folder, MilanCard.FileName);
        // A trained MILAN whose files were deleted or changed since it was written is trained again.
        if (File.Exists(card) && StageSeal.DiscardIfDamaged(folder) is { } damage)
            progress?.Report(new WorkProgress("applications' MILAN", 0, 1, damage.Message));
        // So is one in the default folder that was trained with other settings (an earlier release's); a folder the caller names is used as it is.
        if (ownFolder && File.Exists(card) && MilanCard.Read(card).Training is { } earlier
            && (earlier.CaptionerSettings != options.Captioner || earlier.LanguageModelSettings != options.LanguageModel))
        {
            progress?.Report(new WorkProgress("applications' MILAN", 0, 1, $"{folder} was trained with other settings than the {profile} profile's; training it again"));
            Directory.Delete(folder, recursive: true);
        }
        if (!File.Exists(card))
        {
            using var data = MilannotationsDataset.Load(TrainingData, new TopImagesLoadOptions { DataRoot = layout.DataRoot }, progress);
            using var encoder = PyramidEncoder.FromWeights(layout.EncoderWeights, null, device);
            using var trained = MilanModel.Train(data, encoder, layout.FeatureCache, options, ValidationMetric.Bleu, progress);
            trained.Save(folder);
        }
        return Load(folder, device, DecodingFor(profile), layout.EncoderWeights);
    }

    /// <summary>Describes every unit of an exemplar folder (MILANNOTATIONS layout; annotations ignored).</summary>
    public IReadOnlyList<UnitDescription> Describe(string exemplarFolder, IProgress<WorkProgress>? progress = null)
    {
        using var data = OpenExemplars(exemplarFolder, progress);
        return Describe(data, progress);
    }

    /// <summary>
    /// <see cref="Describe(string, IProgress{WorkProgress}?)"/>, reusing the descriptions saved in
    /// <paramref name="cacheFolder"/> (default: descriptions/ in this MILAN's folder) by an earlier call
    /// with the same MILAN weights, decoding settings and exemplars (the file name hashes all three).
    /// </summary>
    public IReadOnlyList<UnitDescription> DescribeCached(string exemplarFolder, string? cacheFolder = null, IProgress<WorkProgress>? progress = null)
    {
        cacheFolder ??= Path.Combine(Folder, "descriptions");
        using var data = OpenExemplars(exemplarFolder, progress);
        string key = $"milan={Model.Card.WeightsSha256}\ndecoding={Decoding}\nexemplars={DatasetIdentity.Of(data)}\n";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        string path = Path.Combine(cacheFolder, $"descriptions-{hash}.csv");
        if (File.Exists(path)) return UnitDescription.ReadCsv(path);
        var described = Describe(data, progress);
        Directory.CreateDirectory(cacheFolder);
        UnitDescription.WriteCsv(path, described);
        return described;
    }

    private static MilannotationsDataset OpenExemplars(string exemplarFolder, IProgress<WorkProgress>? progress) =>
        MilannotationsDataset.Load(Path.GetFullPath(exemplarFolder), new TopImagesLoadOptions { LoadAnnotations = false, MissingImages = MissingImages.Fail }, progress);

    private IReadOnlyList<UnitDescription> Describe(MilannotationsDataset data, IProgress<WorkProgress>? progress)
    {
        var described = Model.Describe(data.Samples.Select(NeuronExemplars.From).ToList(), Decoding, progress);
        return data.Samples.Zip(described, (s, d) => new UnitDescription(s.Layer, s.Unit, d.Description)).ToList();
    }

    public void Dispose()
    {
        Model.Dispose();
        Encoder.Dispose();
    }
}
