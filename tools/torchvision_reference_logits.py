#!/usr/bin/python3
"""Reference logits for tests/Milan.Tests/Models/TorchvisionCrossCheckTests.cs.

Run once with Debian's torch + torchvision (apt-get install python3-torch python3-torchvision):
    /usr/bin/python3 tools/torchvision_reference_logits.py
and paste the printed numbers into the test. CI does not need torch: torch.manual_seed gives the
same randn stream in TorchSharp (libtorch 2.10) and torch 1.13 on the CPU, so the C# test rebuilds
the same weights and input from the seed.

Weights: every state-dict entry in torchvision's order (num_batches_tracked skipped) gets
randn(shape) from manual_seed(0), then
    weight of rank > 1 (conv, linear):  r * sqrt(2 / fan_in)
    weight of rank 1 (batch norm):      1 + 0.1 r
    running_var:                        0.5 + |r|
    anything else (biases, means):      0.1 r
Input: manual_seed(1), randn(2, 3, S, S). Model in eval mode.
"""
import torch
import torchvision

import seeded_weights


def fill(model):
    """The rule of seeded_weights.py, in torchvision's state-dict order."""
    seeded_weights.fill(model, list(model.state_dict().keys()))


def alexnet_small():
    """Our small-input variant: torchvision's AlexNet with the first convolution at stride 1, padding 5."""
    model = torchvision.models.alexnet()
    model.features[0].stride = (1, 1)
    model.features[0].padding = (5, 5)
    return model


CASES = [
    ("resnet18", torchvision.models.resnet18, 224),
    ("resnet50", torchvision.models.resnet50, 64),
    ("alexnet", torchvision.models.alexnet, 224),
    ("alexnet-small", alexnet_small, 32),
]

torch.set_num_threads(2)
for name, build, size in CASES:
    model = build().eval()
    fill(model)
    torch.manual_seed(1)
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        logits = model(x)
    head = ", ".join(f"{v:.6f}f" for v in logits[:, :4].flatten().tolist())
    print(f'{{ "{name}", {size}, [{head}], {logits.sum().item():.5f}, {logits.abs().sum().item():.5f} }},')
