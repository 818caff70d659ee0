"""Set environment variables for the length of a block, then put them back as they were."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def temporary_environ(values: dict[str, str], *, override: bool = True) -> Iterator[None]:
    """override=False keeps values the user already set (e.g. thread caps they chose themselves)."""
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if override:
            os.environ[k] = v
        else:
            os.environ.setdefault(k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
