#!/usr/bin/python3
"""Independent top-k exemplar ids for the NuGet ResNet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18).

Builds the network written out as PyTorch modules (torchvision's BasicBlock ResNet, blocks [2,2,2,3],
with the ONNX file's asymmetric paddings), fills it with the ONNX weights, applies the companion
preprocessing (RGB 0..255 -> BGR minus the per-pixel mean image of ResNetPreprocess.onnx) to images
read by torchvision's ImageFolder with Resize(256) + CenterCrop(224), and for each unit of conv1
(the raw convolution, before batch norm) and layer1..layer4 (block outputs after ReLU) ranks the
images by the unit's spatial maximum: the k best, larger first, lower dataset index first on
equal scores. Nothing here is shared with the C# importer.

Run with Debian's packages (apt-get install python3-torch python3-torchvision python3-onnx):
    /usr/bin/python3 tools/onnx_resnet18_reference.py --model .../ResNet18.onnx \
        --preprocess .../ResNetPreprocess.onnx --images <image folder> --out <dir> [--compare <milan exemplars dir>]

Writes <out>/<layer>/ids.csv (units rows x k dataset indices). With --compare, reads the same
files written by `milan exemplars` and reports, per layer, the units whose ids are identical, those
that differ only where the reference's scores of the two ids are exactly equal (ties), and the
others; the exit code is 1 when any unit differs otherwise.
"""
import argparse
import json
import os
import sys

import onnx
import torch
import torch.nn.functional as F
import torchvision
from onnx import numpy_helper
from torchvision import transforms

LAYERS = ["conv1", "layer1", "layer2", "layer3", "layer4"]
BLOCKS = [2, 2, 2, 3]


class PaddedConv(torch.nn.Module):
    """A bias-free convolution with ONNX pads (top, left, bottom, right), applied explicitly."""

    def __init__(self, weight, stride, pads):
        super().__init__()
        self.weight = torch.nn.Parameter(weight, requires_grad=False)
        self.stride = stride
        top, left, bottom, right = pads
        self.pad = (left, right, top, bottom)

    def forward(self, x):
        return F.conv2d(F.pad(x, self.pad), self.weight, stride=self.stride)


class Norm(torch.nn.Module):
    def __init__(self, scale, bias, mean, var, eps):
        super().__init__()
        self.bn = torch.nn.BatchNorm2d(scale.numel(), eps=eps).eval()
        with torch.no_grad():
            self.bn.weight.copy_(scale)
            self.bn.bias.copy_(bias)
            self.bn.running_mean.copy_(mean)
            self.bn.running_var.copy_(var)

    def forward(self, x):
        return self.bn(x)


class BasicBlock(torch.nn.Module):
    def __init__(self, conv1, bn1, conv2, bn2, downsample):
        super().__init__()
        self.conv1, self.bn1, self.conv2, self.bn2 = conv1, bn1, conv2, bn2
        self.downsample = downsample

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return torch.relu(out + shortcut)


class ResNet18Cntk(torch.nn.Module):
    def __init__(self, conv1, bn1, stages):
        super().__init__()
        self.conv1, self.bn1 = conv1, bn1
        self.stages = torch.nn.ModuleList(torch.nn.Sequential(*blocks) for blocks in stages)

    def forward(self, x):
        outputs = {}
        x = self.conv1(x)
        outputs["conv1"] = x
        x = torch.relu(self.bn1(x))
        # MaxPool 3x3, stride 2, ONNX pads (1, 1, 0, 0): padded positions never win.
        x = F.max_pool2d(F.pad(x, (1, 0, 1, 0), value=float("-inf")), 3, 2)
        for i, stage in enumerate(self.stages):
            x = stage(x)
            outputs[f"layer{i + 1}"] = x
        return outputs


