using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.IO;

namespace Milan.Models;

/// <summary>
/// The JSON card of a trained subject model (<c>card.json</c> beside <c>weights.safetensors</c>):
/// the model spec, class names, the data it was trained, validated and tested on, the training
/// settings and seed, how many epochs ran and which was kept, and the overall and per-class
/// validation and test accuracy. Reading checks each field and names the one that is wrong. The
/// data paths (world, train, validation and test data) are stored relative to the data root when
/// they lie inside it (<see cref="RootedPath"/>), so a copied or moved data root keeps matching.
/// </summary>
public sealed record SubjectCard(
    ModelSpec Spec,
    IReadOnlyList<string> ClassNames,
    string? World,
    string TrainData,
    string ValidationData,
    SubjectTrainingOptions Training,
    int EpochsRun,
    int BestEpoch,
    IReadOnlyList<SubjectEpoch> History,
    ClassAccuracy Validation,
    string? TestData,
    ClassAccuracy? Test)
{
    public const string Format = "milan-subject/1";
    public const string FileName = "card.json";
    public const string WeightsFileName = "weights.safetensors";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The card as JSON, with data paths inside <paramref name="dataRoot"/> (default MILAN_DATA_DIR) stored relative to it.</summary>
    public string ToJson(string? dataRoot = null)
    {
        dataRoot ??= MilanRoots.Data;
        var card = new JsonObject
        {
            ["format"] = Format,
            ["architecture"] = Spec.Architecture,
            ["width"] = Spec.Width,
            ["image_size"] = Spec.ImageSize,
            ["classes"] = new JsonArray(ClassNames.Select(c => (JsonNode)c).ToArray()),
            ["world"] = RootedPath.StoreIfPath(World, dataRoot),
            ["train_data"] = RootedPath.StoreIfPath(TrainData, dataRoot),
            ["validation_data"] = RootedPath.StoreIfPath(ValidationData, dataRoot),
            ["test_data"] = RootedPath.StoreIfPath(TestData, dataRoot),
            ["seed"] = Training.Seed,
            ["training"] = new JsonObject
            {
                ["optimizer"] = "adamw",
                ["schedule"] = "one-cycle",
                ["max_epochs"] = Training.MaxEpochs,
                ["batch_size"] = Training.BatchSize,
                ["learning_rate"] = Training.LearningRate,
                ["weight_decay"] = Training.WeightDecay,
                ["patience"] = Training.Patience,
                ["horizontal_flip"] = Training.HorizontalFlip,
            },
            ["epochs_run"] = EpochsRun,
            ["best_epoch"] = BestEpoch,
            ["validation"] = AccuracyNode(Validation),
            ["test"] = Test is null ? null : AccuracyNode(Test),
            ["history"] = new JsonArray(History.Select(e => (JsonNode)new JsonObject
            {
                ["epoch"] = e.Epoch,
                ["train_loss"] = Number(e.TrainLoss),
                ["train_accuracy"] = Number(e.TrainAccuracy),
                ["validation_accuracy"] = Number(e.ValidationAccuracy),
            }).ToArray()),
            ["weights"] = WeightsFileName,
        };
        return card.ToJsonString(Indented);
    }

    private JsonObject AccuracyNode(ClassAccuracy accuracy)
    {
        var perClass = new JsonObject();
        for (int c = 0; c < ClassNames.Count; c++) perClass[ClassNames[c]] = Number(accuracy.PerClass[c]);
        return new JsonObject { ["accuracy"] = Number(accuracy.Overall), ["images"] = accuracy.Images, ["per_class"] = perClass };
    }

    // JSON has no NaN: a class without images is null.
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    /// <summary>Reads and checks a card; every problem is a <see cref="MilanInputException"/> naming the file and the field.</summary>
    public static SubjectCard Read(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw MilanInputException.InFile(path, "subject model card not found (is this a folder written by 'milan subject train'?)");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(InputFile.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty document");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw MilanInputException.InFile(path, $"not valid JSON ({e.Message})");
        }
        var r = new Reader(path);
        string format = r.Get<string>(root, "format");
        if (format != Format) throw MilanInputException.InFile(path, $"field 'format' is '{format}', expected '{Format}'");
        var classes = r.Array(root, "classes").Select((n, i) => n is JsonValue v && v.TryGetValue(out string? s) ? s
            : throw MilanInputException.InFile(path, $"field 'classes[{i}]' is not a string")).ToArray();
        if (classes.Length < 1) throw MilanInputException.InFile(path, "field 'classes' is empty");
        var spec = new ModelSpec(r.Get<string>(root, "architecture"), classes.Length, r.Get<int>(root, "image_size"), r.Get<int>(root, "width"));
        try
        {
            spec.Validate();
        }
        catch (MilanInputException e)
        {
            throw MilanInputException.InFile(path, $"fields 'architecture', 'image_size', 'width': {e.Message}");
        }
        var training = r.Object(root, "training");
        var options = new SubjectTrainingOptions
        {
            Seed = r.Get<long>(root, "seed"),
            MaxEpochs = r.Get<int>(training, "training.max_epochs"),
            BatchSize = r.Get<int>(training, "training.batch_size"),
            LearningRate = r.Get<double>(training, "training.learning_rate"),
            WeightDecay = r.Get<double>(training, "training.weight_decay"),
            Patience = r.Get<int>(training, "training.patience"),
            HorizontalFlip = r.Get<bool>(training, "training.horizontal_flip"),
        };
        int epochsRun = r.Get<int>(root, "epochs_run");
        int bestEpoch = r.Get<int>(root, "best_epoch");
        if (bestEpoch < 1 || bestEpoch > epochsRun)
            throw MilanInputException.InFile(path, $"field 'best_epoch' is {bestEpoch}, expected 1..{epochsRun} (epochs_run)");
        var history = r.Array(root, "history").Select((n, i) =>
        {
            var e = n as JsonObject ?? throw MilanInputException.InFile(path, $"field 'history[{i}]' is not an object");
            string at = $"history[{i}]";
            return new SubjectEpoch(r.Get<int>(e, at + ".epoch"), r.Number(e, at + ".train_loss"),
                r.Number(e, at + ".train_accuracy"), r.Number(e, at + ".validation_accuracy"));
        }).ToArray();
        string weights = r.Get<string>(root, "weights");
        if (weights != WeightsFileName) throw MilanInputException.InFile(path, $"field 'weights' is '{weights}', expected '{WeightsFileName}'");
        return new SubjectCard(spec, classes, r.Optional(root, "world"), r.Get<string>(root, "train_data"), r.Get<string>(root, "validation_data"),
            options, epochsRun, bestEpoch, history, r.Accuracy(root, "validation", classes)!, r.Optional(root, "test_data"),
            r.Accuracy(root, "test", classes));
    }

    private sealed class Reader(string path)
    {
        private static string Leaf(string field) => field[(field.LastIndexOf('.') + 1)..];

        private JsonNode Find(JsonObject parent, string field) =>
            parent.TryGetPropertyValue(Leaf(field), out var node) && node is not null
                ? node
                : throw MilanInputException.InFile(path, $"field '{field}' missing");

        public T Get<T>(JsonObject parent, string field)
        {
            try
            {
                return Find(parent, field).GetValue<T>();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw MilanInputException.InFile(path, $"field '{field}' is not a {typeof(T).Name.ToLowerInvariant()}");
            }
        }

        /// <summary>A number, or NaN where the card holds null.</summary>
        public double Number(JsonObject parent, string field) =>
            parent.TryGetPropertyValue(Leaf(field), out var node) && node is null ? double.NaN : Get<double>(parent, field);

        public string? Optional(JsonObject parent, string field) =>
            parent.TryGetPropertyValue(field, out var node) && node is not null ? Get<string>(parent, field) : null;

        public JsonArray Array(JsonObject parent, string field) =>
            Find(parent, field) as JsonArray ?? throw MilanInputException.InFile(path, $"field '{field}' is not a list");

        public JsonObject Object(JsonObject parent, string field) =>
            Find(parent, field) as JsonObject ?? throw MilanInputException.InFile(path, $"field '{field}' is not an object");

        public ClassAccuracy? Accuracy(JsonObject root, string field, IReadOnlyList<string> classes)
        {
            if (field == "test" && (!root.TryGetPropertyValue(field, out var node) || node is null)) return null;
            var o = Object(root, field);
            var perClass = Object(o, field + ".per_class");
            var values = classes.Select(c => perClass.ContainsKey(c)
                ? Number(perClass, $"{field}.per_class.{c}")
                : throw MilanInputException.InFile(path, $"field '{field}.per_class.{c}' missing")).ToArray();
            return new ClassAccuracy(Number(o, field + ".accuracy"), values, Get<int>(o, field + ".images"));
        }
    }
}
