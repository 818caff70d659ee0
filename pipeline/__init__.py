"""minutes-ie: information extraction from UK local-government committee minutes."""

__version__ = "0.1.0"
