#!/usr/bin/python3
"""PyTorch peer of tests/Milan.Benchmarks: the same work as its TorchSharp rows, in PyTorch 1.13.

Run by `dotnet run -c Release --project tests/Milan.Benchmarks -- compare`, which interleaves this
script with the TorchSharp side and prints both and the ratio (docs/performance.md). Each call does
one piece of work, after a warm-up, and prints one JSON line:
    {"value": <throughput>, "unit": ..., "seconds": <timed wall seconds>, "check": <a number both sides
     should roughly agree on>, "blas": <the BLAS library this process loaded>, "threads": n}

The work mirrors the TorchSharp code as a straightforward PyTorch port would write it (the algorithms
of src/Milan as they were before issue 20's optimisations: the same running top-k, exact running
quantile and kept feature maps; the same captioner, beam search and PMI rerank). It needs Debian's
python3-torch (+ python3-torchvision is not needed) and, to be a fair peer, OpenBLAS:
    apt-get install python3-torch libopenblas0-pthread
Weights and inputs come from torch.manual_seed, whose streams are identical in TorchSharp, so both
sides compute on the same numbers (the rule is fill() below; SeededWeights.cs on the C# side).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy
import torch
import torch.nn as nn

from seeded_weights import fill as fill_in_order


# ----------------------------------------------------------------------------------------------
# shared helpers

def fill(model):
    """Deterministic weights (seeded_weights.py), entries by name in ordinal order as SeededWeights.cs visits them."""
    fill_in_order(model, sorted(model.state_dict()))


def blas_library():
    """The BLAS shared library this process has mapped (resolved through Debian's alternatives)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")}
    resolved = sorted({os.path.realpath(p) for p in paths})
    if not resolved:
        return "none loaded"
    return ", ".join(resolved)


def median(values):
    """The upper median, as the C# side takes it."""
    return sorted(values)[len(values) // 2]


def report(value, unit, seconds, check, cpu=None):
    print(json.dumps({"value": value, "unit": unit, "seconds": seconds, "check": check,
                      "blas": blas_library(), "threads": torch.get_num_threads(),
                      "cpu": cpu, "torch": torch.__version__}))


# ----------------------------------------------------------------------------------------------
# ResNet-18 in torchvision's layout with a base width (as src/Milan/Models/ResNet.cs)

class BasicBlock(nn.Module):
    def __init__(self, inputs, channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.downsample = None
        if stride != 1 or inputs != channels:
            self.downsample = nn.Sequential(nn.Conv2d(inputs, channels, 1, stride, bias=False), nn.BatchNorm2d(channels))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += shortcut
        return self.relu(out)


class ResNet18(nn.Module):
    def __init__(self, width, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        inputs = width
        for i in range(4):
            channels = width << i
            stride = 1 if i == 0 else 2
            setattr(self, f"layer{i + 1}", nn.Sequential(BasicBlock(inputs, channels, stride), BasicBlock(channels, channels, 1)))
            inputs = channels
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(inputs, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(self.avgpool(x).flatten(1))


# ----------------------------------------------------------------------------------------------
# exemplar pass 1: running top-k with kept maps, exact running quantile (src/Milan/Stats, Exemplars)

class RunningTopK:
    def __init__(self, k):
        self.k, self.values, self.indices = k, None, None

    def add_tracked(self, scores, first):
        """scores (items, units); returns where each kept entry came from (as RunningTopK.AddTracked)."""
        units, items = scores.shape[1], scores.shape[0]
        batch_values = scores.t()
        batch_indices = torch.arange(first, first + items).unsqueeze(0).expand(units, items)
        candidates = batch_values if self.values is None else torch.cat([self.values, batch_values], 1)
        candidate_indices = batch_indices if self.values is None else torch.cat([self.indices, batch_indices], 1)
        by_index = candidate_indices.sort(dim=1, stable=True).indices
        by_score = candidates.gather(1, by_index).sort(dim=1, descending=True, stable=True).indices
        order = by_index.gather(1, by_score)[:, :min(self.k, candidates.shape[1])]
        self.values, self.indices = candidates.gather(1, order), candidate_indices.gather(1, order)
        return order


class ExactRunningQuantile:
    def __init__(self, q, total):
        self.q, self.total, self.count = q, total, 0
        self.tail_length = total - math.floor(q * (total - 1))
        self.tail, self.pending, self.pending_width, self.threshold = None, [], 0, None

    def add(self, values):
        n = values.shape[1]
        self.count += n
        if self.threshold is None:
            candidates = values.clone() if n <= self.tail_length else values.topk(self.tail_length, 1, sorted=False).values
        else:
            above = values > self.threshold
            needed = int(above.sum(1, dtype=torch.int32).max())
            if needed == 0:
                return
            candidates = values.clone() if needed >= n else \
                torch.where(above, values, torch.tensor(float("-inf"))).topk(needed, 1, sorted=False).values
        self.pending.append(candidates)
        self.pending_width += candidates.shape[1]
        held = (0 if self.tail is None else self.tail.shape[1]) + self.pending_width
        if self.pending_width >= self.tail_length or (self.threshold is None and held >= self.tail_length):
            self.compact()

    def compact(self):
        if not self.pending:
            return
        parts = self.pending if self.tail is None else [self.tail] + self.pending
        every = parts[0] if len(parts) == 1 else torch.cat(parts, 1)
        self.tail = every.topk(self.tail_length, 1, sorted=False).values if every.shape[1] > self.tail_length else every
        self.pending, self.pending_width = [], 0
        if self.tail.shape[1] == self.tail_length:
            self.threshold = self.tail.amin(1, keepdim=True)

    def result(self):
        self.compact()
        descending = self.tail.sort(1, descending=True).values
        position = self.q * (self.count - 1)
        below, above = math.floor(position), math.ceil(position)
        low = descending[:, self.count - 1 - below].double()
        high = descending[:, self.count - 1 - above].double()
        t = position - below
        return (low + (high - low) * t if t < 0.5 else high - (high - low) * (1 - t)).float()


class LayerAccumulator:
    def __init__(self, k, images):
        self.k, self.images, self.top, self.quantile, self.maps = k, images, RunningTopK(k), None, None

    def add(self, acts, first):
        batch, units, height, width = acts.shape
        positions = height * width
        if self.quantile is None:
            self.quantile = ExactRunningQuantile(0.99, self.images * positions)
        by_image = acts.reshape(batch * units, positions)
        pooled = by_image.amax(1).reshape(batch, units)
        previous = 0 if self.top.values is None else self.top.values.shape[1]
        sources = self.top.add_tracked(pooled, first)
        unit_ids = torch.arange(units).unsqueeze(1)
        batch_rows = ((sources - previous).clamp_min(0) * units + unit_ids).flatten()
        if self.maps is None:
            self.maps = by_image.index_select(0, batch_rows).reshape(units, -1, positions)
        else:
            from_batch = (sources >= previous).flatten().nonzero().squeeze(1)
            if from_batch.numel() > 0:
                kept_rows = (unit_ids * previous + sources.clamp_max(previous - 1)).flatten()
                maps = self.maps.reshape(-1, positions).index_select(0, kept_rows)
                maps.index_copy_(0, from_batch, by_image.index_select(0, batch_rows.index_select(0, from_batch)))
                self.maps = maps.reshape(units, -1, positions)
        self.quantile.add(acts.transpose(0, 1).reshape(units, batch * positions))


def exemplar(args):
    source = numpy.load(os.path.join(args.source, "images.npy"), mmap_mode="r")
    if source.shape[2] != args.size:
        raise SystemExit(f"--source holds {source.shape[2]} px images, not {args.size}")
    images = min(args.images, source.shape[0])
    model = ResNet18(args.width).eval()
    fill(model)
    layers = ["conv1", "layer1", "layer2", "layer3", "layer4"]
    captured = {}
    for name in layers:
        getattr(model, name).register_forward_hook(lambda module, inputs, output, name=name: captured.__setitem__(name, output))
    mean = torch.tensor([0.485, 0.456, 0.406]).reshape(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).reshape(1, 3, 1, 1)

    def run(count):
        accumulators = {name: LayerAccumulator(15, count) for name in layers}
        with torch.no_grad():
            for start in range(0, count, args.batch):
                end = min(start + args.batch, count)
                batch = torch.from_numpy(numpy.array(source[start:end]))     # one copy out of the memory map
                x = (batch.float() / 255 - mean) / std
                captured.clear()
                model(x)
                if args.mode == "pass1":
                    for name in layers:
                        accumulators[name].add(captured[name], start)
        if args.mode == "forward":
            return float(sum(captured[name].sum() for name in layers))   # the last batch's outputs
        return float(sum(a.quantile.result().sum() + a.top.values[:, 0].sum() for a in accumulators.values()))

    run(min(args.batch, images))       # warm-up: oneDNN kernels, allocator
    start, cpu = time.perf_counter(), time.process_time()
    check = run(images)
    seconds = time.perf_counter() - start
    report(images / seconds, "img/s", seconds, check, time.process_time() - cpu)


# ----------------------------------------------------------------------------------------------
# the captioner p(d|E), the language model p(d), beam search and PMI rerank (src/Milan/Captioning)

class Attention(nn.Module):
    def __init__(self, query, key, hidden):
        super().__init__()
        self.query_to_hidden = nn.Linear(query, hidden)
        self.key_to_hidden = nn.Linear(key, hidden)
        self.output = nn.Sequential(nn.Linear(hidden, 1))

    def weights(self, queries, keys):
        hidden = (self.query_to_hidden(queries).unsqueeze(2) + keys.unsqueeze(1)).tanh()
        return self.output(hidden).squeeze(-1).softmax(-1)


class Decoder(nn.Module):
    def __init__(self, features, vocabulary, embedding=128, hidden=512):
        super().__init__()
        self.init_h = nn.Sequential(nn.Linear(features, hidden))
        self.init_c = nn.Sequential(nn.Linear(features, hidden))
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.attend = Attention(hidden, features, min(hidden, features))
        self.feature_gate = nn.Sequential(nn.Linear(hidden, features))
        self.lstm = nn.LSTMCell(embedding + features, hidden)
        self.output = nn.Sequential(nn.Dropout(0.5), nn.Linear(hidden, vocabulary))

    def initial_state(self, features):
        mean = features.mean(1)
        return self.init_h(mean).tanh(), self.init_c(mean).tanh()

    def step(self, features, keys, tokens, h, c):
        batch, rows = features.shape[0], h.shape[0]
        attention = self.attend.weights(h.view(batch, rows // batch, -1), keys)
        attended = attention.bmm(features).view(rows, -1)
        gated = attended * self.feature_gate(h).sigmoid()
        h, c = self.lstm(torch.cat([self.embedding(tokens), gated], 1), (h, c))
        return self.output(h).log_softmax(1), attention.view(rows, -1), h, c

    def teacher_force(self, features, inputs):
        h, c = self.initial_state(features)
        keys = self.attend.key_to_hidden(features)
        log_probs, attentions = [], []
        for t in range(inputs.shape[1]):
            step, attention, h, c = self.step(features, keys, inputs[:, t], h, c)
            log_probs.append(step)
            attentions.append(attention)
        return torch.stack(log_probs, 1), torch.stack(attentions, 1)


class LanguageModel(nn.Module):
    def __init__(self, vocabulary, pad, embedding=128, hidden=512):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding, padding_idx=pad)
        self.lstm = nn.LSTM(embedding, hidden, num_layers=2, batch_first=True, dropout=0.5)
        self.output = nn.Sequential(nn.Linear(hidden, vocabulary))

    def sequence_log_probs(self, inputs, counts):
        hidden, _ = self.lstm(self.embedding(inputs))
        log_probs = self.output(hidden).log_softmax(-1)[:, :-1]
        picked = log_probs.gather(2, inputs[:, 1:].unsqueeze(2)).squeeze(2)
        mask = torch.arange(picked.shape[1]).unsqueeze(0) < counts.unsqueeze(1)
        return picked.where(mask, torch.zeros_like(picked)).sum(1)


def annotation_words(index, words):
    """The benchmark's deterministic annotations: 3..8 words (the same rule as the C# side)."""
    return [(index * 7 + j * 13) % words for j in range(3 + index % 6)]


def train(args):
    words = 1000
    start, stop, pad = words, words + 1, words + 2
    vocabulary = words + 4
    torch.manual_seed(0)
    decoder = Decoder(args.features, vocabulary)
    fill(decoder)
    torch.manual_seed(0)
    features = torch.randn(args.batch, 15, args.features)
    annotations = [annotation_words(i, words) for i in range(args.batch)]
    length = max(len(a) for a in annotations) + 2
    ids = torch.tensor([[start] + a + [stop] + [pad] * (length - len(a) - 2) for a in annotations])
    inputs, targets = ids[:, :-1], ids[:, 1:]
    optimizer = torch.optim.AdamW(decoder.parameters(), lr=1e-3)
    decoder.train()

    def step():
        log_probs, attention = decoder.teacher_force(features, inputs)
        picked = log_probs.gather(2, targets.unsqueeze(2)).squeeze(2)
        mask = targets.ne(pad).float()
        loss = -(picked * mask).sum() / mask.sum() + (1 - attention.sum(1)).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return float(loss)

    for _ in range(2):
        step()
    times, check = [], 0.0
    for _ in range(args.steps):
        begin = time.perf_counter()
        check = step()
        times.append(time.perf_counter() - begin)
    report(args.batch / median(times), "ann/s", sum(times), check)


def beam_search(decoder, features, beam, steps, start_id, stop_id):
    """allennlp-style beam search on log p(w|E), as src/Milan/Captioning/BeamSearch.cs."""
    batch = features.shape[0]
    keys = decoder.attend.key_to_hidden(features)
    h, c = decoder.initial_state(features)
    log_probs, _, h, c = decoder.step(features, keys, torch.full((batch,), start_id, dtype=torch.long), h, c)
    scores, first = log_probs.topk(beam, 1)
    step_tokens, backpointers = [first.reshape(-1)], []          # (B·beam) per step; beam index within the neuron
    offsets = (torch.arange(batch) * beam).unsqueeze(1)
    parents = torch.arange(batch).repeat_interleave(beam)
    after_end = torch.full((1, log_probs.shape[1]), float("-inf"))
    after_end[0, stop_id] = 0
    for _ in range(1, steps):
        last = step_tokens[-1]
        if bool((last == stop_id).all()):
            break
        h, c = h.index_select(0, parents), c.index_select(0, parents)
        log_probs, _, h, c = decoder.step(features, keys, last, h, c)
        cleaned = torch.where(last.eq(stop_id).unsqueeze(1), after_end, log_probs)
        node_top, node_tokens = cleaned.topk(beam, 1)
        summed = (node_top + scores.reshape(-1, 1)).reshape(batch, beam * beam)
        scores, best = summed.topk(beam, 1)
        step_tokens.append(node_tokens.reshape(batch, beam * beam).gather(1, best).reshape(-1))
        backpointer = best.div(beam, rounding_mode="trunc")
        backpointers.append(backpointer.reshape(-1))
        parents = (backpointer + offsets).reshape(-1)
    # Follow the backpointers from the last step, then sort each neuron's hypotheses by score.
    sequences = torch.empty(batch * beam, len(step_tokens), dtype=torch.long)
    within = torch.arange(beam).repeat(batch)
    neuron_offset = offsets.expand(batch, beam).reshape(-1)
    for t in range(len(step_tokens) - 1, -1, -1):
        sequences[:, t] = step_tokens[t][within + neuron_offset]
        if t > 0:
            within = backpointers[t - 1][within + neuron_offset]
    order = scores.sort(dim=1, descending=True, stable=True).indices
    return sequences[(order + offsets).reshape(-1)].reshape(batch, beam, -1), scores.gather(1, order)


def decode(args):
    words = 1000
    start, stop, pad = words, words + 1, words + 2
    vocabulary = words + 4
    torch.manual_seed(0)
    decoder = Decoder(args.features, vocabulary).eval()
    fill(decoder)
    lm = LanguageModel(vocabulary, pad).eval()
    fill(lm)
    torch.manual_seed(1)
    neurons = torch.randn(args.neurons, 15, args.features)

    def run(count):
        chosen = []
        with torch.no_grad():
            for first in range(0, count, args.batch):
                features = neurons[first:first + args.batch]
                sequences, scores = beam_search(decoder, features, args.beam, 15, start, stop)
                batch = sequences.shape[0]
                flat = sequences.reshape(batch * args.beam, -1)
                lengths = [(row.tolist().index(stop) + 1) if stop in row.tolist() else row.shape[0] for row in flat]
                longest = max(lengths) + 1
                inputs = torch.full((flat.shape[0], longest), pad, dtype=torch.long)
                inputs[:, 0] = start
                for i, n in enumerate(lengths):
                    inputs[i, 1:n + 1] = flat[i, :n]
                lm_scores = lm.sequence_log_probs(inputs, torch.tensor(lengths)).reshape(batch, args.beam).double()
                total = scores.double() - 0.2 * lm_scores
                total = torch.where(torch.isfinite(scores), total, torch.tensor(float("-inf"), dtype=torch.double))
                chosen += [lengths[b * args.beam + k] for b, k in enumerate(total.argmax(1).tolist())]
        return float(sum(chosen))                  # tokens of the chosen descriptions

    run(min(args.batch, args.neurons))
    begin, cpu = time.perf_counter(), time.process_time()
    check = run(args.neurons)
    seconds = time.perf_counter() - begin
    report(args.neurons / seconds, "neurons/s", seconds, check, time.process_time() - cpu)


def gemm(args):
    torch.manual_seed(0)
    a, b = torch.randn(args.n, args.n), torch.randn(args.n, args.n)
    a @ b
    times = []
    for _ in range(args.steps):
        begin = time.perf_counter()
        c = a @ b
        times.append(time.perf_counter() - begin)
    report(2 * args.n ** 3 / median(times) / 1e9, "GFLOP/s", sum(times), float(c[0, 0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    commands = parser.add_subparsers(dest="work", required=True)
    p = commands.add_parser("exemplar")
    p.add_argument("--mode", choices=["pass1", "forward"], required=True)
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--source", required=True, help="a folder holding images.npy (N, 3, S, S) uint8")
    p.add_argument("--images", type=int, default=1 << 30)
    p.add_argument("--batch", type=int, required=True)
    p = commands.add_parser("train")
    p.add_argument("--features", type=int, required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=8)
    p = commands.add_parser("decode")
    p.add_argument("--features", type=int, required=True)
    p.add_argument("--neurons", type=int, default=32)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--beam", type=int, default=50)
    p = commands.add_parser("gemm")
    p.add_argument("--n", type=int, default=2048)
    p.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    {"exemplar": exemplar, "train": train, "decode": decode, "gemm": gemm}[args.work](args)


if __name__ == "__main__":
    sys.exit(main())
