"""minutes-ie: information extraction from UK local-government committee minutes.

`pipeline.load(out_dir)` gives the extracted tables as pandas DataFrames; `pipeline.connect(out_dir)`
gives a DuckDB connection with one view per table (see pipeline/analysis/).
"""

__version__ = "0.2.0"


def load(out_dir="data/extracted"):
    from .analysis import load as _load

    return _load(out_dir)


def connect(out_dir="data/extracted", database=":memory:"):
    from .analysis import connect as _connect

    return _connect(out_dir, database)
