"""The generated corpus: deterministic, committed as generated, valid IOB2, varied."""

from __future__ import annotations

import generate_corpus
from conll import LABELS, parse_conll, read_conll, write_conll


def test_committed_files_are_what_the_generator_writes(example_dir, tmp_path):
    for split, (seed, documents) in generate_corpus.SPLITS.items():
        names = generate_corpus.train_names() if split == "train" else generate_corpus.NAMES
        write_conll(tmp_path / split, generate_corpus.generate(seed, documents, names))
        assert (tmp_path / split).read_text() == (example_dir / "data" / f"{split}.txt").read_text()


def test_tags_are_valid_iob2_over_the_nine_labels(example_dir):
    sentences = read_conll(example_dir / "data" / "train.txt")
    seen = set()
    for _, tags in sentences:
        previous = "O"
        for tag in tags:
            assert tag in LABELS
            if tag.startswith("I-"):
                assert previous[2:] == tag[2:], "an I- tag must continue an entity of its type"
            previous = tag
        seen.update(tags)
    assert seen == set(LABELS)


def test_multi_word_names_adjacent_entities_and_held_out_names(example_dir):
    train = read_conll(example_dir / "data" / "train.txt")
    test = read_conll(example_dir / "data" / "test.txt")
    tags = [t for _, ts in train for t in ts]
    assert any(a.startswith("I-") for a in tags)
    assert any(
        a != "O" and b.startswith("B-") and a[2:] != b[2:] for a, b in zip(tags, tags[1:], strict=False)
    ), "some entities directly follow an entity of another type"
    train_words = {w for ws, _ in train for w in ws}
    assert any(w not in train_words for ws, _ in test for w in ws), "test has unseen names"


def test_parse_conll_handles_docstart_blank_lines_and_extra_columns():
    lines = ["-DOCSTART- -X- -X- O", "", "EU NNP B-NP B-ORG", "rejects VBZ B-VP O", "", "", "Peter NNP B-NP B-PER"]
    assert list(parse_conll(lines)) == [(["EU", "rejects"], ["B-ORG", "O"]), (["Peter"], ["B-PER"])]
