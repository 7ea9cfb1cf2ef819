#!/usr/bin/python3
"""A miniature of the data and models `milan reproduce --profile paper` reads, for its end-to-end test.

    make_paper_world.py DATA_DIR MODELS_DIR [--units N]

Writes, in the layouts a reviewer's downloads have (docs/reproduce.md):
  DATA_DIR/alexnet/imagenet/      annotations.csv and layers conv1, conv5 with ids.csv and masks.npy, but no
                                  images.npy (ImageNet models ship without images; they are merged from
                                  DATA_DIR/imagenet/val by ids.csv)
  DATA_DIR/alexnet/places365/     annotations.csv and layers conv1, conv5 with ids.csv, masks.npy and images.npy
  DATA_DIR/imagenet/val/<wnid>/   a few JPEG photos-to-be (drawn shapes) in ImageFolder layout
  MODELS_DIR/milan-base.pth       a small MILAN in the reference's serialized format (reference_milan.py)
  MODELS_DIR/roberta-large/       a tiny random RoBERTa (17 layers of width 8) in Hugging Face's file layout
Everything is K = 15 exemplars of 224 x 224 pixels with 0/1 masks, N units per layer (default 4), three
descriptions per unit drawn from a few phrases. None of it is real data: it exercises the paper profile's code
paths on inputs of the right shape, in seconds.
"""
import csv
import json
import os
import struct
import sys

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_milan  # noqa: E402

K, SIZE = 15, 224
LAYERS = ('conv1', 'conv5')
PHRASES = ['red and white stripes', 'dogs', 'cats with fur', 'blue sky', 'text and letters', 'the faces of people',
           'round wheels', 'green grass', 'water', 'buildings with windows', 'black and white', 'metal objects']
CLASSES = ['n01440764', 'n02102040', 'n02979186']
IMAGES_PER_CLASS = 4


