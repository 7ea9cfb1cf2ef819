using System.Text.Json.Serialization;

namespace Milan.Captioning;

/// <summary>What a saved model was trained on and how well it did (the "training" part of the card).</summary>
public sealed record MilanTrainingRecord(
    [property: JsonPropertyName("data_keys")] IReadOnlyList<string> DataKeys,
    [property: JsonPropertyName("neurons")] int Neurons,
    [property: JsonPropertyName("annotations")] int Annotations,
    [property: JsonPropertyName("split_seed")] int SplitSeed,
    [property: JsonPropertyName("hold_out")] double? HoldOut,
    [property: JsonPropertyName("validation_neurons")] IReadOnlyList<int> ValidationNeurons,
    [property: JsonPropertyName("captioner_settings")] CaptionerTrainingSettings CaptionerSettings,
    [property: JsonPropertyName("language_model_settings")] LanguageModelTrainingSettings LanguageModelSettings,
    [property: JsonPropertyName("captioner")] TrainingReport Captioner,
    [property: JsonPropertyName("language_model")] TrainingReport LanguageModel);
