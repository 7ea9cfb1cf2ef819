using Milan.Captioning;
using Milan.Evaluation;
using Milan.Language;
using Milan.Stats;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// Why PMI decoding (the beam reranked by log p(d|E) − λ·log p(d)) wins or loses against greedy captioning, looked at
/// on a model's <b>validation</b> units (those held out for early stopping, never its test units, so nothing is tuned
/// on the test set): for greedy decoding, the captioner's best beam, the PMI rerank, a λ sweep over the same beam, a
/// beam-width sweep at the given λ, the reference's extra LM term after &lt;stop&gt;, and the best candidate of the
/// beam by BERTScore (an oracle: how good the beam's best is), it reports agreement with the annotations, description
/// length, genericity (distinct descriptions, the most frequent one), the two log-probabilities and how unlikely the
/// LM finds the descriptions' ending (docs/captioning.md, "Why PMI loses to greedy on the world").
/// </summary>
public sealed record PmiDiagnosis(IReadOnlyList<PmiDiagnosisRow> Rows, ConfidenceInterval PmiMinusGreedy, int Units, int BeamSize, double Lambda)
{
    public const string DecoderGroup = "decoder";
    public const string LambdaGroup = "lambda";
    public const string BeamGroup = "beam";
    public const string LmTermGroup = "lm-term";
    public const string GreedyCondition = "greedy p(d|E)";
    public const string BeamCondition = "beam p(d|E) (λ 0)";
    public const string PmiCondition = "PMI rerank";
    public const string OracleCondition = "best in beam by BERTScore (oracle)";
    public const string QuirkCondition = "PMI rerank with the reference's LM term after <stop>";

    /// <summary>A chosen description with what the rows average: its tokens' log-probabilities and ending.</summary>
    public readonly record struct Chosen(string Description, bool Ended, double CaptionScore, double LmScore, double StopSurprise);

    /// <summary>The row of <paramref name="group"/> and <paramref name="condition"/> (and beam/λ when several match).</summary>
    public PmiDiagnosisRow Row(string group, string condition, int? beamSize = null, double? lambda = null) =>
        Rows.First(r => r.Group == group && r.Condition == condition && (beamSize is null || r.BeamSize == beamSize) && (lambda is null || r.Lambda == lambda));

