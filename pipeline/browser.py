"""Headless Chromium for checking and picturing the HTML pages this package writes (no desktop needed).

    python -m pipeline.browser page.html --screenshot docs/images/review-page.png --window-size 1400,900
    python -m pipeline.browser page.html --dump-dom > dom.html     # the DOM after the page's own script ran

Needs Debian's Chromium (`apt-get update && apt-get install -y chromium`); `chromium_path()` is None without it.
Every run gets a fresh throw-away profile and no network side traffic (updates, sync, QUIC), so it is the same
on a laptop and in CI.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

INSTALL_HINT = "apt-get update && apt-get install -y chromium"
QUIET_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class BrowserError(RuntimeError):
    """Chromium is missing, or produced nothing."""


def chromium_path() -> Path | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def page_url(page: str | Path, query: str = "", fragment: str = "") -> str:
    """file:// URL of a local page, with an optional query string ('order=review') and fragment (an element id)."""
    return Path(page).resolve().as_uri() + (f"?{query}" if query else "") + (f"#{quote(fragment)}" if fragment else "")


def _run(url: str, flags: list[str], timeout: float) -> subprocess.CompletedProcess:
    chromium = chromium_path()
    if chromium is None:
        raise BrowserError(f"no chromium found: install it with `{INSTALL_HINT}`")
    with tempfile.TemporaryDirectory(prefix="minutes-chromium-") as profile:
        cmd = [str(chromium), *QUIET_FLAGS, f"--user-data-dir={profile}", *flags, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=profile)


def dump_dom(url: str, timeout: float = 120) -> str:
    """The serialised DOM of the page once loaded (its scripts have run)."""
    proc = _run(url, ["--dump-dom"], timeout)
    if "<html" not in proc.stdout:
        raise BrowserError(f"chromium printed no DOM (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return proc.stdout


def screenshot(url: str, png: str | Path, window: tuple[int, int] = (1400, 900), timeout: float = 120) -> Path:
    """A PNG of the page's first window-size pixels."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    proc = _run(url, [f"--screenshot={png}", f"--window-size={window[0]},{window[1]}", "--hide-scrollbars"], timeout)
    if not png.is_file():
        raise BrowserError(f"chromium wrote no screenshot (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.browser", description=__doc__.split("\n\n")[0])
    ap.add_argument("page", help="A local HTML file.")
    ap.add_argument("--query", default="", help="Query string for the page, e.g. order=review.")
    ap.add_argument("--fragment", default="", help="Element id to scroll to (and highlight), e.g. an entity_id.")
    ap.add_argument("--screenshot", help="Write a PNG here.")
    ap.add_argument("--window-size", default="1400,900", help="Width,height in pixels (default 1400,900).")
    ap.add_argument("--dump-dom", action="store_true", help="Print the DOM after the page's scripts ran.")
    args = ap.parse_args(argv)
    if not Path(args.page).is_file():
        print(f"error: no file {args.page}: write the page first (e.g. `minutes show ... --out PAGE`)", file=sys.stderr)
        return 2
    try:
        width, height = (int(n) for n in args.window_size.split(","))
    except ValueError:
        print(f"error: --window-size {args.window_size!r} is not WIDTH,HEIGHT (e.g. 1400,900)", file=sys.stderr)
        return 2
    url = page_url(args.page, args.query, args.fragment)
    try:
        if args.screenshot:
            print(f"wrote {screenshot(url, args.screenshot, (width, height))}")
        if args.dump_dom:
            sys.stdout.write(dump_dom(url))
    except (BrowserError, subprocess.TimeoutExpired) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
