"""CoNLL-2003 column files: the label set, reading and writing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
DOCSTART = "-DOCSTART-"

Sentence = tuple[list[str], list[str]]


def read_conll(path: str | os.PathLike[str]) -> list[Sentence]:
    """Read (words, tags) sentences; token first, NER tag last, blank lines and -DOCSTART- split."""
    with open(path, encoding="utf-8") as f:
        return list(parse_conll(f))


def parse_conll(lines: Iterable[str]) -> Iterator[Sentence]:
    """Yield (words, tags) per sentence from CoNLL column lines."""
    words: list[str] = []
    tags: list[str] = []
    for lineno, line in enumerate(lines, 1):
        columns = line.split()
        if not columns or columns[0] == DOCSTART:
            if words:
                yield words, tags
            words, tags = [], []
            continue
        if len(columns) < 2:
            raise ValueError(f"line {lineno}: expected 'TOKEN ... TAG', got {line.strip()!r}")
        words.append(columns[0])
        tags.append(columns[-1])
    if words:
        yield words, tags


def write_conll(path: str | os.PathLike[str], documents: Iterable[Iterable[Sentence]]) -> None:
    """Write documents of (words, tags) sentences as 'TOKEN _ _ TAG' lines."""
    with open(path, "w", encoding="utf-8") as f:
        for document in documents:
            f.write(f"{DOCSTART} -X- -X- O\n\n")
            for words, tags in document:
                for word, tag in zip(words, tags, strict=True):
                    f.write(f"{word} _ _ {tag}\n")
                f.write("\n")


def check_labels(gold: Iterable[Iterable[str]], model_labels: Iterable[str], declared: Iterable[str] | None = None) -> None:
    """Raise ValueError naming the differences when the data's labels do not match the model's.

    A declared label set (a Hub dataset's ClassLabel names) must equal the model's; otherwise
    every tag seen in the data must be one the model can predict.
    """
    model = set(model_labels)
    data = set(declared) if declared is not None else {tag for tags in gold for tag in tags}
    only_data = sorted(data - model)
    only_model = sorted(model - data) if declared is not None else []
    if only_data or only_model:
        parts = [f"model's id2label: {_names(model)}", f"dataset's: {_names(data)}"]
        parts += [f"only in the data: {_names(only_data)}"] if only_data else []
        parts += [f"only in the model: {_names(only_model)}"] if only_model else []
        raise ValueError(
            "the dataset's labels do not match the model's id2label ("
            + "; ".join(parts)
            + "); use a model trained on this label set or map the dataset's tags"
        )


def _names(labels: Iterable[str], limit: int = 20) -> str:
    """Sorted label names, the first ``limit`` of them and how many more."""
    names = sorted(labels)
    more = f", ... ({len(names) - limit} more)" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
