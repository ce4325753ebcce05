"""Write student copies of the course notebooks: no solutions, no outputs, no widget state.

Run ``python scripts/make_student.py notebooks/*.ipynb`` (or ``make student``); the copies go to
``build/student/`` (``--output-dir`` to change it). Each copy is the notebook with

- every cell tagged ``solution`` removed (nbconvert's ``TagRemovePreprocessor``),
- the help cell of the header (tagged ``course-header``) replaced by the students' version from
  ``scripts/add_course_header.py``: hints and the teacher, no pointer to the solutions, the full
  repository or its issue tracker, no Colab/Binder link to the full notebooks (the Colab-only
  install cell stays),
- every output and execution count cleared (``ClearOutputPreprocessor``),
- the notebook metadata reduced to the kernel and language (``ClearMetadataPreprocessor``), which
  drops the saved widget state (``metadata.widgets``: the solved STFT explorer, hundreds of kB),
- any widget view left in an output or attachment refused (there should be none once outputs are
  cleared; the check guards against a preprocessor that stops doing its job).

Files are written atomically (a temporary sibling, then a rename), so a half-written copy never
replaces a good one.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import (
    ClearMetadataPreprocessor,
    ClearOutputPreprocessor,
    TagRemovePreprocessor,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "build" / "student"
WIDGET_MIME_PREFIX = "application/vnd.jupyter.widget"
KEPT_METADATA = {"kernelspec", "language_info"}


def _sibling(name: str):
    """The module of ``scripts/<name>.py`` (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


course_header = _sibling("add_course_header")


def student_copy(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return ``notebook`` as a student gets it (the argument is left unchanged).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A course notebook, version 4.

    Returns
    -------
    nbformat.NotebookNode
        The copy without ``solution`` cells, outputs, execution counts or widget state, with the
        students' help cell.
    """
    copy = course_header.for_students(nbformat.from_dict(json.loads(json.dumps(notebook))))
    resources: dict = {}
    steps = [
        TagRemovePreprocessor(remove_cell_tags={"solution"}, enabled=True),
        ClearOutputPreprocessor(enabled=True),
        ClearMetadataPreprocessor(enabled=True, clear_cell_metadata=False, preserve_nb_metadata_mask=KEPT_METADATA),
    ]
    for step in steps:
        copy, resources = step(copy, resources)
    refuse_widget_state(copy)
    return copy


def refuse_widget_state(notebook: nbformat.NotebookNode) -> None:
    """Raise ``ValueError`` if any widget state or view survives in ``notebook``."""
    if "widgets" in notebook.metadata:
        raise ValueError("the notebook metadata still holds widget state ('widgets')")
    text = json.dumps(notebook)
    if WIDGET_MIME_PREFIX in text:
        raise ValueError(f"a cell still holds widget data ({WIDGET_MIME_PREFIX}-*)")


def main(argv: list[str] | None = None) -> int:
    """Write a student copy of each notebook given; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="course notebooks (.ipynb)")
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where the copies go (default: {DEFAULT_OUTPUT.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    missing = [str(path) for path in args.notebooks if not path.is_file()]
    if missing:
        print(f"make_student: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    for path in args.notebooks:
        notebook = nbformat.read(path, as_version=4)
        copy = student_copy(notebook)
        course_header.write_atomically(nbformat.writes(copy) + "\n", args.output_dir / path.name)
        removed = len(notebook.cells) - len(copy.cells)
        print(f"{args.output_dir / path.name}: {removed} solution cell(s) removed, outputs cleared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
