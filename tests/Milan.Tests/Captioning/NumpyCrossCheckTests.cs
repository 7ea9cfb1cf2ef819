using System.Text.Json;
using Milan.Captioning;
using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

/// <summary>
/// The networks' arithmetic against an independent NumPy transcription of milan-spec §3.2 and §4
/// (Debian's Python), from the same weights: one decoder step from a given state, and the language
/// model's log-probabilities over a sequence.
/// </summary>
public class NumpyCrossCheckTests
{
    private static void Save(string folder, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        foreach (var (name, tensor) in tensors) Npy.Write(Path.Combine(folder, name + ".npy"), tensor.detach().cpu().contiguous());
    }

    private const string Helpers = """
        import json, os, sys
        import numpy as np
        folder = sys.argv[1]
        def w(name): return np.load(os.path.join(folder, name + '.npy')).astype(np.float64)
        def sigmoid(x): return 1 / (1 + np.exp(-x))
        def log_softmax(x):
            m = x.max(axis=-1, keepdims=True)
            return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))
        def lstm_cell(x, h, c, wi, wh, bi, bh):
            gates = x @ wi.T + bi + h @ wh.T + bh
            i, f, g, o = np.split(gates, 4, axis=-1)      # PyTorch gate order
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            return sigmoid(o) * np.tanh(c), c
        """;

    [Fact]
    public void A_decoder_step_matches_numpy()
    {
        manual_seed(21);
        using var decoder = new CaptionDecoder(new CaptionDecoderShape(FeatureSize: 7, VocabularySize: 11, EmbeddingSize: 5, HiddenSize: 6));
        decoder.eval();
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var features = randn(2, 4, 7);
        var tokens = tensor(new long[] { 3, 8 });
        var (h, c) = decoder.InitialState(features);
        var step = decoder.Step(features, decoder.ProjectKeys(features), tokens, h, c);
        Save(folder.Path, decoder.state_dict());
        Save(folder.Path, [new("features", features), new("tokens", tokens.to(ScalarType.Float32))]);

        string script = Helpers + "\n" + """
            F = w('features'); tokens = w('tokens').astype(int)
            mean = F.mean(axis=1)
            h = np.tanh(mean @ w('init_h.0.weight').T + w('init_h.0.bias'))
            c = np.tanh(mean @ w('init_c.0.weight').T + w('init_c.0.bias'))
            q = h @ w('attend.query_to_hidden.weight').T + w('attend.query_to_hidden.bias')
            k = F @ w('attend.key_to_hidden.weight').T + w('attend.key_to_hidden.bias')
            e = (np.tanh(q[:, None, :] + k) @ w('attend.output.0.weight').T)[..., 0] + w('attend.output.0.bias')
            a = np.exp(e - e.max(axis=1, keepdims=True)); a /= a.sum(axis=1, keepdims=True)
            z = (a[..., None] * F).sum(axis=1) * sigmoid(h @ w('feature_gate.0.weight').T + w('feature_gate.0.bias'))
            x = np.concatenate([w('embedding.weight')[tokens], z], axis=1)
            h2, c2 = lstm_cell(x, h, c, w('lstm.weight_ih'), w('lstm.weight_hh'), w('lstm.bias_ih'), w('lstm.bias_hh'))
            logp = log_softmax(h2 @ w('output.1.weight').T + w('output.1.bias'))
            print(json.dumps({'logp': logp.ravel().tolist(), 'attention': a.ravel().tolist(), 'h': h2.ravel().tolist()}))
            """;
        var expected = JsonSerializer.Deserialize<Dictionary<string, double[]>>(DebianPython.Run(script, folder.Path))!;
        AssertClose(expected["logp"], step.LogProbs);
        AssertClose(expected["attention"], step.Attention);
        AssertClose(expected["h"], step.H);
    }

    [Fact]
    public void Language_model_log_probabilities_match_numpy()
    {
        manual_seed(22);
        using var lm = new LanguageModel(new LanguageModelShape(VocabularySize: 9, PadId: 7, EmbeddingSize: 4, HiddenSize: 5));
        lm.eval();
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var inputs = tensor(new long[] { 5, 0, 3, 6, 7 }).unsqueeze(0);
        var logProbs = lm.LogProbs(inputs);
        Save(folder.Path, lm.state_dict());
        Save(folder.Path, [new("inputs", inputs.to(ScalarType.Float32))]);

        string script = Helpers + "\n" + """
            tokens = w('inputs').astype(int)[0]
            x = w('embedding.weight')[tokens]
            for layer in range(2):
                h = np.zeros(5); c = np.zeros(5); out = []
                for t in range(len(tokens)):
                    h, c = lstm_cell(x[t], h, c, w(f'lstm.weight_ih_l{layer}'), w(f'lstm.weight_hh_l{layer}'),
                                     w(f'lstm.bias_ih_l{layer}'), w(f'lstm.bias_hh_l{layer}'))
                    out.append(h)
                x = np.stack(out)
            print(json.dumps(log_softmax(x @ w('output.0.weight').T + w('output.0.bias')).ravel().tolist()))
            """;
        AssertClose(JsonSerializer.Deserialize<double[]>(DebianPython.Run(script, folder.Path))!, logProbs);
        // The padding embedding row is zero, as nn.Embedding(padding_idx) makes it.
        Assert.Equal(0f, lm.state_dict()["embedding.weight"][7].abs().sum().item<float>());
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], 4);
    }
}