    /// <summary>
    /// Decodes the units of <paramref name="features"/> (N, K, D) under every condition and scores them against
    /// <paramref name="annotations"/> (one list per unit) with <paramref name="metrics"/>' BERTScore (idf from those annotations).
    /// </summary>
    public static PmiDiagnosis Run(MilanModel model, Tensor features, IReadOnlyList<IReadOnlyList<string>> annotations, DescriptionMetrics metrics,
        int beamSize, double lambda = 0.2, IReadOnlyList<double>? lambdas = null, IReadOnlyList<int>? beamSizes = null, int resamples = Bootstrap.DefaultResamples,
        IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(metrics);
        if (features.shape[0] != annotations.Count)
            throw new MilanInputException($"PMI diagnosis: {features.shape[0]} units of features but {annotations.Count} annotation lists; expected one per unit");
        if (annotations.Count == 0 || annotations.Any(a => a.Count == 0))
            throw new MilanInputException("PMI diagnosis: every unit needs at least one annotation");
        lambdas ??= [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0];
        beamSizes ??= [1, 5, 10, 20, 50];
        var references = annotations.Select(a => (IReadOnlyList<string>)a.Select(MetricText.Normalize).ToList()).ToList();
        var idf = references.SelectMany(r => r).ToList();
        var lm = new LmTerms(model);
        int steps = 3 + beamSizes.Count(b => b != beamSize);
        int step = 0;

        progress?.Report(new WorkProgress("PMI diagnosis", step++, steps, "greedy"));
        var greedy = model.Describe(features, DecodingOptions.Greedy).Select(d => lm.Describe(d.Description, d.Tokens, d.CaptionScore)).ToList();
        var greedyText = greedy.Select(c => MetricText.Normalize(c.Description)).ToList();
        var greedyF = F(metrics, greedy, references, idf);

        progress?.Report(new WorkProgress("PMI diagnosis", step++, steps, $"beam {beamSize}, λ {lambda}"));
        var decoded = model.Describe(features, DecodingOptions.Default with { BeamSize = beamSize, Lambda = lambda });
        var rows = new List<PmiDiagnosisRow> { Summarize(DecoderGroup, GreedyCondition, 1, null, greedy, greedyF, greedyText, resamples) };
        var sweep = new List<PmiDiagnosisRow>();
        IReadOnlyList<double>? pmiF = null;
        foreach (double l in lambdas.Append(0).Append(lambda).Distinct().Order())
        {
            var chosen = decoded.Select(d => Pick(d, l, lm)).ToList();
            var f = F(metrics, chosen, references, idf);
            if (l == lambda) pmiF = f;
            if (l == 0) rows.Add(Summarize(DecoderGroup, BeamCondition, beamSize, 0, chosen, f, greedyText, resamples));
            if (l == lambda) rows.Add(Summarize(DecoderGroup, PmiCondition, beamSize, lambda, chosen, f, greedyText, resamples));
            if (lambdas.Contains(l)) sweep.Add(Summarize(LambdaGroup, PmiCondition, beamSize, l, chosen, f, greedyText, resamples));
        }

        // The oracle: every candidate of the beam scored, the best per unit (the first on ties).
        var flat = decoded.SelectMany((d, u) => d.Beam!.Select(c => (Unit: u, Candidate: c))).ToList();
        var flatF = metrics.BertScore.Score(flat.Select(x => MetricText.Normalize(x.Candidate.Description)).ToList(),
            flat.Select(x => references[x.Unit]).ToList(), idf).PerCandidate.Select(p => p.F).ToArray();
        var best = Enumerable.Range(0, flat.Count).GroupBy(i => flat[i].Unit).OrderBy(g => g.Key)
            .Select(g => g.Aggregate((a, b) => flatF[b] > flatF[a] ? b : a)).ToList();
        var oracle = best.Select(i => lm.Describe(flat[i].Candidate.Description, flat[i].Candidate.Tokens, flat[i].Candidate.CaptionScore)).ToList();
        rows.Add(Summarize(DecoderGroup, OracleCondition, beamSize, null, oracle, best.Select(i => flatF[i]).ToList(), greedyText, resamples));
        rows.AddRange(sweep);

        foreach (int b in beamSizes)
        {
            IReadOnlyList<DecodedNeuron> atWidth = decoded;
            if (b != beamSize)
            {
                progress?.Report(new WorkProgress("PMI diagnosis", step++, steps, $"beam {b}, λ {lambda}"));
                atWidth = model.Describe(features, DecodingOptions.Default with { BeamSize = b, Lambda = lambda });
            }
            var chosen = atWidth.Select(d => lm.Describe(d.Description, d.Tokens, d.CaptionScore)).ToList();
            rows.Add(Summarize(BeamGroup, PmiCondition, b, lambda, chosen, F(metrics, chosen, references, idf), greedyText, resamples));
        }

        progress?.Report(new WorkProgress("PMI diagnosis", step++, steps, "reference LM term"));
        var quirk = model.Describe(features, DecodingOptions.Default with { BeamSize = beamSize, Lambda = lambda, LmScoring = LmScoring.ReferenceQuirk })
            .Select(d => lm.Describe(d.Description, d.Tokens, d.CaptionScore)).ToList();
        rows.Add(Summarize(LmTermGroup, QuirkCondition, beamSize, lambda, quirk, F(metrics, quirk, references, idf), greedyText, resamples));
        progress?.Report(new WorkProgress("PMI diagnosis", steps, steps, null));

        var difference = pmiF!.Zip(greedyF, (p, g) => p - g).ToList();
        return new PmiDiagnosis(rows, Bootstrap.Mean(difference, resamples, seed: 0), annotations.Count, beamSize, lambda);
    }

