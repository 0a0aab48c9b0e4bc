"""Generate the bundled CoNLL-2003-format NER corpus deterministically.

    python examples/ner/data/generate_corpus.py    # rewrites train.txt, validation.txt, test.txt

Templated news-like sentences with multi-word names, adjacent entities, organisations that
contain a location ("Bank of England"), and long names that split into several sub-tokens.
About one name in ten is held out of train so validation/test also contain unseen names.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = {"train": (0, 450), "validation": (1, 60), "test": (2, 60)}  # name: (seed, documents)

FIRST = [
    "Helmut", "Boris", "Nelson", "Jacques", "Bill", "Greg", "Pete", "Steffi", "Alan", "Sarah",
    "Jean-Pierre", "Krzysztof", "Yiannis", "Hiroshi", "Oluwaseun", "Anna", "Tomasz", "Li",
    "Ahmed", "John", "Gerhard", "Michael", "Carlos", "Martina", "Kofi", "Diego", "Ernie", "Colin",
    "Vijay", "Svetlana", "Ivan", "Patrick", "Jan", "Miguel", "Lars", "Fatima", "Maria", "Peter",
]
LAST = [
    "Kohl", "Yeltsin", "Mandela", "Chirac", "Clinton", "Norman", "Sampras", "Graf", "Shearer",
    "Dubois", "Wojciechowski", "Papadopoulos", "Nakamura", "Adeyemi", "Schwarzenberger",
    "Kowalczykowski", "Wei", "Al-Mansouri", "Thompson", "Major", "Schroeder", "Schumacher",
    "Moya", "Hingis", "Annan", "Maradona", "Els", "Montgomerie", "Singh", "Kuznetsova", "Lendl",
    "Rafter", "Ullrich", "Indurain", "Kristiansen", "Benali", "del Carmen Ruiz", "van der Berg",
]
NAMES = {
    "PER": [f"{first} {last}" for first in FIRST for last in LAST[::3]]
    + LAST
    + ["Ronaldo", "Pele", "Romario"],
    "ORG": [
        "Deutsche Bank", "Bank of England", "Manchester United", "United Nations", "Reuters",
        "European Commission", "Volkswagen", "Royal Dutch Shell", "Toyota Motor Corp",
        "New York Stock Exchange", "Bundesbank", "Ajax", "Bayern Munich", "Real Madrid",
        "Microsoft", "General Motors", "Siemens", "Barclays", "NATO", "Commerzbank",
        "Juventus", "Liverpool", "Nestle", "Daimler-Benz", "British Airways", "Lufthansa",
        "Philips Electronics", "Federal Reserve", "World Bank", "International Monetary Fund",
        "Olympiakos Piraeus", "Feyenoord Rotterdam", "Sumitomo Mitsubishi", "Credit Suisse",
    ]
    + [f"{last} Holdings" for last in LAST[1::4]]
    + [f"{last} Group" for last in LAST[2::4]],
    "LOC": [
        "Germany", "Britain", "France", "New York", "Buenos Aires", "Kuala Lumpur",
        "Rio de Janeiro", "Frankfurt", "London", "Moscow", "Tokyo", "Wellington",
        "Ouagadougou", "Johannesburg", "Baghdad", "Jerusalem", "Washington", "Brussels",
        "Sydney", "Australia", "South Africa", "Japan", "Italy", "Spain", "Poland",
        "Thessaloniki", "Rotterdam", "Los Angeles", "Hong Kong", "Mexico City", "Nairobi",
        "Saint Petersburg", "Kazakhstan", "Bosnia", "Switzerland", "Chicago", "Lagos", "Lima",
        "Vienna", "Cairo", "Bangkok", "Manila", "Oslo", "Zimbabwe", "Vladivostok",
    ],
    # Both kinds are tagged MISC: nationalities fill adjective slots, events fill noun slots.
    "NAT": [
        "German", "British", "French", "Brazilian", "Dutch", "Japanese", "Australian", "Muslim",
        "Christian Democrat", "Israeli", "Palestinian", "Russian", "Swiss", "Kazakh", "Mexican",
        "Polish", "Norwegian", "Egyptian", "South African", "Italian",
    ],
    "EVENT": [
        "World Cup", "Olympic Games", "Tour de France", "Champions League", "Grand Prix",
        "Nobel Prize", "Wimbledon", "Davis Cup", "Euro 96", "Ryder Cup", "UEFA Cup", "US Open",
        "Asian Games", "Paris Air Show", "Cannes Film Festival", "Commonwealth Games",
    ],
}
ENTITY_TYPE = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "NAT": "MISC", "EVENT": "MISC"}

TEMPLATES = [
    "{PER} , chief executive of {ORG} , said on Tuesday that profits rose sharply .",
    "{ORG} shares fell 3.5 percent in {LOC} on Monday .",
    "The {NAT} striker {PER} scored twice as {ORG} beat {ORG} 2-1 .",
    "{PER} ( {LOC} ) beat {PER} ( {LOC} ) 6-3 6-4 .",
    "{PER} {LOC} 69 70 71 210",
    "{LOC} 1996-08-22",
    "{LOC} 's {ORG} reported a net loss of 12 million dollars for the year .",
    "{NAT} {PER} won the {EVENT} on Sunday after a long duel with {PER} .",
    "Officials in {LOC} said {PER} would meet {PER} in {LOC} next week .",
    "{ORG} and {ORG} agreed to merge their operations in {LOC} .",
    "The {NAT} government has asked {ORG} to review the deal .",
    "{PER} told {ORG} that talks with {LOC} were making progress .",
    "A spokesman for {ORG} in {LOC} declined to comment .",
    "{PER} , who joined {ORG} from {ORG} last season , is injured .",
    "Police in {LOC} arrested two men on Friday , the {NAT} news agency said .",
    "{PER} said the {EVENT} would be held in {LOC} in 2002 .",
    "Prices on the {ORG} rose for a third day as {NAT} investors returned .",
    "{ORG} {PER} said the bank would keep interest rates unchanged .",
    "The company did not give details of the agreement .",
    "Trading was quiet ahead of the holiday weekend , dealers said .",
    "{PER} arrived in {LOC} from {LOC} on Wednesday for talks on trade .",
    "{NAT} officials said {PER} had resigned as head of {ORG} .",
    "In {LOC} , {ORG} said it expected sales to grow by 10 percent .",
    "{PER} and {PER} will face each other in the {EVENT} final .",
    "The {NAT} team arrived in {LOC} on Thursday .",
]


def tag_name(name: str, kind: str) -> tuple[list[str], list[str]]:
    """Split a name into words tagged B-KIND, I-KIND, ..."""
    words = name.split()
    return words, [f"B-{kind}"] + [f"I-{kind}"] * (len(words) - 1)


def fill(template: str, rng: random.Random, names: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Fill one template's slots with random names; return (words, IOB2 tags)."""
    words: list[str] = []
    tags: list[str] = []
    for piece in template.split():
        if piece.startswith("{") and piece.endswith("}"):
            kind = piece[1:-1]
            slot_words, slot_tags = tag_name(rng.choice(names[kind]), ENTITY_TYPE[kind])
        else:
            slot_words, slot_tags = [piece], ["O"]
        words += slot_words
        tags += slot_tags
    return words, tags


def generate(seed: int, documents: int, names: dict[str, list[str]]) -> list[list[tuple[list[str], list[str]]]]:
    """Return `documents` documents of 3-8 templated sentences each."""
    rng = random.Random(seed)
    return [
        [fill(rng.choice(TEMPLATES), rng, names) for _ in range(rng.randint(3, 8))]
        for _ in range(documents)
    ]


def train_names() -> dict[str, list[str]]:
    """The name pools without every tenth name, which only validation and test use."""
    return {kind: [n for i, n in enumerate(pool) if i % 10 != 9] for kind, pool in NAMES.items()}


def main() -> None:
    sys.path.insert(0, str(HERE.parent))
    from conll import write_conll

    for split, (seed, documents) in SPLITS.items():
        names = train_names() if split == "train" else NAMES
        write_conll(HERE / f"{split}.txt", generate(seed, documents, names))


if __name__ == "__main__":
    main()
