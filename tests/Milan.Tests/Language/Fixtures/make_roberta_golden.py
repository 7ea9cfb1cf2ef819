#!/usr/bin/python3
"""Writes ../RobertaGolden.cs: reference outputs of a tiny RoBERTa for RobertaTokenEncoderTests.

Run once by hand (CI does not run it):  apt-get install python3-torch, then
    /usr/bin/python3 tests/Milan.Tests/Language/Fixtures/make_roberta_golden.py

The weights are not stored anywhere: both this script and the C# test make them with the same
64-bit linear congruential generator, in the order of `weight_specs()`. The hidden states here
come from an implementation independent of the C# one: torch.nn.TransformerEncoderLayer
(post-LayerNorm, exact GELU, batch_first) with the RoBERTa weights copied in, after RoBERTa's
embeddings (word + position from pad_id + 1 + token type 0, LayerNorm). BERTScore is then
computed from these states with the formula of bert-score 0.3.11 written out below.
"""
import math
import os
import torch

V, H, HEADS, INTER, LAYERS, POSITIONS, PAD, EPS = 24, 8, 2, 16, 2, 20, 1, 1e-5
MASK64 = (1 << 64) - 1


class Lcg:
    def __init__(self, seed):
        self.x = seed

    def next_uniform(self):
        """Uniform in [-1, 1): x <- a*x + c mod 2^64; top 53 bits as a fraction."""
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & MASK64
        return (self.x >> 11) * (2.0 ** -53) * 2.0 - 1.0


def weight_specs():
    """(name, shape, kind) in generation order; kind: emb, norm_w, norm_b, w, b."""
    specs = [("embeddings.word_embeddings.weight", (V, H), "emb"),
             ("embeddings.position_embeddings.weight", (POSITIONS, H), "emb"),
             ("embeddings.token_type_embeddings.weight", (1, H), "emb"),
             ("embeddings.LayerNorm.weight", (H,), "norm_w"),
             ("embeddings.LayerNorm.bias", (H,), "norm_b")]
    for i in range(LAYERS):
        p = "encoder.layer.%d." % i
        specs += [(p + "attention.self.query.weight", (H, H), "w"), (p + "attention.self.query.bias", (H,), "b"),
                  (p + "attention.self.key.weight", (H, H), "w"), (p + "attention.self.key.bias", (H,), "b"),
                  (p + "attention.self.value.weight", (H, H), "w"), (p + "attention.self.value.bias", (H,), "b"),
                  (p + "attention.output.dense.weight", (H, H), "w"), (p + "attention.output.dense.bias", (H,), "b"),
                  (p + "attention.output.LayerNorm.weight", (H,), "norm_w"), (p + "attention.output.LayerNorm.bias", (H,), "norm_b"),
                  (p + "intermediate.dense.weight", (INTER, H), "w"), (p + "intermediate.dense.bias", (INTER,), "b"),
                  (p + "output.dense.weight", (H, INTER), "w"), (p + "output.dense.bias", (H,), "b"),
                  (p + "output.LayerNorm.weight", (H,), "norm_w"), (p + "output.LayerNorm.bias", (H,), "norm_b")]
    return specs


def make_weights():
    rng = Lcg(20220125)
    weights = {}
    for name, shape, kind in weight_specs():
        n = math.prod(shape)
        u = [rng.next_uniform() for _ in range(n)]
        if kind == "emb":
            v = u
        elif kind == "norm_w":
            v = [1.0 + 0.2 * x for x in u]
        elif kind == "norm_b":
            v = [0.1 * x for x in u]
        elif kind == "w":
            v = [0.5 * x for x in u]
        else:
            v = [0.1 * x for x in u]
        weights[name] = torch.tensor(v, dtype=torch.float64).to(torch.float32).reshape(shape)
    return weights


def build_layers(w):
    layers = []
    for i in range(LAYERS):
        p = "encoder.layer.%d." % i
        layer = torch.nn.TransformerEncoderLayer(H, HEADS, dim_feedforward=INTER, dropout=0.0, activation="gelu",
                                                 layer_norm_eps=EPS, batch_first=True, norm_first=False)
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat([w[p + "attention.self.query.weight"], w[p + "attention.self.key.weight"], w[p + "attention.self.value.weight"]]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([w[p + "attention.self.query.bias"], w[p + "attention.self.key.bias"], w[p + "attention.self.value.bias"]]))
            layer.self_attn.out_proj.weight.copy_(w[p + "attention.output.dense.weight"])
            layer.self_attn.out_proj.bias.copy_(w[p + "attention.output.dense.bias"])
            layer.norm1.weight.copy_(w[p + "attention.output.LayerNorm.weight"])
            layer.norm1.bias.copy_(w[p + "attention.output.LayerNorm.bias"])
            layer.linear1.weight.copy_(w[p + "intermediate.dense.weight"])
            layer.linear1.bias.copy_(w[p + "intermediate.dense.bias"])
            layer.linear2.weight.copy_(w[p + "output.dense.weight"])
            layer.linear2.bias.copy_(w[p + "output.dense.bias"])
            layer.norm2.weight.copy_(w[p + "output.LayerNorm.weight"])
            layer.norm2.bias.copy_(w[p + "output.LayerNorm.bias"])
        layer.eval()
        layers.append(layer)
    return layers


