using Milan.Datasets;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// A trained subject model and its card, as stored in a folder (<c>weights.safetensors</c> +
/// <c>card.json</c>), e.g. <c>$MILAN_MODELS_DIR/subjects/resnet18-world-a</c>. Disposing it disposes the model.
/// </summary>
public sealed class TrainedSubject(SubjectModel model, SubjectCard card) : IDisposable
{
    public SubjectModel Model { get; } = model;

    public SubjectCard Card { get; private set; } = card;

    /// <summary>Measures the accuracy on a held-out labelled source and records it (and the source) in the card.</summary>
    public ClassAccuracy Test(IImageSource test, Device device, IProgress<WorkProgress>? progress = null)
    {
        if (!test.ClassNames.SequenceEqual(Card.ClassNames))
            throw new MilanInputException($"{test.Description}: its classes differ from the model's ({string.Join(", ", Card.ClassNames)})");
        var accuracy = ClassAccuracy.Measure(Model, test, device, progress: progress);
        Card = Card with { TestData = test.Description, Test = accuracy };
        return accuracy;
    }

    /// <summary>Records the world folder the model was trained on.</summary>
    public void SetWorld(string worldFolder) => Card = Card with { World = worldFolder };

    /// <summary>
    /// Writes the folder atomically (built under a temporary name, then renamed, sealed); it must not exist yet.
    /// Data paths inside <paramref name="dataRoot"/> (default MILAN_DATA_DIR) are stored relative to it.
    /// </summary>
    public void Save(string folder, string? dataRoot = null)
    {
        if (Directory.Exists(folder)) throw new MilanInputException($"{folder}: already exists; choose a new folder for the subject model");
        AtomicDirectory.Create(folder, temporary =>
        {
            Model.SaveWeights(Path.Combine(temporary, SubjectCard.WeightsFileName));
            AtomicFile.WriteAllText(Path.Combine(temporary, SubjectCard.FileName), Card.ToJson(dataRoot));
        });
    }

    /// <summary>
    /// Reads a folder written by <see cref="Save"/>: the model on <paramref name="device"/> in eval mode, and its card.
    /// After the card's fields, the folder's seal is checked: a file deleted or changed since it was written is an
    /// input error naming it.
    /// </summary>
    public static TrainedSubject Load(string folder, Device? device = null)
    {
        if (!Directory.Exists(folder)) throw MilanInputException.InFile(folder, "subject model folder not found");
        var card = SubjectCard.Read(Path.Combine(folder, SubjectCard.FileName));
        StageSeal.Verify(folder);
        string weights = Path.Combine(folder, SubjectCard.WeightsFileName);
        if (!File.Exists(weights)) throw MilanInputException.InFile(weights, "weights file missing beside card.json");
        var model = SubjectModel.Load(weights, card.Spec, device);
        model.eval();
        return new TrainedSubject(model, card);
    }

    public void Dispose() => Model.Dispose();
}
