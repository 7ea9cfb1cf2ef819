using Milan.Torch;

namespace Milan.Tests.Torch;

public class EarlyStoppingTests
{
    [Fact]
    public void A_strictly_better_value_improves_and_more_than_patience_bad_epochs_stop()
    {
        var stopper = new EarlyStopping(patience: 2, higherIsBetter: true);
        Assert.False(stopper.Update(1.0));
        Assert.True(stopper.Improved);
        Assert.False(stopper.Update(1.0));   // a tie without a tie-breaker: bad epoch 1
        Assert.False(stopper.Improved);
        Assert.False(stopper.Update(0.5));   // bad epoch 2
        Assert.True(stopper.Update(0.9));    // bad epoch 3 > patience 2: stop
        Assert.Equal(1.0, stopper.Best);
    }

    [Fact]
    public void A_tie_on_the_value_improves_when_its_tie_breaker_is_lower()
    {
        // BLEU stuck at 0 while the validation loss falls: each falling loss is a new best; a rising one is not.
        var stopper = new EarlyStopping(patience: 1, higherIsBetter: true);
        Assert.False(stopper.Update(0, tieBreaker: 3.0));
        Assert.False(stopper.Update(0, tieBreaker: 2.5));
        Assert.True(stopper.Improved);
        Assert.False(stopper.Update(0, tieBreaker: 2.7));
        Assert.False(stopper.Improved);
        Assert.False(stopper.Update(0, tieBreaker: 2.4));
        Assert.True(stopper.Improved);
        // A strictly better value improves whatever its tie-breaker; later ties compare with that epoch's.
        Assert.False(stopper.Update(5, tieBreaker: 9.0));
        Assert.True(stopper.Improved);
        Assert.False(stopper.Update(5, tieBreaker: 8.0));
        Assert.True(stopper.Improved);
        Assert.False(stopper.Update(5, tieBreaker: 8.5));
        Assert.True(stopper.Update(4, tieBreaker: 1.0));
        Assert.Equal(5, stopper.Best);
    }
}
