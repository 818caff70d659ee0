"""Round trips between our gold records and Label Studio, doccano, Prodigy and the .ann markup."""

from __future__ import annotations

import json
from pathlib import Path

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


# ---------------------------------------------------------------------------- round trips of real output

SHAPE = {"spans", "relations", "attendance", "metrics"}


def reject(constant):
    """parse_constant for json.loads: NaN, Infinity and -Infinity are not JSON."""
    raise ValueError(f"invalid JSON constant {constant}")


def run_cli(*args, cwd=None, env=None):
    """`minutes ARGS` in a subprocess with this venv's Python; returns the completed process."""
    import subprocess
    import sys

    command = [sys.executable, "-c", "from pipeline.cli import main; main()", *map(str, args)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """`minutes extract` of two sample documents and one with no council or committee to detect."""
    from pipeline.engine import run_extract

    root = tmp_path_factory.mktemp("extract")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("000_861d49555c60f71f.txt", "004_4cdc2a54f1342e8b.txt"):
        (corpus / name).write_text((REPO / "corpus" / name).read_text())
    (corpus / "plain.txt").write_text("Notes.\n\nThe figures were discussed by those present.\n")
    model = REPO / "models" / "cnn"
    run_extract(corpus, root / "out", str(model) if model.is_dir() else None)
    return root


@pytest.mark.parametrize("tool", ["labelstudio", "prodigy"])
def test_export_is_strict_json(extracted, tmp_path, tool):
    out = tmp_path / "export.json"
    done = run_cli("export", "--tables", extracted / "out", "--format", tool, "--out", out)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    rows = (
        json.loads(text, parse_constant=reject)
        if tool == "labelstudio"
        else [json.loads(line, parse_constant=reject) for line in text.splitlines()]
    )
    assert len(rows) == 3 and "NaN" not in text


def test_unknown_export_format_refused(extracted, tmp_path):
    done = run_cli("export", "--tables", extracted / "out", "--format", "xml", "--out", tmp_path / "x")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "x").exists()


def _edit_one_entity(spans: list[dict], referenced: set[str]) -> tuple[int, int, str]:
    """Turn the first unreferenced DATE span into an ORG in place; return (start, end, new label)."""
    span = next(s for s in spans if s["label"] == "DATE" and s["id"] not in referenced)
    span["label"] = "ORG"
    return span["start"], span["end"], "ORG"


def _check_imported(folder: Path, edit, corpus: Path, repo: Path):
    """Every imported file passes the markup checker, the edit is there and nothing else got lost."""
    from pipeline.training.markup import load_ann_file

    records = [load_ann_file(path, repo) for path in sorted(folder.glob("*.ann"))]
    assert len(records) == 2
    edited = [r for r in records if any((s["start"], s["end"], s["label"]) == edit for s in r["spans"])]
    assert len(edited) == 1
    assert all(SHAPE <= set(r) for r in records)
    assert sum(len(r["attendance"]) for r in records) and sum(len(r["metrics"]) for r in records)
    assert sum(len(r["relations"]) for r in records)
    return records


def _label_studio_export(extracted, tmp_path, repo=REPO, cwd=None, env=None):
    """Export to Label Studio, keep the two sample documents, edit one entity; return (file, edit)."""
    export = tmp_path / "ls.json"
    done = run_cli(
        "export", "--tables", extracted / "out", "--format", "labelstudio", "--out", export, cwd=cwd, env=env
    )
    assert done.returncode == 0, done.stderr
    tasks = [t for t in json.loads(export.read_text()) if t["data"]["meta"]["source"] != "plain.txt"]
    result = tasks[0]["predictions"][0]["result"]
    referenced = {r.get("from_id") for r in result} | {r.get("to_id") for r in result}
    referenced |= {r["id"] for r in result if r.get("type") not in ("labels", "relation")}
    regions = [r["value"] | {"id": r["id"], "label": r["value"]["labels"][0]} for r in result if r["type"] == "labels"]
    start, end, label = _edit_one_entity(regions, referenced)
    for region in result:
        if region["type"] == "labels" and region["value"]["start"] == start and region["value"]["end"] == end:
            region["value"]["labels"] = [label]
    # a corrector's work comes back as an annotation; the model's predictions stay beside it
    tasks[0]["annotations"] = [{"result": result}]
    export.write_text(json.dumps(tasks))
    return export, (start, end, label)


