#!/usr/bin/python3
"""Derives data/bundled/wordnet-lexicon.tsv.gz from Debian's WordNet 3.0 files.

Usage (Debian's python, standard library only; needs `apt-get install wordnet-base`):

    /usr/bin/python3 tools/wordnet/derive_wordnet_lexicon.py \
        [--wordnet /usr/share/wordnet] [--out data/bundled/wordnet-lexicon.tsv.gz]

It reads only the files of the Debian package wordnet-base (index.*, data.*, *.exc, cntlist.rev)
and writes one gzip-compressed UTF-8 text file that Milan.Language.WordNetLexicon loads (the
library embeds it as a resource). The
output is deterministic: the same WordNet files give the same bytes (gzip mtime is fixed to 0).

What is kept
- Lemmas: single words made of lowercase letters and inner apostrophes ("dog", "o'clock").
  Collocations ("hot_dog"), hyphenated lemmas and lemmas with digits or periods are dropped,
  because the tokenizers of this project split on spaces and hyphens.
- For each lemma: its synsets in WordNet's sense order (most frequent first), nouns, then verbs,
  adjectives, adverbs; and the SemCor tag counts of its senses summed per part of speech (from
  cntlist.rev), which the part-of-speech tagger uses to tell noun modifiers ("animal heads") from
  adjectives ("red cars").
- Synsets: those of the kept lemmas and every synset reachable from them through the "parent"
  links below, renumbered 0..N-1 in order of first appearance.
    noun, verb            hypernym (@) and instance hypernym (@i)
    adjective satellite   similar-to (&), i.e. its head adjective
    adjective (all)       attribute (=), pertainym (\\) and derivationally related noun (+)
    adverb                pertainym (\\), i.e. the adjective it derives from
- Exception lists (noun.exc, verb.exc, adj.exc, adv.exc) for the kept parts of speech, restricted
  to inflected forms made of letters and apostrophes.

File format (tab-separated; lines starting with '#' are comments)
    S <TAB> count                               then `count` lines:   pos <TAB> parent ids (comma list)
    L <TAB> count                               then `count` lines:   lemma <TAB> synset ids (comma list) <TAB> n:c v:c a:c r:c (nonzero counts)
    E <TAB> count                               then `count` lines:   pos <TAB> inflected <TAB> bases (space list)
pos is one of n v a s r (s = adjective satellite). The licence of WordNet 3.0 must travel with the
file (data/bundled/WORDNET-LICENSE).
"""
import argparse
import gzip
import io
import os
import re
import sys

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SENSE_KEY_POS = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
WORD = re.compile(r"^[a-z]+(?:'[a-z]+)*'?$")


def data_lines(path):
    with open(path, encoding="latin-1") as f:
        for line in f:
            if not line.startswith("  "):  # the licence header lines start with two spaces
                yield line.rstrip("\n")


def read_synsets(wordnet):
    """(file pos, offset) -> (synset pos, [(pointer symbol, (file pos, offset))])."""
    synsets = {}
    for fpos, name in POS_FILES.items():
        for line in data_lines(os.path.join(wordnet, "data." + name)):
            fields = line.split(" | ")[0].split()
            offset, ss_type = fields[0], fields[2]
            w_cnt = int(fields[3], 16)
            i = 4 + 2 * w_cnt
            p_cnt = int(fields[i])
            pointers = []
            for k in range(p_cnt):
                symbol, target, target_pos = fields[i + 1 + 4 * k: i + 4 + 4 * k]
                target_file_pos = "a" if target_pos == "s" else target_pos
                pointers.append((symbol, (target_file_pos, target)))
            synsets[(fpos, offset)] = (ss_type, pointers)
    return synsets


def parents(ss_type, pointers):
    result = []
    for symbol, target in pointers:
        if ss_type in ("n", "v") and symbol in ("@", "@i"):
            result.append(target)
        elif ss_type == "s" and symbol == "&":
            result.append(target)
        elif ss_type in ("a", "s") and (symbol == "=" or symbol == "\\" or (symbol == "+" and target[0] == "n")):
            result.append(target)
        elif ss_type == "r" and symbol == "\\":
            result.append(target)
    # keep order, drop duplicates
    seen, unique = set(), []
    for t in result:
        if t not in seen:
            seen.add(t)
            unique.append(t)
    return unique


