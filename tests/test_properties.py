"""Property-based tests (hypothesis): ingest, the section splitter, the normalisers and Doc -> rows never raise
on arbitrary input (other than IngestError for bad files), top-level sections tile the text, and every
row's `text` is the document text sliced at the row's offsets."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.export.rows import doc_rows
from pipeline.export.schema import PER_FILE_TABLES
from pipeline.export.writer import rows_to_table
from pipeline.ingest import IngestError, SourceDocument, decode_text, read_documents, split_documents
from pipeline.ingest.html_text import html_to_text
from pipeline.normalise.dates import normalise_date
from pipeline.normalise.names import canonical_person
from pipeline.normalise.numbers import UNITS, parse_metric
from pipeline.normalise.orgs import expand_acronym, find_acronym_definitions
from pipeline.normalise.roles import normalise_role
from tests.helpers import SEED_PATHS

# MINUTES_PROP_EXAMPLES=2000 for a long hunt; 60 keeps the suite fast
PROPS = settings(
    max_examples=int(os.environ.get("MINUTES_PROP_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEED_LINES = sorted({line for p in SEED_PATHS for line in p.read_text(encoding="utf-8").split("\n")})
LABELS = ["PERSON", "ROLE", "ORG", "DATE", "METRIC"]

# text shaped like minutes: real seed lines, headings, numbers and noise, in any order
minutes_line = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(
        [
            "Present:",
            "Apologies",
            "Resolved: That the report be noted.",
            "1.",
            "2. Minutes",
            "<AI1>",
            "</AI1>",
            "Glossary:",
            "CSC – Children's Social Care",
            "Page 3 of 7",
            "\t4.\tBudget",
            "Agenda and minutes",
        ]
    ),
    st.text(max_size=40),
)
minutes_text = st.lists(minutes_line, max_size=40).map("\n".join)
any_text = st.one_of(st.text(max_size=400), minutes_text)
ISO_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(\.\.\d{4}(-\d{2}(-\d{2})?)?)?$")


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import cached_nlp

    return cached_nlp(None)  # rules only: sections, normalise, relations


# ---------------------------------------------------------------- ingest


@PROPS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".htm", ".pdf", ".docx", ".xml", ""]))
def test_read_documents_gives_documents_or_ingest_error(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"file{suffix}"
        path.write_bytes(data)
        try:
            docs = read_documents(path)
        except IngestError as exc:
            assert exc.stage in ("read", "detect", "decode", "parse", "split", "limit") and exc.message
            return
    assert docs and all(isinstance(d, SourceDocument) for d in docs)
    assert [d.part for d in docs] == list(range(len(docs)))
    assert "".join(d.text for d in docs).strip() and not any("\x00" in d.text or "\r" in d.text for d in docs)


@PROPS
@given(text=any_text, encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252"]))
def test_decode_text_roundtrips_or_refuses(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    try:
        decoded, found = decode_text(data)
    except IngestError as exc:
        assert exc.stage in ("detect", "decode")
        return
    assert isinstance(decoded, str) and found
    assert "\x00" not in decoded and "\r" not in decoded
    if encoding in ("utf-8", "utf-16") and "\x00" not in text and "\r" not in text:
        assert decoded == text.lstrip("\ufeff") or decoded == text  # a leading BOM character is dropped


@PROPS
@given(
    markup=st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<div>",
                    "<table><tr><td>",
                    "</td><td>",
                    "<br>",
                    "<script>x</script>",
                    "<!--",
                    "-->",
                    "&amp;",
                    "&#0;",
                    "&#xD800;",
                    "<pre>",
                    "</pre>",
                    "<![CDATA[",
                    "]]>",
                    "<html>",
                    "text",
                    " ",
                    "\n",
                    "<",
                    ">",
                    "\"'",
                ]
            ),
            max_size=60,
        ).map("".join),
    )
)
def test_html_to_text_never_crashes(markup):
    try:
        text = html_to_text(markup)
    except IngestError as exc:
        assert exc.stage == "parse"
        return
    assert isinstance(text, str) and "\x00" not in text
    text.encode("utf-8")  # no lone surrogates: the text must be writable to Parquet


@PROPS
@given(text=any_text)
def test_split_documents_tiles_the_text(text):
    ranges = split_documents(text)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    assert all(s <= e for s, e in ranges)


# ---------------------------------------------------------------- section splitter (minutes_sections)


def check_sections(text: str, sections: list[dict]) -> None:
    """The documented contract of doc._.sections."""
    assert [s["index"] for s in sections] == list(range(len(sections)))
    for s in sections:
        assert 0 <= s["start_char"] <= s["end_char"] <= len(text), s
        assert isinstance(s["kind"], str) and s["kind"]
        if s["parent"] is not None:
            parent = sections[s["parent"]]
            assert s["parent"] < s["index"] and parent["parent"] is None, s
            assert parent["start_char"] <= s["start_char"] and s["end_char"] <= parent["end_char"], (s, parent)
    top = [s for s in sections if s["parent"] is None]
    if not text:
        assert top == [] or [(s["start_char"], s["end_char"]) for s in top] == [(0, 0)]
        return
    assert top, "non-empty text must have sections"
    assert top[0]["start_char"] == 0 and top[-1]["end_char"] == len(text)
    assert all(a["end_char"] == b["start_char"] for a, b in zip(top, top[1:])), "top-level sections must tile the text"


@PROPS
@given(text=any_text)
def test_top_level_sections_tile_the_text(nlp, text):
    doc = nlp(text)
    assert doc._.sections is not None, "minutes_sections did not set doc._.sections"
    check_sections(text, doc._.sections)


def test_sections_of_every_seed(nlp):
    for p in SEED_PATHS:
        text = p.read_text(encoding="utf-8")
        sections = nlp(text)._.sections
        check_sections(text, sections)
        assert len(sections) > 3


# ---------------------------------------------------------------- Doc -> rows (random entities)


@st.composite
def doc_with_entities(draw, nlp):
    text = draw(any_text)
    doc = nlp.make_doc(text)
    n = len(doc)
    cuts = sorted(draw(st.sets(st.integers(0, n), max_size=min(2 * n, 24)))) if n else []
    spans = []
    for i in range(0, len(cuts) - 1, 2):
        if cuts[i] < cuts[i + 1]:
            spans.append(
                doc.char_span(
                    doc[cuts[i]].idx,
                    doc[cuts[i + 1] - 1].idx + len(doc[cuts[i + 1] - 1]),
                    label=draw(st.sampled_from(LABELS)),
                )
            )
    return text, [s for s in spans if s is not None]


@PROPS
@given(data=st.data())
def test_rows_text_equals_document_slice(nlp, data):
    text, spans = data.draw(doc_with_entities(nlp))
    doc = nlp.make_doc(text)
    doc = nlp.get_pipe("minutes_sections")(doc)
    doc.ents = [doc.char_span(s.start_char, s.end_char, label=s.label_) for s in spans]
    for name in nlp.pipe_names[1:]:  # normalise, relations: they read doc.ents
        doc = nlp.get_pipe(name)(doc)
    src = SourceDocument("x.txt", 0, "0" * 64, "txt", "utf-8", text)
    rows = doc_rows(src, doc, "0", "rules-only")
    assert rows["documents"][0]["text"] == text
    assert len(rows["entities"]) == len(spans)
    for r in rows["entities"]:
        assert r["text"] == text[r["start_char"] : r["end_char"]] and r["text"]
        assert r["text"] in r["sentence"] or "\n" in r["text"]
    for r in rows["metrics"]:
        assert r["text"] == text[r["start_char"] : r["end_char"]]
        assert r["value"] is None or math.isfinite(r["value"])
    for r in rows["sections"]:
        assert 0 <= r["start_char"] <= r["end_char"] <= len(text)
    by_id = {r["entity_id"]: r for r in rows["entities"]}
    for r in rows["relations"]:
        assert r["head_text"] == by_id[r["head_id"]]["text"] and r["tail_text"] == by_id[r["tail_id"]]["text"]
    for table in PER_FILE_TABLES:
        if table != "errors":
            rows_to_table(table, rows[table])  # every row fits its Parquet schema


# ---------------------------------------------------------------- normalisers

ref_dates = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
date_like = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda d, fmt: d.strftime(fmt),
        st.dates(min_value=dt.date(1900, 1, 1)),
        st.sampled_from(["%d %B %Y", "%A, %d %b %Y", "%d/%m/%Y", "%B %Y", "%Y/%y", "Q%m %Y"]),
    ),
)


@PROPS
@given(text=date_like, ref=ref_dates, policy=st.sampled_from(["nearest", "ref"]))
def test_normalise_date_is_iso_or_none(text, ref, policy):
    out = normalise_date(text, ref, infer_year=policy)
    assert out is None or ISO_PERIOD.match(out), out
    if out and ".." in out:
        start, end = out.split("..")
        assert start <= end


number_like = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[~£$]?[0-9]{1,7}([.,][0-9]{1,3})*(%|k|m|bn| per 10,000| million)?", fullmatch=True),
    st.sampled_from(["eleven", "one in five", "mid-70s", "around 40", "nil", "half", "1e308", "1e999", "NaN", "inf"]),
)


@PROPS
@given(text=number_like, before=st.text(max_size=80), after=st.text(max_size=80))
def test_parse_metric_is_finite_or_none(text, before, after):
    out = parse_metric(text, before, after)
    if out is not None:
        assert math.isfinite(out.value) and out.unit in UNITS
        assert out.per is None or (out.unit == "rate" and math.isfinite(out.per))


@PROPS
@given(text=st.text(max_size=120))
def test_canonical_person_is_idempotent(text):
    once = canonical_person(text)
    assert isinstance(once, str) and canonical_person(once) == once


@PROPS
@given(text=st.one_of(st.text(max_size=300), minutes_text))
def test_acronyms_and_roles_never_crash(text):
    found = find_acronym_definitions(text)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())
    for acronym in list(found)[:5]:
        expand_acronym(acronym, found)
    assert isinstance(normalise_role(text[:120]), str)
    assert isinstance(normalise_role(text[:120], acronyms=list(found)), str)