def test_label_studio_round_trip_of_real_output(extracted, tmp_path):
    export, edit = _label_studio_export(extracted, tmp_path)
    folder = tmp_path / "ann"
    args = ("import", export, "--from", "labelstudio", "--out", folder, "--corpus", extracted / "corpus")
    done = run_cli(*args, "--kind", "real")
    assert done.returncode == 0, done.stderr
    records = _check_imported(folder, edit, extracted / "corpus", REPO)
    assert {r["meta"]["kind"] for r in records} == {"real"}
    # --kind wins over the exported meta; the source resolves to the corpus given
    done = run_cli(*args, "--kind", "written_for_training", "--force")
    assert done.returncode == 0, done.stderr
    assert {r["meta"]["kind"] for r in _check_imported(folder, edit, extracted / "corpus", REPO)} == {
        "written_for_training"
    }
    # no overwrite without --force: one line, status 2, nothing written
    before = {path: path.read_text() for path in folder.glob("*.ann")}
    done = run_cli(*args, "--kind", "real")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert before == {path: path.read_text() for path in folder.glob("*.ann")}


def test_prodigy_round_trip_of_real_output(extracted, tmp_path):
    export = tmp_path / "p.jsonl"
    assert run_cli("export", "--tables", extracted / "out", "--format", "prodigy", "--out", export).returncode == 0
    rows = [json.loads(line) for line in export.read_text().splitlines()]
    rows = [row for row in rows if row["meta"]["source"] != "plain.txt"]
    referenced = {r["span_id"] for row in rows for r in row["attendance"] + row["metrics"]}
    referenced |= {r[k] for row in rows for r in row["relations"] for k in ("head_id", "child_id")}
    edit = _edit_one_entity(rows[0]["spans"], referenced)
    export.write_text("".join(json.dumps(row) + "\n" for row in rows))
    folder = tmp_path / "ann"
    done = run_cli("import", export, "--from", "prodigy", "--out", folder, "--corpus", extracted / "corpus")
    assert done.returncode == 0, done.stderr
    _check_imported(folder, edit, extracted / "corpus", REPO)


def test_label_studio_keeps_attendance_and_metrics(record):
    back = from_label_studio(json.loads(json.dumps(to_label_studio([record]))))[0]
    assert back["attendance"] == record["attendance"] and back["metrics"] == record["metrics"]
    back = from_prodigy(json.loads(json.dumps(to_prodigy([record]))))[0]
    assert back["attendance"] == record["attendance"] and back["metrics"] == record["metrics"]


@pytest.mark.slow
def test_imported_file_builds_in_a_copy_of_the_repo(extracted, tmp_path):
    import os
    import shutil

    copy = tmp_path / "repo"
    for name in ("pipeline", "annotations", "corpus", "models/cnn"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".candidates"))
    for name in ("pyproject.toml", "Makefile"):
        shutil.copy(REPO / name, copy / name)
    env = dict(os.environ, PYTHONPATH=str(copy))
    where = run_cli("--help", cwd=copy, env=env)
    assert where.returncode == 0
    export, edit = _label_studio_export(extracted, tmp_path, cwd=copy, env=env)
    folder = copy / "annotations" / "written"
    args = ("import", export, "--from", "labelstudio", "--out", folder, "--corpus", extracted / "corpus")
    done = run_cli(*args, "--prefix", "corrected", "--kind", "written_for_training", cwd=copy, env=env)
    assert done.returncode == 0, done.stderr
    assert (folder / "corrected_000.ann").is_file()
    check = run_cli("build-gold", "--out", copy / "annotations" / "build", cwd=copy, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    gold = (copy / "annotations" / "build" / "gold.jsonl").read_text()
    assert "corrected_000" in gold and (REPO / "annotations" / "build" / "gold.jsonl").read_text() != gold
