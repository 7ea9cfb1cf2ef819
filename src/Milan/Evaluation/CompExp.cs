namespace Milan.Evaluation;

/// <summary>
/// Compositional explanations (Mu and Andreas 2020), as the original vision code searches them:
/// the beam starts with the (at most <see cref="DissectionOptions.BeamSize"/>) single concepts of
/// non-zero IoU, best first; then, <see cref="DissectionOptions.MaxFormulaLength"/> − 1 times, every
/// beam formula f is extended with every concept c as (f OR c), (f AND c) and (f AND (NOT c)), the new
/// formulas join the beam and the best <c>BeamSize</c> are kept (ties keep the earlier formula).
/// No complexity penalty (the original's default 1.0). A unit with no concept of non-zero IoU gets
/// "NONE". IoUs of extensions come from counts (|f ∩ c| and |M ∩ f ∩ c|), not from materialised masks.
/// </summary>
public static class CompExp
{
    public static UnitLabel Explain(string layer, int unit, PixelSet pixels, ConceptPixels concepts, DissectionOptions? options = null)
    {
        options ??= new DissectionOptions();
        var (formula, iou) = Search(pixels, concepts, options);
        string text = formula.ToString(concepts.Names);
        return new UnitLabel(layer, unit, text, ConceptFormula.ToLabel(text), iou);
    }

    public static (ConceptFormula Formula, double Iou) Search(PixelSet pixels, ConceptPixels concepts, DissectionOptions options)
    {
        long unitArea = pixels.Count();
        var unitWords = pixels.NonEmptyWords();
        var single = NetDissect.Ious(pixels, concepts);
        var beam = Enumerable.Range(0, single.Length).Where(c => single[c] > 0)
            .OrderByDescending(c => single[c]).ThenBy(c => c).Take(options.BeamSize)
            .Select(c => ((ConceptFormula)new ConceptLeaf(c), single[c])).ToList();
        if (beam.Count == 0) return (new ConceptLeaf(-1), 0);

        // |M ∩ c| for every concept, needed by OR and AND NOT.
        var unitAndConcept = new long[concepts.Sets.Count];
        for (int c = 0; c < unitAndConcept.Length; c++) unitAndConcept[c] = pixels.IntersectionCount(concepts.Sets[c], unitWords);

        for (int step = 1; step < options.MaxFormulaLength; step++)
        {
            var candidates = new List<(ConceptFormula Formula, double Iou)>(beam);
            var seen = beam.Select(b => b.Item1.ToString(concepts.Names)).ToHashSet();
            foreach (var (formula, _) in beam.ToList())
            {
                var set = formula.Evaluate(concepts.Sets);
                var unitAndSet = pixels.And(set);
                var words = unitAndSet.NonEmptyWords();
                long setArea = set.Count(), unitSet = unitAndSet.Count();
                for (int c = 0; c < concepts.Sets.Count; c++)
                {
                    long setConcept = set.IntersectionCount(concepts.Sets[c]);
                    long unitSetConcept = unitAndSet.IntersectionCount(concepts.Sets[c], words);
                    var leaf = new ConceptLeaf(c);
                    Add(new ConceptOr(formula, leaf), unitSet + unitAndConcept[c] - unitSetConcept, setArea + concepts.Areas[c] - setConcept);
                    Add(new ConceptAnd(formula, leaf), unitSetConcept, setConcept);
                    Add(new ConceptAnd(formula, new ConceptNot(leaf)), unitSet - unitSetConcept, setArea - setConcept);
                }
            }
            beam = candidates.Select((x, i) => (x, i)).OrderByDescending(p => p.x.Iou).ThenBy(p => p.i).Take(options.BeamSize).Select(p => p.x).ToList();

            void Add(ConceptFormula formula, long both, long area)
            {
                if (seen.Add(formula.ToString(concepts.Names)))
                    candidates.Add((formula, NetDissect.Iou(both, unitArea, area)));
            }
        }
        return beam[0];
    }
}
