"""`minutes extract` from the options to the exit status: checks, the run, the summary, every way it can end.

    ExtractRequest(...)            what the command line asked for
    extract_command(request) -> int   prints the summary (stdout) or one line per problem (stderr)

Every ending has its own status (`pipeline.errors.ExitCode`, listed in README "Errors and exit codes"): a
problem the user can act on is one line, "error: what; what to do"; Ctrl-C is "interrupted: N of M files
done; run again to finish"; a failure nobody foresaw is one line naming the log file that holds its
traceback (OUT/logs/ when the output folder can be written, else the temporary folder). No traceback is
printed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExitCode, ExtractInterrupted, UserError, unexpected_message, write_crash_log
from ..ingest.given import MetadataOptions
from ..ingest.manifest import ManifestError, MetadataError
from ..ingest.select import FileSelection
from .settings import ExtractSettings


@dataclass(frozen=True)
class ExtractRequest:
    corpus: Path
    out: Path
    model: Path | None = None  # --model (None: $MINUTES_MODEL, else the repository's models/cnn)
    rules_only: bool = False
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    settings: ExtractSettings = field(default_factory=ExtractSettings)
    progress: bool | None = None
    metadata: MetadataOptions = field(default_factory=MetadataOptions)
    selection: FileSelection = field(default_factory=FileSelection)


def _error(message: str) -> None:
    for line in message.splitlines() or [""]:
        print(f"error: {line}", file=sys.stderr, flush=True)


def extract_command(request: ExtractRequest) -> int:
    """Run `minutes extract` and return its exit status."""
    from .preflight import check_corpus, check_out, resolve_model

    log_folder = None  # where an unexpected failure's traceback goes: OUT/logs once OUT is known to be writable
    try:
        check_corpus(request.corpus)
        check_out(request.out)
        log_folder = request.out
        model = resolve_model(request.model, request.rules_only)
        # spaCy and the engine are imported only now, so a mistyped path is answered at once
        from ..nlp import refused_candidate_note
        from .runner import run_extract
        from .summary import summary_lines

        if model is not None and (note := refused_candidate_note(model)):
            print(note, file=sys.stderr, flush=True)
        summary = run_extract(
            request.corpus,
            request.out,
            str(model) if model else None,
            workers=request.workers,
            engine=request.engine,
            scheduler=request.scheduler,
            settings=request.settings,
            progress=request.progress,
            metadata=request.metadata,
            selection=request.selection,
        )
        stdout, failures = summary_lines(summary, request.out)
    except ExtractInterrupted as exc:
        print(str(exc), file=sys.stderr, flush=True)
        return exc.code
    except KeyboardInterrupt:  # before the run started (checks, imports): nothing was written
        print(str(ExtractInterrupted(0, None)), file=sys.stderr, flush=True)
        return ExitCode.INTERRUPTED
    except UserError as exc:
        _error(str(exc))
        return exc.code
    except ManifestError as exc:  # one line per problem; nothing was written
        _error(str(exc))
        return ExitCode.MANIFEST
    except MetadataError as exc:  # --council and friends
        _error(str(exc))
        return ExitCode.USAGE
    except Exception as exc:
        _error(unexpected_message(exc, write_crash_log(exc, log_folder)))
        return ExitCode.UNEXPECTED
    print("\n".join(stdout), flush=True)
    for line in failures:
        print(line, file=sys.stderr, flush=True)
    # the status covers the whole corpus, also files that failed in an earlier run and were unchanged now
    return ExitCode.FILES_FAILED if failures else ExitCode.OK
