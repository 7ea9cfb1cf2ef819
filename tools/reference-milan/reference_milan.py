#!/usr/bin/python3
"""Reference-format MILAN checkpoints, and an independent PyTorch decoding of them.

Run with Debian's python3-torch (`/usr/bin/python3`); the tests run it, nothing here is committed as data.

    reference_milan.py write OUT.pth [--seed S] [--words N] [--width W] [--hidden H] [--embedding E]
                                     [--features OUT.npy --neurons M]
        A small random MILAN in exactly the serialized format of evandez/neuron-descriptions
        (src/utils/serialize.py): torch.save of the plain dictionary {'properties', 'children',
        'state_dict'} that `Decoder.serialize()` returns, with the reference's property names, nesting
        and state-dict keys (decoder, `encoder.*` = PyramidConvEncoder + InstrumentedModel + a
        torchvision-layout ResNet-18, `lm.*`). Only the sizes are small: a ResNet-18 of base width W
        (the real files hold a ResNet-101 of width 64), a vocabulary of N words, LSTMs of H units.
        The spaCy pipeline is stored as the reference stores it, a (config, bytes) pair whose config is
        a thinc `Config` (a dict subclass); its bytes here are a stand-in (the real ones are spaCy's
        msgpack, which no reader of ours interprets). The LM's LSTM weights share one storage at
        different offsets, as cuDNN's flattened weights do when a model is saved from a GPU.

    reference_milan.py decode CHECKPOINT FEATURES.npy SETTINGS.json
        Loads the checkpoint with torch.load and decodes the (N, K, D) features with the reference's
        semantics, one setting per entry of SETTINGS.json
        ({"name", "strategy": greedy|beam|rerank, "beam", "mi", "temperature", "lm_scoring":
        reference|corrected}); prints JSON {"vocabulary": [...], "results": {name: [{"tokens",
        "description", "score"}, ...]}}. Rerank decodes one neuron at a time (the reference's extra LM
        term depends on the batch).

    reference_milan.py encode CHECKPOINT IMAGES.npy MASKS.npy OUT.npy
        The checkpoint's PyramidConvEncoder on uint8 images (N, K, 3, S, S) and 0/1 masks (N, K, 1, S, S):
        features (N, K, D) as the reference's Decoder.encode computes them.
        Written from milan-spec §3-§5 and allennlp 2.10's BeamSearch, not from the C# code.
"""
import json
import math
import sys
import types
from collections import OrderedDict

import numpy as np
import torch
from torch import nn
from torch.nn import functional

# ---------------------------------------------------------------------------------------------
# Modules with the reference's attribute names, so that state_dict() gives its exact keys.
# ---------------------------------------------------------------------------------------------