def load_network(path):
    """Reads the ONNX weights by following the graph: stem, then per block its two main convolutions and optional 1x1 shortcut."""
    model = onnx.load(path)
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer}
    nodes = list(model.graph.node)
    readers = {}
    for node in nodes:
        for name in node.input:
            readers.setdefault(name, []).append(node)

    def attrs(node):
        return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}

    def conv(node):
        a = attrs(node)
        return PaddedConv(weights[node.input[1]], tuple(a["strides"]), tuple(a["pads"]))

    def norm(node):
        assert node.op_type == "BatchNormalization"
        return Norm(*(weights[n] for n in node.input[1:5]), eps=attrs(node)["epsilon"])

    def only(value, op):
        found = readers[value]
        assert len(found) == 1 and found[0].op_type == op, (value, [n.op_type for n in found])
        return found[0]

    first = only(model.graph.input[0].name, "Conv")
    bn = only(first.output[0], "BatchNormalization")
    pool = only(only(bn.output[0], "Relu").output[0], "MaxPool")
    value = pool.output[0]
    stages = []
    for count in BLOCKS:
        blocks = []
        for _ in range(count):
            convs = [n for n in readers[value] if n.op_type == "Conv"]
            main = next(n for n in convs if list(attrs(n)["kernel_shape"]) == [3, 3])
            shortcut = next((n for n in convs if list(attrs(n)["kernel_shape"]) == [1, 1]), None)
            bn1 = only(main.output[0], "BatchNormalization")
            conv2 = only(only(bn1.output[0], "Relu").output[0], "Conv")
            bn2 = only(conv2.output[0], "BatchNormalization")
            downsample = None
            if shortcut is not None:
                downsample = torch.nn.Sequential(conv(shortcut), norm(only(shortcut.output[0], "BatchNormalization")))
            blocks.append(BasicBlock(conv(main), norm(bn1), conv(conv2), norm(bn2), downsample))
            value = only(only(bn2.output[0], "Add").output[0], "Relu").output[0]
        stages.append(blocks)
    return ResNet18Cntk(conv(first), norm(bn), stages).eval()


def load_mean_image(path):
    graph = onnx.load(path).graph
    (mean,) = [numpy_helper.to_array(t) for t in graph.initializer]
    return torch.from_numpy(mean.copy())


def top_k(scores, k):
    """scores: (N, units). Per unit the k best image indices, larger first, lower index first on ties."""
    order = torch.sort(-scores.t(), dim=1, stable=True).indices
    return order[:, :k]


def compare(reference_ids, scores, milan_dir, layer):
    ours = [[int(v) for v in line.split(",")] for line in open(os.path.join(milan_dir, layer, "ids.csv")) if line.strip()]
    identical = ties = other = 0
    examples = []
    for unit, (theirs, mine) in enumerate(zip(reference_ids.tolist(), ours)):
        if theirs == mine:
            identical += 1
            continue
        unit_scores = scores[:, unit]
        # Equal up to exact ties: at every differing position the two ids score exactly the same.
        if all(unit_scores[a] == unit_scores[b] for a, b in zip(theirs, mine) if a != b):
            ties += 1
        else:
            other += 1
            if len(examples) < 3:
                examples.append({"unit": unit, "reference": theirs, "milan": mine})
    return {"units": len(ours), "identical": identical, "ties": ties, "different": other, "examples": examples}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--preprocess", required=True)
    parser.add_argument("--images", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--k", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--compare")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    network = load_network(args.model)
    mean = load_mean_image(args.preprocess)
    dataset = torchvision.datasets.ImageFolder(args.images, transform=transforms.Compose(
        [transforms.Resize(256), transforms.CenterCrop(224), transforms.PILToTensor()]))
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=False)
    maxima = {layer: [] for layer in LAYERS}
    with torch.no_grad():
        for images, _ in loader:
            x = images.float().flip(1) - mean  # RGB -> BGR, minus the mean image
            for layer, value in network(x).items():
                maxima[layer].append(value.amax(dim=(2, 3)))

    report = {"images": len(dataset), "layers": {}}
    for layer in LAYERS:
        scores = torch.cat(maxima[layer])
        ids = top_k(scores, args.k)
        folder = os.path.join(args.out, layer)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "ids.csv"), "w") as f:
            for row in ids.tolist():
                f.write(",".join(str(i) for i in row) + "\n")
        if args.compare:
            report["layers"][layer] = compare(ids, scores, args.compare, layer)
    if args.compare:
        print(json.dumps(report, indent=1))
        return 1 if any(r["different"] for r in report["layers"].values()) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
