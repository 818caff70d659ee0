"""`minutes extract` through the real command line (a subprocess), for every way it can go wrong: one line on stderr
saying what and what to do, the exit status of its kind (pipeline.errors.ExitCode), never a traceback; an unexpected
failure names the log file that holds its traceback; Ctrl-C stops cleanly and says how far the run got.

Runs use --rules-only or fail before a model is loaded, except the one that checks the default model is found from
another folder (a few seconds: it loads models/cnn)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.engine.preflight import MODEL_ENV, resolve_model
from pipeline.engine.run_state import read_run_state
from pipeline.errors import ExitCode
from pipeline.paths import DEFAULT_MODEL, REPO
from tests.helpers import SEED_PATHS

SEED = SEED_PATHS[0].read_text(encoding="utf-8")


def environment(**values: str) -> dict:
    env = {name: value for name, value in os.environ.items() if name != MODEL_ENV}
    return env | values


def extract(*args, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline.cli", "extract", *map(str, args), "--no-progress"]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env or environment(), timeout=300)


def assert_one_error(result: subprocess.CompletedProcess, code: ExitCode, *parts: str) -> str:
    """Exactly one line on stderr, 'error: ...', with each of `parts`, the exit status of its kind, no traceback."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(SEED, encoding="utf-8")
    return root


def test_exit_codes_are_distinct():
    codes = [code.value for code in ExitCode]
    assert len(set(codes)) == len(codes)


def test_out_is_a_file(tmp_path, corpus):
    (tmp_path / "tables").write_text("not a folder")
    result = extract(corpus, "--out", tmp_path / "tables", "--rules-only")
    assert_one_error(result, ExitCode.OUTPUT, f"--out {tmp_path / 'tables'} is a file, not a folder", "give a folder")
    below = extract(corpus, "--out", tmp_path / "tables" / "sub", "--rules-only")
    assert_one_error(below, ExitCode.OUTPUT, f"{tmp_path / 'tables'} is a file, so no folder can be made there")


def test_out_cannot_be_written(corpus):
    place = Path("/sys/minutes-test-out")  # refused even to root (a tmp folder is not: tests run as root)
    if not Path("/sys").is_dir() or _can_make(place):
        pytest.skip("needs a folder no one can write to")
    result = extract(corpus, "--out", place, "--rules-only")
    assert_one_error(result, ExitCode.OUTPUT, f"cannot write to --out {place}", "give a folder you can write to")


def _can_make(place: Path) -> bool:
    try:
        place.mkdir()
    except OSError:
        return False
    place.rmdir()
    return True


def test_corpus_missing_or_a_file(tmp_path, corpus):
    missing = extract(tmp_path / "nowhere", "--out", tmp_path / "out", "--rules-only")
    assert_one_error(missing, ExitCode.CORPUS_MISSING, f"corpus folder {tmp_path / 'nowhere'} does not exist")
    a_file = extract(corpus / "a.txt", "--out", tmp_path / "out", "--rules-only")
    assert_one_error(a_file, ExitCode.CORPUS_MISSING, "is a file, not a folder: give the folder that holds the minutes")
    assert not (tmp_path / "out").exists()


