"""Word alignment on split words, batching order, truncation."""

from __future__ import annotations

from inference import encode, evaluate, first_subtoken_positions, length_sorted_batches, pad_batch

LONG_WORDS = ["Krzysztof", "Kowalczykowski", "met", "Oluwaseun", "Schwarzenberger", "in", "Ouagadougou"]


def test_first_subtoken_positions_skip_specials_and_later_pieces():
    #          [CLS]  Kr ##zy  met  [SEP]
    word_ids = [None, 0, 0, 0, 1, None]
    assert first_subtoken_positions(word_ids) == [1, 4]


def test_words_split_into_several_subtokens_align_to_their_first_piece(bundled):
    _, tokenizer = bundled
    pieces = [tokenizer.tokenize(word) for word in LONG_WORDS]
    assert max(map(len, pieces)) >= 3, "the fixture needs words of three or more sub-tokens"
    encoded = encode(tokenizer, [LONG_WORDS], max_length=128)
    starts = encoded.first_subtokens[0]
    assert len(starts) == len(LONG_WORDS)
    expected, position = [], 1  # after [CLS]
    for word_pieces in pieces:
        expected.append(position)
        position += len(word_pieces)
    assert starts == expected
    tokens = tokenizer.convert_ids_to_tokens(encoded.input_ids[0])
    assert [tokens[p] for p in starts] == [p[0] for p in pieces]


def test_one_tag_per_word_from_the_first_subtoken(bundled):
    model, tokenizer = bundled
    import torch

    encoded = encode(tokenizer, [LONG_WORDS], max_length=128)
    ids, mask = pad_batch(encoded.input_ids, tokenizer.pad_token_id)
    with torch.inference_mode():
        labels = model(input_ids=ids, attention_mask=mask).logits.argmax(-1)[0].tolist()
    expected = [model.config.id2label[labels[p]] for p in encoded.first_subtokens[0]]
    assert evaluate(model, tokenizer, [LONG_WORDS]).predictions == [expected]


def test_batches_are_length_sorted_and_predictions_come_back_in_input_order(bundled, validation):
    model, tokenizer = bundled
    sentences = [words for words, _ in validation[:40]]
    batched = evaluate(model, tokenizer, sentences, batch_size=8).predictions
    one_by_one = [evaluate(model, tokenizer, [s], batch_size=1).predictions[0] for s in sentences]
    assert batched == one_by_one
    assert [len(p) for p in batched] == [len(s) for s in sentences]
    batches = length_sorted_batches([5, 1, 4, 2, 3], batch_size=2)
    assert batches == [[1, 3], [4, 2], [0]]


def test_dynamic_padding_pads_to_the_longest_in_the_batch_only():
    ids, mask = pad_batch([[1, 2, 3], [4]], pad_id=0)
    assert ids.tolist() == [[1, 2, 3], [4, 0, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]


def test_truncation_is_reported_and_cut_words_are_predicted_o(bundled):
    model, tokenizer = bundled
    long_sentence = ["Kowalczykowski"] * 200  # more words than the 128 positions
    result = evaluate(model, tokenizer, [["Reuters", "said"], long_sentence])
    assert result.truncated == [1]
    assert len(result.predictions[1]) == 200
    assert result.predictions[1][-1] == "O"


def test_evaluation_measures_speed_and_memory(bundled, validation):
    model, tokenizer = bundled
    result = evaluate(model, tokenizer, [w for w, _ in validation[:20]], batch_size=4)
    assert len(result.latencies_s) == 20
    assert result.latency_p90_s >= result.latency_median_s > 0
    assert result.words == sum(len(w) for w, _ in validation[:20])
    assert result.threads >= 1
    assert result.peak_rss > 0


def test_bundled_model_reaches_f1_0_9_on_the_validation_split(bundled, validation):
    from seqeval.metrics import f1_score

    model, tokenizer = bundled
    result = evaluate(model, tokenizer, [w for w, _ in validation])
    assert f1_score([t for _, t in validation], result.predictions) >= 0.9
