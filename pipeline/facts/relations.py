"""Relation candidates, layout rules and a trained pair classifier (HAS_ROLE, AFFILIATED_WITH, ROLE_IN_ORG).

Who decides (documented in annotations/GUIDELINES.md too):
- **Layout rules decide when they fire**: the text between two mentions is pure layout —
  `Name, Role`, `Name (Role)`, `Name – Org`, `Role of the Org`, `Role, Org`, a name line followed by
  a `· Org` / `· Role, Org` line in a flattened table, the next cell of a table row (`Name<TAB>Org`), or a
  group label over the names on its line (`Care Leavers' Forum: A, B and C`). These are unambiguous in
  minutes; score 0.99.
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

from .titles import title_pairs

PAIR_LABELS = {("PERSON", "ROLE"): "HAS_ROLE", ("PERSON", "ORG"): "AFFILIATED_WITH", ("ROLE", "ORG"): "ROLE_IN_ORG"}
N_FEATURES = 1 << 18
MAX_PAIR_CHARS = 250  # the widest gap between two mentions that still makes a candidate pair

_TIGHT = re.compile(r"^[ \t]*(?:,|\(|–|—|-|:)[ \t]*(?:the[ \t]+)?$")  # "Name, Role" "Name (Role" "Name – Org"
_ROLE_ORG = re.compile(
    r"^[ \t]*(?:of|at|for|with|within|in)(?:[ \t]+the)?[ \t]*$|^[ \t]*,[ \t]*$|^[ \t]*\([ \t]*$", re.I
)
_BULLET_LINE = re.compile(r"^[ \t]*[·•\-\u00b7][ \t]*$")
_BULLET_LEAD = re.compile(r"^[ \t]*[·•\u00b7][ \t]*(?:[^\n]*,[ \t]*)?$")  # "· " or "· Clinical Director, CAMHS, "
_NAME_LINE_LEAD = re.compile(r"[ \t\u00a0]*(?:[A-Z][\w.]*[ \t\u00a0]+){0,3}")  # "Dr ", "Detective Inspector "
_CELLS = re.compile(r"[ \u00a0]*\t[ \t\u00a0]*")  # only tabs: the next cell of a table row
_GROUP_LIST = re.compile(r"[ \t]*:-?[ \t]*(?:[^\W\d][\w'’.-]*(?:[ \t]+[^\W\d][\w'’.-]*)*[ \t]*(?:,|\band\b)[ \t]*)*")
_LIST_LABEL_LEAD = re.compile(r"[ \t]*(?:(?:representatives?|members?)[ \t]+of[ \t]+(?:the[ \t]+)?)?", re.I)


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
    if head.label == "PERSON" and tail.label == "ORG" and tail.start < head.start and _GROUP_LIST.fullmatch(between):
        line_start = text.rfind("\n", 0, tail.start) + 1
        if _LIST_LABEL_LEAD.fullmatch(text[line_start : tail.start]):
            return "group_label_list"  # "Care Leavers' Forum: Luca, Simran and Niamh": each one is the forum's
    if head.label == "PERSON" and head.start < tail.start and "\n" in between:
        lines = between.split("\n")
        name_line_rest, middle, last = lines[0], lines[1:-1], lines[-1]
        line_start = text.rfind("\n", 0, head.start) + 1
        if (
            not name_line_rest.strip()
            and all(not m.strip() for m in middle)
            and _BULLET_LEAD.match(last)
            and _NAME_LINE_LEAD.fullmatch(text[line_start : head.start])
        ):
            return "name_then_bullet"  # the name alone on its line, then "· Org" or "· Role, Org"
    if ents_between:
        return None
    if head.label in ("PERSON", "ROLE") and head.start < tail.start and _CELLS.fullmatch(between):
        return "table_cells"  # "Councillor A\t\tAnytown Borough Council": a members table's next column
    if head.label in ("PERSON", "ROLE") and head.start < tail.start and _TIGHT.match(between):
        if head.label == "ROLE" and tail.label == "ORG" and between.strip() in ("-", "–", "—", ":"):
            return None  # "Role – Org" is rare; leave it to the classifier
        return "adjacent"
    if head.label == "ROLE" and tail.label == "ORG" and head.start < tail.start and _ROLE_ORG.match(between):
        return "role_of_org"
    if (
        head.label == "PERSON"
        and tail.label == "ROLE"
        and tail.start < head.start
        and re.fullmatch(r"[ \t]*,[ \t]*", between)
    ):
        return "role_comma_name"  # "The Director of Finance, Ann Example"
    return None


def candidate_pairs(text: str, ents: list[Ent], max_chars: int = MAX_PAIR_CHARS):
    """Typed pairs close enough to be related: same sentence/line block, or a name line and its bullet line."""
    for first_index, first in enumerate(ents):
        for second_index in range(first_index + 1, len(ents)):
            second = ents[second_index]
            if second.start - first.end > max_chars:
                break
            between = text[first.end : second.start]
            if "\n\n" in between.replace("\t", "").replace(" ", "").replace("\u00a0", "") and not rule_ok_across(
                between
            ):
                continue
            for head, tail in ((first, second), (second, first)):
                label = PAIR_LABELS.get((head.label, tail.label))
                if label:
                    yield head, tail, label, second_index - first_index - 1


def rule_ok_across(between: str) -> bool:
    """A blank line between two mentions still allows a pair when the last line is a bullet ("· Org") or a
    bullet's lead ("· Fostering and YOT Team, " before "LCC"), as `name_then_bullet` reads them."""
    lines = between.split("\n")
    return bool(lines) and (_BULLET_LINE.match(lines[-1]) is not None or _BULLET_LEAD.match(lines[-1]) is not None)


