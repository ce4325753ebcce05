"""`make student`: the copies keep no solution code, no output and no widget state anywhere."""

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)


def is_solution(cell) -> bool:
    return "solution" in cell.metadata.get("tags", [])


def solution_lines(notebook) -> set[str]:
    """Code lines of solution cells that no other code cell shows (the check call and the given function
    signature are part of the exercise, not of its answer)."""
    given = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code" and not is_solution(cell))
    return {
        line.strip()
        for cell in notebook.cells
        if is_solution(cell)
        for line in cell.source.splitlines()
        if line.strip() and not line.strip().startswith("#") and line.strip() not in given
    }


def output_texts(notebook) -> set[str]:
    """Every line of every text output, and the start of every image, of the committed notebook."""
    sources = "\n".join(cell.source for cell in notebook.cells)
    found = set()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] + [
                value if isinstance(value, str) else json.dumps(value) for value in output.get("data", {}).values()
            ]
            for text in texts:
                found |= {
                    line.strip()
                    for line in text.splitlines()
                    if len(line.strip()) >= 12 and line.strip() not in sources
                }
    return found


# What a student's help cell must not point to: the solutions, the full repository (its files and its
# issue tracker), or the full notebooks on Colab and Binder.
LEAKS = ("solution", "github.com", "mybinder.org", "colab.research.google.com", "issues", "repository")


def header_help(notebook) -> list:
    """The markdown cells of the header (tagged ``course-header``)."""
    return [c for c in notebook.cells if c.cell_type == "markdown" and "course-header" in c.metadata.get("tags", [])]


def assert_students_help(source: str) -> None:
    """``source`` is the students' help: the hints and the teacher, nothing of the list above."""
    assert "helpers.checks.hint(" in source and "teacher" in source, source
    for leak in LEAKS:
        assert leak not in source.lower(), f"the students' help mentions {leak!r}: {source}"


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("student")
    assert make_student.main([str(path) for path in NOTEBOOKS] + ["--output-dir", str(folder)]) == 0
    return folder


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_student_copy_keeps_no_solution_output_or_widget_state(path, student_dir):
    original = nbformat.read(path, as_version=4)
    copy_path = student_dir / path.name
    raw = copy_path.read_text(encoding="utf-8")
    copy = nbformat.reads(raw, as_version=4)
    nbformat.validate(copy)
    assert not any(is_solution(cell) for cell in copy.cells)
    assert len(copy.cells) == len(original.cells) - sum(map(is_solution, original.cells))
    for cell in copy.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert set(copy.metadata) <= {"kernelspec", "language_info"}
    assert "application/vnd.jupyter.widget" not in raw
    decoded = "\n".join(cell.source for cell in copy.cells)
    for line in solution_lines(original):
        assert line not in decoded and json.dumps(line)[1:-1] not in raw, f"solution code survives: {line}"
    for text in output_texts(original):
        assert text not in raw and json.dumps(text)[1:-1] not in raw, f"an output survives: {text[:80]}"
    for cell in header_help(copy):
        assert_students_help(cell.source)


def test_every_exercise_notebook_has_solutions_to_remove():
    """The leak test above means something only if the notebooks do tag their solutions."""
    with_solutions = [path.stem for path in NOTEBOOKS if solution_lines(nbformat.read(path, as_version=4))]
    assert len(with_solutions) >= 10, with_solutions


def test_widget_state_in_metadata_and_outputs_is_stripped(tmp_path):
    view = {
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
        "text/plain": "VBox(children=(IntSlider(value=1024),))",
    }
    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {"frame_length": 1024}}}},
        }
    )
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "explorer", execution_count=3, outputs=[nbformat.v4.new_output("display_data", data=view)]
        ),
        nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell(
            "print(1)", execution_count=4, outputs=[nbformat.v4.new_output("stream", text="1\n")]
        ),
    ]
    source = tmp_path / "in" / "x.ipynb"
    source.parent.mkdir()
    nbformat.write(notebook, source)
    assert make_student.main([str(source), "--output-dir", str(tmp_path / "out")]) == 0
    raw = (tmp_path / "out" / "x.ipynb").read_text(encoding="utf-8")
    for leaked in ("widget", "answer = 42", "IntSlider", '"1\\n"', 'execution_count": 3'):
        assert leaked not in raw, leaked
    assert nbformat.read(source, as_version=4).metadata.widgets, "the source notebook must stay untouched"


def test_missing_notebook_is_named(tmp_path, capsys):
    assert make_student.main([str(tmp_path / "nope.ipynb"), "--output-dir", str(tmp_path)]) == 2
    assert "nope.ipynb" in capsys.readouterr().err


