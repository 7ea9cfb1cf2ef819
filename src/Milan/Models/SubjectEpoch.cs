namespace Milan.Models;

/// <summary>One epoch of subject training: mean training loss and accuracy (on the augmented batches) and validation accuracy.</summary>
public sealed record SubjectEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double ValidationAccuracy);