def _shape(between: str) -> str:
    """The text between two mentions with words as w, digits as d and runs of spaces as one (ends kept if long)."""
    shape = re.sub(r"[A-Za-z]+", "w", between)
    shape = re.sub(r"\d+", "d", shape)
    shape = re.sub(r"[ \t\u00a0]+", " ", shape)
    return shape[:12] if len(shape) <= 12 else shape[:6] + "…" + shape[-6:]


def pair_features(text: str, head: Ent, tail: Ent, n_between: int) -> list[str]:
    """Feature strings of a candidate pair (the strings are hashed, so changing one invalidates trained weights)."""
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    between = text[first.end : second.start]
    words = re.findall(r"[a-z']+", between.lower())
    order = "ht" if head.start < tail.start else "th"
    distance = min(len(between) // 10, 20)
    features = [
        f"pair={head.label}>{tail.label}",
        f"order={order}",
        f"dist={distance}",
        f"nb={min(n_between, 4)}",
        f"shape={_shape(between)}",
        f"nl={between.count(chr(10))}",
        f"first={words[0] if words else '_'}",
        f"last={words[-1] if words else '_'}",
        f"nwords={min(len(words), 10)}",
        f"pair_order_shape={head.label}{order}{_shape(between)}",
    ]
    features += [f"w={word}" for word in words[:8]]
    features += [f"pw={head.label}{order}{word}" for word in words[:6]]
    before = text[max(0, first.start - 25) : first.start].lower()
    features += [f"b={word}" for word in re.findall(r"[a-z]+", before)[-3:]]
    return features


def hash_features(features: list[str]) -> np.ndarray:
    """Indices into the classifier's weights: CRC32 of each feature string modulo N_FEATURES."""
    return np.array([zlib.crc32(feature.encode("utf-8")) % N_FEATURES for feature in features], dtype=np.int64)


class PairClassifier:
    """Logistic regression over hashed pair features, trained with plain SGD (numpy only)."""

    def __init__(self, weights: np.ndarray | None = None, bias: float = 0.0):
        self.weights = weights if weights is not None else np.zeros(N_FEATURES, dtype=np.float32)
        self.bias = float(bias)

    @property
    def is_trained(self) -> bool:
        return bool(np.any(self.weights))

    def prob(self, feature_indices: np.ndarray) -> float:
        """Probability that the pair with these hashed features is related."""
        logit = float(self.weights[feature_indices].sum()) + self.bias
        return 1.0 / (1.0 + np.exp(-max(min(logit, 30.0), -30.0)))

    def fit(
        self, samples: list[tuple[np.ndarray, int]], epochs: int = 15, lr: float = 0.2, l2: float = 1e-5, seed: int = 42
    ) -> None:
        """Plain SGD over (feature indices, 0/1 label) samples, in a seeded shuffled order each epoch."""
        rng = np.random.default_rng(seed)
        order = np.arange(len(samples))
        for epoch in range(epochs):
            rng.shuffle(order)
            rate = lr / (1 + epoch * 0.3)
            for position in order:
                feature_indices, label = samples[position]
                gradient = self.prob(feature_indices) - label
                self.weights[feature_indices] -= rate * (gradient + l2 * self.weights[feature_indices])
                self.bias -= rate * gradient


def gold_pair_samples(records: list[dict]) -> list[tuple[np.ndarray, int]]:
    """Training samples from gold records: every candidate pair not decided by a rule, labelled by gold."""
    samples = []
    for rec in records:
        text = rec["text"]
        spans = sorted(rec["spans"], key=lambda s: (s["start"], s["end"]))
        ents = [Ent(s["start"], s["end"], s["label"], i) for i, s in enumerate(spans)]
        by_id = {s.get("id"): (s["start"], s["end"]) for s in spans if s.get("id")}
        gold = {(by_id[r["head_id"]], by_id[r["child_id"]], r["label"]) for r in rec["relations"]}
        title_spans = {(title.start, title.end) for _, title in title_pairs(text, ents)}
        for head, tail, label, n_between in candidate_pairs(text, ents):
            if rule_relation(text, head, tail, n_between):
                continue
            if (head.start, head.end) in title_spans or (tail.start, tail.end) in title_spans:
                continue  # decided by the office-title walk, as in the component
            related = int(((head.start, head.end), (tail.start, tail.end), label) in gold)
            samples.append((hash_features(pair_features(text, head, tail, n_between)), related))
    return samples
