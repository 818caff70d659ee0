"""Execute the analysts' notebooks against an output folder, and draw the README figure.

    python -m pipeline.notebooks --out data/extracted      # executed copies -> data/extracted/notebooks/*.ipynb
    python -m pipeline.notebooks --out data/extracted --figure docs/images/tour.png   # only the README figure

The committed notebooks (notebooks/) are only read: each executed copy is written beside the tables it was run
on (OUT/notebooks/, or --save-to DIR), and runs with that folder as its working directory, so whatever a notebook
writes lands there too, never in the repository. The notebooks read the output folder from the environment
variable MINUTES_OUT (default "../data/extracted", relative to notebooks/); this sets it to --out. Notebooks run
in a Jupyter kernel started from this Python (the virtualenv's), whatever other "python3" kernels are installed
on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .envvars import temporary_environ

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
KERNEL_NAME = "python3"


@contextmanager
def kernel_manager():
    """A kernel manager for a 'python3' kernel running this interpreter (sys.executable) with ipykernel.

    The kernelspec is written to a temporary folder and only that folder is searched, so a user-level
    'python3' kernelspec pointing at another Python is never picked up."""
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    with tempfile.TemporaryDirectory(prefix="minutes-kernels-") as tmp:
        write_kernel_spec(os.path.join(tmp, KERNEL_NAME), overrides={"display_name": "Python 3 (minutes-ie)"})
        ksm = KernelSpecManager(kernel_dirs=[tmp], ensure_native_kernel=False)
        # ipc: the kernel talks over Unix sockets in the temporary folder, not localhost TCP
        posix = os.name == "posix"
        km = AsyncKernelManager(
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=ksm,
            transport="ipc" if posix else "tcp",
            ip=os.path.join(tmp, "kernel-ipc") if posix else "127.0.0.1",
        )
        try:
            yield km
        finally:  # nbclient leaves a kernel manager it was given running
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)


def execute_notebook(path: str | Path, out_dir: str | Path, save_to: str | Path | None = None, timeout: int = 300):
    """Run every cell of one notebook with MINUTES_OUT=out_dir; the working directory is save_to's folder when
    given, else the notebook's.

    Returns the executed notebook; writes it to save_to when given. A failing cell raises
    nbclient.exceptions.CellExecutionError naming the cell and the error."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    workdir = (Path(save_to).parent if save_to is not None else path.parent).resolve()
    # relative to the kernel's working directory, so saved outputs name no machine paths
    try:
        minutes_out = os.path.relpath(Path(out_dir).resolve(), workdir)
    except ValueError:  # another drive (Windows)
        minutes_out = str(Path(out_dir).resolve())
    with (
        kernel_manager() as km,
        temporary_environ({"MINUTES_OUT": minutes_out, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}),
    ):
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            kernel_name=KERNEL_NAME,
            record_timing=False,
            resources={"metadata": {"path": str(workdir)}},
        )
        client.execute()
    # keep the notebook's own kernelspec metadata (plain "python3"), not the temporary display name
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)", "language": "python"}
    if save_to is not None:
        nbformat.write(nb, str(save_to))
    return nb


def notebook_paths(folder: str | Path = NOTEBOOKS) -> list[Path]:
    return sorted(Path(folder).glob("[0-9][0-9]-*.ipynb"))


def tour_figure(out_dir: str | Path, path: str | Path) -> Path:
    """The README's figure: reported figures over time (see analysis.tour_series), or agenda items per meeting
    when the tables have no metrics yet (rules-only extraction)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import analysis, load

    tables = load(out_dir)
    title, series, connect = analysis.tour_series(tables)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    if len(series):
        analysis.plot_metric_series(series, title, connect, ax=ax)
    else:
        analysis.plot_items_per_meeting(tables, ax=ax)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.notebooks", description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out", default="data/extracted", help="Extracted tables (the output folder of `minutes extract`)."
    )
    ap.add_argument("--notebooks", default=str(NOTEBOOKS), help="Folder of numbered notebooks (NN-name.ipynb).")
    ap.add_argument(
        "--save-to",
        help="Folder for the executed copies (default: OUT/notebooks; the notebooks folder itself "
        "refreshes the committed outputs).",
    )
    ap.add_argument("--figure", help="Only write the README figure (PNG) from the tables in --out.")
    ap.add_argument("--timeout", type=int, default=300, help="Seconds per cell.")
    args = ap.parse_args(argv)

    out = Path(args.out)
    if not (out / "documents").is_dir():
        print(
            f"error: {out} holds no extracted tables: "
            f"run `make extract` (or `minutes extract corpus --out {out}`) first",
            file=sys.stderr,
        )
        return 2
    if args.figure:
        print(f"wrote {tour_figure(out, args.figure)}")
        return 0
    paths = notebook_paths(args.notebooks)
    if not paths:
        print(f"error: no notebooks (NN-name.ipynb) in {args.notebooks}", file=sys.stderr)
        return 2
    save_to = Path(args.save_to) if args.save_to else out / "notebooks"
    save_to.mkdir(parents=True, exist_ok=True)
    for path in paths:
        t0 = time.perf_counter()
        execute_notebook(path, out, save_to=save_to / path.name, timeout=args.timeout)
        print(f"executed {path} -> {save_to / path.name} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
