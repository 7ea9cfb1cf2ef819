using Milan.Captioning;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

public class CaptionDecoderTests
{
    [Fact]
    public void Parameter_names_follow_the_reference_state_dict()
    {
        using var decoder = new CaptionDecoder(new CaptionDecoderShape(FeatureSize: 6, VocabularySize: 9, EmbeddingSize: 4, HiddenSize: 5));
        string[] expected =
        [
            "attend.key_to_hidden.bias", "attend.key_to_hidden.weight", "attend.output.0.bias", "attend.output.0.weight",
            "attend.query_to_hidden.bias", "attend.query_to_hidden.weight", "embedding.weight", "feature_gate.0.bias",
            "feature_gate.0.weight", "init_c.0.bias", "init_c.0.weight", "init_h.0.bias", "init_h.0.weight",
            "lstm.bias_hh", "lstm.bias_ih", "lstm.weight_hh", "lstm.weight_ih", "output.1.bias", "output.1.weight",
        ];
        Assert.Equal(expected, decoder.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Equal([20, 4 + 6], decoder.state_dict()["lstm.weight_ih"].shape);
        Assert.Equal([5, 6], decoder.state_dict()["attend.key_to_hidden.weight"].shape);   // attention hidden = min(5, 6)
    }

    [Fact]
    public void Greedy_decoding_scores_equal_teacher_forcing_the_decoded_tokens()
    {
        manual_seed(9);
        using var decoder = new CaptionDecoder(new CaptionDecoderShape(FeatureSize: 6, VocabularySize: 9, EmbeddingSize: 4, HiddenSize: 5));
        decoder.eval();
        var vocabulary = Milan.Language.Vocabulary.FromWords(["a", "b", "c", "d", "e"]);
        using var scope = NewDisposeScope();
        var features = randn(2, 3, 6);
        var decoded = CaptionDecoding.Decode(decoder, null, vocabulary, features, DecodingOptions.Greedy with { MaxLength = 6 }, CPU);
        using var noGrad = no_grad();
        for (int n = 0; n < 2; n++)
        {
            var tokens = decoded[n].Tokens;
            var inputs = tensor(new long[] { vocabulary.Start }.Concat(tokens[..^1].Select(t => (long)t)).ToArray()).unsqueeze(0);
            var (logProbs, attention) = decoder.TeacherForce(features[n..(n + 1)], inputs);
            double expected = tokens.Select((t, i) => (double)logProbs[0, i, t].item<float>()).Sum();
            Assert.Equal(expected, decoded[n].Score, 4);
            Assert.True(attention.sum(-1).allclose(ones(1, tokens.Length), atol: 1e-5));
        }
    }

    [Fact]
    public void The_attention_uses_the_previous_hidden_state()
    {
        manual_seed(4);
        using var decoder = new CaptionDecoder(new CaptionDecoderShape(FeatureSize: 6, VocabularySize: 9, EmbeddingSize: 4, HiddenSize: 5));
        decoder.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var features = randn(1, 3, 6);
        var (h, c) = decoder.InitialState(features);
        var keys = decoder.ProjectKeys(features);
        var first = decoder.Step(features, keys, tensor(new long[] { 5 }), h, c);
        // The same previous state with another input token attends identically.
        var other = decoder.Step(features, keys, tensor(new long[] { 2 }), h, c);
        Assert.True(first.Attention.allclose(other.Attention));
        Assert.False(first.LogProbs.allclose(other.LogProbs));
    }
}
