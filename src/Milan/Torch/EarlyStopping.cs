namespace Milan.Torch;

/// <summary>
/// The reference's early stopping: a value improves only if strictly better than the best so far;
/// training stops when more than <c>patience</c> epochs in a row did not improve (num_bad &gt; patience).
/// </summary>
internal sealed class EarlyStopping(int patience, bool higherIsBetter)
{
    private int _bad;

    public double Best { get; private set; } = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>Whether the last value was a new best.</summary>
    public bool Improved => _bad == 0;

    /// <summary>Records a value; true when training should stop.</summary>
    public bool Update(double value)
    {
        bool improved = higherIsBetter ? value > Best : value < Best;
        if (improved)
        {
            Best = value;
            _bad = 0;
        }
        else
        {
            _bad++;
        }
        return _bad > patience;
    }
}
