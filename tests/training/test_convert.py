"""Round trips between our gold records and Label Studio, doccano, Prodigy and the .ann markup."""

from __future__ import annotations

import json

import pytest

from pipeline.paths import REPO
from pipeline.training.convert import (
    from_doccano,
    from_label_studio,
    from_prodigy,
    predictions_from_tables,
    record_to_ann,
    to_doccano,
    to_label_studio,
    to_prodigy,
)
from pipeline.training.markup import parse_ann

ANN = """@meta council="Kent County Council" committee="Cabinet" layout=printed
@@@
The Chair welcomed {{PERSON#p1|Sally Allen}}, {{ROLE#r1|Director of Finance}} of {{ORG#o1|Kent County Council}}.
Apologies were received from {{PERSON#p2|Joe Cooney}}. Overspend {{METRIC#m1|£1.2m}} in {{DATE|2018/19}}.
@@@
@rel p1 HAS_ROLE r1
@rel r1 ROLE_IN_ORG o1
@att p1 in_attendance
@att p2 apologies name="Joe Cooney"
@metric m1 value=1200000 unit=currency indicator=Overspend period=2018-04-01..2019-03-31
"""


def core(rec):
    spans = sorted((s["start"], s["end"], s["label"]) for s in rec["spans"])
    ids = {s["id"]: (s["start"], s["end"]) for s in rec["spans"]}
    rels = sorted((ids[r["head_id"]], ids[r["child_id"]], r["label"]) for r in rec["relations"])
    return rec["text"], spans, rels


@pytest.fixture
def record():
    return parse_ann(ANN, "written/example.ann")


def test_ann_round_trip(record):
    again = parse_ann(record_to_ann(record), "written/example.ann")
    assert core(again) == core(record)
    assert again["attendance"] == record["attendance"] and again["metrics"] == record["metrics"]


def test_label_studio_round_trip(record):
    tasks = json.loads(json.dumps(to_label_studio([record])))
    assert core(from_label_studio(tasks)[0]) == core(record)
    # predictions go where Label Studio shows them for correction
    assert "predictions" in to_label_studio([record], predictions=True)[0]


def test_doccano_round_trip(record):
    rows = json.loads(json.dumps(to_doccano([record])))
    assert core(from_doccano(rows)[0]) == core(record)
    old_style = [{"text": record["text"], "label": [[s["start"], s["end"], s["label"]] for s in record["spans"]]}]
    assert core(from_doccano(old_style)[0])[1] == core(record)[1]


def test_prodigy_round_trip(record):
    rows = json.loads(json.dumps(to_prodigy([record])))
    assert rows[0]["tokens"] and all("token_start" in s for s in rows[0]["spans"])
    assert all("head_span" in r for r in rows[0]["relations"])
    back = from_prodigy(rows)[0]
    assert core(back) == core(record)
    assert core(parse_ann(record_to_ann(back), "written/x.ann")) == core(record)


def test_unknown_label_refused(record):
    tasks = to_label_studio([record])
    tasks[0]["annotations"][0]["result"][0]["value"]["labels"] = ["THING"]
    with pytest.raises(ValueError):
        from_label_studio(tasks)


def test_seed_gold_survives_every_format():
    rec = parse_ann((REPO / "annotations/seeds/004_4cdc2a54f1342e8b.ann").read_text(), "seeds/004.ann", REPO)
    assert core(from_label_studio(to_label_studio([rec]))[0]) == core(rec)
    assert core(from_doccano(to_doccano([rec]))[0]) == core(rec)
    assert core(from_prodigy(to_prodigy([rec]))[0]) == core(rec)
    assert core(parse_ann(record_to_ann(rec), "seeds/004.ann", REPO)) == core(rec)


def test_predictions_export_from_tables(tmp_path):
    from pipeline.engine import run_extract
    from pipeline.tokenizer import blank_nlp

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "000.txt").write_text((REPO / "corpus/000_861d49555c60f71f.txt").read_text())
    model = REPO / "models" / "cnn"
    run_extract(corpus, tmp_path / "out", str(model) if model.is_dir() else None)
    recs = predictions_from_tables(tmp_path / "out")
    assert len(recs) == 1 and recs[0]["meta"]["source"] == "000.txt"
    ls = to_label_studio(recs, predictions=True)
    assert core(from_label_studio([{"data": t["data"], "annotations": t["predictions"]} for t in ls])[0]) == core(
        recs[0]
    )
    assert core(from_prodigy(to_prodigy(recs, blank_nlp()))[0]) == core(recs[0])
