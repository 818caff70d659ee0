"""The analysts' notebooks: `make notebooks OUT=…` executes them (nbclient, a python3 kernel from this
interpreter) against the tables in OUT and writes the executed copies to OUT/notebooks/, leaving notebooks/ and
the repository root as they were; on tables with no entity rows yet they print "No rows yet" instead of failing.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from pipeline import notebooks
from pipeline.paths import REPO
from tests.helpers import MODEL

NOTEBOOKS = notebooks.notebook_paths(REPO / "notebooks")

pytestmark = pytest.mark.slow


def _git_status(path: Path) -> str | None:
    """`git status --porcelain PATH` in the repository, or None where there is no git checkout."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return None
    proc = subprocess.run(["git", "status", "--porcelain", str(path)], cwd=REPO, capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else None


def _make_notebooks_command(out: Path) -> list[str]:
    """The command `make notebooks OUT=out` runs (make -n, the venv's install step taken as done)."""
    if shutil.which("make") is None:
        return [sys.executable, "-m", "pipeline.notebooks", "--out", str(out)]
    dry = subprocess.run(
        ["make", "-s", "-n", "-o", ".venv/.installed", "notebooks", f"OUT={out}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = [ln for ln in dry.stdout.splitlines() if "pipeline.notebooks" in ln]
    command = shlex.split(line)
    if not Path(REPO / command[0]).is_file():  # no .venv (the suite run from another environment)
        command[0] = sys.executable
    return command


@pytest.fixture(scope="module")
def made(sample_out, tmp_path_factory) -> tuple[Path, dict]:
    """`make notebooks OUT=<a copy of the sample tables>`; returns OUT and what notebooks/ and the root held."""
    out = tmp_path_factory.mktemp("notebooks") / "extracted"
    shutil.copytree(sample_out, out)
    before = {
        "status": _git_status(REPO / "notebooks"),
        "bytes": {p.name: p.read_bytes() for p in NOTEBOOKS},
        "root": sorted(p.name for p in REPO.iterdir()),
    }
    proc = subprocess.run(_make_notebooks_command(out), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, before


@pytest.fixture(scope="module")
def rules_only(sample_out, tmp_path_factory) -> Path:
    """Tables as a run without a trained model leaves them: documents and sections only."""
    dest = tmp_path_factory.mktemp("rules") / "extracted"
    for name in ("documents", "sections"):
        shutil.copytree(sample_out / name, dest / name)
    return dest


def _outputs(nb) -> tuple[str, int, list[str]]:
    """All text the notebook printed or displayed, the number of images, and any errors."""
    text, images, errors = [], 0, []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                text.append(o.text)
            elif o.output_type == "error":
                errors.append(f"{o.ename}: {o.evalue}")
            else:
                data = o.get("data", {})
                images += "image/png" in data
                text.append(data.get("text/plain", ""))
    return "\n".join(text), images, errors


def test_notebooks_are_numbered_and_have_no_stored_errors():
    assert [p.name for p in NOTEBOOKS] == ["01-tour.ipynb", "02-metrics.ipynb", "03-people.ipynb", "04-decisions.ipynb"]
    for p in NOTEBOOKS:
        nb = nbformat.read(p, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert not _outputs(nb)[2], f"{p.name} was saved with an error output"
        src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert 'os.environ.get("MINUTES_OUT", "../data/extracted")' in src


def test_make_notebooks_leaves_the_repository_as_it_was(made):
    out, before = made
    assert {p.name: p.read_bytes() for p in NOTEBOOKS} == before["bytes"]
    assert _git_status(REPO / "notebooks") == before["status"]
    appeared = sorted(set(p.name for p in REPO.iterdir()) - set(before["root"]))
    assert not appeared, f"make notebooks wrote into the repository root: {appeared}"
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS], ids=lambda n: n.split(".")[0])
def test_executed_copies_hold_the_outputs_of_the_tables_in_out(made, name):
    out, _ = made
    nb = nbformat.read(out / "notebooks" / name, as_version=4)
    text, images, errors = _outputs(nb)
    assert not errors
    shown = re.search(r"^(\S+): (\d+) documents;", text, flags=re.M)  # the first cell names the folder it read
    assert shown and (out / "notebooks" / shown.group(1)).resolve() == out.resolve()  # MINUTES_OUT, relative
    has_model = MODEL.is_dir()
    if name.startswith("01"):
        assert "documents" in text and "sections" in text and "items" in text
    if name.startswith("02") and has_model:
        assert images >= 1 and "No rows yet in metrics" not in text
        assert re.search(r"^(all \d+ figures plotted|\d+ of \d+ \w+ not plotted: .+)$", text, flags=re.M)
    if name.startswith("03") and has_model:
        assert images >= 1 and "attendance_rate" in text
    if name.startswith("04"):
        assert re.search(r"^\d+ decisions, \d+ named votes, \d+ declarations of interest$", text, flags=re.M)
        assert images >= 1 and "put_to_a_vote" in text  # the sample minutes have resolutions


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_says_no_rows_yet_on_empty_tables(path, rules_only):
    before = path.read_bytes()
    nb = notebooks.execute_notebook(path, rules_only)  # not saved anywhere
    text, _, errors = _outputs(nb)
    assert not errors
    assert "No rows yet in" in text
    assert path.read_bytes() == before


def test_the_readme_figure_and_clear_errors(sample_out, tmp_path, capsys):
    figure = tmp_path / "images" / "tour.png"
    assert notebooks.main(["--out", str(sample_out), "--figure", str(figure)]) == 0
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and figure.stat().st_size > 10_000
    assert notebooks.main(["--out", str(tmp_path / "missing")]) == 2
    assert "make extract" in capsys.readouterr().err
    empty = tmp_path / "none"
    empty.mkdir()
    assert notebooks.main(["--out", str(sample_out), "--notebooks", str(empty)]) == 2
    assert "no notebooks" in capsys.readouterr().err
