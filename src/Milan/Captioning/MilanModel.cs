using Milan.Annotations;
using Milan.IO;
using Milan.Language;
using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// A trained MILAN: the captioner p(d|E), the language prior p(d), their shared vocabulary and the
/// description of the encoder whose features they read (plus, for describing raw exemplars, that
/// encoder itself). Train from exemplar features or from exemplars; describe neurons; save to and load
/// from a folder (card.json + weights.safetensors).
/// </summary>
public sealed class MilanModel : IDisposable
{
    public Vocabulary Vocabulary => Card.Vocabulary;
    public CaptionDecoder Decoder { get; }
    public LanguageModel LanguageModel { get; }
    public MilanCard Card { get; private set; }
    public Device Device { get; }

    /// <summary>The encoder for <see cref="Describe(IReadOnlyList{NeuronExemplars}, DecodingOptions?, IProgress{WorkProgress}?)"/>; see <see cref="UseEncoder"/>.</summary>
    public PyramidEncoder? Encoder { get; private set; }

    private PyramidEncoder? _ownedEncoder;

    private MilanModel(MilanCard card, CaptionDecoder decoder, LanguageModel lm, Device device)
    {
        Card = card;
        Decoder = decoder;
        LanguageModel = lm;
        Device = device;
        decoder.eval();
        lm.eval();
    }

