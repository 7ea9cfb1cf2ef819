namespace Milan.Torch;

/// <summary>
/// The reference's early stopping: a value improves only if strictly better than the best so far;
/// training stops when more than <c>patience</c> epochs in a row did not improve (num_bad &gt; patience).
/// A value equal to the best improves when its tie-breaker (lower is better) is lower than the best's;
/// without a tie-breaker, ties do not improve, as in the reference.
/// </summary>
internal sealed class EarlyStopping(int patience, bool higherIsBetter)
{
    private int _bad;
    private double _bestTieBreaker = double.PositiveInfinity;

    public double Best { get; private set; } = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>Whether the last value was a new best.</summary>
    public bool Improved => _bad == 0;

    /// <summary>Records a value (and its tie-breaker, lower is better; NaN for none); true when training should stop.</summary>
    public bool Update(double value, double tieBreaker = double.NaN)
    {
        bool improved = (higherIsBetter ? value > Best : value < Best) || (value == Best && tieBreaker < _bestTieBreaker);
        if (improved)
        {
            Best = value;
            _bestTieBreaker = double.IsNaN(tieBreaker) ? double.PositiveInfinity : tieBreaker;
            _bad = 0;
        }
        else
        {
            _bad++;
        }
        return _bad > patience;
    }
}
