using System.Globalization;
using Milan.Language;
using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// A MILAN checkpoint of the reference implementation (evandez/neuron-descriptions; the released
/// <c>milan-&lt;group&gt;.pth</c> files, milan-spec §2.4). Its <c>serialize.py</c> stores
/// <c>torch.save({'properties', 'children', 'state_dict'})</c>: plain dictionaries with the decoder's
/// constructor arguments, each child serialized the same way (the indexer with its vocabulary and
/// tokenizer, the PyramidConvEncoder's config, the language model), and one state dict with the
/// decoder's, the encoder's (<c>encoder.encoder.model.*</c>, <c>encoder.mean/std</c>) and the language
/// model's (<c>lm.*</c>) tensors. The tokenizer's spaCy pipeline, stored as a (config, bytes) pair, is
/// checked for shape and otherwise ignored: <see cref="DescriptionTokenizer"/> re-implements the
/// tokenizer with the settings recorded here (which must be the reference's).
/// <para>Reading checks every field it uses and names the one that is wrong; a size or decoding setting
/// the file omits takes the reference constructor's default, as its deserialize does.</para>
/// </summary>
public sealed class ReferenceCheckpoint : IDisposable
{
    private const string BackbonePrefix = "encoder.encoder.model.";

    /// <summary>
    /// The reference's PyramidConvEncoder configs read here (torchvision ResNets hooked at conv1 and
    /// layer1..layer4; the released checkpoints use resnet101). Its 'alexnet' config is not: the
    /// reference's hooks there keep the convolutions' outputs after the in-place ReLU that follows
    /// them, which <see cref="PyramidEncoder"/>'s AlexNet layers (before the ReLU) do not reproduce.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> EncoderConfigs { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["resnet18"] = EncoderDescription.ResNetLayers,
        ["resnet50"] = EncoderDescription.ResNetLayers,
        ["resnet101"] = EncoderDescription.ResNetLayers,
    };

    /// <summary>Where the reference publishes its pretrained MILAN of a training group (hubs.HOST/models/milan-&lt;group&gt;.pth).</summary>
    public static string DownloadUrl(string group) => $"http://milan.csail.mit.edu/models/milan-{group}.pth";

    public string Path { get; }
    public Vocabulary Vocabulary { get; }
    public CaptionDecoderShape Decoder { get; }
    public LanguageModelShape LanguageModel { get; }

    /// <summary>The decoder's defaults (strategy, temperature = λ, beam_size, length) as decoding options.</summary>
    public DecodingOptions Decoding { get; }

    /// <summary>The encoder's config name (a torchvision architecture, e.g. resnet101).</summary>
    public string EncoderArchitecture { get; }

    public IReadOnlyList<string> EncoderLayers => EncoderConfigs[EncoderArchitecture];
    public float[] Mean { get; }
    public float[] Std { get; }

    /// <summary>The decoder's tensors by its state-dict names (init_h.0.weight, ...).</summary>
    public IReadOnlyDictionary<string, Tensor> DecoderWeights { get; }

    /// <summary>The language model's tensors without the "lm." prefix.</summary>
    public IReadOnlyDictionary<string, Tensor> LanguageModelWeights { get; }

    /// <summary>The encoder's backbone tensors with torchvision's names (conv1.weight, ...).</summary>
    public IReadOnlyDictionary<string, Tensor> BackboneWeights { get; }

    private ReferenceCheckpoint(string path, Vocabulary vocabulary, CaptionDecoderShape decoder, LanguageModelShape lm, DecodingOptions decoding,
        string encoder, float[] mean, float[] std, Dictionary<string, Tensor> decoderWeights, Dictionary<string, Tensor> lmWeights, Dictionary<string, Tensor> backbone)
    {
        Path = path;
        Vocabulary = vocabulary;
        Decoder = decoder;
        LanguageModel = lm;
        Decoding = decoding;
        EncoderArchitecture = encoder;
        Mean = mean;
        Std = std;
        DecoderWeights = decoderWeights;
        LanguageModelWeights = lmWeights;
        BackboneWeights = backbone;
    }

    /// <summary>Whether a file is a torch.save archive (what <see cref="Read"/> expects); says nothing of its contents.</summary>
    public static bool IsCandidate(string path) => File.Exists(path) && TorchSaveFile.LooksLikeArchive(path);

    /// <summary>Reads and checks a reference checkpoint; anything else is a <see cref="MilanInputException"/> naming the file.</summary>
    public static ReferenceCheckpoint Read(string path)
    {
        using var file = TorchSaveFile.Open(path);
        var fields = new Fields(path);
        var root = fields.Dict(file.Root, "the file",
            "not a reference MILAN checkpoint (expected the dictionary {'properties', 'children', 'state_dict'} that its serialize.py saves)");
        foreach (var key in new[] { "properties", "children", "state_dict" })
            if (!root.TryGet(key, out _))
                throw MilanInputException.InFile(path, $"not a reference MILAN checkpoint: no '{key}' (keys: {string.Join(", ", root.StringKeys)})");
        var properties = fields.Dict(fields.Get(root, "properties"), "properties");
        var children = fields.Dict(fields.Get(root, "children"), "children");
        string encoderKind = fields.String(fields.Get(children, "encoder", "children"), "children.encoder");
        if (encoderKind != "PyramidConvEncoder")
            throw MilanInputException.InFile(path, $"field 'children.encoder' is '{encoderKind}'; only MILAN's PyramidConvEncoder is supported");

        var words = ReadIndexer(fields, fields.Get(properties, "indexer", "properties"), "properties.indexer");
        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromWords(words);
        }
        catch (MilanInputException e)
        {
            throw MilanInputException.InFile(path, $"field 'properties.indexer...tokens': {e.Message}");
        }

        var lmNode = fields.Get(properties, "lm", "properties")
            ?? throw MilanInputException.InFile(path, "field 'properties.lm' is None: this MILAN has no language model p(d), which PMI decoding needs");
        var lmProperties = fields.Dict(fields.Get(fields.Dict(lmNode, "properties.lm"), "properties", "properties.lm"), "properties.lm.properties");
        var lmWords = ReadIndexer(fields, fields.Get(lmProperties, "indexer", "properties.lm.properties"), "properties.lm.properties.indexer");
        if (!lmWords.SequenceEqual(words))
            throw MilanInputException.InFile(path, "the language model's vocabulary differs from the decoder's (they must be the same list)");

        var encoder = fields.Dict(fields.Get(fields.Dict(fields.Get(properties, "encoder", "properties"), "properties.encoder"), "properties", "properties.encoder"),
            "properties.encoder.properties");
        string config = fields.String(Fields.Argument(encoder, "config", "resnet50"), "properties.encoder.properties.config");
        if (!EncoderConfigs.ContainsKey(config))
            throw MilanInputException.InFile(path, $"field 'properties.encoder.properties.config' is '{config}'; expected one of {string.Join(", ", EncoderConfigs.Keys)}");

        var tensors = file.Tensors(fields.Dict(fields.Get(root, "state_dict"), "state_dict"));
        try
        {
            var lmWeights = Take(tensors, "lm.");
            var backbone = Take(tensors, BackbonePrefix);
            var mean = Normalization(tensors, "encoder.mean", path);
            var std = Normalization(tensors, "encoder.std", path);
            var unexpected = tensors.Keys.Where(k => k.StartsWith("encoder.", StringComparison.Ordinal)).ToList();
            if (unexpected.Count > 0) throw MilanInputException.InFile(path, $"unexpected encoder tensors: {string.Join(", ", unexpected)}");
            if (!tensors.TryGetValue("init_h.0.weight", out var initH) || initH.dim() != 2)
                throw MilanInputException.InFile(path, "state_dict has no decoder tensor 'init_h.0.weight' of rank 2");

            int? attention = fields.OptionalInt(Fields.Argument(properties, "attention_hidden_size", null), "properties.attention_hidden_size");
            var decoder = new CaptionDecoderShape((int)initH.shape[1], vocabulary.Count,
                fields.Int(Fields.Argument(properties, "embedding_size", 128L), "properties.embedding_size"),
                fields.Int(Fields.Argument(properties, "hidden_size", 512L), "properties.hidden_size"),
                attention, fields.Number(Fields.Argument(properties, "dropout", 0.5), "properties.dropout"));
            var lm = new LanguageModelShape(vocabulary.Count, vocabulary.Pad,
                fields.Int(Fields.Argument(lmProperties, "embedding_size", 128L), "properties.lm.properties.embedding_size"),
                fields.Int(Fields.Argument(lmProperties, "hidden_size", 512L), "properties.lm.properties.hidden_size"),
                fields.Int(Fields.Argument(lmProperties, "layers", 2L), "properties.lm.properties.layers"),
                fields.Number(Fields.Argument(lmProperties, "dropout", 0.5), "properties.lm.properties.dropout"));
            try
            {
                decoder.Validate();
                lm.Validate();
            }
            catch (ArgumentException e)
            {
                throw MilanInputException.InFile(path, e.Message);
            }
            // The decoder resolves strategy None to rerank when it has an LM (it always has one here).
            string strategy = fields.String(Fields.Argument(properties, "strategy", null) ?? "rerank", "properties.strategy");
            var decoding = new DecodingOptions
            {
                Strategy = strategy switch
                {
                    "rerank" => DecodingStrategy.Rerank,
                    "beam" => DecodingStrategy.Beam,
                    "greedy" => DecodingStrategy.Greedy,
                    "sample" => DecodingStrategy.Sample,
                    _ => throw MilanInputException.InFile(path, $"field 'properties.strategy' is '{strategy}', expected rerank, beam, greedy or sample"),
                },
                Lambda = fields.Number(Fields.Argument(properties, "temperature", 0.2), "properties.temperature"),
                BeamSize = fields.Int(Fields.Argument(properties, "beam_size", 50L), "properties.beam_size"),
                MaxLength = fields.Int(Fields.Argument(properties, "length", 15L), "properties.length"),
            };
            return new ReferenceCheckpoint(path, vocabulary, decoder, lm, decoding, config, mean, std, tensors, lmWeights, backbone);
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
    }

    /// <summary>The vocabulary of a serialized lang.Indexer, after checking its flags and tokenizer settings.</summary>
    private static IReadOnlyList<string> ReadIndexer(Fields fields, object? node, string where)
    {
        var indexer = fields.Dict(fields.Get(fields.Dict(node, where), "properties", where), where + ".properties");
        string at = where + ".properties";
        foreach (var flag in new[] { "start", "stop", "pad", "unk" })
            if (fields.Get(indexer, flag, at) is not true)
                throw MilanInputException.InFile(fields.Path, $"field '{at}.{flag}' is not True; MILAN's ids (<start> = V ... <unk> = V+3) need all four specials");
        var vocab = fields.Dict(fields.Get(fields.Dict(fields.Get(indexer, "vocab", at), at + ".vocab"), "properties", at + ".vocab"), at + ".vocab.properties");
        var tokens = fields.Get(vocab, "tokens", at + ".vocab.properties") switch
        {
            PickledTuple t => t.Items,
            List<object?> l => l,
            _ => throw MilanInputException.InFile(fields.Path, $"field '{at}.vocab.properties.tokens' is not a tuple of strings"),
        };
        var words = tokens.Select((t, i) => t as string
            ?? throw MilanInputException.InFile(fields.Path, $"field '{at}.vocab.properties.tokens[{i}]' is not a string")).ToList();

        var tokenizer = fields.Dict(fields.Get(fields.Dict(fields.Get(indexer, "tokenize", at), at + ".tokenize"), "properties", at + ".tokenize"),
            at + ".tokenize.properties");
        string tokenizerAt = at + ".tokenize.properties";
        foreach (var (name, expected) in new[] { ("lemmatize", false), ("lowercase", true), ("ignore_stop", false), ("ignore_punct", false) })
            if (!Equals(fields.Get(tokenizer, name, tokenizerAt), expected))
                throw MilanInputException.InFile(fields.Path,
                    $"field '{tokenizerAt}.{name}' is not {(expected ? "True" : "False")}; this project's tokenizer follows MILAN's settings only");
        if (fields.Get(tokenizer, "nlp", tokenizerAt) is not PickledTuple { Count: 2 } pipeline || pipeline.Items[0] is not PickledDict || pipeline.Items[1] is not byte[])
            throw MilanInputException.InFile(fields.Path, $"field '{tokenizerAt}.nlp' is not the (config, bytes) pair of a spaCy pipeline");
        return words;
    }

    /// <summary>Moves the tensors whose names start with <paramref name="prefix"/> out of <paramref name="tensors"/>, without the prefix.</summary>
    private static Dictionary<string, Tensor> Take(Dictionary<string, Tensor> tensors, string prefix)
    {
        var taken = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var key in tensors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            taken[key[prefix.Length..]] = tensors[key];
            tensors.Remove(key);
        }
        return taken;
    }

    private static float[] Normalization(Dictionary<string, Tensor> tensors, string name, string path)
    {
        if (!tensors.Remove(name, out var tensor) || tensor.numel() != 3)
            throw MilanInputException.InFile(path, $"state_dict has no 3-value tensor '{name}' (the encoder's input normalisation)");
        using (tensor) return tensor.to(ScalarType.Float32).data<float>().ToArray();
    }

    public void Dispose()
    {
        foreach (var tensor in DecoderWeights.Values.Concat(LanguageModelWeights.Values).Concat(BackboneWeights.Values)) tensor.Dispose();
    }

    /// <summary>Typed access to pickled fields, with errors naming the file and the dotted field path.</summary>
    private sealed class Fields(string path)
    {
        public string Path => path;

        public PickledDict Dict(object? value, string field, string? problem = null) =>
            value as PickledDict ?? throw MilanInputException.InFile(path, problem ?? $"field '{field}' is not a dictionary");

        /// <summary>
        /// A constructor argument: the stored value, or the reference constructor's default when the file
        /// omits it (its deserialize passes the properties as keyword arguments).
        /// </summary>
        public static object? Argument(PickledDict dict, string key, object? defaultValue) => dict.TryGet(key, out var value) ? value : defaultValue;

        public object? Get(PickledDict dict, string key, string? parent = null) =>
            dict.TryGet(key, out var value) ? value
                : throw MilanInputException.InFile(path, $"field '{(parent is null ? key : parent + "." + key)}' missing");

        public string String(object? value, string field) =>
            value as string ?? throw MilanInputException.InFile(path, $"field '{field}' is not a string");

        public int Int(object? value, string field) =>
            value is long l && l is >= 0 and <= int.MaxValue ? (int)l : throw MilanInputException.InFile(path, $"field '{field}' is not a whole number");

        public int? OptionalInt(object? value, string field) => value is null ? null : Int(value, field);

        public double Number(object? value, string field) => value switch
        {
            double d => d,
            long l => l,
            _ => throw MilanInputException.InFile(path, $"field '{field}' is not a number"),
        };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"reference MILAN {System.IO.Path.GetFileName(Path)}: {Vocabulary.Words.Count} words, encoder {EncoderArchitecture}, features {Decoder.FeatureSize}");
}
