"""Put the students' header into every course notebook, right after its title cell.

Run ``python scripts/add_course_header.py --repo OWNER/NAME notebooks/*.ipynb`` (``--repo`` defaults
to the GitHub repository of ``git remote get-url origin``). It adds two cells, tagged
``course-header``:

- a markdown cell: how to get help (the checks' hints, your teacher, a *Question* on the issue
  tracker, not a bug report) and where the solutions are (not in the student copy), with
  "Open in Colab" and Binder links for this notebook;
- a code cell that installs the course only on Google Colab (``pip install --no-deps`` from the
  repository, since Colab has TensorFlow and librosa but not the course's ``helpers``; PyPI's
  ``helpers`` is an unrelated package). Anywhere else it does nothing and prints nothing, so nbval
  still finds no output to compare.

Running it again replaces the two cells instead of adding more (idempotent); nothing else in the
notebook changes. Files are written atomically (a temporary sibling, then a rename).

The help cell is for the full notebooks. ``make student`` and ``make assignments`` call
:func:`for_students`, which swaps it for a student version: help from the checks' hints and the
teacher only, with no pointer to the solutions, the repository, its issue tracker, or Colab/Binder
links that open the full notebooks. The Colab-only install cell stays.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

TAG = "course-header"
REPO_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
HELP = """**Getting help.** Stuck on an exercise? Each check prints a hint, and `helpers.checks.hint("<name>")` \
(the name is in the feedback line) gives more, one step at a time. Questions about the course go to your \
teacher or to a [*Question*](https://github.com/{repo}/issues/new?template=question.md) on the issue \
tracker; keep [bug reports](https://github.com/{repo}/issues/new?template=bug_report.md) for something broken.

**Solutions** are in the full notebooks of the [course repository](https://github.com/{repo}), in the \
cell tagged `solution` right after each exercise; the student copies and the graded assignments leave \
them out. Try first: `helpers.checks.solution("<name>")` prints one when you really want it.

[Open in Colab](https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{name}) · \
[Open on Binder](https://mybinder.org/v2/gh/{repo}/{branch}?labpath=notebooks%2F{name})"""
STUDENT_HELP = """**Getting help.** Stuck on an exercise? Each check prints a hint when an answer is not right \
yet, and `helpers.checks.hint("<name>")` (the name is in the feedback line) gives more, one step at a time. \
For anything else, ask your teacher."""
GRADED_HELP = """

**This is a graded assignment.** Write your answers in the cells marked `# YOUR CODE HERE` and run each check \
cell below them: its hint is printed there. The *Validate* button only says which checks do not pass yet, so \
read the hints under the check cells."""
COLAB = """# On Google Colab only: install the course's helpers (Colab already has TensorFlow and librosa).
import subprocess
import sys

if "google.colab" in sys.modules:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "git+https://github.com/{repo}@{branch}"], check=True)"""


def header_cells(repo: str, branch: str, name: str) -> list:
    """The markdown help cell and the Colab-only install cell for notebook ``name``."""
    values = {"repo": repo, "branch": branch, "name": name}
    help_cell = nbformat.v4.new_markdown_cell(HELP.format(**values), metadata={"tags": [TAG]})
    install = nbformat.v4.new_code_cell(COLAB.format(**values), metadata={"tags": [TAG]})
    return [help_cell, install]


def with_header(notebook, repo: str, branch: str, name: str):
    """``notebook`` with the header after its first (title) cell; old header cells replaced."""
    cells = [cell for cell in notebook.cells if TAG not in cell.metadata.get("tags", [])]
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.lstrip().startswith("# "):
        raise ValueError(f"{name}: the first cell is not a markdown title ('# …'); the header goes after it")
    new = header_cells(repo, branch, name)
    old = [cell for cell in notebook.cells if TAG in cell.metadata.get("tags", [])]
    for fresh, previous in zip(new, old, strict=False):
        fresh.id = previous.get("id", fresh.id)  # keep cell ids stable across runs
    notebook.cells = [cells[0], *new, *cells[1:]]
    return notebook


def for_students(notebook, *, graded: bool = False):
    """``notebook`` (changed in place) with its help cell in the student version; other cells unchanged.

    The help cell of the header (a markdown cell tagged ``course-header``) gets :data:`STUDENT_HELP`,
    plus :data:`GRADED_HELP` when ``graded``; the Colab-only install cell stays. A notebook without a
    header is returned as it is.
    """
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and TAG in cell.metadata.get("tags", []):
            cell.source = STUDENT_HELP + (GRADED_HELP if graded else "")
    return notebook


def origin_repo() -> str | None:
    """``OWNER/NAME`` of the git remote ``origin`` when it is on GitHub, else None."""
    try:
        url = subprocess.run(
            ["git", "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"github\.com[:/]([^/]+/[^/]+?)(\.git)?$", url)
    return match.group(1) if match else None


def write_atomically(text: str, path: Path) -> None:
    """Write ``text`` to ``path`` through a temporary sibling and a rename (the scripts' one writer).

    The folder is made when missing; an existing file keeps its mode, a new one is readable (0o644).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Add or refresh the header of each notebook given; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--repo", default=None, help="the GitHub repository, OWNER/NAME (default: origin's)")
    parser.add_argument("--branch", default="main", help="the branch the links open (default: main)")
    args = parser.parse_args(argv)
    repo = args.repo or origin_repo()
    if repo is None or not REPO_PATTERN.match(repo):
        print(
            f"add_course_header: --repo={repo!r} is not a GitHub repository OWNER/NAME; pass it, "
            f"e.g. --repo my-school/spectrogram-lab (the links and the Colab install use it)",
            file=sys.stderr,
        )
        return 2
    for path in args.notebooks:
        try:
            notebook = with_header(nbformat.read(path, as_version=4), repo, args.branch, path.name)
        except (OSError, ValueError) as err:
            print(f"add_course_header: {err}", file=sys.stderr)
            return 2
        write_atomically(nbformat.writes(notebook) + "\n", path)
        print(f"{path}: header after the title")
    return 0


if __name__ == "__main__":
    sys.exit(main())
