using Milan.Stats;

namespace Milan.Experiments;

/// <summary>
/// One decoding condition of <see cref="PmiDiagnosis"/> on the validation units.
/// </summary>
/// <param name="Group">decoder (greedy, beam, PMI, best in beam), lambda (the λ sweep), beam (the beam-width sweep at the
/// λ asked for) or lm-term (the reference's extra LM term after &lt;stop&gt;).</param>
/// <param name="Condition">What was decoded, in words.</param>
/// <param name="BeamSize">Beam width (1 for greedy).</param>
/// <param name="Lambda">λ of the rerank (0 = the captioner's best beam; null for greedy and the oracle).</param>
/// <param name="BertScoreF">Mean BERTScore F against the units' annotations, with a 95% bootstrap interval over units.</param>
/// <param name="MeanWords">Mean number of words of the chosen descriptions.</param>
/// <param name="DistinctShare">Distinct descriptions ÷ units (1 = every unit described differently).</param>
/// <param name="TopDescription">The most frequent description (first in unit order on ties).</param>
/// <param name="TopShare">Its share of the units.</param>
/// <param name="MeanCaptionScore">Mean log p(d|E) of the chosen descriptions (up to and including &lt;stop&gt;).</param>
/// <param name="MeanLmScore">Mean log p(d) (the LM over the words and the closing &lt;stop&gt;).</param>
/// <param name="MeanStopSurprise">Mean −log p_LM(&lt;stop&gt; | words) of the chosen descriptions that end with &lt;stop&gt;:
/// how unlikely the LM finds it that the description ends there (a fragment like "the" scores high).</param>
/// <param name="Unfinished">Share of chosen descriptions without &lt;stop&gt; (ran out of steps).</param>
/// <param name="ChangedFromGreedy">Units whose description differs from greedy decoding's.</param>
public sealed record PmiDiagnosisRow(
    string Group, string Condition, int BeamSize, double? Lambda, ConfidenceInterval BertScoreF,
    double MeanWords, double DistinctShare, string TopDescription, double TopShare,
    double MeanCaptionScore, double MeanLmScore, double MeanStopSurprise, double Unfinished, int ChangedFromGreedy);
