using System.Text.RegularExpressions;

namespace Milan.Evaluation;

/// <summary>
/// A CompExp formula over concepts (indices into the concept list): a concept, NOT, AND, OR.
/// <see cref="ToString(IReadOnlyList{string})"/> writes it as the original code does
/// (<c>((red AND circle) OR (NOT grass))</c>); <see cref="ToLabel"/> turns that into the text MILAN
/// scores (milan-spec §6.6).
/// </summary>
public abstract partial record ConceptFormula
{
    /// <summary>Number of concepts and NOTs, as the original's <c>len</c>.</summary>
    public abstract int Length { get; }

    public abstract PixelSet Evaluate(IReadOnlyList<PixelSet> concepts);

    public abstract string ToString(IReadOnlyList<string> names);

    /// <summary>
    /// MILAN's clean-up of a CompExp label: lowercase; drop "(" and ")"; "-" and "_" to spaces; the
    /// regex <c>\W+(s|t|c)($|\W+)</c> (category suffixes) to a space; strip.
    /// </summary>
    public static string ToLabel(string formula)
    {
        string text = formula.ToLowerInvariant().Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)
            .Replace('-', ' ').Replace('_', ' ');
        return Suffix().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"\W+(s|t|c)($|\W+)")]
    private static partial Regex Suffix();
}

public sealed record ConceptLeaf(int Concept) : ConceptFormula
{
    public override int Length => 1;
    public override PixelSet Evaluate(IReadOnlyList<PixelSet> concepts) => concepts[Concept];
    public override string ToString(IReadOnlyList<string> names) => Concept < 0 ? "NONE" : names[Concept];
}

public sealed record ConceptNot(ConceptFormula Inner) : ConceptFormula
{
    public override int Length => 1 + Inner.Length;
    public override PixelSet Evaluate(IReadOnlyList<PixelSet> concepts) => Inner.Evaluate(concepts).Not();
    public override string ToString(IReadOnlyList<string> names) => $"(NOT {Inner.ToString(names)})";
}

public sealed record ConceptAnd(ConceptFormula Left, ConceptFormula Right) : ConceptFormula
{
    public override int Length => Left.Length + Right.Length;
    public override PixelSet Evaluate(IReadOnlyList<PixelSet> concepts) => Left.Evaluate(concepts).And(Right.Evaluate(concepts));
    public override string ToString(IReadOnlyList<string> names) => $"({Left.ToString(names)} AND {Right.ToString(names)})";
}

public sealed record ConceptOr(ConceptFormula Left, ConceptFormula Right) : ConceptFormula
{
    public override int Length => Left.Length + Right.Length;
    public override PixelSet Evaluate(IReadOnlyList<PixelSet> concepts) => Left.Evaluate(concepts).Or(Right.Evaluate(concepts));
    public override string ToString(IReadOnlyList<string> names) => $"({Left.ToString(names)} OR {Right.ToString(names)})";
}
