namespace Milan.Language;

/// <summary>
/// Baseline values b for BERTScore's rescaling x' = (x - b) / (1 - b), one per component.
/// </summary>
public readonly record struct BertScoreBaseline(double Precision, double Recall, double F)
{
    /// <summary>
    /// roberta-large, English, layer 17: the row LAYER=17 of bert-score's
    /// bert_score/rescale_baseline/en/roberta-large.tsv (github.com/Tiiiger/bert_score, file as of
    /// commit b795b3d; bert-score 0.3.11 reads row iloc[num_layers] of that file), "17,0.83150584,
    /// 0.8314941,0.83122575". bert-score holds them as float32; these are the decimal strings.
    /// </summary>
    public static BertScoreBaseline RobertaLargeLayer17 { get; } = new(0.83150584, 0.8314941, 0.83122575);

    /// <summary>Applies (x - b) / (1 - b) to each component.</summary>
    public PrfScore Rescale(PrfScore raw) => new(
        (raw.Precision - Precision) / (1 - Precision),
        (raw.Recall - Recall) / (1 - Recall),
        (raw.F - F) / (1 - F));
}

/// <summary>Precision, recall and F of a BERTScore-style metric.</summary>
public readonly record struct PrfScore(double Precision, double Recall, double F);
