"""The two types every reader shares: the document handed to the pipeline and the error for bad input."""

from __future__ import annotations

from dataclasses import dataclass

# Where in ingest a file failed; stored in the `errors` table's `stage` column.
STAGES = ("read", "detect", "decode", "parse", "split", "limit")


@dataclass(frozen=True)
class SourceDocument:
    source_path: str  # path as given to read_documents
    part: int  # 0-based index of the document within its file
    sha256: str  # hex sha256 of the whole file's bytes (with `part`, the basis of the stable doc_id)
    format: str  # "txt" | "html" | "pdf" | "docx"
    encoding: str | None  # detected encoding for txt/html, else None
    text: str  # the text all offsets refer to
    given: tuple[tuple[str, str], ...] = ()  # the source file's given metadata (CorpusFile.given)


class IngestError(Exception):
    """A file that cannot become text. `stage` is one of STAGES; `message` is written for a person."""

    def __init__(self, stage: str, message: str):
        # args = (stage, message) so the exception pickles across worker processes unchanged
        super().__init__(stage, message)
        self.stage = stage
        self.message = message

    def __str__(self) -> str:
        return f"{self.stage}: {self.message}"
