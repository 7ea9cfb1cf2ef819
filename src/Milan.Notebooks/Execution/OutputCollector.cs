using Milan.Notebooks.Kernel;
using Milan.Notebooks.Kernel.Hosting;

namespace Milan.Notebooks.Execution;

/// <summary>
/// Collects what the running cell produces, in order: displays, updates (which replace an earlier
/// display in place, in whichever cell it is), console text, errors. Thread-safe: cells may display
/// from tasks they start. Once sealed (the run stopped on a timeout), everything is ignored.
/// </summary>
public sealed class OutputCollector : IDisplaySink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DisplayOutput> _displays = new(StringComparer.Ordinal);
    private readonly HashSet<string> _approximatedTypes = new(StringComparer.Ordinal);
    private List<CellOutput>? _current;
    private bool _sealed;

    /// <summary>Types shown as plain text although .NET Interactive would render HTML.</summary>
    public IReadOnlyCollection<string> ApproximatedTypes
    {
        get { lock (_gate) return _approximatedTypes.ToArray(); }
    }

    /// <summary>Directs output to this cell's list from now on.</summary>
    public void Begin(List<CellOutput> outputs)
    {
        lock (_gate) _current = outputs;
    }

    public void Publish(DisplayEvent displayEvent)
    {
        lock (_gate)
        {
            if (_sealed) return;
            if (displayEvent.ApproximatedType is { } type) _approximatedTypes.Add(type.FullName ?? type.Name);
            if (displayEvent.IsUpdate && _displays.TryGetValue(displayEvent.DisplayId, out var shown))
            {
                shown.Values = displayEvent.Values;
                return;
            }
            var output = new DisplayOutput(displayEvent.DisplayId, displayEvent.Values);
            _displays[displayEvent.DisplayId] = output;
            _current?.Add(output);
        }
    }

    public void Display(params FormattedValue[] values) =>
        Publish(new DisplayEvent(Guid.NewGuid().ToString("N"), values, IsUpdate: false));

    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_sealed || _current is null) return;
            if (_current.Count > 0 && _current[^1] is StreamOutput last && last.Name == stream)
                last.Text.Append(text);
            else
            {
                var output = new StreamOutput(stream);
                output.Text.Append(text);
                _current.Add(output);
            }
        }
    }

    public void AddError(ErrorOutput error)
    {
        lock (_gate)
            if (!_sealed) _current?.Add(error);
    }

    /// <summary>Runs <paramref name="action"/> under the collector's lock, then ignores all later output.</summary>
    public T SealAndRun<T>(Func<T> action)
    {
        lock (_gate)
        {
            _sealed = true;
            return action();
        }
    }

    /// <summary>Runs <paramref name="action"/> under the collector's lock (a consistent snapshot).</summary>
    public T Locked<T>(Func<T> action)
    {
        lock (_gate) return action();
    }
}
