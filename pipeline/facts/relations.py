"""Relation candidates, layout rules and a trained pair classifier (HAS_ROLE, AFFILIATED_WITH, ROLE_IN_ORG).

Who decides (documented in annotations/GUIDELINES.md too):
- **Layout rules decide when they fire**: the text between two mentions is pure layout —
  `Name, Role`, `Name (Role)`, `Name – Org`, `Role of the Org`, `Role, Org`, or a name line followed by
  a `· Org` / `· Role` line in a flattened table. These are unambiguous in minutes; score 0.99.
- **The classifier decides the rest**: every other candidate pair in the same sentence (within
  `max_tokens`) is scored by a logistic-regression model over hashed features of the pair
  (label pair, words and punctuation between, distance, order, intervening entities); kept when
  its probability ≥ threshold. It is trained from the gold relations (`fit`), never on the
  documents it is evaluated on.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

PAIR_LABELS = {("PERSON", "ROLE"): "HAS_ROLE", ("PERSON", "ORG"): "AFFILIATED_WITH", ("ROLE", "ORG"): "ROLE_IN_ORG"}
N_FEATURES = 1 << 18

_TIGHT = re.compile(r"^[ \t]*(?:,|\(|–|—|-|:)[ \t]*(?:the[ \t]+)?$")  # "Name, Role" "Name (Role" "Name – Org"
_ROLE_ORG = re.compile(r"^[ \t]*(?:of|at|for|with|within|in)(?:[ \t]+the)?[ \t]*$|^[ \t]*,[ \t]*$|^[ \t]*\([ \t]*$", re.I)
_BULLET_LINE = re.compile(r"^[ \t]*[·•\-\u00b7][ \t]*$")


@dataclass(frozen=True)
class Ent:
    start: int
    end: int
    label: str
    index: int  # position among the document's entities


def _between(text: str, a: Ent, b: Ent) -> str:
    return text[a.end : b.start]


def rule_relation(text: str, head: Ent, tail: Ent, ents_between: int) -> str | None:
    """Name of the layout rule linking head→tail, or None. head/tail are already typed per PAIR_LABELS."""
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    between = _between(text, first, second)
    if ents_between:
        return None
    if head.label in ("PERSON", "ROLE") and head.start < tail.start and _TIGHT.match(between):
        if head.label == "ROLE" and tail.label == "ORG" and between.strip() in ("-", "–", "—", ":"):
            return None  # "Role – Org" is rare; leave it to the classifier
        return "adjacent"
    if head.label == "ROLE" and tail.label == "ORG" and head.start < tail.start and _ROLE_ORG.match(between):
        return "role_of_org"
    if head.label == "PERSON" and tail.label == "ROLE" and tail.start < head.start and re.fullmatch(r"[ \t]*,[ \t]*", between):
        return "role_comma_name"  # "The Director of Finance, Ann Example"
    # flattened table: the name alone on its line, next non-empty line "· Org" / "· Role"
    if head.label == "PERSON" and head.start < tail.start and "\n" in between:
        lines = between.split("\n")
        rest_of_name_line, middle, bullet = lines[0], lines[1:-1], lines[-1]
        if not rest_of_name_line.strip() and all(not m.strip() for m in middle) and _BULLET_LINE.match(bullet):
            line_start = text.rfind("\n", 0, head.start) + 1
            if not text[line_start : head.start].strip(" \t\u00a0"):
                return "name_then_bullet"
    return None


def candidate_pairs(text: str, ents: list[Ent], max_chars: int = 250):
    """Typed pairs close enough to be related: same sentence/line block, or a name line and its bullet line."""
    for i, a in enumerate(ents):
        for j in range(i + 1, len(ents)):
            b = ents[j]
            if b.start - a.end > max_chars:
                break
            between = text[a.end : b.start]
            if "\n\n" in between.replace("\t", "").replace(" ", "").replace("\u00a0", "") and not rule_ok_across(between):
                continue
            for head, tail in ((a, b), (b, a)):
                label = PAIR_LABELS.get((head.label, tail.label))
                if label:
                    yield head, tail, label, j - i - 1


def rule_ok_across(between: str) -> bool:
    lines = between.split("\n")
    return bool(lines) and _BULLET_LINE.match(lines[-1]) is not None


def _shape(s: str) -> str:
    s = re.sub(r"[A-Za-z]+", "w", s)
    s = re.sub(r"\d+", "d", s)
    s = re.sub(r"[ \t\u00a0]+", " ", s)
    return s[:12] if len(s) <= 12 else s[:6] + "…" + s[-6:]


def pair_features(text: str, head: Ent, tail: Ent, n_between: int) -> list[str]:
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    between = text[first.end : second.start]
    words = re.findall(r"[a-z']+", between.lower())
    order = "ht" if head.start < tail.start else "th"
    dist = min(len(between) // 10, 20)
    feats = [
        f"pair={head.label}>{tail.label}",
        f"order={order}",
        f"dist={dist}",
        f"nb={min(n_between, 4)}",
        f"shape={_shape(between)}",
        f"nl={between.count(chr(10))}",
        f"first={words[0] if words else '_'}",
        f"last={words[-1] if words else '_'}",
        f"nwords={min(len(words), 10)}",
        f"pair_order_shape={head.label}{order}{_shape(between)}",
    ]
    feats += [f"w={w}" for w in words[:8]]
    feats += [f"pw={head.label}{order}{w}" for w in words[:6]]
    before = text[max(0, first.start - 25) : first.start].lower()
    feats += [f"b={w}" for w in re.findall(r"[a-z]+", before)[-3:]]
    return feats


def hash_features(feats: list[str]) -> np.ndarray:
    return np.array([zlib.crc32(f.encode("utf-8")) % N_FEATURES for f in feats], dtype=np.int64)


class PairClassifier:
    """Logistic regression over hashed pair features, trained with plain SGD (numpy only)."""

    def __init__(self, weights: np.ndarray | None = None, bias: float = 0.0):
        self.w = weights if weights is not None else np.zeros(N_FEATURES, dtype=np.float32)
        self.b = float(bias)

    @property
    def is_trained(self) -> bool:
        return bool(np.any(self.w))

    def prob(self, idx: np.ndarray) -> float:
        z = float(self.w[idx].sum()) + self.b
        return 1.0 / (1.0 + np.exp(-max(min(z, 30.0), -30.0)))

    def fit(self, samples: list[tuple[np.ndarray, int]], epochs: int = 15, lr: float = 0.2, l2: float = 1e-5, seed: int = 42) -> None:
        rng = np.random.default_rng(seed)
        order = np.arange(len(samples))
        for epoch in range(epochs):
            rng.shuffle(order)
            rate = lr / (1 + epoch * 0.3)
            for k in order:
                idx, y = samples[k]
                g = self.prob(idx) - y
                self.w[idx] -= rate * (g + l2 * self.w[idx])
                self.b -= rate * g


def gold_pair_samples(records: list[dict]) -> list[tuple[np.ndarray, int]]:
    """Training samples from gold records: every candidate pair not decided by a rule, labelled by gold."""
    samples = []
    for rec in records:
        text = rec["text"]
        spans = sorted(rec["spans"], key=lambda s: (s["start"], s["end"]))
        ents = [Ent(s["start"], s["end"], s["label"], i) for i, s in enumerate(spans)]
        by_id = {s.get("id"): (s["start"], s["end"]) for s in spans if s.get("id")}
        gold = {(by_id[r["head_id"]], by_id[r["child_id"]], r["label"]) for r in rec["relations"]}
        for head, tail, label, nb in candidate_pairs(text, ents):
            if rule_relation(text, head, tail, nb):
                continue
            y = int(((head.start, head.end), (tail.start, tail.end), label) in gold)
            samples.append((hash_features(pair_features(text, head, tail, nb)), y))
    return samples
