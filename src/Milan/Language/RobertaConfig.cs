using System.Text.Json;

namespace Milan.Language;

/// <summary>
/// The sizes of a RoBERTa-style encoder, read from a Hugging Face config.json
/// (roberta-large: hidden 1024, 24 layers, 16 heads, intermediate 4096, 514 positions, pad id 1).
/// </summary>
public sealed record RobertaConfig(
    int VocabularySize,
    int HiddenSize,
    int LayerCount,
    int HeadCount,
    int IntermediateSize,
    int MaxPositions,
    int TypeVocabularySize,
    int PadTokenId,
    double LayerNormEpsilon)
{
    /// <summary>The longest token sequence, special tokens included (positions start after the pad id).</summary>
    public int MaxSequenceLength => MaxPositions - PadTokenId - 1;

    /// <summary>Reads config.json; only the "gelu" activation and absolute positions are supported.</summary>
    public static RobertaConfig Load(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "config.json not found");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            int Int(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt32(out var i)
                ? i : throw MilanInputException.InFile(path, $"field '{name}' missing or not an integer");
            var activation = root.TryGetProperty("hidden_act", out var act) ? act.GetString() : "gelu";
            if (activation != "gelu")
                throw MilanInputException.InFile(path, $"field 'hidden_act' is '{activation}'; expected 'gelu'");
            if (root.TryGetProperty("position_embedding_type", out var pe) && pe.GetString() != "absolute")
                throw MilanInputException.InFile(path, $"field 'position_embedding_type' is '{pe.GetString()}'; expected 'absolute'");
            var config = new RobertaConfig(
                Int("vocab_size"), Int("hidden_size"), Int("num_hidden_layers"), Int("num_attention_heads"),
                Int("intermediate_size"), Int("max_position_embeddings"),
                root.TryGetProperty("type_vocab_size", out var tv) ? tv.GetInt32() : 1,
                root.TryGetProperty("pad_token_id", out var pad) ? pad.GetInt32() : 1,
                root.TryGetProperty("layer_norm_eps", out var eps) ? eps.GetDouble() : 1e-5);
            if (config.HiddenSize % config.HeadCount != 0)
                throw MilanInputException.InFile(path, $"hidden_size {config.HiddenSize} is not a multiple of num_attention_heads {config.HeadCount}");
            return config;
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(path, $"malformed JSON: {e.Message}");
        }
    }
}
