"""A tiny trained NER pipeline for smoke runs and tests, so they need no models/cnn.

spaCy's English tokenizer with the minutes rules + an `ner` (its own small CNN) trained for a few steps
on two sentences. Its predictions are poor but deterministic, and it exercises the same code paths as
the real model: a trained component loaded from disk, listeners, entities flowing into normalise and
relations.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLES = [
    (
        (
            "County Councillor Gina Dowding, Chair of the Children's Services Scrutiny Committee, "
            "reported 21.3% on 10th April 2019."
        ),
        [
            ("Gina Dowding", "PERSON"),
            ("Chair", "ROLE"),
            ("Children's Services Scrutiny Committee", "ORG"),
            ("21.3%", "METRIC"),
            ("10th April 2019", "DATE"),
        ],
    ),
    (
        (
            "Bob Stott, Director of Children's Services at Lancashire County Council, "
            "said 1,548 children were looked after."
        ),
        [
            ("Bob Stott", "PERSON"),
            ("Director of Children's Services", "ROLE"),
            ("Lancashire County Council", "ORG"),
            ("1,548", "METRIC"),
        ],
    ),
]


def train_tiny_ner(path: str | Path, steps: int = 30) -> Path:
    import spacy
    from spacy.training import Example

    from pipeline.tokenizer import blank_nlp

    spacy.util.fix_random_seed(0)
    nlp = blank_nlp()
    nlp.add_pipe("ner")
    examples = []
    for text, spans in EXAMPLES:
        doc = nlp.make_doc(text)
        ents = []
        for fragment, label in spans:
            start = text.index(fragment)
            ents.append((start, start + len(fragment), label))
        examples.append(Example.from_dict(doc, {"entities": ents}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer)
    nlp.meta["name"] = "tiny"
    nlp.meta["version"] = "0.0.0"
    path = Path(path)
    nlp.to_disk(path)
    return path
