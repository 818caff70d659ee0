"""Whether the last run into an output folder completed: OUT/_state/run.json, written atomically.

    record_run(out, status, done=0, total=None)   "running" when the run starts; "complete", "interrupted"
                                                   or "failed" when it ends
    read_run_state(out) -> dict | None             None for a folder written before run states existed
    unfinished_message(out) -> str | None          the one sentence `pipeline.load` warns with

A run killed outright (SIGKILL, a power cut) never writes its end, so its state stays "running", which
reads as unfinished too: the tables then hold what was finished, and people and role_history (updated
at the very end) may be missing or stale until the next run completes (which then rebuilds them in full).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..export.writer import STATE_DIR, atomic_write_bytes

RUN_STATE = "run.json"
STATUSES = ("running", "complete", "interrupted", "failed")


def run_state_path(out: str | Path) -> Path:
    return Path(out) / STATE_DIR / RUN_STATE


def record_run(out: str | Path, status: str, done: int = 0, total: int | None = None) -> None:
    """Record the run's status, the files it finished and the files it had to do (None: not planned yet)."""
    if status not in STATUSES:
        raise ValueError(f"unknown run status {status!r}")
    state = {"status": status, "files_done": done, "files_total": total, "at": dt.datetime.now().isoformat("T")}
    atomic_write_bytes(run_state_path(out), json.dumps(state, sort_keys=True).encode("utf-8"))


def read_run_state(out: str | Path) -> dict | None:
    try:
        state = json.loads(run_state_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def unfinished_message(out: str | Path) -> str | None:
    """One sentence when the last run into `out` did not complete, else None."""
    state = read_run_state(out)
    if state is None or state.get("status") == "complete":
        return None
    done, total = state.get("files_done"), state.get("files_total")
    how = {"interrupted": "was interrupted", "failed": "failed"}.get(
        state.get("status"), "has not finished (it is still running, or it was killed)"
    )
    progress = f" after {done} of {total} files" if total is not None else ""
    return (
        f"the last `minutes extract` into {out} {how}{progress}, so these tables may be incomplete "
        "(people and role_history are rebuilt only at the end): run the same command again to finish"
    )