def test_leftover_widget_data_is_refused():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("x")]
    notebook.cells[0].attachments = {"a": {"application/vnd.jupyter.widget-view+json": {}}}
    with pytest.raises(ValueError, match="widget"):
        make_student.refuse_widget_state(notebook)


# ---- the students' header (scripts/add_course_header.py), tried on copies ----------------------
_spec = importlib.util.spec_from_file_location("add_course_header", ROOT / "scripts" / "add_course_header.py")
add_course_header = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(add_course_header)
REPO = ["--repo", "my-school/spectrogram-lab"]


@pytest.fixture
def copies(tmp_path) -> list[Path]:
    paths = []
    for path in NOTEBOOKS:
        paths.append(tmp_path / path.name)
        paths[-1].write_bytes(path.read_bytes())
    return paths


def test_header_goes_after_the_title_once_and_changes_nothing_else(copies):
    assert add_course_header.main([*map(str, copies), *REPO]) == 0
    first = {path: path.read_bytes() for path in copies}
    assert add_course_header.main([*map(str, copies), *REPO]) == 0
    assert {path: path.read_bytes() for path in copies} == first, "a second run must change nothing"
    for path in copies:
        original = nbformat.read(ROOT / "notebooks" / path.name, as_version=4)
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        tagged = [i for i, cell in enumerate(notebook.cells) if "course-header" in cell.metadata.get("tags", [])]
        assert tagged == [1, 2] and notebook.cells[0] == original.cells[0]
        rest = [cell for cell in original.cells[1:] if "course-header" not in cell.metadata.get("tags", [])]
        assert notebook.cells[3:] == rest, "the rest of the notebook must stay as it was"
        assert "solution" in notebook.cells[1].source and "Colab" in notebook.cells[1].source
        assert f"labpath=notebooks%2F{path.name}" in notebook.cells[1].source
        assert notebook.cells[2].outputs == [] and notebook.cells[2].execution_count is None


def test_colab_install_cell_prints_nothing_off_colab(tmp_path):
    """nbval compares the committed (empty) output with a fresh run: off Colab the cell must be silent."""
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
    notebook = add_course_header.with_header(notebook, "my-school/spectrogram-lab", "main", "x.ipynb")
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    assert notebook.cells[2].outputs == []
    assert 'if "google.colab" in sys.modules:' in notebook.cells[2].source
    assert '"--no-deps"' in notebook.cells[2].source


@pytest.mark.parametrize(
    "args, message",
    [
        (["--repo", "not a repo"], "is not a GitHub repository"),
        (["--repo", "https://github.com/a/b"], "is not a GitHub repository"),
    ],
)
def test_header_refuses_a_bad_repository(copies, args, message, capsys):
    assert add_course_header.main([str(copies[0]), *args]) == 2
    assert message in capsys.readouterr().err
    assert copies[0].read_bytes() == (ROOT / "notebooks" / copies[0].name).read_bytes()


def test_header_needs_a_title_cell(tmp_path, capsys):
    path = tmp_path / "untitled.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)
    assert add_course_header.main([str(path), *REPO]) == 2
    assert "untitled.ipynb: the first cell is not a markdown title" in capsys.readouterr().err


@pytest.mark.parametrize("stem", ["00_setup", "01_loading_audio", "06_speech_digits"])
def test_student_copy_swaps_the_header_help_for_the_students_version(stem, tmp_path):
    """A notebook given the full header (with the solutions' and the repository's links) by
    add_course_header: its student copy gets the students' help cell and keeps the Colab install cell."""
    original = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    full = add_course_header.with_header(original, "my-school/spectrogram-lab", "main", f"{stem}.ipynb")
    assert "solution" in full.cells[1].source and "mybinder.org" in full.cells[1].source
    source = tmp_path / "in" / f"{stem}.ipynb"
    source.parent.mkdir()
    nbformat.write(full, source)
    assert make_student.main([str(source), "--output-dir", str(tmp_path / "out")]) == 0
    copy = nbformat.read(tmp_path / "out" / f"{stem}.ipynb", as_version=4)
    tagged = [i for i, cell in enumerate(copy.cells) if "course-header" in cell.metadata.get("tags", [])]
    assert tagged == [1, 2] and copy.cells[1].cell_type == "markdown"
    assert_students_help(copy.cells[1].source)
    assert "Validate" not in copy.cells[1].source, "the graded note belongs to the assignments only"
    assert copy.cells[2].source == full.cells[2].source, "the Colab-only install cell stays"
    assert "solution" in nbformat.read(source, as_version=4).cells[1].source, "the source stays untouched"


def test_students_help_leaves_a_notebook_without_header_as_it_is():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title\n\nSee the solution.")])
    assert add_course_header.for_students(notebook).cells[0].source == "# Title\n\nSee the solution."
