using System.Text;
using System.Text.Json;
using Milan.Language;

namespace Milan.Tests.Language;

/// <summary>
/// The RoBERTa encoder on a tiny random model that the test writes itself (config.json,
/// model.safetensors, vocab.json, merges.txt), checked against <see cref="RobertaGolden"/>: hidden
/// states from an independent implementation (PyTorch's TransformerEncoderLayer, see
/// Fixtures/make_roberta_golden.py) and token ids worked out by hand from the BPE merges.
/// </summary>
public sealed class RobertaTokenEncoderTests : IDisposable
{
    // Byte-level BPE vocabulary: "Ġ" is the space byte. Merges in rank order.
    private static readonly string[] vocabulary =
    [
        "<s>", "<pad>", "</s>", "<unk>", "Ġ", "r", "e", "d", "o", "g", "c", "a", "Ġr", "ed", "Ġred", "do", "dog",
        "Ġdog", "ca", "car", "Ġcar", "Ġa", ".", "s",
    ];

    private static readonly string[] merges = ["Ġ r", "e d", "Ġr ed", "d o", "do g", "Ġ dog", "c a", "ca r", "Ġ car", "Ġ a"];

    private readonly string folder = Path.Combine(Path.GetTempPath(), "milan-roberta-" + Guid.NewGuid().ToString("N"));

