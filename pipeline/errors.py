"""What a failed command tells its user: one line saying what and what to do, and a distinct exit status.

    ExitCode            every exit status of `minutes extract`, in one place (README "Errors and exit codes")
    UserError           a problem the user can act on: str() is the whole one-line message, .code its status
    CorpusMissing, CorpusEmpty, OutputError, ModelError, UsageError, ExtractInterrupted   its kinds
    write_crash_log     an unexpected exception's traceback, to a log file the one-line message names

A manifest that cannot be used is `pipeline.ingest.manifest.ManifestError` (one line per problem, because
a manifest is fixed row by row); its status is ExitCode.MANIFEST. Standard library only: the engine raises
these from any process, and the analysis helpers import nothing heavy through them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit statuses of `minutes extract` (scripts can tell the cases apart)."""

    OK = 0
    FILES_FAILED = 1  # the run finished, but some files could not be read: their rows are in the errors table
    USAGE = 2  # an option that cannot be used (click's own status for bad options, too)
    CORPUS_MISSING = 3  # the corpus folder does not exist, or is a file
    CORPUS_EMPTY = 4  # the corpus folder holds no minutes (no file in a known format): nothing was written
    OUTPUT = 5  # --out is a file, or a place that cannot be written
    MODEL = 6  # no trained model where one was expected, or one that cannot be loaded (see --rules-only)
    MANIFEST = 7  # the manifest cannot be read or has problems: nothing was written
    UNEXPECTED = 70  # a failure nobody foresaw (a bug): the traceback is in the log file the message names
    INTERRUPTED = 130  # Ctrl-C: what was finished is kept, and the next run finishes the rest


class UserError(Exception):
    """A problem the user can act on. str() is one line: what is wrong, then what to do."""

    code = ExitCode.USAGE


class UsageError(UserError):
    code = ExitCode.USAGE


class CorpusMissing(UserError):
    code = ExitCode.CORPUS_MISSING


class CorpusEmpty(UserError):
    code = ExitCode.CORPUS_EMPTY


class OutputError(UserError):
    code = ExitCode.OUTPUT


class ModelError(UserError):
    code = ExitCode.MODEL


class ExtractInterrupted(UserError):
    """Ctrl-C during a run: `done` of `total` files were finished (total None: stopped before the plan)."""

    code = ExitCode.INTERRUPTED

    def __init__(self, done: int, total: int | None):
        self.done, self.total = done, total
        if total is None:
            message = "interrupted before any file was processed; run again to finish"
        else:
            message = f"interrupted: {done} of {total} files done; run again to finish"
        super().__init__(message)

    def __reduce__(self):  # picklable with its two arguments (a Dask task may carry it)
        return (type(self), (self.done, self.total))


def write_crash_log(exc: BaseException, folder: str | Path | None, command: str = "extract") -> Path:
    """Write the traceback of `exc` to `folder`/logs/<command>-<time>-<pid>.log (a temporary folder when `folder`
    is None or cannot be written) and return the file's path."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    name = f"{command}-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    candidates = [Path(folder) / "logs"] if folder is not None else []
    for logs in [*candidates, Path(tempfile.gettempdir())]:
        try:
            logs.mkdir(parents=True, exist_ok=True)
            path = logs / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise exc  # nowhere to write: the traceback itself is the only record left


def unexpected_message(exc: BaseException, log: Path) -> str:
    """The one line for a failure nobody foresaw."""
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return f"unexpected failure ({what}); the traceback is in {log}: please report it with that file"
