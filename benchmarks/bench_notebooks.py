"""How long does each notebook take end to end? Targets: ML notebooks (06-08) <= 90 s, later ones <= 120 s.

Executes every notebooks/*.ipynb in a fresh kernel with nbclient, the way `make notebooks` does, on an
in-memory copy (the files are not rewritten), and prints the wall-clock seconds per notebook next to
its target. Notebooks 00-05 have no target (they are short and not about training). Kernel start-up is
included, as a student would experience it. Pass notebook paths to time only those.
Run: .venv/bin/python benchmarks/bench_notebooks.py [notebooks/06_speech_digits.ipynb ...]
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
ML_NOTEBOOKS = ("06", "07", "08")


def target_seconds(path: Path) -> float | None:
    """The course's time target for a notebook, from its number; None when there is none."""
    number = path.name[:2]
    if number in ML_NOTEBOOKS:
        return 90.0
    return 120.0 if number.isdigit() and int(number) > 8 else None


def run_notebook(path: Path) -> tuple[float, str]:
    """Execute ``path`` in its own folder; return (seconds, "" or the error's first line)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    try:
        client.execute()
        error = ""
    except Exception as err:  # report and go on with the next notebook
        error = f"{type(err).__name__}: {str(err).strip().splitlines()[-1][:80] if str(err).strip() else ''}"
    return time.perf_counter() - start, error


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{'notebook':<34} {'seconds':>8} {'target':>7}  verdict")
    for path in paths:
        seconds, error = run_notebook(path)
        target = target_seconds(path)
        verdict = error or ("-" if target is None else "ok" if seconds <= target else "OVER TARGET")
        target_text = "-" if target is None else f"{target:.0f}"
        print(f"{path.name:<34} {seconds:>8.1f} {target_text:>7}  {verdict}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
