"""Meeting metadata from what a scraper knows, end to end through `minutes extract` and `pipeline.load`:
a manifest (CSV at the corpus root, JSON by --manifest), --council, --council-from-folder, their precedence
over the header, bad manifests refused in one line each, a changed manifest row re-extracting its file,
and people of unknown council never pooled across files.

The pipeline is the rules-only one plus an entity ruler (names and a figure), so attendance, people and
metrics have rows without a trained model."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline import nlp as nlp_module
from pipeline.cli import app
from pipeline.corpus_tables import build_corpus_tables
from pipeline.engine import run_extract
from pipeline.engine.compare import differences
from pipeline.errors import ExitCode
from pipeline.export.writer import DatasetWriter
from pipeline.ingest.given import MetadataOptions

NAMES = ["Jane Smith", "Tom Brown"]


def minutes(council: str | None = None, committee: str = "Cabinet", day: str = "10th") -> str:
    header = f"{council}\n\n" if council else ""
    return (
        f"{header}Minutes of the Meeting of the {committee} held on Tuesday, {day} April, 2019 at 10.00 am "
        "in Room A, County Hall\n\nPresent:\nCouncillor Jane Smith (Chair)\nCouncillor Tom Brown\n\n"
        "1. Performance\n\nThe rate was 12%.\n"
    )


@pytest.fixture(autouse=True)
def ruler_nlp(monkeypatch):
    from pipeline.nlp import load_nlp

    nlp = load_nlp(None)
    ruler = nlp.add_pipe("entity_ruler", before="minutes_normalise")
    ruler.add_patterns(
        [{"label": "PERSON", "pattern": name} for name in NAMES] + [{"label": "METRIC", "pattern": "12%"}]
    )
    monkeypatch.setattr(nlp_module, "cached_nlp", lambda model: nlp)
    return nlp


def make_corpus(root, files: dict[str, str]):
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def extract(tmp_path, corpus, *options: str, out: str = "out"):
    args = ["extract", str(corpus), "--out", str(tmp_path / out), "--rules-only", *options]
    return CliRunner().invoke(app, args)


def documents(out) -> dict:
    """documents rows by source_path, the metadata columns only, as plain values."""
    docs = pipeline.load(out)["documents"]
    columns = ["council", "council_source", "committee", "committee_source", "meeting_date", "meeting_date_source"]
    rows = {}
    for row in docs.to_dict("records"):
        values = [None if row[c] is None or row[c] != row[c] else row[c] for c in ["source_url", *columns]]
        values[5] = values[5].date().isoformat() if values[5] is not None else None
        rows[row["source_path"]] = tuple(values)
    return rows


def test_csv_manifest_at_the_corpus_root(tmp_path):
    corpus = make_corpus(
        tmp_path / "corpus",
        {
            "a.txt": minutes("Anyshire County Council"),
            "sub/b.txt": minutes(),
            "c.txt": minutes("Southby Borough Council"),
            "manifest.csv": "path,url,council,committee,meeting_date\n"
            "a.txt,https://example.gov.uk/a.pdf,Manifest Council,,2020-01-02\n"
            "sub/b.txt,,,Audit Committee,\n",
        },
    )
    result = extract(tmp_path, corpus)
    assert result.exit_code == 0, result.output
    assert "3 files" in result.output  # the manifest is not a document
    tables = pipeline.load(tmp_path / "out")
    assert tables["errors"].empty
    assert documents(tmp_path / "out") == {
        "a.txt": (
            "https://example.gov.uk/a.pdf",
            *("Manifest Council", "manifest", "Cabinet", "text", "2020-01-02", "manifest"),
        ),
        "sub/b.txt": (None, None, None, "Audit Committee", "manifest", "2019-04-10", "text"),
        "c.txt": (None, "Southby Borough Council", "text", "Cabinet", "text", "2019-04-10", "text"),
    }
    # the given meeting date is the meeting's date for the pipeline too: it dates the figure
    metrics = tables["metrics"].merge(tables["documents"][["doc_id", "source_path"]], on="doc_id")
    assert dict(zip(metrics.source_path, metrics.period)) == {
        "a.txt": "2020-01-02",
        "sub/b.txt": "2019-04-10",
        "c.txt": "2019-04-10",
    }


def test_json_manifest_by_option_and_a_manifest_inside_the_corpus(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", {"a.txt": minutes(), "b.txt": minutes(day="11th")})
    items = [{"path": "a.txt", "council": "Anyshire County Council", "url": "https://example.gov.uk/a"}]
    (tmp_path / "scraped.json").write_text(json.dumps(items), encoding="utf-8")
    result = extract(tmp_path, corpus, "--manifest", str(tmp_path / "scraped.json"))
    assert result.exit_code == 0, result.output
    docs = documents(tmp_path / "out")
    assert docs["a.txt"][:3] == ("https://example.gov.uk/a", "Anyshire County Council", "manifest")
    assert docs["b.txt"][:3] == (None, None, None)
    # a manifest kept inside the corpus is not a document either
    (corpus / "meta").mkdir()
    (tmp_path / "scraped.json").rename(corpus / "meta" / "scraped.json")
    result = extract(tmp_path, corpus, "--manifest", str(corpus / "meta" / "scraped.json"), out="inside")
    assert result.exit_code == 0, result.output
    assert sorted(documents(tmp_path / "inside")) == ["a.txt", "b.txt"]


def test_precedence_manifest_option_text(tmp_path):
    corpus = make_corpus(
        tmp_path / "corpus",
        {
            "a.txt": minutes("Anyshire County Council"),
            "b.txt": minutes("Anyshire County Council", day="11th"),
            "c.txt": minutes(day="12th"),
            "manifest.csv": "path,council\na.txt,Manifest Council\n",
        },
    )
    assert extract(tmp_path, corpus, "--council", "Option Council").exit_code == 0
    councils = {path: row[1:3] for path, row in documents(tmp_path / "out").items()}
    assert councils == {
        "a.txt": ("Manifest Council", "manifest"),
        "b.txt": ("Option Council", "option"),
        "c.txt": ("Option Council", "option"),
    }
    assert extract(tmp_path, corpus, out="plain").exit_code == 0
    councils = {path: row[1:3] for path, row in documents(tmp_path / "plain").items()}
    assert councils == {
        "a.txt": ("Manifest Council", "manifest"),
        "b.txt": ("Anyshire County Council", "text"),
        "c.txt": (None, None),
    }


def test_council_from_folder_is_opt_in(tmp_path):
    corpus = make_corpus(
        tmp_path / "corpus",
        {
            "anyshire-county-council/x.txt": minutes("Other Council"),
            "southby-borough-council/2019/y.txt": minutes(day="11th"),
            "root.txt": minutes("Root Council"),
        },
    )
    assert extract(tmp_path, corpus, out="plain").exit_code == 0
    councils = {path: row[1:3] for path, row in documents(tmp_path / "plain").items()}
    assert councils == {
        "anyshire-county-council/x.txt": ("Other Council", "text"),
        "southby-borough-council/2019/y.txt": (None, None),
        "root.txt": ("Root Council", "text"),
    }
    assert extract(tmp_path, corpus, "--council-from-folder").exit_code == 0
    councils = {path: row[1:3] for path, row in documents(tmp_path / "out").items()}
    assert councils == {
        "anyshire-county-council/x.txt": ("Anyshire County Council", "folder"),
        "southby-borough-council/2019/y.txt": ("Southby Borough Council", "folder"),
        "root.txt": ("Root Council", "text"),  # no folder: the header decides
    }
    (corpus / "manifest.json").write_text('[{"path": "anyshire-county-council/x.txt", "council": "M"}]')
    assert extract(tmp_path, corpus, "--council-from-folder").exit_code == 0
    assert documents(tmp_path / "out")["anyshire-county-council/x.txt"][1:3] == ("M", "manifest")
    both = extract(tmp_path, corpus, "--council-from-folder", "--council", "X", out="both")
    assert both.exit_code == ExitCode.USAGE and "--council and --council-from-folder together" in both.output


@pytest.mark.parametrize(
    "manifest, expected",
    [
        ("path,date\na.txt,2019-04-10\n", "manifest.csv line 1: unknown column 'date'; the columns are path, url"),
        ("path,meeting_date\na.txt,10/04/2019\n", "manifest.csv line 2: meeting_date '10/04/2019' is not a date"),
        ("path\nmissing.txt\n", "manifest.csv line 2: no file 'missing.txt' under"),
        ("path\na.txt\n./a.txt\n", "manifest.csv line 3: path 'a.txt' is already given at"),
    ],
)
def test_bad_manifest_is_one_line_and_nothing_is_written(tmp_path, manifest, expected):
    corpus = make_corpus(tmp_path / "corpus", {"a.txt": minutes(), "manifest.csv": manifest})
    result = extract(tmp_path, corpus)
    assert result.exit_code == ExitCode.MANIFEST, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and expected in lines[0] and str(corpus / "manifest.csv") in lines[0], result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_changed_manifest_row_reextracts_its_file(tmp_path):
    corpus = make_corpus(
        tmp_path / "corpus",
        {"a.txt": minutes(), "b.txt": minutes(day="11th"), "manifest.csv": "path,council\na.txt,X\nb.txt,Y\n"},
    )
    out = tmp_path / "out"
    assert run_extract(corpus, out, None).files_processed == 2
    assert run_extract(corpus, out, None).files_processed == 0
    (corpus / "manifest.csv").write_text("path,council\na.txt,X\nb.txt,Z\n", encoding="utf-8")
    again = run_extract(corpus, out, None)
    assert again.files_processed == 1 and again.files_skipped == 1
    assert documents(out)["b.txt"][1:3] == ("Z", "manifest")
    # --council changes what is given to the file the manifest does not name
    (corpus / "manifest.csv").write_text("path,council\na.txt,X\n", encoding="utf-8")
    assert run_extract(corpus, out, None, metadata=MetadataOptions(council="W")).files_processed == 1
    assert documents(out)["b.txt"][1:3] == ("W", "option")
    run_extract(corpus, tmp_path / "fresh", None, metadata=MetadataOptions(council="W"))
    assert differences(out, tmp_path / "fresh") == []


def _people(out) -> list[tuple]:
    people = pipeline.load(out)["people"]
    rows = people[people.name == "Jane Smith"]
    found = [(None if c != c else c, n) for c, n in zip(rows.council.astype(object), rows.n_meetings)]
    return sorted(found, key=lambda item: (item[0] or "", item[1]))


def test_people_of_unknown_council_are_not_pooled(tmp_path):
    corpus = make_corpus(
        tmp_path / "corpus",
        {
            "u1.txt": minutes(),
            "u2.txt": minutes(day="11th"),
            "k1.txt": minutes("Anyshire County Council", day="12th"),
            "k2.txt": minutes("Anyshire County Council", day="13th"),
        },
    )
    assert extract(tmp_path, corpus).exit_code == 0
    assert _people(tmp_path / "out") == [(None, 1), (None, 1), ("Anyshire County Council", 2)]
    attendance = pipeline.load(tmp_path / "out")["attendance"]
    assert attendance[attendance.person == "Jane Smith"].person_id.nunique() == 3
    # told the council, the same name in all four files is one person
    assert extract(tmp_path, corpus, "--council", "Anyshire County Council", out="told").exit_code == 0
    assert _people(tmp_path / "told") == [("Anyshire County Council", 4)]


def test_people_of_unknown_council_merge_within_their_file(tmp_path):
    """Two documents of one file (parts 0 and 1) share a scope; another file's document does not."""
    out = tmp_path / "out"
    writer = DatasetWriter(out)
    for key, doc_ids in {"a" * 24: ["a" * 16 + "-0", "a" * 16 + "-1"], "b" * 24: ["b" * 16 + "-0"]}.items():
        writer.write_part("documents", key, [{"doc_id": doc_id, "council": None} for doc_id in doc_ids])
        writer.write_part(
            "attendance", key, [{"doc_id": doc_id, "person": "Jane Smith", "status": "present"} for doc_id in doc_ids]
        )
    build_corpus_tables(out)
    assert _people(out) == [(None, 1), (None, 2)]
