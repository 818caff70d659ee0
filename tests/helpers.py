"""Shared test helpers: the seed texts, reading every table back, comparing two outputs, a variant corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.paths import REPO

CORPUS = REPO / "corpus"
MODEL = REPO / "models" / "cnn"  # the shipped model (make test trains it first when missing)
SEED_PATHS = sorted((REPO / "corpus").glob("00*.txt"))  # the five seeds


def seed_text(prefix: str) -> str:
    """The text of the seed whose file name starts with `prefix` ("000" ... "004")."""
    (path,) = (REPO / "corpus").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    """Every table of an output folder, as analysts read it (pandas over the folder of parts)."""
    from pipeline.export.schema import TABLES

    return {name: pd.read_parquet(Path(out) / name) for name in TABLES}


def canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in a fixed order, whatever order the parts were written in (list cells compared as tuples)."""
    df = df.copy()
    for col in df.columns:
        if df[col].map(lambda v: hasattr(v, "__len__") and not isinstance(v, (str, bytes))).any():
            df[col] = df[col].map(lambda v: tuple(v) if v is not None else None)
    keys = df.astype(str)
    order = keys.sort_values(list(keys.columns)).index if len(df.columns) else df.index
    return df.loc[order].reset_index(drop=True)


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = read_tables(a), read_tables(b)
    for name in ta:
        assert not ta[name].astype(str).duplicated().any(), f"duplicate rows in {name}"
        pd.testing.assert_frame_equal(canonical(ta[name]), canonical(tb[name]), obj=name)


def variant_corpus(root: Path, n: int = 40) -> Path:
    """n small minutes (seed copies with a distinct last line), an HTML and a DOCX one,
    a duplicate and two bad files."""
    import io

    import docx

    root.mkdir(parents=True, exist_ok=True)
    seeds = [p.read_text(encoding="utf-8") for p in SEED_PATHS]
    for i in range(n):
        text = seeds[i % len(seeds)] + f"\nVariant {i}: the committee noted {i + 3} new cases ({i}.5% of the total).\n"
        (root / f"m{i:03d}.txt").write_text(text, encoding="utf-8")
    (root / "copy of m000.txt").write_bytes((root / "m000.txt").read_bytes())  # same content, second path
    paras = "".join(f"<p>{line}</p>" for line in seeds[1].split("\n") if line.strip())
    (root / "page.html").write_text(f"<!doctype html><html><body>{paras}</body></html>", encoding="utf-8")
    document = docx.Document()
    for line in seeds[2].split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    (root / "minutes.docx").write_bytes(buf.getvalue())
    (root / "empty.txt").write_bytes(b"")
    (root / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << garbage")
    return root
