"""The README's picture of `minutes serve`: the server over a tables folder, one page in headless Chromium
(pipeline/browser.py), the server stopped (`make screenshot`):

    .venv/bin/python -m pipeline.serve.screenshot --tables data/extracted --out docs/images/serve.png
"""

from __future__ import annotations

import argparse
from pathlib import Path

README_PAGE = "/minutes/attendance_by_meeting?_sort=meeting_date&_size=12"  # facets, filters and linked rows
WINDOW = (1280, 1400)


def main(argv: list[str] | None = None) -> None:
    from ..browser import screenshot
    from .server import running_server

    parser = argparse.ArgumentParser(description="Screenshot of `minutes serve` for the README.")
    parser.add_argument("--tables", type=Path, default=Path("data/extracted"))
    parser.add_argument("--out", type=Path, default=Path("docs/images/serve.png"))
    parser.add_argument("--page", default=README_PAGE, help="Path and query of the page to shoot.")
    args = parser.parse_args(argv)
    with running_server(args.tables) as base:
        print(f"wrote {screenshot(base + args.page, args.out, window=WINDOW)}")


if __name__ == "__main__":
    main()