class BasicBlock(nn.Module):
    """torchvision's ResNet BasicBlock (names conv1, bn1, relu, conv2, bn2, downsample)."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class ResNet18(nn.Module):
    """torchvision's resnet18 layout with a configurable base width (64 in torchvision)."""

    def __init__(self, width=64, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        planes = [width, width * 2, width * 4, width * 8]
        inplanes = width
        for index, (p, stride) in enumerate(zip(planes, [1, 2, 2, 2])):
            setattr(self, f'layer{index + 1}', nn.Sequential(BasicBlock(inplanes, p, stride), BasicBlock(p, p, 1)))
            inplanes = p
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(planes[-1], classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class InstrumentedModel(nn.Module):
    """netdissect's wrapper: the model lives under `model`."""

    def __init__(self, model):
        super().__init__()
        self.model = model


LAYERS = ('conv1', 'layer1', 'layer2', 'layer3', 'layer4')


class PyramidConvEncoder(nn.Module):
    """MILAN's encoder (milan-spec §3.1): buffers mean/std (1,3,1,1) and `encoder` = InstrumentedModel."""

    def __init__(self, backbone):
        super().__init__()
        self.encoder = InstrumentedModel(backbone)
        self.register_buffer('mean', torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer('std', torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    @property
    def feature_size(self):
        model = self.encoder.model
        return model.conv1.out_channels + sum(getattr(model, name)[-1].conv2.out_channels for name in LAYERS[1:])

    def forward(self, images, masks):
        """images (N,3,S,S) in [0,1], masks (N,1,S,S) -> (N, feature_size), as the reference's forward."""
        retained = OrderedDict()
        hooks = [getattr(self.encoder.model, name).register_forward_hook(
            lambda module, inputs, output, name=name: retained.__setitem__(name, output)) for name in LAYERS]
        try:
            self.encoder.model((images - self.mean) / self.std)
        finally:
            for hook in hooks:
                hook.remove()
        pooled = []
        for features in retained.values():
            ms = functional.interpolate(masks, size=features.shape[-2:], mode='bilinear', align_corners=False)
            valid = ~ms.isclose(torch.zeros_like(ms)).all(dim=-1).all(dim=-1).view(-1)
            indices = valid.nonzero().squeeze()
            ms[indices] /= ms[indices].sum(dim=(-1, -2), keepdim=True)
            pooled.append(features.mul(ms).sum(dim=(-1, -2)))
        return torch.cat(pooled, dim=-1)


class Attention(nn.Module):
    def __init__(self, query_size, key_size, hidden_size):
        super().__init__()
        self.query_to_hidden = nn.Linear(query_size, hidden_size)
        self.key_to_hidden = nn.Linear(key_size, hidden_size)
        self.output = nn.Sequential(nn.Linear(hidden_size, 1), nn.Softmax(dim=1))

    def forward(self, query, keys):
        hidden = torch.tanh(self.query_to_hidden(query).unsqueeze(1) + self.key_to_hidden(keys))
        return self.output(hidden).view(*keys.shape[:2])


class LanguageModel(nn.Module):
    def __init__(self, vocab_size, pad_index, embedding_size, hidden_size, layers, dropout):
        super().__init__()
        self.layers, self.hidden_size = layers, hidden_size
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=pad_index)
        self.lstm = nn.LSTM(embedding_size, hidden_size, num_layers=layers, dropout=dropout, batch_first=True)
        self.output = nn.Sequential(nn.Linear(hidden_size, vocab_size), nn.LogSoftmax(dim=-1))

    def forward(self, inputs):
        hiddens, _ = self.lstm(self.embedding(inputs))
        return self.output(hiddens)


class Decoder(nn.Module):
    """The captioner p(d|E) (milan-spec §3.2); `encoder` and `lm` are children, as in the reference."""

    def __init__(self, encoder, lm, vocab_size, feature_size, embedding_size, hidden_size, attention_hidden_size, dropout):
        super().__init__()
        self.encoder = encoder
        self.lm = lm
        self.init_h = nn.Sequential(nn.Linear(feature_size, hidden_size), nn.Tanh())
        self.init_c = nn.Sequential(nn.Linear(feature_size, hidden_size), nn.Tanh())
        self.embedding = nn.Embedding(vocab_size, embedding_size)
        self.attend = Attention(hidden_size, feature_size, attention_hidden_size or min(hidden_size, feature_size))
        self.feature_gate = nn.Sequential(nn.Linear(hidden_size, feature_size), nn.Sigmoid())
        self.lstm = nn.LSTMCell(embedding_size + feature_size, hidden_size)
        self.output = nn.Sequential(nn.Dropout(p=dropout), nn.Linear(hidden_size, vocab_size), nn.LogSoftmax(dim=-1))


# ---------------------------------------------------------------------------------------------
# Writing a checkpoint
# ---------------------------------------------------------------------------------------------

WORDS = ['a', 'and', 'of', 'the', '.', 'dogs', 'cats', 'with', 'red', 'in', ',', 'text', 'blue', 'faces', 'water',
         'letters', 'black', '-', 'white', 'grass', 'sky', 'wheels', 'cars', 'animals', 'people', 'on', 'striped',
         'objects', 'round', 'green', 'trees', 'buildings', 'windows', 'birds', 'fur', 'eyes', 'food', 'plates',
         'words', 'signs', 'stripes', 'circles', 'lines', 'edges', 'corners', 'shapes', 'metal', 'wood', 'boats',
         'horizontal', 'vertical', 'patterns', 'top', 'bottom', 'left', 'right', 'snow', 'sand', 'flowers', 'leaves']


def spacy_pipeline_pair(seed):
    """The (config, bytes) pair serialize.py stores for a spaCy Language: a thinc Config and to_bytes()."""
    thinc = sys.modules.setdefault('thinc', types.ModuleType('thinc'))
    config_module = sys.modules.setdefault('thinc.config', types.ModuleType('thinc.config'))
    thinc.config = config_module
    if not hasattr(config_module, 'Config'):
        class Config(dict):
            """thinc 8.0's Config: a dict with two attributes (pickled as NEWOBJ + SETITEMS + BUILD)."""

            def __init__(self, data=None, *, is_interpolated=None, section_order=None):
                super().__init__(data or {})
                self.is_interpolated = True if is_interpolated is None else is_interpolated
                self.section_order = section_order or []
        Config.__module__, Config.__qualname__ = 'thinc.config', 'Config'
        config_module.Config = Config
    config = config_module.Config({
        'paths': {'train': None, 'dev': None, 'vectors': None, 'init_tok2vec': None},
        'system': {'gpu_allocator': None, 'seed': 0},
        'nlp': {'lang': 'en', 'pipeline': ['tok2vec', 'tagger', 'parser', 'attribute_ruler', 'lemmatizer', 'ner'],
                'disabled': ['senter'], 'before_creation': None, 'after_creation': None,
                'after_pipeline_creation': None, 'batch_size': 256, 'tokenizer': {'@tokenizers': 'spacy.Tokenizer.v1'}},
        'components': {'tagger': {'factory': 'tagger', 'model': {'@architectures': 'spacy.Tagger.v1', 'nO': None}}},
        'training': {'dropout': 0.1, 'max_steps': 20000, 'seed': 0, 'accumulate_gradient': 1},
    }, is_interpolated=True, section_order=['paths', 'system', 'nlp', 'components', 'training'])
    generator = np.random.default_rng(seed)
    payload = bytes(range(256)) + generator.integers(0, 256, 2048, dtype=np.uint8).tobytes()
    return config, payload


def serialized_indexer(words, seed):
    """lang.Indexer.serialize(): vocab and tokenizer nested as {'properties', 'children'} dictionaries."""
    tokenizer = {'nlp': spacy_pipeline_pair(seed), 'lemmatize': False, 'lowercase': True,
                 'ignore_stop': False, 'ignore_punct': False}
    return {'properties': {'vocab': {'properties': {'tokens': tuple(words)}, 'children': {}},
                           'tokenize': {'properties': tokenizer, 'children': {}},
                           'start': True, 'stop': True, 'pad': True, 'unk': True, 'length': None},
            'children': {}}


def build_random(seed, words, width, embedding, hidden):
    torch.manual_seed(seed)
    vocab_size = len(words) + 4
    backbone = ResNet18(width)
    backbone.eval()
    for module in backbone.modules():
        if isinstance(module, nn.BatchNorm2d):    # statistics a trained network would have
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.1, 0.1)
    encoder = PyramidConvEncoder(backbone)
    lm = LanguageModel(vocab_size, len(words) + 2, embedding, hidden, 2, 0.5)
    decoder = Decoder(encoder, lm, vocab_size, encoder.feature_size, embedding, hidden, None, 0.5)
    train_briefly(decoder, lm, len(words), seed)
    return decoder.eval()


def synthetic_neurons(count, feature_size, words, seed, sample=0, exemplars=15):
    """Features (count, K, D) around one of 8 prototypes each, and for each neuron one of its prototype's three
    captions (1-6 word ids), like three annotators disagreeing: data with which a few training steps give a
    decoder that describes neurons with phrases of different lengths ending in <stop>, and whose greedy, beam
    and reranked choices differ, as a trained MILAN's do."""
    generator = torch.Generator().manual_seed(seed + 1)
    prototypes = torch.randn(8, feature_size, generator=generator)
    phrases = [[torch.randint(0, words, (int(torch.randint(1, 7, (1,), generator=generator)),), generator=generator).tolist()
                for _ in range(3)] for _ in range(8)]
    generator.manual_seed(seed + 1000 * (sample + 1))
    kinds = torch.randint(0, 8, (count,), generator=generator)
    choices = torch.randint(0, 3, (count,), generator=generator)
    features = prototypes[kinds].unsqueeze(1) + 0.7 * torch.randn(count, exemplars, feature_size, generator=generator)
    return features, [phrases[k][a] for k, a in zip(kinds.tolist(), choices.tolist())]


def train_briefly(decoder, lm, words, seed):
    """A few hundred Adam steps of teacher forcing on synthetic neurons (not the reference's training)."""
    start, stop, pad = words, words + 1, words + 2
    features, captions = synthetic_neurons(256, decoder.init_h[0].in_features, words, seed)
    longest = max(len(c) for c in captions) + 1
    targets = torch.full((len(captions), longest), pad, dtype=torch.long)
    for i, caption in enumerate(captions):
        targets[i, :len(caption) + 1] = torch.tensor(caption + [stop])
    inputs = torch.cat([torch.full((len(captions), 1), start, dtype=torch.long), targets[:, :-1]], dim=1)
    loss_fn = nn.NLLLoss(ignore_index=pad)
    parameters = [p for name, p in decoder.named_parameters() if not name.startswith('encoder.')]
    optimizer = torch.optim.Adam(parameters, lr=1e-2)
    decoder.train()
    for _ in range(120):
        pooled = features.mean(dim=1)
        h, c = decoder.init_h(pooled), decoder.init_c(pooled)
        step_log_probs = []
        for t in range(longest):
            attention = decoder.attend(h, features)
            gated = attention.unsqueeze(-1).mul(features).sum(dim=1) * decoder.feature_gate(h)
            h, c = decoder.lstm(torch.cat((decoder.embedding(inputs[:, t]), gated), dim=-1), (h, c))
            step_log_probs.append(decoder.output(h))
        loss = loss_fn(torch.stack(step_log_probs, dim=2), targets) + loss_fn(lm(inputs).permute(0, 2, 1), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def flattened_lstm_state(state, prefix):
    """Views of the LSTM tensors into one storage (cuDNN's flat weights), in state-dict order."""
    names = [name for name in state if name.startswith(prefix)]
    flat = torch.cat([state[name].reshape(-1) for name in names])
    offset = 0
    for name in names:
        count = state[name].numel()
        state[name] = flat[offset:offset + count].view(state[name].shape)
        offset += count


def write(path, seed=0, words=48, width=8, embedding=16, hidden=32, features_path=None, neurons=12):
    vocabulary = WORDS[:words]
    decoder = build_random(seed, vocabulary, width, embedding, hidden)
    state = decoder.state_dict()
    flattened_lstm_state(state, 'lm.lstm.')
    lm_properties = {'indexer': serialized_indexer(vocabulary, seed), 'embedding_size': embedding,
                     'hidden_size': hidden, 'layers': 2, 'dropout': 0.5}
    properties = {
        'indexer': serialized_indexer(vocabulary, seed),
        'encoder': {'properties': {'config': 'resnet18', 'pretrained': True}, 'children': {}},
        'lm': {'properties': lm_properties, 'children': {}},
        'embedding_size': embedding, 'hidden_size': hidden, 'attention_hidden_size': None, 'dropout': 0.5,
        'length': 15, 'strategy': 'rerank', 'temperature': 0.2, 'beam_size': 50,
    }
    torch.save({'properties': properties, 'children': {'encoder': 'PyramidConvEncoder'}, 'state_dict': state}, path)
    if features_path is not None:
        features, _ = synthetic_neurons(neurons, decoder.init_h[0].in_features, len(vocabulary), seed, sample=1)
        np.save(features_path, features.numpy().astype(np.float32))


# ---------------------------------------------------------------------------------------------
# Loading and decoding with the reference's semantics
# ---------------------------------------------------------------------------------------------


def install_thinc_config():
    """A module thinc.config with a dict-subclass Config, so pickle can rebuild the spaCy config (spaCy and
    thinc are not installed; Debian's torch.load ignores a custom pickle_module)."""
    if 'thinc.config' not in sys.modules:
        spacy_pipeline_pair(0)


class LoadedMilan:
    def __init__(self, path):
        install_thinc_config()
        payload = torch.load(path, map_location='cpu')
        properties = payload['properties']
        self.words = list(properties['indexer']['properties']['vocab']['properties']['tokens'])
        self.start, self.stop, self.pad = len(self.words), len(self.words) + 1, len(self.words) + 2
        self.length = properties['length']
        state = payload['state_dict']
        width = state['encoder.encoder.model.conv1.weight'].shape[0]
        lm_properties = properties['lm']['properties']
        lm = LanguageModel(len(self.words) + 4, self.pad, lm_properties['embedding_size'], lm_properties['hidden_size'],
                           lm_properties['layers'], lm_properties['dropout'])
        encoder = PyramidConvEncoder(ResNet18(width))
        self.decoder = Decoder(encoder, lm, len(self.words) + 4, encoder.feature_size, properties['embedding_size'],
                               properties['hidden_size'], properties['attention_hidden_size'], properties['dropout'])
        self.decoder.load_state_dict(state, strict=True)
        self.decoder.eval()
        self.lm = lm

    # -- the decoder step (Decoder.step) --

    def step(self, features, tokens, h, c, lm_state, temperature):
        d = self.decoder
        attentions = d.attend(h, features)
        gated = attentions.unsqueeze(-1).mul(features).sum(dim=1) * d.feature_gate(h)
        h, c = d.lstm(torch.cat((d.embedding(tokens), gated), dim=-1), (h, c))
        scores = d.output(h)
        if lm_state is not None:
            _, lm_state = self.lm.lstm(self.lm.embedding(tokens)[:, None], lm_state)
            scores = scores - temperature * self.lm.output(lm_state[0][-1])
        return scores, h, c, lm_state

    def initial(self, features, mi):
        pooled = features.mean(dim=1)
        h, c = self.decoder.init_h(pooled), self.decoder.init_c(pooled)
        lm_state = None
        if mi:
            zeros = h.new_zeros(self.lm.layers, len(features), self.lm.hidden_size)
            lm_state = (zeros, zeros.clone())
        return h, c, lm_state

    # -- strategies --

    def greedy(self, features, mi, temperature):
        """All `length` steps, as the reference (the caption is cut at the first <stop> later)."""
        h, c, lm_state = self.initial(features, mi)
        tokens = torch.full((len(features),), self.start, dtype=torch.long)
        chosen, scores = [], torch.zeros(len(features))
        for _ in range(self.length):
            step_scores, h, c, lm_state = self.step(features, tokens, h, c, lm_state, temperature)
            tokens = step_scores.argmax(dim=1)
            chosen.append(tokens)
            scores += step_scores[torch.arange(len(features)), tokens]
        return torch.stack(chosen, dim=1), scores

    def beam(self, features, beam_size, mi, temperature):
        """allennlp 2.10 BeamSearch(end_index=<stop>, max_steps=length, beam_size, per_node = beam_size)."""
        batch = len(features)
        h, c, lm_state = self.initial(features, mi)
        start = torch.full((batch,), self.start, dtype=torch.long)
        log_probs, h, c, lm_state = self.step(features, start, h, c, lm_state, temperature)
        classes = log_probs.shape[1]
        if beam_size > classes:
            raise ValueError('allennlp: beam size larger than the number of classes')
        last_scores, first = log_probs.topk(beam_size)
        predictions, backpointers = [first], []
        # allennlp repeats each neuron's state beam_size times: row b * beam_size + k is neuron b, beam k.
        expand = lambda t, dim: t.unsqueeze(dim + 1).expand(*t.shape[:dim + 1], beam_size, *t.shape[dim + 1:]).reshape(
            *t.shape[:dim], batch * beam_size, *t.shape[dim + 1:])
        feats = features.unsqueeze(1).expand(batch, beam_size, *features.shape[1:]).reshape(batch * beam_size, *features.shape[1:])
        h, c = expand(h, 0), expand(c, 0)
        if lm_state is not None:
            lm_state = (expand(lm_state[0], 1), expand(lm_state[1], 1))
        after_end = torch.full((batch * beam_size, classes), torch.finfo(log_probs.dtype).min)
        after_end[:, self.stop] = 0.0
        for _ in range(self.length - 1):
            last = predictions[-1].reshape(batch * beam_size)
            if (last == self.stop).all():
                break
            step_scores, h, c, lm_state = self.step(feats, last, h, c, lm_state, temperature)
            cleaned = torch.where(last.unsqueeze(-1).expand(-1, classes) == self.stop, after_end, step_scores)
            top, top_classes = cleaned.topk(beam_size)
            summed = (top + last_scores.unsqueeze(2).expand(batch, beam_size, beam_size).reshape(batch * beam_size, beam_size))
            best, best_index = summed.reshape(batch, -1).topk(beam_size)
            predictions.append(top_classes.reshape(batch, -1).gather(1, best_index))
            last_scores = best
            backpointer = torch.div(best_index, beam_size, rounding_mode='floor')
            backpointers.append(backpointer)
            rows = (backpointer + torch.arange(batch).unsqueeze(1) * beam_size).reshape(-1)
            h, c = h[rows], c[rows]
            if lm_state is not None:
                lm_state = (lm_state[0][:, rows], lm_state[1][:, rows])
        # allennlp's _reconstruct_sequences: follow the backpointers from the last step.
        sequences = [predictions[-1]]
        pointer = backpointers[-1] if backpointers else None
        for t in range(len(predictions) - 2, -1, -1):
            sequences.append(predictions[t].gather(1, pointer))
            if t > 0:
                pointer = backpointers[t - 1].gather(1, pointer)
        tokens = torch.stack(list(reversed(sequences)), dim=2)
        order = torch.sort(last_scores, dim=1, descending=True).indices
        return tokens.gather(1, order.unsqueeze(-1).expand_as(tokens)), last_scores.gather(1, order)

    def lm_scores(self, tokens, corrected):
        """LanguageModel.forward(reduce=True) on [<start>] + beam tokens (milan-spec §4), optionally masked
        to end at the first <stop> (the corrected score) instead of one token after it."""
        inputs = torch.cat([torch.full((len(tokens), 1), self.start, dtype=torch.long), tokens], dim=1)
        batch, length = inputs.shape
        lps = self.lm(inputs)
        masks = inputs.new_ones((batch, length - 1))
        for i, j in inputs.eq(self.stop).nonzero():
            masks[i, (j if corrected else j + 1):] = 0
        picked = lps[:, :-1].gather(2, inputs[:, 1:].unsqueeze(2)).squeeze(2)
        return picked.mul(masks).sum(dim=-1)

    def rerank(self, features, beam_size, temperature, corrected):
        """strategy='rerank', one neuron per call: beam on log p(d|E), then S_cap - temperature * S_lm."""
        tokens, scores = self.beam(features, beam_size, mi=False, temperature=temperature)
        lm = self.lm_scores(tokens.view(-1, tokens.shape[-1]), corrected).view(scores.shape)
        total = scores - temperature * lm
        best = total.argmax(dim=-1)
        rows = torch.arange(len(features))
        return tokens[rows, best], total[rows, best]

    # -- text (Indexer.reconstruct) --

    def reconstruct(self, ids):
        specials = {self.start: '<start>', self.stop: '<stop>', self.pad: '<pad>', self.pad + 1: '<unk>'}
        tokens = [self.words[i] if i < len(self.words) else specials[i] for i in ids]
        if '<stop>' in tokens:
            tokens = tokens[:tokens.index('<stop>')]
        text = ' '.join(t for t in tokens if t not in specials.values())
        for p in ('.', ',', ';', ':'):
            text = text.replace(' ' + p, p)
        text = text.replace(' -', '-').replace('- ', '-')
        return '. '.join(s.strip().capitalize() for s in text.split('.')).strip()

    def until_stop(self, row):
        row = [int(t) for t in row]
        return row[:row.index(self.stop) + 1] if self.stop in row else row


def decode(checkpoint, features_path, settings_path):
    milan = LoadedMilan(checkpoint)
    features = torch.from_numpy(np.load(features_path)).float()
    with open(settings_path) as f:
        settings = json.load(f)
    results = {}
    with torch.no_grad():
        for setting in settings:
            strategy, temperature = setting['strategy'], setting.get('temperature', 0.2)
            if strategy == 'greedy':
                tokens, scores = milan.greedy(features, setting.get('mi', False), temperature)
            elif strategy == 'beam':
                tokens, scores = milan.beam(features, setting['beam'], setting.get('mi', False), temperature)
                tokens, scores = tokens[:, 0], scores[:, 0]
            else:
                rows = [milan.rerank(features[i:i + 1], setting['beam'], temperature,
                                     setting.get('lm_scoring', 'reference') == 'corrected') for i in range(len(features))]
                tokens = [r[0][0] for r in rows]
                scores = torch.cat([r[1] for r in rows])
            out = []
            for row, score in zip(tokens, scores):
                ids = milan.until_stop(row.tolist())
                out.append({'tokens': ids, 'description': milan.reconstruct(ids), 'score': float(score)})
            results[setting['name']] = out
    print(json.dumps({'vocabulary': milan.words, 'results': results}))


def encode(checkpoint, images_path, masks_path, out_path):
    encoder = LoadedMilan(checkpoint).decoder.encoder
    images = torch.from_numpy(np.load(images_path)).float() / 255
    masks = torch.from_numpy(np.load(masks_path)).float()
    n, k = images.shape[:2]
    with torch.no_grad():
        features = encoder(images.view(n * k, *images.shape[2:]), masks.view(n * k, *masks.shape[2:]))
    np.save(out_path, features.view(n, k, -1).numpy())


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else ''
    if command == 'write' and len(sys.argv) >= 3:
        options = dict(zip(sys.argv[3::2], sys.argv[4::2]))
        write(sys.argv[2], seed=int(options.get('--seed', 0)), words=int(options.get('--words', 48)),
              width=int(options.get('--width', 8)), hidden=int(options.get('--hidden', 32)),
              embedding=int(options.get('--embedding', 16)), features_path=options.get('--features'),
              neurons=int(options.get('--neurons', 12)))
    elif command == 'decode' and len(sys.argv) == 5:
        decode(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == 'encode' and len(sys.argv) == 6:
        encode(*sys.argv[2:6])
    else:
        sys.exit(__doc__)
