using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Milan.IO;
using Milan.Language;

namespace Milan.Captioning;

/// <summary>
/// The JSON card of a saved MILAN model (<c>card.json</c> beside <c>weights.safetensors</c>): the
/// vocabulary and special ids, the network sizes, the default decoding settings, the encoder that made
/// the features, what it was trained on (data keys, split seed, validation neurons, settings) and the
/// validation scores. Reading checks every field and names the one that is wrong. The encoder's
/// weights file is stored relative to MILAN_MODELS_DIR when it lies inside it. A model read from a
/// reference checkpoint has no training record here; <see cref="ImportedFrom"/> names that file.
/// </summary>
public sealed record MilanCard(
    Vocabulary Vocabulary,
    CaptionDecoderShape Decoder,
    LanguageModelShape LanguageModel,
    DecodingOptions Decoding,
    EncoderDescription Encoder,
    MilanTrainingRecord? Training,
    string WeightsSha256,
    string? ImportedFrom = null)
{
    public const string Format = "milan-captioner/1";
    public const string FileName = "card.json";
    public const string WeightsFileName = "weights.safetensors";

    // Relaxed escaping keeps "<unk>" and non-ASCII words readable in the card.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Training histories may hold NaN (no validation annotations) or infinities.
    private static readonly JsonSerializerOptions Numbers = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public string ToJson()
    {
        var specials = new JsonObject();
        foreach (var token in Vocabulary.SpecialTokens) specials[token] = Vocabulary.IdOf(token);
        var card = new JsonObject
        {
            ["format"] = Format,
            ["vocabulary"] = new JsonObject
            {
                ["words"] = new JsonArray(Vocabulary.Words.Select(w => (JsonNode)w).ToArray()),
                ["specials"] = specials,
            },
            ["decoder"] = new JsonObject
            {
                ["feature_size"] = Decoder.FeatureSize,
                ["vocabulary_size"] = Decoder.VocabularySize,
                ["embedding_size"] = Decoder.EmbeddingSize,
                ["hidden_size"] = Decoder.HiddenSize,
                ["attention_hidden_size"] = Decoder.AttentionHiddenSize,
                ["dropout"] = Decoder.Dropout,
            },
            ["language_model"] = new JsonObject
            {
                ["vocabulary_size"] = LanguageModel.VocabularySize,
                ["pad_id"] = LanguageModel.PadId,
                ["embedding_size"] = LanguageModel.EmbeddingSize,
                ["hidden_size"] = LanguageModel.HiddenSize,
                ["layers"] = LanguageModel.Layers,
                ["dropout"] = LanguageModel.Dropout,
            },
            ["decoding"] = new JsonObject
            {
                ["strategy"] = Decoding.Strategy.ToString().ToLowerInvariant(),
                ["lambda"] = Decoding.Lambda,
                ["beam_size"] = Decoding.BeamSize,
                ["max_length"] = Decoding.MaxLength,
                ["lm_scoring"] = Decoding.LmScoring == LmScoring.Corrected ? "corrected" : "reference-quirk",
                ["allow_empty"] = Decoding.AllowEmpty,
            },
            // The encoder's weights usually live in the models root: stored relative to it, the card moves with the root.
            ["encoder"] = JsonSerializer.SerializeToNode(Encoder with { WeightsFile = RootedPath.StoreIfPath(Encoder.WeightsFile, MilanRoots.Models) }, Numbers),
            ["training"] = JsonSerializer.SerializeToNode(Training, Numbers),
            ["weights"] = new JsonObject { ["file"] = WeightsFileName, ["sha256"] = WeightsSha256 },
        };
        if (ImportedFrom is not null) card["imported_from"] = ImportedFrom;
        return card.ToJsonString(Indented);
    }

    /// <summary>Reads and checks a card; every problem is a <see cref="MilanInputException"/> naming the field.</summary>
    public static MilanCard Read(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw MilanInputException.InFile(path, "model card not found (is this a folder written by 'milan train'?)");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(InputFile.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty document");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw MilanInputException.InFile(path, $"not valid JSON ({e.Message})");
        }
        var reader = new CardReader(path, root);
        string format = reader.Get<string>("format");
        if (format != Format) throw MilanInputException.InFile(path, $"field 'format' is '{format}', expected '{Format}'");

        var words = reader.Array("vocabulary.words").Select((w, i) => w?.GetValue<string>()
            ?? throw MilanInputException.InFile(path, $"field 'vocabulary.words[{i}]' is not a string")).ToList();
        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromWords(words);
        }
        catch (MilanInputException e)
        {
            throw MilanInputException.InFile(path, $"field 'vocabulary.words': {e.Message}");
        }
        foreach (var token in Vocabulary.SpecialTokens)
        {
            int id = reader.Get<int>($"vocabulary.specials.{token}");
            if (id != vocabulary.IdOf(token))
                throw MilanInputException.InFile(path, $"field 'vocabulary.specials.{token}' is {id}, expected {vocabulary.IdOf(token)} (specials follow the {words.Count} words)");
        }

        var decoder = new CaptionDecoderShape(
            reader.Get<int>("decoder.feature_size"), reader.Get<int>("decoder.vocabulary_size"),
            reader.Get<int>("decoder.embedding_size"), reader.Get<int>("decoder.hidden_size"),
            reader.Get<int>("decoder.attention_hidden_size"), reader.Get<double>("decoder.dropout"));
        var lm = new LanguageModelShape(
            reader.Get<int>("language_model.vocabulary_size"), reader.Get<int>("language_model.pad_id"),
            reader.Get<int>("language_model.embedding_size"), reader.Get<int>("language_model.hidden_size"),
            reader.Get<int>("language_model.layers"), reader.Get<double>("language_model.dropout"));
        if (decoder.VocabularySize != vocabulary.Count)
            throw MilanInputException.InFile(path, $"field 'decoder.vocabulary_size' is {decoder.VocabularySize}, but the vocabulary has {vocabulary.Count} tokens with specials");
        if (lm.VocabularySize != vocabulary.Count || lm.PadId != vocabulary.Pad)
            throw MilanInputException.InFile(path, $"fields 'language_model.vocabulary_size'/'pad_id' ({lm.VocabularySize}/{lm.PadId}) do not match the vocabulary ({vocabulary.Count}/{vocabulary.Pad})");
        try
        {
            decoder.Validate();
            lm.Validate();
        }
        catch (ArgumentException e)
        {
            throw MilanInputException.InFile(path, e.Message);
        }

        string strategy = reader.Get<string>("decoding.strategy");
        string scoring = reader.Get<string>("decoding.lm_scoring");
        var decoding = new DecodingOptions
        {
            Strategy = Enum.TryParse<DecodingStrategy>(strategy, ignoreCase: true, out var s) && strategy.All(char.IsLetter) ? s
                : throw MilanInputException.InFile(path, $"field 'decoding.strategy' is '{strategy}', expected greedy, sample, beam or rerank"),
            Lambda = reader.Get<double>("decoding.lambda"),
            BeamSize = reader.Get<int>("decoding.beam_size"),
            MaxLength = reader.Get<int>("decoding.max_length"),
            LmScoring = scoring switch
            {
                "corrected" => LmScoring.Corrected,
                "reference-quirk" => LmScoring.ReferenceQuirk,
                _ => throw MilanInputException.InFile(path, $"field 'decoding.lm_scoring' is '{scoring}', expected corrected or reference-quirk"),
            },
            // Cards written before the field existed decode with today's default (no empty descriptions).
            AllowEmpty = root["decoding"]?["allow_empty"] is not null && reader.Get<bool>("decoding.allow_empty"),
        };

        var encoder = reader.Deserialize<EncoderDescription>("encoder");
        if (encoder.WeightsFile is { } stored) encoder = encoder with { WeightsFile = RootedPath.Resolve(stored, MilanRoots.Models) };
        if (encoder.Layers is null || encoder.Layers.Count == 0 || encoder.Mean is not { Count: 3 } || encoder.Std is not { Count: 3 } || string.IsNullOrEmpty(encoder.Architecture))
            throw MilanInputException.InFile(path, "field 'encoder' needs arch, layers, feature_size and 3-value mean and std");
        if (encoder.FeatureSize != decoder.FeatureSize)
            throw MilanInputException.InFile(path, $"field 'encoder.feature_size' is {encoder.FeatureSize}, but the decoder reads {decoder.FeatureSize}");
        string? importedFrom = root["imported_from"] is null ? null : reader.Get<string>("imported_from");
        var training = importedFrom is not null && root["training"] is null ? null : reader.Deserialize<MilanTrainingRecord>("training");
        string weightsFile = reader.Get<string>("weights.file");
        if (weightsFile != WeightsFileName)
            throw MilanInputException.InFile(path, $"field 'weights.file' is '{weightsFile}', expected '{WeightsFileName}'");
        return new MilanCard(vocabulary, decoder, lm, decoding, encoder, training, reader.Get<string>("weights.sha256"), importedFrom);
    }

    private sealed class CardReader(string path, JsonObject root)
    {
        private JsonNode? Find(string field)
        {
            JsonNode? node = root;
            foreach (var part in SplitField(field))
            {
                node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
                if (node is null) throw MilanInputException.InFile(path, $"field '{field}' missing");
            }
            return node;
        }

        // Special tokens contain no dots, so a dotted path splits cleanly.
        private static string[] SplitField(string field) => field.Split('.');

        public T Get<T>(string field)
        {
            try
            {
                return Find(field)!.GetValue<T>();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw MilanInputException.InFile(path, $"field '{field}' is not a {typeof(T).Name.ToLowerInvariant()}");
            }
        }

        public JsonArray Array(string field) =>
            Find(field) as JsonArray ?? throw MilanInputException.InFile(path, $"field '{field}' is not a list");

        public T Deserialize<T>(string field)
        {
            try
            {
                return Find(field).Deserialize<T>(Numbers) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw MilanInputException.InFile(path, $"field '{field}' is malformed ({e.Message})");
            }
        }
    }
}
