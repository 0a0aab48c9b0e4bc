"""Train NER token classifiers.

    python examples/ner/training.py            # GPU: fine-tune bert-base-uncased and
                                               # distilbert-base-uncased on conllpp (as in the guide)
    python examples/ner/training.py --tiny     # CPU, offline: the bundled default in ./model

Both save safetensors weights, config.json (with id2label/label2id) and the fast tokenizer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TINY_OUT = HERE / "model"
SEED = 0

TOKENIZERS_AND_MODELS = [
    ("bert-base-uncased", "bert-base-uncased"),
    ("distilbert-base-uncased", "distilbert-base-uncased"),
]
CONLLPP = ("ZihanWangKi/conllpp", "refs/convert/parquet")


def align_labels(word_ids, word_labels) -> list[int]:
    """Label each word's first sub-token; other sub-tokens and special tokens get -100."""
    labels, previous = [], None
    for word_id in word_ids:
        labels.append(word_labels[word_id] if word_id is not None and word_id != previous else -100)
        previous = word_id
    return labels


def train_hub_models(output_dir: Path, epochs: int) -> None:
    """The guide's script: fine-tune each (tokenizer, model) pair on conllpp with the Trainer."""
    from datasets import load_dataset
    from transformers import (
        AutoModelForTokenClassification,
        AutoTokenizer,
        DataCollatorForTokenClassification,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(SEED)
    dataset = load_dataset(CONLLPP[0], revision=CONLLPP[1])
    names = dataset["train"].features["ner_tags"].feature.names
    id2label = dict(enumerate(names))
    for tokenizer_name, model_name in TOKENIZERS_AND_MODELS:
        tokenizer = AutoTokenizer.from_pretrained(tokenizer_name)

        def tokenize(batch, tokenizer=tokenizer):
            enc = tokenizer(batch["tokens"], truncation=True, is_split_into_words=True)
            enc["labels"] = [
                align_labels(enc.word_ids(i), tags) for i, tags in enumerate(batch["ner_tags"])
            ]
            return enc

        tokenized = dataset.map(tokenize, batched=True, remove_columns=dataset["train"].column_names)
        model = AutoModelForTokenClassification.from_pretrained(
            model_name, id2label=id2label, label2id={v: k for k, v in id2label.items()}
        )
        target = output_dir / model_name
        args = TrainingArguments(
            output_dir=str(target / "checkpoints"),
            learning_rate=2e-5,
            num_train_epochs=epochs,
            weight_decay=0.01,
            eval_strategy="epoch",
            save_strategy="no",
            seed=SEED,
        )
        trainer = Trainer(
            model=model,
            args=args,
            train_dataset=tokenized["train"],
            eval_dataset=tokenized["validation"],
            data_collator=DataCollatorForTokenClassification(tokenizer),
        )
        trainer.train()
        model.save_pretrained(target, safe_serialization=True)
        tokenizer.save_pretrained(target)
        print(f"{model_name}: saved to {target}")


def build_tokenizer(sentences, vocab_size: int):
    """A cased WordPiece fast tokenizer trained on the corpus words."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from tokenizers.trainers import WordPieceTrainer
    from transformers import BertTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(
        (" ".join(words) for words, _ in sentences),
        WordPieceTrainer(vocab_size=vocab_size, special_tokens=specials, min_frequency=2),
    )
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    return BertTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        do_lower_case=False,
        model_max_length=128,
    )


def tiny_batches(tokenizer, sentences, label2id, batch_size: int, generator):
    """Shuffled, padded training batches with first-sub-token labels."""
    import torch

    order = torch.randperm(len(sentences), generator=generator).tolist()
    for start in range(0, len(order), batch_size):
        chunk = [sentences[i] for i in order[start : start + batch_size]]
        enc = tokenizer(
            [words for words, _ in chunk],
            is_split_into_words=True,
            truncation=True,
            padding=True,
            return_tensors="pt",
        )
        labels = [
            align_labels(enc.word_ids(i), [label2id[t] for t in tags])
            for i, (_, tags) in enumerate(chunk)
        ]
        yield enc["input_ids"], enc["attention_mask"], torch.tensor(labels)


def train_tiny(output_dir: Path, epochs: int) -> float:
    """Train the bundled tiny BERT on the generated corpus; return validation seqeval F1."""
    import torch
    from conll import LABELS, read_conll
    from inference import evaluate
    from seqeval.metrics import f1_score
    from transformers import BertConfig, BertForTokenClassification

    torch.manual_seed(SEED)
    train = read_conll(DATA / "train.txt")
    validation = read_conll(DATA / "validation.txt")
    tokenizer = build_tokenizer(train, vocab_size=800)
    label2id = {label: i for i, label in enumerate(LABELS)}
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=256,
        max_position_embeddings=128,
        pad_token_id=tokenizer.pad_token_id,
        id2label=dict(enumerate(LABELS)),
        label2id=label2id,
    )
    model = BertForTokenClassification(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    steps = epochs * -(-len(train) // 32)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=steps)
    generator = torch.Generator().manual_seed(SEED)
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for ids, mask, labels in tiny_batches(tokenizer, train, label2id, 32, generator):
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
        model.eval()
        result = evaluate(model, tokenizer, [words for words, _ in validation])
        f1 = f1_score([tags for _, tags in validation], result.predictions)
        print(f"epoch {epoch + 1}/{epochs}: loss {total:.2f}  validation seqeval_f1 {f1:.4f}")
    output_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    return f1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="train the bundled tiny model on CPU")
    parser.add_argument("--output", type=Path, help="output directory (default: ./model or ./models)")
    parser.add_argument("--epochs", type=int, help="training epochs (default: 15 tiny, 3 hub)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    if args.tiny:
        f1 = train_tiny(args.output or TINY_OUT, args.epochs or 15)
        print(f"saved to {args.output or TINY_OUT}; validation seqeval_f1 = {f1:.4f}")
    else:
        train_hub_models(args.output or Path("models"), args.epochs or 3)


if __name__ == "__main__":
    main()