def read_index(wordnet):
    """lemma -> [(file pos, offset)] in sense order, nouns, verbs, adjectives, adverbs."""
    lemmas = {}
    for fpos, name in POS_FILES.items():
        for line in data_lines(os.path.join(wordnet, "index." + name)):
            fields = line.split()
            lemma = fields[0]
            if not WORD.match(lemma):
                continue
            synset_cnt, p_cnt = int(fields[2]), int(fields[3])
            offsets = fields[4 + p_cnt + 2:]
            assert len(offsets) == synset_cnt, line
            lemmas.setdefault(lemma, []).extend((fpos, o) for o in offsets)
    return lemmas


def read_tag_counts(wordnet):
    """lemma -> {pos: SemCor tag count summed over its senses}."""
    counts = {}
    with open(os.path.join(wordnet, "cntlist.rev"), encoding="latin-1") as f:
        for line in f:
            key, _sense_number, tag_cnt = line.split()
            lemma, rest = key.split("%", 1)
            per_pos = counts.setdefault(lemma, {})
            pos = SENSE_KEY_POS[rest[0]]
            per_pos[pos] = per_pos.get(pos, 0) + int(tag_cnt)
    return counts


def read_exceptions(wordnet):
    rows = []
    for fpos, name in POS_FILES.items():
        with open(os.path.join(wordnet, name + ".exc"), encoding="latin-1") as f:
            for line in f:
                fields = line.split()
                if len(fields) < 2 or not WORD.match(fields[0]):
                    continue
                bases = [b for b in fields[1:] if WORD.match(b)]
                if bases:
                    rows.append((fpos, fields[0], bases))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    parser.add_argument("--out", default="data/bundled/wordnet-lexicon.tsv.gz")
    args = parser.parse_args()

    synsets = read_synsets(args.wordnet)
    lemmas = read_index(args.wordnet)
    tag_counts = read_tag_counts(args.wordnet)
    exceptions = read_exceptions(args.wordnet)

    ids = {}
    order = []

    def number(key):
        if key not in ids:
            ids[key] = len(order)
            order.append(key)
        return ids[key]

    for lemma in sorted(lemmas):
        for key in lemmas[lemma]:
            number(key)
    # close over parents (breadth first, in order of first appearance)
    i = 0
    while i < len(order):
        ss_type, pointers = synsets[order[i]]
        for p in parents(ss_type, pointers):
            number(p)
        i += 1

    out = io.StringIO()
    out.write("#milan-wordnet-lexicon\t1\n")
    out.write("#derived from WordNet 3.0 (Debian wordnet-base) by tools/wordnet/derive_wordnet_lexicon.py;"
              " WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. See WORDNET-LICENSE.\n")
    out.write("S\t%d\n" % len(order))
    for key in order:
        ss_type, pointers = synsets[key]
        out.write("%s\t%s\n" % (ss_type, ",".join(str(ids[p]) for p in parents(ss_type, pointers))))
    out.write("L\t%d\n" % len(lemmas))
    for lemma in sorted(lemmas):
        counts = tag_counts.get(lemma, {})
        count_text = " ".join("%s:%d" % (p, counts[p]) for p in "nvar" if counts.get(p))
        out.write("%s\t%s\t%s\n" % (lemma, ",".join(str(ids[k]) for k in lemmas[lemma]), count_text))
    out.write("E\t%d\n" % len(exceptions))
    for fpos, inflected, bases in exceptions:
        out.write("%s\t%s\t%s\n" % (fpos, inflected, " ".join(bases)))

    data = out.getvalue().encode("utf-8")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)
    os.replace(tmp, args.out)
    print("%s: %d synsets, %d lemmas, %d exceptions, %d bytes" % (
        args.out, len(order), len(lemmas), len(exceptions), os.path.getsize(args.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