    /// <summary>
    /// A row from chosen descriptions and their per-unit BERTScore F: the mean F with its bootstrap interval over units,
    /// mean words, distinct share, the most frequent description (normalised as the metrics normalise), the mean
    /// log-probabilities, the mean stop surprise of the ended ones, the unfinished share, and the count that differ from greedy.
    /// </summary>
    public static PmiDiagnosisRow Summarize(string group, string condition, int beamSize, double? lambda, IReadOnlyList<Chosen> chosen,
        IReadOnlyList<double> f, IReadOnlyList<string> greedy, int resamples = Bootstrap.DefaultResamples)
    {
        if (chosen.Count == 0 || chosen.Count != f.Count || chosen.Count != greedy.Count)
            throw new MilanInputException($"PMI diagnosis: {chosen.Count} descriptions, {f.Count} scores, {greedy.Count} greedy descriptions; expected the same positive count");
        var text = chosen.Select(c => MetricText.Normalize(c.Description)).ToList();
        var top = text.GroupBy(t => t).Select(g => (Text: g.Key, Count: g.Count(), First: text.IndexOf(g.Key)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.First).First();
        var ended = chosen.Where(c => c.Ended).ToList();
        return new PmiDiagnosisRow(group, condition, beamSize, lambda, Bootstrap.Mean(f, resamples, seed: 0),
            text.Average(t => DescriptionWords.Words(t).Count),
            text.Distinct().Count() / (double)text.Count,
            top.Text, top.Count / (double)text.Count,
            chosen.Average(c => c.CaptionScore), chosen.Average(c => c.LmScore),
            ended.Count > 0 ? ended.Average(c => c.StopSurprise) : double.NaN,
            1 - ended.Count / (double)chosen.Count,
            text.Zip(greedy, (a, b) => a != b).Count(x => x));
    }

    private static Chosen Pick(DecodedNeuron decoded, double lambda, LmTerms lm)
    {
        var beam = decoded.Beam ?? throw new InvalidOperationException("rerank decoding returned no beam");
        int index = PmiReranker.Choose(beam.Select(c => c.CaptionScore).ToList(), beam.Select(c => c.LmScore!.Value).ToList(), lambda);
        var candidate = beam[Math.Max(index, 0)];
        return lm.Describe(candidate.Description, candidate.Tokens, candidate.CaptionScore);
    }

    private static IReadOnlyList<double> F(DescriptionMetrics metrics, IReadOnlyList<Chosen> chosen, IReadOnlyList<IReadOnlyList<string>> references,
        IReadOnlyList<string> idf) =>
        metrics.BertScore.Score(chosen.Select(c => MetricText.Normalize(c.Description)).ToList(), references, idf).PerCandidate.Select(p => p.F).ToList();

    /// <summary>log p(d) and −log p_LM(&lt;stop&gt; | words) of token sequences, computed once per distinct sequence.</summary>
    private sealed class LmTerms(MilanModel model)
    {
        private readonly Dictionary<string, (double Lm, double Stop)> _known = [];

        public Chosen Describe(string description, int[] tokens, double captionScore)
        {
            var vocabulary = model.Vocabulary;
            bool ended = tokens.Length > 0 && tokens[^1] == vocabulary.Stop;
            string key = string.Join(",", tokens);
            if (!_known.TryGetValue(key, out var terms))
            {
                int[] full = [vocabulary.Start, .. tokens];
                int[] words = [vocabulary.Start, .. ended ? tokens[..^1] : tokens];
                var scores = PmiReranker.SequenceScores(model.LanguageModel, [full, words], vocabulary.Pad, model.Device);
                terms = (scores[0], ended ? -(scores[0] - scores[1]) : double.NaN);
                _known[key] = terms;
            }
            return new Chosen(description, ended, captionScore, terms.Lm, terms.Stop);
        }
    }
}
