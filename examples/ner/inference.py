"""One evaluation pass: length-sorted, dynamically padded batches under torch.inference_mode."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import memory


@dataclass
class Encoded:
    """Tokenized sentences and, per sentence, the position of each word's first sub-token."""

    input_ids: list[list[int]]
    first_subtokens: list[list[int]]
    truncated: list[int]  # indices of sentences whose last words did not fit


@dataclass
class Evaluation:
    """Predicted word tags in input order plus what the pass measured (warm-up excluded)."""

    predictions: list[list[str]]
    truncated: list[int]
    latencies_s: list[float] = field(repr=False)  # amortised per sentence: batch time / batch size
    seconds: float
    words: int
    threads: int
    peak_rss: int

    @property
    def latency_median_s(self) -> float:
        return statistics.median(self.latencies_s)

    @property
    def latency_p90_s(self) -> float:
        return statistics.quantiles(self.latencies_s, n=10, method="inclusive")[-1]


def encode(tokenizer, sentences: Sequence[Sequence[str]], max_length: int) -> Encoded:
    """Tokenize pre-split words once, without padding; keep first sub-token positions."""
    enc = tokenizer(
        [list(words) for words in sentences],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
    )
    first: list[list[int]] = []
    truncated: list[int] = []
    for i, words in enumerate(sentences):
        positions = first_subtoken_positions(enc.word_ids(i))
        if len(positions) < len(words):
            truncated.append(i)
        first.append(positions)
    return Encoded(enc["input_ids"], first, truncated)


def first_subtoken_positions(word_ids: Sequence[int | None]) -> list[int]:
    """Positions whose token starts a word; later sub-tokens and special tokens are skipped."""
    positions = []
    previous = None
    for position, word_id in enumerate(word_ids):
        if word_id is not None and word_id != previous:
            positions.append(position)
        previous = word_id
    return positions


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Sentence indices grouped into batches of similar length (shortest first)."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def pad_batch(input_ids: Sequence[Sequence[int]], pad_id: int):
    """Pad to the longest sequence of this batch only; return (input_ids, attention_mask)."""
    import torch

    width = max(map(len, input_ids))
    ids = torch.full((len(input_ids), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(input_ids), width), dtype=torch.long)
    for row, seq in enumerate(input_ids):
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    return ids, mask


def max_input_length(model, tokenizer) -> int:
    """The longest input the model accepts: position embeddings and the tokenizer's limit."""
    limits = [getattr(model.config, "max_position_embeddings", None), tokenizer.model_max_length]
    return min(limit for limit in limits if isinstance(limit, int) and limit > 0)


def evaluate(model, tokenizer, sentences: Sequence[Sequence[str]], batch_size: int = 32) -> Evaluation:
    """Predict a tag for every word; words cut by truncation are predicted 'O' and reported."""
    import torch

    encoded = encode(tokenizer, sentences, max_input_length(model, tokenizer))
    batches = length_sorted_batches([len(ids) for ids in encoded.input_ids], batch_size)
    id2label = model.config.id2label
    pad_id = tokenizer.pad_token_id or 0
    predictions: list[list[str]] = [[] for _ in sentences]
    latencies: list[float] = [0.0] * len(sentences)

    def forward(batch: list[int]):
        ids, mask = pad_batch([encoded.input_ids[i] for i in batch], pad_id)
        return model(input_ids=ids, attention_mask=mask).logits.argmax(-1).tolist()

    with torch.inference_mode(), memory.PeakRSS() as peak:
        if batches:
            forward(batches[0])  # warm-up, not timed
        start = time.perf_counter()
        for batch in batches:
            t0 = time.perf_counter()
            rows = forward(batch)
            per_sentence = (time.perf_counter() - t0) / len(batch)
            for index, row in zip(batch, rows, strict=True):
                tags = [id2label[row[p]] for p in encoded.first_subtokens[index]]
                predictions[index] = tags + ["O"] * (len(sentences[index]) - len(tags))
                latencies[index] = per_sentence
            peak.sample()
        seconds = time.perf_counter() - start
    return Evaluation(
        predictions=predictions,
        truncated=encoded.truncated,
        latencies_s=latencies,
        seconds=seconds,
        words=sum(map(len, sentences)),
        threads=torch.get_num_threads(),
        peak_rss=peak.peak,
    )
