using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.TraceObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace Milan.Visualization;

/// <summary>The chart shapes the experiments and notebooks use, built with Plotly.NET.</summary>
public static class Charts
{
    /// <summary>Lines with optional shaded intervals, e.g. accuracy against the fraction of units ablated.</summary>
    public static Figure Lines(string title, string xTitle, string yTitle, IEnumerable<LineSeries> series)
    {
        var traces = new List<GenericChart>();
        int index = 0;
        foreach (var line in series)
        {
            Validate(line.Name, line.X.Count, line.Y.Count, line.Lower, line.Upper);
            var (r, g, b) = Palette[index++ % Palette.Length];
            var color = Color.fromRGB(r, g, b);
            if (line.Lower is not null && line.Upper is not null)
            {
                // The interval as a band: the lower edge, then the upper edge filled down to it.
                traces.Add(CSharpChart.Line<double, double, string>(x: line.X, y: line.Lower, ShowLegend: false,
                    LineWidth: 0, LineColor: color, Name: line.Name + " (lower)"));
                traces.Add(CSharpChart.Line<double, double, string>(x: line.X, y: line.Upper, ShowLegend: false,
                    LineWidth: 0, LineColor: color, Fill: StyleParam.Fill.ToNext_y,
                    FillColor: Color.fromARGB(50, r, g, b), Name: line.Name + " (upper)"));
            }
            traces.Add(CSharpChart.Line<double, double, string>(x: line.X, y: line.Y, ShowMarkers: true,
                Name: line.Name, LineColor: color, MarkerColor: color));
        }
        return Finish(title, xTitle, yTitle, traces);
    }

    /// <summary>Grouped bars with optional error bars, e.g. BERTScore per method and model with 95% intervals.</summary>
    public static Figure Bars(string title, string yTitle, IReadOnlyList<string> categories, IEnumerable<BarSeries> series)
    {
        var traces = new List<GenericChart>();
        foreach (var bars in series)
        {
            Validate(bars.Name, categories.Count, bars.Values.Count, bars.Lower, bars.Upper);
            var chart = CSharpChart.Column<double, string, string>(values: bars.Values, Keys: categories.ToArray(), Name: bars.Name);
            if (bars.Lower is not null && bars.Upper is not null)
            {
                var above = bars.Upper.Zip(bars.Values, (u, v) => u - v).ToArray();
                var below = bars.Values.Zip(bars.Lower, (v, l) => v - l).ToArray();
                var error = Error.init<double, double>(
                    Visible: Some(true), Type: Some(StyleParam.ErrorType.Data), Symmetric: Some(false),
                    Array: Some<IEnumerable<double>>(above), Arrayminus: Some<IEnumerable<double>>(below),
                    ArrayEncoded: None<Plotly.NET.EncodedTypedArray>(), ArrayminusEncoded: None<Plotly.NET.EncodedTypedArray>(),
                    Value: None<double>(), Valueminus: None<double>(), Traceref: None<int>(), Tracerefminus: None<int>(),
                    Copy_ystyle: None<bool>(), Color: None<Color>(), Thickness: None<double>(), Width: None<double>());
                chart = Plotly.NET.Chart.withYError(error).Invoke(chart);
            }
            traces.Add(chart);
        }
        return Finish(title, xTitle: "", yTitle, traces);
    }

    private static Figure Finish(string title, string xTitle, string yTitle, List<GenericChart> traces)
    {
        var combined = Plotly.NET.Chart.withTitle(title, None<Font>()).Invoke(CSharpChart.Combine(traces));
        var chart = combined
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(760, 460);
        return new Figure(title, chart);
    }

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

    private static FSharpOption<T> Some<T>(T value) => FSharpOption<T>.Some(value);

    private static FSharpOption<T> None<T>() => FSharpOption<T>.None;
}
