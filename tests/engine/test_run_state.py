"""Whether the last run completed (OUT/_state/run.json) and what the summary says: an interrupted run is recorded,
`pipeline.load` warns about it until a run completes, and a run that changed nothing reports the tables' totals."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest

import pipeline
from pipeline.analysis.loading import UnfinishedRunWarning
from pipeline.engine import ExtractSettings, run_extract
from pipeline.engine import runner as runner_module
from pipeline.engine.run_state import read_run_state, record_run, unfinished_message
from pipeline.engine.summary import TOTALS_SHOWN, failures_line, summary_lines, table_totals
from pipeline.engine.worker import run_batch
from pipeline.errors import ExitCode, ExtractInterrupted
from tests.helpers import SEED_PATHS, assert_same_tables


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for path in SEED_PATHS:
        shutil.copy(path, root / path.name)
    return root


def _no_warning(action):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnfinishedRunWarning)
        return action()


def test_interrupted_run_is_recorded_and_load_warns_until_a_run_completes(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    calls = []

    def interrupted_after_two(batch, *args, **kwargs):
        if len(calls) == 2:
            raise KeyboardInterrupt  # what Ctrl-C raises in the middle of the third batch
        calls.append(batch)
        return run_batch(batch, *args, **kwargs)

    monkeypatch.setattr(runner_module, "run_batch", interrupted_after_two)
    with pytest.raises(ExtractInterrupted) as caught:
        run_extract(corpus, out, None, settings=ExtractSettings(batch_files=1))
    assert str(caught.value) == "interrupted: 2 of 5 files done; run again to finish"
    assert caught.value.code == ExitCode.INTERRUPTED
    state = read_run_state(out)
    assert (state["status"], state["files_done"], state["files_total"]) == ("interrupted", 2, 5)
    with pytest.warns(UnfinishedRunWarning, match=r"into .* was interrupted after 2 of 5 files.*run the same command"):
        tables = pipeline.load(out)
    assert len(tables["documents"]) == 2  # what was finished is kept
    with pytest.warns(UnfinishedRunWarning):
        pipeline.connect(out)

    monkeypatch.undo()
    again = run_extract(corpus, out, None)
    assert again.files_processed == 3 and read_run_state(out)["status"] == "complete"
    assert len(_no_warning(lambda: pipeline.load(out))["documents"]) == 5
    run_extract(corpus, tmp_path / "fresh", None)
    assert_same_tables(tmp_path / "fresh", out)


def test_a_killed_run_reads_as_unfinished(tmp_path):
    out = tmp_path / "out"
    assert unfinished_message(out) is None  # a folder from before run states: no claim either way
    record_run(out, "running", 3, 10)  # a run killed outright never records its end
    assert "has not finished" in unfinished_message(out) and "after 3 of 10 files" in unfinished_message(out)
    record_run(out, "failed", 3, 10)
    assert " failed after 3 of 10 files" in unfinished_message(out)
    record_run(out, "complete", 10, 10)
    assert unfinished_message(out) is None
    assert json.loads((out / "_state" / "run.json").read_text())["status"] == "complete"
    with pytest.raises(ValueError):
        record_run(out, "half-done")


def test_a_run_that_changed_nothing_reports_the_tables_totals(tmp_path, corpus):
    out = tmp_path / "out"
    first = run_extract(corpus, out, None)
    again = run_extract(corpus, out, None)
    assert again.files_processed == 0
    stdout, failures = summary_lines(again, out)
    assert stdout[0].startswith("done: no new or changed files: 5 unchanged") and "0 documents" not in stdout[0]
    totals = table_totals(out)
    assert totals["documents"] == first.stats.documents == 5 and totals["sections"] == first.stats.sections
    assert stdout[1] == "tables: " + ", ".join(f"{totals[name]:,} {name}" for name in TOTALS_SHOWN)
    assert {"documents", "attendance", "decisions", "people", "errors"} <= set(TOTALS_SHOWN)
    assert failures == []
    (corpus / SEED_PATHS[0].name).unlink()  # a removed file is a change, even with nothing to process
    removed = run_extract(corpus, out, None)
    assert "4 unchanged, 1 gone from the corpus (rows dropped)" in removed.line()
    assert table_totals(out)["documents"] == 4


def test_failed_files_are_named_the_first_few_then_where_the_rest_are(tmp_path):
    names = [f"bad-{i}.txt" for i in range(7)]
    assert failures_line(names[:2], tmp_path) == (
        f"2 files could not be read: bad-0.txt, bad-1.txt; see the errors table ({tmp_path / 'errors'})"
    )
    line = failures_line(names, tmp_path)
    assert line.startswith("7 files could not be read: bad-0.txt, bad-1.txt, bad-2.txt, bad-3.txt, bad-4.txt … ")
    assert line.endswith(f"and 2 more: see the errors table ({tmp_path / 'errors'})") and "bad-5" not in line
    assert failures_line([], tmp_path) is None
