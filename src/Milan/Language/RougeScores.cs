namespace Milan.Language;

/// <summary>F, precision and recall of one ROUGE variant.</summary>
public readonly record struct RougeTriple(double F, double Precision, double Recall);

/// <summary>ROUGE-1, ROUGE-2 and ROUGE-L (each F/P/R), averaged over <paramref name="Pairs"/> prediction-reference pairs.</summary>
public sealed record RougeScores(RougeTriple Rouge1, RougeTriple Rouge2, RougeTriple RougeL, int Pairs);
