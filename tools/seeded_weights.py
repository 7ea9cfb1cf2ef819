"""The seeded weight rule shared by the PyTorch scripts in tools/ and their C# counterparts
(tests/Milan.Tests/Models/TorchvisionCrossCheckTests.cs, tests/Milan.Benchmarks/SeededWeights.cs).

torch.manual_seed(0), then every state-dict entry in the given order (num_batches_tracked skipped)
gets r = randn(shape), and
    weight of rank > 1 (conv, linear, LSTM, embedding):  r * sqrt(2 / fan_in)
    weight of rank 1 (batch norm):                       1 + 0.1 r
    running_var:                                         0.5 + |r|
    anything else (biases, means):                       0.1 r
torch.manual_seed streams are the same in TorchSharp (libtorch 2.10) and torch 1.13 on the CPU, so
both sides get the same numbers.
"""
import math

import torch


def fill(model, names):
    """Fills model's state-dict entries, visited in the order of names."""
    state = model.state_dict()
    torch.manual_seed(0)
    with torch.no_grad():
        for name in names:
            if name.endswith("num_batches_tracked"):
                continue
            tensor = state[name]
            r = torch.randn(tensor.shape)
            leaf = name.rsplit(".", 1)[1]
            if leaf.startswith("weight") and tensor.dim() > 1:
                value = r * math.sqrt(2.0 / tensor[0].numel())
            elif leaf == "weight":
                value = 1 + 0.1 * r
            elif leaf == "running_var":
                value = 0.5 + r.abs()
            else:
                value = 0.1 * r
            tensor.copy_(value)