def blob_masks(rng, count):
    """(count, K, 1, S, S) uint8 0/1: one ellipse per exemplar, as a thresholded activation would give."""
    masks = np.zeros((count, K, 1, SIZE, SIZE), dtype=np.uint8)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    for u in range(count):
        for k in range(K):
            cy, cx = rng.integers(30, SIZE - 30, 2)
            ry, rx = rng.integers(12, 60, 2)
            masks[u, k, 0] = (((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1).astype(np.uint8)
    return masks


def write_key(folder, rng, units, with_images, source_count):
    os.makedirs(folder, exist_ok=True)
    rows = []
    for layer in LAYERS:
        layer_folder = os.path.join(folder, layer)
        os.makedirs(layer_folder, exist_ok=True)
        np.save(os.path.join(layer_folder, 'masks.npy'), blob_masks(rng, units))
        ids = rng.integers(0, source_count, (units, K))
        with open(os.path.join(layer_folder, 'ids.csv'), 'w', newline='') as f:
            csv.writer(f).writerows(ids.tolist())
        if with_images:
            np.save(os.path.join(layer_folder, 'images.npy'), rng.integers(0, 256, (units, K, 3, SIZE, SIZE), dtype=np.uint8))
        for unit in range(units):
            concept = rng.integers(0, len(PHRASES))
            for annotator in range(3):
                phrase = PHRASES[concept] if annotator < 2 else PHRASES[rng.integers(0, len(PHRASES))]
                rows.append((layer, unit, phrase))
    with open(os.path.join(folder, 'annotations.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['layer', 'unit', 'summary'])
        writer.writerows(rows)


def write_source_images(folder, rng):
    """ImageNet-style val folder: class folders (sorted) of JPEGs; ImageFolder order = ids.csv order."""
    for wnid in CLASSES:
        os.makedirs(os.path.join(folder, wnid), exist_ok=True)
        for i in range(IMAGES_PER_CLASS):
            image = Image.new('RGB', (300, 260), tuple(int(c) for c in rng.integers(0, 256, 3)))
            draw = ImageDraw.Draw(image)
            for _ in range(4):
                x, y = rng.integers(0, 260, 2)
                draw.ellipse([int(x), int(y), int(x) + 40, int(y) + 40], fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
            image.save(os.path.join(folder, wnid, f'ILSVRC2012_val_{i:08d}.JPEG'), quality=90)


def bytes_to_unicode():
    """GPT-2's byte-level alphabet (the map RoBERTa's vocab.json is written in)."""
    visible = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    chars, extra = visible[:], 0
    for b in range(256):
        if b not in visible:
            visible.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(visible, chars)}


def write_tiny_roberta(folder, seed, layers=17, hidden=8, heads=2, intermediate=16, positions=64):
    """config.json, vocab.json (the 256 byte symbols after <s> <pad> </s> <unk>), merges.txt and
    model.safetensors (random, names without the 'roberta.' prefix) of a RoBERTa-style encoder."""
    os.makedirs(folder, exist_ok=True)
    vocab = {'<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3}
    for symbol in bytes_to_unicode().values():
        vocab[symbol] = len(vocab)
    with open(os.path.join(folder, 'vocab.json'), 'w') as f:
        json.dump(vocab, f)
    with open(os.path.join(folder, 'merges.txt'), 'w') as f:
        f.write('#version: 0.2\n')
    config = {'architectures': ['RobertaModel'], 'model_type': 'roberta', 'vocab_size': len(vocab), 'hidden_size': hidden,
              'num_hidden_layers': layers, 'num_attention_heads': heads, 'intermediate_size': intermediate,
              'max_position_embeddings': positions, 'type_vocab_size': 1, 'pad_token_id': 1, 'layer_norm_eps': 1e-5,
              'hidden_act': 'gelu', 'position_embedding_type': 'absolute'}
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    rng = np.random.default_rng(seed)
    tensors = {'embeddings.word_embeddings.weight': rng.normal(0, 0.5, (len(vocab), hidden)),
               'embeddings.position_embeddings.weight': rng.normal(0, 0.5, (positions, hidden)),
               'embeddings.token_type_embeddings.weight': rng.normal(0, 0.5, (1, hidden)),
               'embeddings.LayerNorm.weight': np.ones(hidden), 'embeddings.LayerNorm.bias': np.zeros(hidden)}
    for i in range(layers):
        p = f'encoder.layer.{i}.'
        for name in ('attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense'):
            tensors[p + name + '.weight'] = rng.normal(0, 0.3, (hidden, hidden))
            tensors[p + name + '.bias'] = rng.normal(0, 0.1, hidden)
        tensors[p + 'intermediate.dense.weight'] = rng.normal(0, 0.3, (intermediate, hidden))
        tensors[p + 'intermediate.dense.bias'] = rng.normal(0, 0.1, intermediate)
        tensors[p + 'output.dense.weight'] = rng.normal(0, 0.3, (hidden, intermediate))
        tensors[p + 'output.dense.bias'] = rng.normal(0, 0.1, hidden)
        for norm in ('attention.output.LayerNorm', 'output.LayerNorm'):
            tensors[p + norm + '.weight'] = np.ones(hidden)
            tensors[p + norm + '.bias'] = np.zeros(hidden)
    # safetensors: 8-byte little-endian header length, JSON header, then the raw little-endian F32 data.
    header, blobs, offset = {}, [], 0
    for name, value in tensors.items():
        data = np.asarray(value, dtype='<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(np.shape(value)), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode()
    with open(os.path.join(folder, 'model.safetensors'), 'wb') as f:
        f.write(struct.pack('<Q', len(encoded)) + encoded + b''.join(blobs))


def main(data, models, units):
    rng = np.random.default_rng(17)
    write_source_images(os.path.join(data, 'imagenet', 'val'), rng)
    write_key(os.path.join(data, 'alexnet', 'imagenet'), rng, units, with_images=False, source_count=len(CLASSES) * IMAGES_PER_CLASS)
    write_key(os.path.join(data, 'alexnet', 'places365'), rng, units, with_images=True, source_count=36500)
    os.makedirs(models, exist_ok=True)
    reference_milan.write(os.path.join(models, 'milan-base.pth'), seed=11)
    write_tiny_roberta(os.path.join(models, 'roberta-large'), seed=5)


if __name__ == '__main__':
    if len(sys.argv) not in (3, 5) or (len(sys.argv) == 5 and sys.argv[3] != '--units'):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[4]) if len(sys.argv) == 5 else 4)
