using System.Globalization;
using System.Text.Json.Nodes;

namespace Milan.Visualization;

/// <summary>The chart shapes the experiments and notebooks use, as plotly.js figures.</summary>
public static class Charts
{
    private const int Width = 760, Height = 460;

    /// <summary>Lines with optional shaded intervals, e.g. accuracy against the fraction of units ablated.</summary>
    public static Figure Lines(string title, string xTitle, string yTitle, IEnumerable<LineSeries> series)
    {
        var traces = new JsonArray();
        int index = 0;
        foreach (var line in series)
        {
            Validate(line.Name, line.X.Count, line.Y.Count, line.Lower, line.Upper);
            var (r, g, b) = Palette[index++ % Palette.Length];
            string color = $"rgb({r},{g},{b})";
            if (line.Lower is not null && line.Upper is not null)
            {
                // The interval as a band: the lower edge, then the upper edge filled down to it ("tonexty").
                traces.Add(Band(line.Name + " (lower)", line.X, line.Lower, color, fill: null));
                traces.Add(Band(line.Name + " (upper)", line.X, line.Upper, color,
                    fill: string.Create(CultureInfo.InvariantCulture, $"rgba({r},{g},{b},0.2)")));
            }
            traces.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = line.Name,
                ["x"] = Numbers(line.X), ["y"] = Numbers(line.Y),
                ["line"] = new JsonObject { ["color"] = color }, ["marker"] = new JsonObject { ["color"] = color },
            });
        }
        return Finish(title, xTitle, yTitle, traces);
    }

    /// <summary>Grouped bars with optional error bars, e.g. BERTScore per method and model with 95% intervals.</summary>
    public static Figure Bars(string title, string yTitle, IReadOnlyList<string> categories, IEnumerable<BarSeries> series)
    {
        var traces = new JsonArray();
        foreach (var bars in series)
        {
            Validate(bars.Name, categories.Count, bars.Values.Count, bars.Lower, bars.Upper);
            var trace = new JsonObject
            {
                ["type"] = "bar", ["name"] = bars.Name,
                ["x"] = new JsonArray(categories.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()), ["y"] = Numbers(bars.Values),
            };
            if (bars.Lower is not null && bars.Upper is not null)
            {
                trace["error_y"] = new JsonObject
                {
                    ["type"] = "data", ["visible"] = true, ["symmetric"] = false,
                    ["array"] = Numbers(bars.Upper.Zip(bars.Values, (u, v) => u - v).ToList()),
                    ["arrayminus"] = Numbers(bars.Values.Zip(bars.Lower, (v, l) => v - l).ToList()),
                };
            }
            traces.Add(trace);
        }
        return Finish(title, xTitle: "", yTitle, traces);
    }

    private static JsonObject Band(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, string color, string? fill)
    {
        var trace = new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = name, ["showlegend"] = false, ["hoverinfo"] = "skip",
            ["x"] = Numbers(x), ["y"] = Numbers(y), ["line"] = new JsonObject { ["width"] = 0, ["color"] = color },
        };
        if (fill is not null)
        {
            trace["fill"] = "tonexty";
            trace["fillcolor"] = fill;
        }
        return trace;
    }

    private static Figure Finish(string title, string xTitle, string yTitle, JsonArray traces) => new(title, new JsonObject
    {
        ["data"] = traces,
        ["layout"] = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle } },
            ["barmode"] = "group", ["width"] = Width, ["height"] = Height,
        },
    });

    /// <summary>Numbers as a JSON array; NaN and infinities (not JSON) become null, which plotly.js leaves as gaps.</summary>
    private static JsonArray Numbers(IReadOnlyList<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).Cast<JsonNode?>().ToArray());

    private static void Validate(string name, int expected, int actual, IReadOnlyList<double>? lower, IReadOnlyList<double>? upper)
    {
        if (expected != actual)
            throw new ArgumentException($"series '{name}': {actual} values for {expected} positions");
        if ((lower is null) != (upper is null))
            throw new ArgumentException($"series '{name}': give both interval ends or neither");
        if (lower is not null && (lower.Count != actual || upper!.Count != actual))
            throw new ArgumentException($"series '{name}': interval ends must have {actual} values");
    }

    /// <summary>Plotly's default colour sequence, so bands can share their line's colour.</summary>
    private static readonly (int R, int G, int B)[] Palette =
    [
        (99, 110, 250), (239, 85, 59), (0, 204, 150), (171, 99, 250), (255, 161, 90),
        (25, 211, 243), (255, 102, 146), (182, 232, 128), (255, 151, 255), (254, 203, 82),
    ];
}
