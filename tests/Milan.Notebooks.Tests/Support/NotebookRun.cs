using System.Text.Json.Nodes;

namespace Milan.Notebooks.Tests.Support;

/// <summary>One `milan notebook run` of a notebook (nbclient and the .NET Interactive kernel), and the executed notebook it wrote.</summary>
public sealed record NotebookRun(int ExitCode, string Log, string OutputPath, JsonObject? Executed)
{
    /// <summary>Runs <paramref name="notebookPath"/>, writing next to it as name.out.ipynb; <paramref name="environment"/> is added to the run's.</summary>
    public static NotebookRun Execute(string notebookPath, IEnumerable<string>? options = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string output = Path.ChangeExtension(notebookPath, ".out.ipynb");
        var arguments = new List<string> { Tools.CliAssembly, "notebook", "run", notebookPath, "--output-path", output };
        arguments.AddRange(options ?? []);
        var result = ProcessResult.Run(Tools.DotNet, arguments, environment: environment);
        return new NotebookRun(result.ExitCode, result.Output, output,
            File.Exists(output) ? (JsonObject)JsonNode.Parse(File.ReadAllText(output))! : null);
    }

    public JsonObject Cell(string id) =>
        Executed?["cells"]!.AsArray().OfType<JsonObject>().Single(c => (string?)c["id"] == id)
        ?? throw new InvalidOperationException($"no executed notebook; run log:\n{Log}");

    public JsonArray Outputs(string id) => Cell(id)["outputs"]!.AsArray();

    public int? ExecutionCount(string id) => (int?)Cell(id)["execution_count"];

    /// <summary>The outputs of a cell of type <paramref name="outputType"/>.</summary>
    public IEnumerable<JsonObject> Outputs(string id, string outputType) =>
        Outputs(id).OfType<JsonObject>().Where(o => (string?)o["output_type"] == outputType);

    /// <summary>The text of a display_data output's MIME value (lines joined).</summary>
    public static string Text(JsonNode? value) => value switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v => (string)v!,
        _ => throw new InvalidOperationException($"not text: {value?.ToJsonString()}"),
    };

    /// <summary>The text/plain of a cell's value (its execute_result; the kernel's first cell also displays its own script).</summary>
    public static string Result(JsonNode cell) => Text(cell["outputs"]!.AsArray()
        .Single(o => (string?)o!["output_type"] == "execute_result")!["data"]!["text/plain"]);

    /// <summary>All display_data values of a MIME type in a cell, in order.</summary>
    public IEnumerable<string> Displayed(string id, string mimeType) =>
        Outputs(id, "display_data").Select(o => o["data"]![mimeType]).Where(v => v is not null).Select(Text);

    /// <summary>The stream text of a cell ("stdout" or "stderr"), all outputs joined.</summary>
    public string Stream(string id, string name = "stdout") =>
        string.Concat(Outputs(id, "stream").Where(o => (string?)o["name"] == name).Select(o => Text(o["text"])));

    /// <summary>The error outputs' texts: the value, then the traceback lines.</summary>
    public IEnumerable<string> Errors(string id) =>
        Outputs(id, "error").Select(o => string.Join('\n', [(string?)o["evalue"], .. o["traceback"]!.AsArray().Select(l => (string?)l)]));

    /// <summary>Exit code, the run's log and every error output, for assertion messages.</summary>
    public override string ToString()
    {
        var errors = Executed?["cells"]?.AsArray().OfType<JsonObject>()
            .SelectMany(c => (c["outputs"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(o => (string?)o["output_type"] == "error")
                .Select(o => $"{(string?)c["id"]}: {(string?)o["evalue"]}")) ?? [];
        return $"exit {ExitCode}\n{Log}\n{string.Join('\n', errors)}";
    }
}