    /// <summary>
    /// Trains MILAN on precomputed exemplar features (N, K, D) and each neuron's annotations: builds the
    /// vocabulary from all annotations, splits neurons into training and validation, trains p(d) on the
    /// training neurons' annotations and p(d|E) with early stopping on <paramref name="metric"/>.
    /// </summary>
    public static MilanModel Train(
        Tensor features,
        IReadOnlyList<IReadOnlyList<string>> annotations,
        EncoderDescription encoder,
        MilanTrainingOptions options,
        ValidationMetric metric,
        Device device,
        IProgress<WorkProgress>? progress = null)
    {
        if (features.dim() != 3) throw new MilanInputException($"features must be (neurons, exemplars, features); got [{string.Join(",", features.shape)}]");
        int count = (int)features.shape[0];
        if (annotations.Count != count) throw new MilanInputException($"{count} neurons have features but {annotations.Count} have annotation lists");
        if (features.shape[2] != encoder.FeatureSize)
            throw new MilanInputException($"features have size {features.shape[2]}, but encoder {encoder.Architecture} gives {encoder.FeatureSize}");

        var vocabulary = Vocabulary.Build(annotations.SelectMany(a => a));
        var validation = options.ChooseValidation(count);
        var validationSet = validation.ToHashSet();
        var train = Enumerable.Range(0, count).Where(i => !validationSet.Contains(i)).ToArray();

        var lmShape = new LanguageModelShape(vocabulary.Count, vocabulary.Pad, options.EmbeddingSize, options.HiddenSize, Dropout: options.Dropout);
        var decoderShape = new CaptionDecoderShape(encoder.FeatureSize, vocabulary.Count, options.EmbeddingSize, options.HiddenSize, Dropout: options.Dropout);
        manual_seed(options.LanguageModel.Seed);
        var lm = new LanguageModel(lmShape);
        manual_seed(options.Captioner.Seed);
        var decoder = new CaptionDecoder(decoderShape);
        try
        {
            var lmReport = LanguageModelTrainer.Train(lm, vocabulary, train.SelectMany(i => annotations[i]).ToList(), options.LanguageModel, device, progress);
            var captionerReport = CaptionerTrainer.Train(decoder, vocabulary, features, annotations, train, validation, metric, options.Captioner, device, progress);
            var record = new MilanTrainingRecord(
                [.. options.DataKeys], count, annotations.Sum(a => a.Count), options.SplitSeed,
                options.ValidationNeurons is null ? options.HoldOut : null, validation,
                options.Captioner, options.LanguageModel, captionerReport, lmReport);
            var card = new MilanCard(vocabulary, decoderShape, lmShape, options.Decoding, encoder, record, WeightsSha256: "");
            return new MilanModel(card, decoder, lm, device);
        }
        catch
        {
            decoder.Dispose();
            lm.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains from exemplars: encodes them once with <paramref name="encoder"/> (cached under
    /// <paramref name="featureCacheFolder"/> by encoder and <paramref name="datasetKey"/>), then trains
    /// as the feature overload. The returned model keeps the encoder for describing new exemplars.
    /// </summary>
    public static MilanModel Train(
        IReadOnlyList<NeuronExemplars> neurons,
        IReadOnlyList<IReadOnlyList<string>> annotations,
        PyramidEncoder encoder,
        string featureCacheFolder,
        string datasetKey,
        MilanTrainingOptions options,
        ValidationMetric metric,
        IProgress<WorkProgress>? progress = null)
    {
        using var features = FeatureCache.GetOrCompute(featureCacheFolder, datasetKey, encoder, neurons, progress);
        var model = Train(features, annotations, encoder.Description, options, metric, encoder.Device, progress);
        model.Encoder = encoder;
        return model;
    }

    /// <summary>
    /// Trains on a MILANNOTATIONS dataset: every sample's exemplars (encoded once and cached under
    /// <paramref name="featureCacheFolder"/>) and annotations; the dataset's keys are recorded in the card.
    /// The metric defaults to the reference's BLEU.
    /// </summary>
    public static MilanModel Train(
        MilannotationsDataset data,
        PyramidEncoder encoder,
        string featureCacheFolder,
        MilanTrainingOptions options,
        ValidationMetric? metric = null,
        IProgress<WorkProgress>? progress = null)
    {
        var unannotated = data.Samples.FirstOrDefault(s => s.Annotations.Count == 0);
        if (unannotated is not null)
            throw new MilanInputException($"dataset {data.Name}: unit {unannotated.Id} has no annotations; train on annotated datasets only");
        var neurons = data.Samples.Select(NeuronExemplars.From).ToList();
        var annotations = data.Samples.Select(s => s.Annotations).ToList();
        var withKeys = options.DataKeys.Count > 0 ? options : options with { DataKeys = data.Keys.Select(k => k.Name).ToList() };
        return Train(neurons, annotations, encoder, featureCacheFolder, DatasetIdentity.Of(data), withKeys, metric ?? ValidationMetric.Bleu, progress);
    }

    /// <summary>Attaches the encoder that describes raw exemplars; it must be the one the model was trained with.</summary>
    public void UseEncoder(PyramidEncoder encoder)
    {
        var expected = Card.Encoder;
        var actual = encoder.Description;
        if (actual.Architecture != expected.Architecture || !actual.Layers.SequenceEqual(expected.Layers) || actual.FeatureSize != expected.FeatureSize
            || !actual.Mean.SequenceEqual(expected.Mean) || !actual.Std.SequenceEqual(expected.Std))
            throw new MilanInputException($"encoder {actual.Key} differs from the one this model was trained with ({expected.Key})");
        if (expected.WeightsSha256 is not null && actual.WeightsSha256 != expected.WeightsSha256)
            throw new MilanInputException(
                $"encoder weights {actual.WeightsFile ?? "(none)"} (sha256 {actual.WeightsSha256 ?? "none"}) are not the ones this model was trained with ({expected.WeightsFile}, sha256 {expected.WeightsSha256})");
        Encoder = encoder;
    }

    /// <summary>Describes neurons from their exemplar features (N, K, D).</summary>
    public IReadOnlyList<DecodedNeuron> Describe(Tensor features, DecodingOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        if (features.dim() != 3 || features.shape[2] != Decoder.Shape.FeatureSize)
            throw new MilanInputException($"features must be (neurons, exemplars, {Decoder.Shape.FeatureSize}); got [{string.Join(",", features.shape)}]");
        return CaptionDecoding.Decode(Decoder, LanguageModel, Vocabulary, features, options ?? Card.Decoding, Device, progress);
    }

    /// <summary>
    /// Describes neurons from their exemplars (needs <see cref="Encoder"/>): encodes them a few neurons
    /// at a time, then decodes the features in batches.
    /// </summary>
    public IReadOnlyList<DecodedNeuron> Describe(IReadOnlyList<NeuronExemplars> neurons, DecodingOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        var encoder = Encoder ?? throw new InvalidOperationException("describing exemplars needs the encoder: call UseEncoder first");
        if (neurons.Count == 0) return [];
        var batches = new List<Tensor>();
        try
        {
            int done = 0;
            foreach (var batch in encoder.EncodeNeurons(neurons))
            {
                batches.Add(batch);
                done += (int)batch.shape[0];
                progress?.Report(new WorkProgress("encode exemplars", done, neurons.Count));
            }
            using var features = cat(batches, 0);
            return Describe(features, options, progress);
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }
    }

    /// <summary>Writes card.json and weights.safetensors into a new folder, atomically.</summary>
    public void Save(string folder)
    {
        var weights = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in Decoder.state_dict()) weights[name] = tensor;
        foreach (var (name, tensor) in LanguageModel.state_dict()) weights["lm." + name] = tensor;
        try
        {
            AtomicDirectory.Create(folder, temporary =>
            {
                string weightsPath = Path.Combine(temporary, MilanCard.WeightsFileName);
                SafeTensors.Write(weightsPath, weights, new Dictionary<string, string> { ["format"] = MilanCard.Format });
                Card = Card with { WeightsSha256 = EncoderDescription.Sha256Of(weightsPath) };
                AtomicFile.WriteAllText(Path.Combine(temporary, MilanCard.FileName), Card.ToJson());
            });
        }
        catch (IOException e) when (Directory.Exists(folder))
        {
            throw new MilanInputException($"{folder}: already exists; choose another --out or remove it ({e.Message})");
        }
    }

    /// <summary>Loads a saved model, checking the card, the weights' hash and every tensor's name and shape.</summary>
    public static MilanModel Load(string folder, Device? device = null)
    {
        device ??= CPU;
        var card = MilanCard.Read(Path.Combine(folder, MilanCard.FileName));
        string weightsPath = Path.Combine(folder, MilanCard.WeightsFileName);
        string sha = EncoderDescription.Sha256Of(weightsPath);
        if (sha != card.WeightsSha256)
            throw MilanInputException.InFile(weightsPath, $"SHA-256 {sha} differs from the card's {card.WeightsSha256}: the weights do not belong to this card");
        var decoder = new CaptionDecoder(card.Decoder);
        var lm = new LanguageModel(card.LanguageModel);
        try
        {
            using (var contents = SafeTensors.Read(weightsPath))
            {
                var lmWeights = contents.Tensors.Where(p => p.Key.StartsWith("lm.", StringComparison.Ordinal))
                    .ToDictionary(p => p.Key["lm.".Length..], p => p.Value);
                var decoderWeights = contents.Tensors.Where(p => !p.Key.StartsWith("lm.", StringComparison.Ordinal))
                    .ToDictionary(p => p.Key, p => p.Value);
                ModuleWeights.Load(decoder, decoderWeights, weightsPath + " (captioner)");
                ModuleWeights.Load(lm, lmWeights, weightsPath + " (language model, 'lm.' keys)");
            }
            decoder.to(device);
            lm.to(device);
            return new MilanModel(card, decoder, lm, device);
        }
        catch
        {
            decoder.Dispose();
            lm.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a saved model with its encoder attached: the weights in <paramref name="encoderWeights"/>, or the file its
    /// card records (whose SHA-256 must match). The model owns that encoder and disposes it.
    /// </summary>
    public static MilanModel LoadWithEncoder(string folder, string? encoderWeights, Device device)
    {
        var model = Load(folder, device);
        try
        {
            string weights = encoderWeights ?? model.Card.Encoder.WeightsFile
                ?? throw MilanInputException.InFile(Path.Combine(folder, MilanCard.FileName), "records no encoder weights file; give the encoder weights explicitly (--encoder)");
            model._ownedEncoder = PyramidEncoder.FromWeights(weights, model.Card.Encoder.Architecture, device);
            model.UseEncoder(model._ownedEncoder);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Decoder.Dispose();
        LanguageModel.Dispose();
        _ownedEncoder?.Dispose();
    }
}
