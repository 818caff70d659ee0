"""Throughput of the normalisers, as ratios against a trivial baseline measured in the same run.

    .venv/bin/python benchmarks/bench_normalise.py [--seconds 0.5]

Main figure: calls/sec of ``parse_metric`` over typical METRIC mentions (with their context)
versus bare ``float()`` over the same figures' digits.  Extra lines give the same kind of ratio for
``normalise_date`` (vs ``date.fromisoformat``), ``canonical_person`` and ``normalise_role`` (vs
``str.strip``), and word2number on its own.  Nothing is asserted: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from word2number import w2n  # noqa: E402

from pipeline.normalise import (  # noqa: E402
    canonical_person,
    normalise_date,
    normalise_role,
    parse_metric,
)
from pipeline.normalise.numbers import _words_to_number  # noqa: E402

METRICS = [
    ("1,548", "", ""),
    ("21.3%", "Re-referral rate ", " - October 2019"),
    ("48.2 per 10,000", "1194 (", ")"),
    ("£1.2m", "", " overspend"),
    ("eleven", "", " recommendations"),
    ("one quarter", "", " of children"),
    ("mid-70s", "dropped significantly from 130 to around the ", ""),
    ("around 40", "", ""),
    ("17", "Average caseload – ", " for all social workers"),
    ("85.0", "· Rate of CLA per 10,000 – ", ""),
    ("2000", "Over ", " days of tick sheet studies"),
    ("£350,000", "", ""),
    ("12.4 per 1,000 population", "", ""),
    ("21.3 per cent", "", ""),
    ("152", "", " cases were looked at"),
    ("92.4%", "In Suitable Accommodation (19-21 Years) – ", ""),
]
FLOATS = [
    "1548",
    "21.3",
    "48.2",
    "1.2",
    "11",
    "25",
    "75",
    "40",
    "17",
    "85.0",
    "2000",
    "350000",
    "12.4",
    "21.3",
    "152",
    "92.4",
]
DATES = [
    "Wednesday, 10th April, 2019",
    "27/02/2019",
    "October 2019",
    "2018/19",
    "Q2 2019/20",
    "30th June 2018",
    "January 2020",
    "2016",
    "the 4 November 2019",
    "last year",
]
ISO = [
    "2019-04-10",
    "2019-02-27",
    "2019-10-01",
    "2018-04-01",
    "2019-07-01",
    "2018-06-30",
    "2020-01-01",
    "2016-01-01",
    "2019-11-04",
    "2019-01-01",
]
NAMES = [
    "County Councillor Andrea Kay (Chair)",
    "D. T. Smith",
    "Cllr J Smith (Lab)",
    "Dr Amara Okafor OBE",
    "JOHN O'BRIEN",
    "Paul V Greenall",
    "Mrs Janet Hamid,",
    "Jake",
]
ROLES = [
    "Acting Director of Children's Social Care",
    "CABINET MEMBER FOR CHILDREN, YOUNG PEOPLE AND SCHOOLS",
    "head of send",
    "(Chair)",
    "Business Intelligence Analyst",
    "Senior Practitioner – Child Protection",
]
REF = dt.date(2019, 11, 26)


def calls_per_sec(fn, items, seconds: float) -> float:
    """Calls per second of ``fn(item)`` cycling over ``items`` for about ``seconds``."""
    for item in items:  # warm caches and imports
        fn(item)
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for item in items:
            fn(item)
        n += len(items)
        now = time.perf_counter()
        if now >= deadline:
            return n / (now - start)


def run(seconds: float = 0.5) -> dict[str, dict[str, float]]:
    rows = {
        "parse_metric vs float()": (lambda m: parse_metric(*m), METRICS, float, FLOATS),
        "normalise_date vs date.fromisoformat()": (lambda s: normalise_date(s, REF), DATES, dt.date.fromisoformat, ISO),
        "canonical_person vs str.strip()": (canonical_person, NAMES, str.strip, NAMES),
        "normalise_role vs str.strip()": (normalise_role, ROLES, str.strip, ROLES),
        "word2number.word_to_num('eleven') vs float()": (
            w2n.word_to_num,
            ["eleven", "one hundred and twenty"],
            float,
            FLOATS,
        ),
    }
    out: dict[str, dict[str, float]] = {}
    for name, (fn, items, base_fn, base_items) in rows.items():
        fast = calls_per_sec(base_fn, base_items, seconds)
        ours = calls_per_sec(fn, items, seconds)
        out[name] = {"calls_per_sec": ours, "baseline_calls_per_sec": fast, "ratio": ours / fast}
    # the cached spelled-out path inside parse_metric, for comparison with raw word2number
    _words_to_number.cache_clear()
    uncached = calls_per_sec(
        lambda s: (_words_to_number.cache_clear(), parse_metric(s)), ["eleven", "twenty-one"], seconds
    )
    out["parse_metric('eleven') with word cache cleared each call vs float()"] = {
        "calls_per_sec": uncached,
        "baseline_calls_per_sec": out["parse_metric vs float()"]["baseline_calls_per_sec"],
        "ratio": uncached / out["parse_metric vs float()"]["baseline_calls_per_sec"],
    }
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    args = ap.parse_args(argv)
    results = run(args.seconds)
    width = max(len(k) for k in results)
    print(f"{'benchmark':<{width}}  {'calls/s':>12}  {'baseline/s':>12}  {'ratio':>8}")
    for name, r in results.items():
        print(
            f"{name:<{width}}  {r['calls_per_sec']:>12,.0f}  {r['baseline_calls_per_sec']:>12,.0f}  "
            f"{r['ratio']:>8.4f}  (1/{1 / r['ratio']:,.0f})"
        )


if __name__ == "__main__":
    main()
