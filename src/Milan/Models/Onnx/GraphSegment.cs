using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// A part of an imported ONNX graph run as one module: its steps (ONNX nodes, or nested segments
/// such as a ResNet stage or block) in topological order, from one input value to one output value.
/// Every step is a registered submodule, so each layer has a dotted module path ("layer2.1.conv1")
/// that <see cref="LayerTrace"/> and <see cref="UnitAblation"/> hook. Values are freed as soon as
/// no later step reads them.
/// </summary>
public class GraphSegment : nn.Module<Tensor, Tensor>
{
    private GraphStep[] _steps;
    private readonly string _input;
    private readonly string _output;
    private string[][] _freeAfter;

    internal GraphSegment(string name, string input, string output, IReadOnlyList<GraphStep> steps) : base(name)
    {
        _steps = steps.ToArray();
        _input = input;
        _output = output;
        foreach (var step in _steps) register_module(step.Name, step.Module);
        _freeAfter = FreeAfter(_steps, input, output);
    }

    /// <summary>The names of the submodules, in the order they run.</summary>
    public IReadOnlyList<string> StepNames => _steps.Select(s => s.Name).ToList();

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [_input] = x };
        for (int i = 0; i < _steps.Length; i++)
        {
            var step = _steps[i];
            var inputs = step.Inputs.Select(n => values[n]).ToArray();
            var outputs = Run(step.Module, inputs);
            for (int j = 0; j < step.Outputs.Count; j++) values[step.Outputs[j]] = outputs[j];
            foreach (var name in _freeAfter[i])
            {
                values[name].Dispose();
                values.Remove(name);
            }
        }
        return values[_output].MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Folds each BatchNormalization that alone reads a Conv's output into that Conv, here and in the
    /// nested segments, where <paramref name="foldable"/> allows both module paths (full paths, under
    /// <paramref name="prefix"/>); the Conv then writes the norm's output and the norm's step is dropped
    /// (its module stays registered). For inference copies only (<see cref="OnnxNetwork.InferenceCopy"/>).
    /// </summary>
    internal void FoldBatchNorms(Func<string, bool> foldable, string prefix)
    {
        var steps = _steps.ToList();
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Module is GraphSegment nested) nested.FoldBatchNorms(foldable, prefix + step.Name + ".");
            if (step.Module is not ConvNode convolution || step.Outputs[0] == _output) continue;
            var readers = steps.Where(s => s.Inputs.Contains(step.Outputs[0])).ToList();
            if (readers is not [{ Module: BatchNormNode norm } normStep]
                || !foldable(prefix + step.Name) || !foldable(prefix + normStep.Name)) continue;
            convolution.Fold(norm);
            steps[i] = step with { Outputs = normStep.Outputs };
            steps.Remove(normStep);
        }
        _steps = [.. steps];
        _freeAfter = FreeAfter(_steps, _input, _output);
    }

    private static Tensor[] Run(nn.Module module, Tensor[] inputs) => module switch
    {
        JoinNode join => [join.call(join.Combine(inputs))],
        SplitNode split => split.Split(inputs[0]),
        nn.Module<Tensor, Tensor> unary => [unary.call(inputs[0])],
        _ => throw new InvalidOperationException($"{module.GetName()} is not a graph step"),
    };

    /// <summary>For each step, the values produced here that no later step reads (never the segment's input or output).</summary>
    private static string[][] FreeAfter(GraphStep[] steps, string input, string output)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < steps.Length; i++)
        {
            foreach (var value in steps[i].Outputs) last[value] = i;
            foreach (var value in steps[i].Inputs) last[value] = i;
        }
        return steps.Select((_, i) => last.Where(p => p.Value == i && p.Key != input && p.Key != output).Select(p => p.Key).ToArray()).ToArray();
    }
}
