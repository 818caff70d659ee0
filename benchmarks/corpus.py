"""Larger corpora for benchmarks: the sample corpus repeated, each copy perturbed so its bytes differ.

Extraction is content-addressed, so verbatim copies would be deduplicated and never processed. Copy 0 is
the original; copy k shifts years, nudges decimals and percentages and swaps common first names, so the
text stays minutes-like (same length and structure, slightly different people and figures) and every
file has its own SHA-256.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

FIRST_NAMES = [
    "David",
    "Sarah",
    "Bob",
    "Louise",
    "Chris",
    "Emily",
    "Steven",
    "Richard",
    "Wendy",
    "Mike",
    "Sue",
    "Gina",
    "Julie",
    "Matthew",
    "Graham",
    "Cynthia",
    "Debra",
    "Alice",
    "Peter",
    "Helen",
    "John",
    "Jane",
    "Paul",
    "Karen",
    "Andrew",
    "Clare",
    "Simon",
    "Alison",
    "Mark",
    "Ruth",
]
_NAME_RE = re.compile(r"\b(" + "|".join(FIRST_NAMES) + r")\b")
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
_DECIMAL_RE = re.compile(r"\b(\d+)\.(\d)(\d*)\b")
_PERCENT_RE = re.compile(r"\b(\d{1,2})%")


def perturb(text: str, k: int) -> str:
    """Copy k of a text (k == 0 is the text itself)."""
    if k == 0:
        return text
    text = _NAME_RE.sub(lambda m: FIRST_NAMES[(FIRST_NAMES.index(m.group(1)) + k) % len(FIRST_NAMES)], text)
    text = _YEAR_RE.sub(lambda m: str(int(m.group(1)) + k % 5), text)
    text = _DECIMAL_RE.sub(lambda m: f"{m.group(1)}.{(int(m.group(2)) + k) % 10}{m.group(3)}", text)
    text = _PERCENT_RE.sub(lambda m: f"{max(1, (int(m.group(1)) + k) % 100)}%", text)
    return text


def make_corpus(source: str | Path, dest: str | Path, copies: int) -> dict:
    """Write `copies` perturbed copies of every file under `source` into dest/copy-KK/. Returns counts."""
    source, dest = Path(source), Path(dest)
    files = sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))
    seen: set[str] = set()
    n_bytes = n_words = 0
    for k in range(copies):
        folder = dest / f"copy-{k:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for p in files:
            raw = p.read_bytes()
            try:
                data = perturb(raw.decode("utf-8"), k).encode("utf-8")
            except UnicodeDecodeError:  # not text: vary a trailing byte run instead (still a distinct file)
                data = raw + b"\n" * k
            pad = 0
            while hashlib.sha256(data).hexdigest() in seen:  # a text with nothing to perturb
                pad += 1
                data = data + b"\n" * pad
            seen.add(hashlib.sha256(data).hexdigest())
            target = folder / p.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            n_bytes += len(data)
            n_words += len(data.split())
    return {"files": len(files) * copies, "bytes": n_bytes, "words": n_words, "copies": copies}