def hidden_states(w, layers, ids_batch):
    """[layer 0..LAYERS] -> list of [len, H] tensors per sentence, computed as one padded batch."""
    length = max(len(s) for s in ids_batch)
    ids = torch.full((len(ids_batch), length), PAD, dtype=torch.long)
    for b, s in enumerate(ids_batch):
        ids[b, :len(s)] = torch.tensor(s)
    mask = ids.ne(PAD).long()
    positions = torch.cumsum(mask, dim=1) * mask + PAD
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = torch.nn.functional.layer_norm(x, (H,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], EPS)
    out = [x]
    with torch.no_grad():
        for layer in layers:
            x = layer(x, src_key_padding_mask=mask.eq(0))
            out.append(x)
    return [[o[b, :len(s)] for b, s in enumerate(ids_batch)] for o in out]


def bertscore(cand, refs_per_cand, states, idf_sentences):
    """bert-score 0.3.11: greedy cosine with specials matched, idf over idf_sentences (specials 0), max over refs."""
    m = len(idf_sentences)
    df = {}
    for s in idf_sentences:
        for t in set(SENTENCES[s]):
            df[t] = df.get(t, 0) + 1

    def weights(ids):
        return torch.tensor([0.0 if t in (0, 2) else math.log((m + 1) / (df.get(t, 0) + 1)) for t in ids], dtype=torch.float64)

    def prf(c, r):
        ec = states[c].double(); er = states[r].double()
        ec = ec / ec.norm(dim=-1, keepdim=True); er = er / er.norm(dim=-1, keepdim=True)
        sim = ec @ er.T
        wc, wr = weights(SENTENCES[c]), weights(SENTENCES[r])
        p = (sim.max(dim=1).values * wc).sum() / wc.sum()
        r_ = (sim.max(dim=0).values * wr).sum() / wr.sum()
        return [p.item(), r_.item(), (2 * p * r_ / (p + r_)).item()]

    result = []
    for c, refs in zip(cand, refs_per_cand):
        scores = [prf(c, r) for r in refs]
        result.append([max(s[k] for s in scores) for k in range(3)])
    return result


# Token ids worked out by hand from the vocabulary and merges in RobertaTokenEncoderTests.
SENTENCES = {
    "red dog": [0, 5, 13, 17, 2],
    "a red car.": [0, 11, 14, 20, 22, 2],
    "dog": [0, 16, 2],
    "red dogs": [0, 5, 13, 17, 23, 2],
    " red dog (prefix space)": [0, 14, 17, 2],
}


def cs_array(values):
    return "[" + ", ".join("%.9gf" % v for v in values) + "]"


def main():
    torch.manual_seed(0)
    w = make_weights()
    layers = build_layers(w)
    names = list(SENTENCES)
    batched = hidden_states(w, layers, [SENTENCES[n] for n in names])
    # Each sentence alone too: padding must not change anything.
    for i, n in enumerate(names):
        alone = hidden_states(w, layers, [SENTENCES[n]])
        for k in range(LAYERS + 1):
            assert torch.allclose(alone[k][0], batched[k][i], atol=1e-5), (n, k)

    cands = ["red dog", "a red car."]
    refs = [["red dogs", "dog"], ["red dog", "a red car."]]
    flat_refs = [r for rs in refs for r in rs]
    states = {n: batched[LAYERS][i] for i, n in enumerate(names)}
    scores = bertscore(cands, refs, states, flat_refs)

    lines = ["// <auto-generated> by Fixtures/make_roberta_golden.py with torch %s; do not edit. </auto-generated>" % torch.__version__,
             "namespace Milan.Tests.Language;", "",
             "/// <summary>Reference outputs of the tiny RoBERTa of RobertaTokenEncoderTests (see Fixtures/make_roberta_golden.py).</summary>",
             "internal static class RobertaGolden", "{",
             "    public const int Vocabulary = %d, Hidden = %d, Heads = %d, Intermediate = %d, Layers = %d, Positions = %d, PadId = %d;"
             % (V, H, HEADS, INTER, LAYERS, POSITIONS, PAD),
             "    public const ulong Seed = 20220125;", "",
             "    /// <summary>sentence -> token ids (hand-derived) and, per layer 0..Layers, the hidden states row by row.</summary>",
             "    public static readonly (string Sentence, int[] Ids, float[][] States)[] Sentences =", "    ["]
    for i, n in enumerate(names):
        rows = ", ".join(cs_array(batched[k][i].flatten().tolist()) for k in range(LAYERS + 1))
        lines.append("        (%s, %s, [%s])," % ('"' + n + '"', "[" + ", ".join(map(str, SENTENCES[n])) + "]", rows))
    lines += ["    ];", "",
              "    /// <summary>BERTScore (P, R, F) at the last layer, idf over the references, best reference, per candidate.</summary>",
              "    public static readonly double[][] BertScores = [%s];" % ", ".join(
                  "[" + ", ".join("%.12g" % v for v in s) + "]" for s in scores),
              "}", ""]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "RobertaGolden.cs")
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print("wrote", out)


if __name__ == "__main__":
    main()
