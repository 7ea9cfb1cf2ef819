namespace Milan.Evaluation;

/// <summary>The metric columns of every evaluation table.</summary>
public static class MetricNames
{
    /// <summary>BERTScore F of the configured token model (offline: WordNet similarity; not BERTScore-roberta unless a RoBERTa scorer is given).</summary>
    public const string BertScoreF = "bertscore-f";
    public const string Bleu = "bleu";
    public const string RougeL = "rouge-l-f";
    public const string CiderD = "cider-d";

    public static IReadOnlyList<string> All { get; } = [BertScoreF, Bleu, RougeL, CiderD];
}