def test_corpus_without_minutes_is_an_error_not_success(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = extract(empty, "--out", tmp_path / "out", "--rules-only")
    assert_one_error(result, ExitCode.CORPUS_EMPTY, f"{empty} holds no minutes (.txt .htm .html .pdf .docx)")
    (empty / "notes.md").write_text("# notes\n")
    (empty / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    others = extract(empty, "--out", tmp_path / "out", "--rules-only")
    assert_one_error(others, ExitCode.CORPUS_EMPTY, "2 other files left out", "--include GLOB", "nothing was written")
    assert not (tmp_path / "out").exists()


def test_model_missing(tmp_path, corpus):
    result = extract(corpus, "--out", tmp_path / "out", "--model", tmp_path / "no-model")
    assert_one_error(
        result, ExitCode.MODEL, f"no trained model at {tmp_path / 'no-model'} (--model)", "make train", "--rules-only"
    )
    from_env = extract(corpus, "--out", tmp_path / "out", env=environment(**{MODEL_ENV: str(tmp_path / "gone")}))
    assert_one_error(from_env, ExitCode.MODEL, f"no trained model at {tmp_path / 'gone'} ({MODEL_ENV})")
    assert not (tmp_path / "out").exists()


def test_model_invalid(tmp_path, corpus):
    folder = tmp_path / "model"
    folder.mkdir()
    not_a_model = extract(corpus, "--out", tmp_path / "out", "--model", folder)
    assert_one_error(not_a_model, ExitCode.MODEL, f"{folder} (--model) is not a trained model (no meta.json")
    (folder / "config.cfg").write_text("[nlp]\nlang = \n")
    (folder / "meta.json").write_text("{not json")
    bad_meta = extract(corpus, "--out", tmp_path / "out", "--model", folder)
    assert_one_error(bad_meta, ExitCode.MODEL, f"{folder / 'meta.json'} cannot be read")
    (folder / "meta.json").write_text(json.dumps({"name": "broken", "version": "1.0.0", "pipeline": ["ner"]}))
    broken = extract(corpus, "--out", tmp_path / "out", "--model", folder)  # passes the checks, fails to load
    assert_one_error(broken, ExitCode.MODEL, f"the model at {folder} cannot be loaded", "--rules-only")


def test_rules_only_with_a_model_is_a_usage_error(tmp_path, corpus):
    result = extract(corpus, "--out", tmp_path / "out", "--rules-only", "--model", tmp_path)
    assert_one_error(result, ExitCode.USAGE, "--rules-only and --model together")


def test_manifest_unreadable(tmp_path, corpus):
    missing = extract(corpus, "--out", tmp_path / "out", "--rules-only", "--manifest", tmp_path / "list.csv")
    assert_one_error(missing, ExitCode.MANIFEST, f"manifest {tmp_path / 'list.csv'} not found")
    (tmp_path / "list.json").write_text("[{'path': 'a.txt'}]")
    not_json = extract(corpus, "--out", tmp_path / "out", "--rules-only", "--manifest", tmp_path / "list.json")
    assert_one_error(not_json, ExitCode.MANIFEST, f"manifest {tmp_path / 'list.json'} is not JSON")
    (tmp_path / "list.csv").write_bytes(b"path\n\xff\xfe.txt\n")
    not_utf8 = extract(corpus, "--out", tmp_path / "out", "--rules-only", "--manifest", tmp_path / "list.csv")
    assert_one_error(not_utf8, ExitCode.MANIFEST, "is not UTF-8 text: save it as UTF-8")
    assert not (tmp_path / "out").exists()


def test_unexpected_failure_names_its_log_file(tmp_path, corpus):
    out = tmp_path / "out"
    out.mkdir()
    (out / "_state").write_text("a file where the run keeps its state")  # a damaged output folder
    result = extract(corpus, "--out", out, "--rules-only")
    assert "Traceback" not in result.stderr and result.returncode == ExitCode.UNEXPECTED, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert line.startswith("error: unexpected failure (NotADirectoryError") and "please report it" in line
    log = Path(line.split("the traceback is in ")[1].split(": please report")[0])
    assert log.parent == out / "logs" and "Traceback (most recent call last)" in log.read_text()
    assert all(not line.startswith(("  File", "Traceback")) for line in result.stderr.splitlines())


def test_ctrl_c_stops_cleanly_and_the_output_says_the_run_did_not_complete(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = 200  # enough that the run outlasts the polling below on a loaded machine (30 finished in 1 s)
    for number in range(files):
        (corpus / f"m{number:03d}.txt").write_text(SEED + f"\nVariant {number}.\n", encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline.cli", "extract", corpus, "--out", out, "--rules-only"]
    process = subprocess.Popen(
        [*map(str, command), "--batch-files", "1", "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        # as a terminal's foreground job: a test run started with `&` or nohup passes SIGINT on ignored, and an
        # ignored SIGINT stays ignored (Python then installs no handler)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    done = out / "_state" / "done"
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline and len(list(done.glob("*.json"))) < 2:
        time.sleep(0.005)  # until two files are finished
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == ExitCode.INTERRUPTED, (process.returncode, stderr[-2000:])
    assert "Traceback" not in stderr + stdout
    last = stderr.splitlines()[-1]
    state = read_run_state(out)
    assert state["status"] == "interrupted" and 2 <= state["files_done"] < files and state["files_total"] == files
    assert last == f"interrupted: {state['files_done']} of {files} files done; run again to finish"
    finished = extract(corpus, "--out", out, "--rules-only")
    assert finished.returncode == 0 and read_run_state(out)["status"] == "complete"
    assert f"{files - state['files_done']} processed, {state['files_done']} unchanged" in finished.stdout


def test_default_model_is_the_repositorys_not_the_current_folders(tmp_path, corpus):
    assert DEFAULT_MODEL == REPO / "models" / "cnn" and DEFAULT_MODEL.is_absolute()
    assert resolve_model(None, True, {}) is None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "models").mkdir()  # a models/ folder here must not matter
    if not (DEFAULT_MODEL / "meta.json").is_file():
        result = extract(corpus, "--out", tmp_path / "out", cwd=elsewhere)
        assert_one_error(result, ExitCode.MODEL, f"no trained model at {DEFAULT_MODEL} (the default model)")
        return
    assert resolve_model(None, False, {}) == DEFAULT_MODEL
    other = tmp_path / "other-model"
    shutil.copytree(DEFAULT_MODEL, other)
    assert resolve_model(None, False, {MODEL_ENV: str(other)}) == other  # the variable overrides the default
    assert resolve_model(other, False, {MODEL_ENV: "/nowhere"}) == other  # and --model overrides the variable
    result = extract(corpus, "--out", tmp_path / "out", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "tables: 1 documents" in result.stdout and " 0 entities" not in result.stdout.splitlines()[1]