    public RobertaTokenEncoderTests()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["vocab_size"] = RobertaGolden.Vocabulary, ["hidden_size"] = RobertaGolden.Hidden,
            ["num_hidden_layers"] = RobertaGolden.Layers, ["num_attention_heads"] = RobertaGolden.Heads,
            ["intermediate_size"] = RobertaGolden.Intermediate, ["max_position_embeddings"] = RobertaGolden.Positions,
            ["type_vocab_size"] = 1, ["pad_token_id"] = RobertaGolden.PadId, ["layer_norm_eps"] = 1e-5,
            ["hidden_act"] = "gelu", ["position_embedding_type"] = "absolute",
        }));
        File.WriteAllText(Path.Combine(folder, "vocab.json"),
            JsonSerializer.Serialize(vocabulary.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i)));
        File.WriteAllLines(Path.Combine(folder, "merges.txt"), ["#version: 0.2", .. merges]);
        // Masked-LM checkpoints prefix the encoder's names with "roberta." and add a head to ignore.
        var tensors = MakeWeights().Select(w => ("roberta." + w.Name, "F32", w.Shape, w.Values)).ToList();
        tensors.Add(("lm_head.bias", "F32", [RobertaGolden.Vocabulary], new float[RobertaGolden.Vocabulary]));
        WriteSafetensors(Path.Combine(folder, "model.safetensors"), tensors);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Tokenizes_as_worked_out_by_hand_from_the_merges()
    {
        using var encoder = RobertaTokenEncoder.Load(folder, 0);
        foreach (var (sentence, ids, _) in RobertaGolden.Sentences.Where(s => !s.Sentence.Contains("prefix")))
            Assert.Equal(ids, encoder.TokenIds(sentence));
        // Without a prefix space (the reference's fast tokenizer) "red" at the start is r + ed;
        // with it, Ġred. An empty sentence is just <s> </s>.
        using var prefixed = RobertaTokenEncoder.Load(folder, 0, options: new RobertaEncoderOptions { AddPrefixSpace = true });
        Assert.Equal(RobertaGolden.Sentences.Single(s => s.Sentence.Contains("prefix")).Ids, prefixed.TokenIds("red dog"));
        Assert.Equal([0, 2], encoder.TokenIds("   "));
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 16)]
    [InlineData(2, 16)]
    [InlineData(2, 1)]
    public void Hidden_states_match_an_independent_implementation(int layer, int batchSize)
    {
        using var encoder = RobertaTokenEncoder.Load(folder, layer, options: new RobertaEncoderOptions { BatchSize = batchSize });
        var cases = RobertaGolden.Sentences.Where(s => !s.Sentence.Contains("prefix")).ToList();
        var encoded = encoder.Encode(cases.Select(c => c.Sentence).ToList());
        for (var i = 0; i < cases.Count; i++)
        {
            var expected = cases[i].States[layer];
            var actual = encoded[i].Embeddings.SelectMany(row => row).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (var k = 0; k < expected.Length; k++)
                Assert.True(Math.Abs(expected[k] - actual[k]) < 1e-4, $"{cases[i].Sentence} layer {layer} value {k}: {actual[k]} vs {expected[k]}");
            Assert.True(encoded[i].IsSpecial[0] && encoded[i].IsSpecial[^1] && !encoded[i].IsSpecial.Skip(1).SkipLast(1).Any(s => s));
        }
    }

    [Fact]
    public void BertScore_end_to_end_matches_the_reference_formula_on_the_golden_states()
    {
        using var encoder = RobertaTokenEncoder.Load(folder, RobertaGolden.Layers);
        var scorer = new BertScorer(new CosineTokenSimilarity(encoder), new BertScoreOptions { UseIdf = true });
        var result = scorer.Score(["red dog", "a red car."], [["red dogs", "dog"], ["red dog", "a red car."]]);
        for (var i = 0; i < 2; i++)
        {
            var expected = RobertaGolden.BertScores[i];
            var actual = result.PerCandidate[i];
            Assert.Equal(expected[0], actual.Precision, 5);
            Assert.Equal(expected[1], actual.Recall, 5);
            Assert.Equal(expected[2], actual.F, 5);
        }
        Assert.Contains("layer 2", result.ModelName);
    }

    [Fact]
    public void Bad_model_folders_are_reported()
    {
        Assert.Throws<MilanInputException>(() => RobertaTokenEncoder.Load(folder, RobertaGolden.Layers + 1));
        Assert.Throws<MilanInputException>(() => RobertaTokenEncoder.Load(Path.Combine(folder, "missing"), 1));
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"vocab_size\": 24}");
        Assert.Throws<MilanInputException>(() => RobertaTokenEncoder.Load(folder, 1));
    }

    [Fact]
    public void Half_precision_weights_are_read_as_float32()
    {
        var path = Path.Combine(folder, "half.safetensors");
        float[] values = [1.5f, -2f, 0.25f, 3f];
        WriteSafetensors(path, [("f16", "F16", [2, 2], values), ("bf16", "BF16", [4], values)]);
        var file = Milan.Torch.SafeTensorsFile.Open(path);
        using var f16 = file.Read("f16").to(TorchSharp.torch.ScalarType.Float32);
        using var bf16 = file.Read("bf16").to(TorchSharp.torch.ScalarType.Float32);
        Assert.Equal(values, f16.data<float>().ToArray());
        Assert.Equal([2L, 2], f16.shape);
        Assert.Equal(values, bf16.data<float>().ToArray());
    }

    /// <summary>The weights of make_roberta_golden.py: the same LCG, in the same order.</summary>
    private static List<(string Name, long[] Shape, float[] Values)> MakeWeights()
    {
        int v = RobertaGolden.Vocabulary, h = RobertaGolden.Hidden, inner = RobertaGolden.Intermediate;
        var specs = new List<(string, long[], string)>
        {
            ("embeddings.word_embeddings.weight", [v, h], "emb"),
            ("embeddings.position_embeddings.weight", [RobertaGolden.Positions, h], "emb"),
            ("embeddings.token_type_embeddings.weight", [1, h], "emb"),
            ("embeddings.LayerNorm.weight", [h], "norm_w"),
            ("embeddings.LayerNorm.bias", [h], "norm_b"),
        };
        for (var i = 0; i < RobertaGolden.Layers; i++)
        {
            var p = $"encoder.layer.{i}.";
            specs.AddRange(new (string, long[], string)[]
            {
                (p + "attention.self.query.weight", [h, h], "w"), (p + "attention.self.query.bias", [h], "b"),
                (p + "attention.self.key.weight", [h, h], "w"), (p + "attention.self.key.bias", [h], "b"),
                (p + "attention.self.value.weight", [h, h], "w"), (p + "attention.self.value.bias", [h], "b"),
                (p + "attention.output.dense.weight", [h, h], "w"), (p + "attention.output.dense.bias", [h], "b"),
                (p + "attention.output.LayerNorm.weight", [h], "norm_w"), (p + "attention.output.LayerNorm.bias", [h], "norm_b"),
                (p + "intermediate.dense.weight", [inner, h], "w"), (p + "intermediate.dense.bias", [inner], "b"),
                (p + "output.dense.weight", [h, inner], "w"), (p + "output.dense.bias", [h], "b"),
                (p + "output.LayerNorm.weight", [h], "norm_w"), (p + "output.LayerNorm.bias", [h], "norm_b"),
            });
        }
        var state = RobertaGolden.Seed;
        double Next()
        {
            unchecked { state = state * 6364136223846793005UL + 1442695040888963407UL; }
            return (state >> 11) * Math.Pow(2, -53) * 2.0 - 1.0;
        }
        return specs.Select(spec =>
        {
            var (name, shape, kind) = spec;
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (var k = 0; k < values.Length; k++)
            {
                var u = Next();
                values[k] = (float)(kind switch { "emb" => u, "norm_w" => 1.0 + 0.2 * u, "w" => 0.5 * u, _ => 0.1 * u });
            }
            return (name, shape, values);
        }).ToList();
    }

    private static void WriteSafetensors(string path, IReadOnlyList<(string Name, string DataType, long[] Shape, float[] Values)> tensors)
    {
        var header = new Dictionary<string, object>();
        var data = new MemoryStream();
        foreach (var (name, dtype, shape, values) in tensors)
        {
            var begin = data.Length;
            foreach (var value in values)
            {
                byte[] bytes = dtype switch
                {
                    "F32" => BitConverter.GetBytes(value),
                    "F16" => BitConverter.GetBytes((Half)value),
                    _ => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(value) >> 16)),
                };
                data.Write(bytes);
            }
            header[name] = new { dtype, shape, data_offsets = new[] { begin, data.Length } };
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((long)json.Length));
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
    }
}
