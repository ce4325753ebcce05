"""`make assignments`: the nbgrader course generated from the notebooks, and graded end to end.

The fast tests check the generated source notebooks (nbgrader's own metadata validator, one answer
and one test cell per exercise, everything else read-only). The slow test runs the real nbgrader
offline: ``generate_assignment``, three submissions per notebook (blank, wrong, right) through
``autograde``, and ``validate`` on a right one. Autograding executes whole notebooks (about 20 s
each on 2 busy cores), so by default it generates 01 and 02 (two assignments in one gradebook)
and grades the quickest to run, 01 (four exercises; 02 took 1.4 to 2.7 times as long in TEACHING.md's runs); every
checker also has its table of right and wrong answers in tests/test_checks*.py;
``SPECTROGRAM_LAB_AUTOGRADE=all`` grades every notebook with exercises, and a comma-separated list of
notebook stems grades just those.
"""

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("make_assignments", ROOT / "scripts" / "make_assignments.py")
make_assignments = sys.modules["make_assignments"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_assignments)

DEFAULT_GENERATED = ("01_loading_audio", "02_stft")
DEFAULT_GRADED = ("01_loading_audio",)
# A plausible mistake per checker, appended after the right answer; {0}, {1} are the answer's names.
MISTAKES = {
    "duration": "{0} = len(y) // sr  # integer division",
    "resampled": "{0} = librosa.resample(music, orig_sr=16000, target_sr=sr_music)  # rates swapped",
    "mono_mix": "{0} = stereo.mean(axis=1)  # averaged over time, not over channels",
    "frame_step": "{0} = 16000 // 10  # 10 ms taken as a tenth of a second",
    "bin_spacing": "{0} = 22050 / 2 / 2048  # Nyquist divided by fft_length",
    "n_frames": "{0} = len(y) // 256  # frame length ignored",
    "resolving_frame_length": "{0} = {0} // 2  # one power of two too short",
    "min_max": "def {0}(S, eps=1e-8):\n    return (S - S.min(axis=0)) / (S.max(axis=0) - S.min(axis=0) + eps)",
    "to_db": "{0} = 10 * np.log10(np.maximum(S_np, 1e-5 * S_np.max()) / S_np.max())  # power formula",
    "train_statistics": "{0} = tuple({0})[::-1]  # (std, mean)",
    "orientation": "{1} = 'upper'  # low frequencies at the top",
    "extent": "{0} = (0, 100, 0, 16000 / 2)  # frames, not seconds",
    "colorbar_label": "{0} = 'Frequency (Hz)'",
    "n_frames_of_clip": "{0} = clip_samples // frame_step  # frame length ignored",
    "snr_db": "def {0}(signal, noise):\n    return 20 * np.log10(np.mean(signal**2) / np.mean(noise**2))",
    "beat_seconds": "def {0}(bpm):\n    return bpm / 60",
    "c0_change": "{0} = -20.0  # the DCT's sqrt(n_mels) scale forgotten",
    "noise_scale": "{0} = {0} ** 2  # square root forgotten",
    "iterations": "{0} = {0} - 1  # counted from 0",
    "cache_position": "{0} = not {0}",
    "alias_frequency": "{0} = 5000.0  # the tone assumed to pass unchanged",
    "stft_shape": "{0} = tuple({0})[::-1]  # (bins, frames)",
    "db_of_ratios": "{0} = [value / 2 for value in {0}]  # 10 log10 of amplitude ratios",
    "mel_step_ratio": "{0} = 1.0  # true of octaves, not of the mel scale",
    "click_widths": "{0} = ({0}[0], {0}[0])  # the shorter frame assumed not to matter",
    "seed_spread": "{0} = tuple({0})[::-1]  # (spread, mean)",
    "speaker_split": "def {0}(paths, held_out):\n"
    "    return np.array([p.stem.split('_')[0] == held_out for p in paths])  # the digit",
    "chirp_frame_length": "{0} = 4096  # the longest frame taken as the sharpest",
    "window_choice": "{0} = 'hann'  # the default, not the narrowest peak at -60 dB",
    "most_predicted": "{0} = class_names[int(np.argmin(confusion.sum(axis=0)))]  # the least predicted",
    "class_precision": "{0} = confusion[top, top] / confusion[top, :].sum()  # recall, not precision",
    "bars_in_clip": "def {0}(bpm, seconds):\n    return seconds * bpm / 60  # beats, not bars",
    "mel_spacing": "{0} = sr / 1024  # the FFT bin spacing, not the mel step",
    "scale_gap": "{0} = np.mean(np.abs(htk_centres - slaney_centres))  # the mean, not the largest",
    "mel_inversion": "{0} = {0} ** 2  # power, not magnitude",
    "freq_mask_function": "def {0}(S, start, width):\n"
    "    bands = tf.range(tf.shape(S)[-1])\n"
    "    inside = (bands >= start) & (bands <= start + width)  # one band too many\n"
    "    return tf.where(inside, tf.zeros_like(S), S)",
    "recipe_spread": "{0} = {{r: tuple(v)[::-1] for r, v in {0}.items()}}  # (range, mean)",
    "sc_function": "def {0}(target, rebuilt):\n"
    "    return np.linalg.norm(target - np.abs(rebuilt))  # not divided by the target's norm",
    "mean_and_range": "{0} = tuple({0})[::-1]  # (range, mean)",
    "tflite_agreement": "{0} = 1 - {0}  # the fraction that changed",
    "series_rate": "{0} = min(rates['+ cache'][0], model_rate)  # the slower stage alone: that is with prefetch",
}


@cache
def exercise_notebooks() -> dict[str, nbformat.NotebookNode]:
    return {
        path.stem: nb
        for path in NOTEBOOKS
        if make_assignments.find_exercises(nb := nbformat.read(path, as_version=4), path.name)
    }


def nbgrader_cells(notebook, **flags) -> list:
    return [
        cell for cell in notebook.cells if all(cell.metadata.nbgrader.get(key) == value for key, value in flags.items())
    ]


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course")
    assert make_assignments.main(["--course-dir", str(course), "--no-release"]) == 0
    return course


def test_every_notebook_with_exercises_becomes_an_assignment(sources):
    made = sorted(path.parent.name for path in (sources / "source").glob("*/*.ipynb"))
    assert made == sorted(exercise_notebooks()) and "00_setup" not in made
    assert "CourseDirectory.root" in (sources / "nbgrader_config.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", sorted(exercise_notebooks()))
def test_source_notebook_is_valid_nbgrader_and_keeps_the_exercises(stem, sources):
    course_nb = exercise_notebooks()[stem]
    notebook = nbformat.read(sources / "source" / stem / f"{stem}.ipynb", as_version=4)
    MetadataValidator().validate_nb(notebook)
    n_solutions = sum(map(make_assignments.is_solution, course_nb.cells))
    answers = nbgrader_cells(notebook, solution=True, grade=False, locked=False)
    tests = nbgrader_cells(notebook, grade=True, solution=False, locked=True)
    assert len(answers) == len(tests) == n_solutions
    assert all(cell.metadata.nbgrader["points"] > 0 for cell in tests)
    assert all(cell.cell_type == "code" and "assert helpers.checks." in cell.source for cell in tests)
    assert all(cell.source.count("### BEGIN SOLUTION") == 1 for cell in answers)
    others = [cell for cell in notebook.cells if cell not in answers and cell not in tests]
    assert all(cell.metadata.nbgrader["locked"] for cell in others)
    assert not any(cell.get("outputs") for cell in notebook.cells) and "widgets" not in notebook.metadata
    assert not any(make_assignments.is_solution(cell) for cell in notebook.cells)
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and "course-header" in cell.metadata.get("tags", []):
            assert_graded_help(cell.source)


# What the help cell of a graded assignment must not point to: the solutions, the full repository (its
# files and its issue tracker), or the full notebooks on Colab and Binder.
LEAKS = ("solution", "github.com", "mybinder.org", "colab.research.google.com", "issues", "repository")


def assert_graded_help(source: str) -> None:
    """``source`` is the students' help of a graded assignment: hints, the teacher, how Validate reports."""
    assert "helpers.checks.hint(" in source and "teacher" in source and "Validate" in source, source
    for leak in LEAKS:
        assert leak not in source.lower(), f"the assignment's help mentions {leak!r}: {source}"


def test_assignment_swaps_the_header_help_and_keeps_the_colab_cell():
    """A notebook given the full header by add_course_header: its assignment has the students' help."""
    spec = importlib.util.spec_from_file_location("add_course_header", ROOT / "scripts" / "add_course_header.py")
    add_course_header = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(add_course_header)
    original = nbformat.read(ROOT / "notebooks" / "01_loading_audio.ipynb", as_version=4)
    full = add_course_header.with_header(original, "my-school/spectrogram-lab", "main", "01_loading_audio.ipynb")
    before = nbformat.writes(full)
    cells = make_assignments.assignment(full, "01_loading_audio.ipynb").cells
    assert nbformat.writes(full) == before, "the course notebook stays untouched"
    tagged = [cell for cell in cells if "course-header" in cell.metadata.get("tags", [])]
    assert [cell.cell_type for cell in tagged] == ["markdown", "code"] and cells[1:3] == tagged
    assert_graded_help(tagged[0].source)
    assert tagged[1].source == full.cells[2].source and tagged[1].metadata.nbgrader["locked"]


def course_notebook(*cells: str, solution: int):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title")] + [nbformat.v4.new_code_cell(c) for c in cells]
    notebook.cells[solution + 1].metadata.tags = ["solution"]
    return notebook


def test_an_exercise_becomes_an_answer_cell_and_a_test_cell():
    notebook = course_notebook(
        "import helpers\ny = [1, 2]",
        "k = 3\nseconds = None  # your answer",
        "_ = helpers.checks.duration(seconds, y, 2)",
        "seconds = len(y) / 2\n\n_ = helpers.checks.duration(seconds, y, 2)",
        solution=3,
    )
    cells = make_assignments.assignment(notebook).cells
    assert [c.source for c in cells[2:]] == [
        "k = 3",
        "seconds = None  # your answer\n### BEGIN SOLUTION\nseconds = len(y) / 2\n### END SOLUTION",
        f"assert helpers.checks.duration(seconds, y, 2), {make_assignments.FAILED!r}",
    ]
    assert [c.metadata.nbgrader["grade_id"] for c in cells[2:]] == [
        "cell_2_given",
        "ex1_duration_answer",
        "ex1_duration_test",
    ]


def test_check_cell_keeps_its_set_up_lines_and_a_missing_placeholder_is_added():
    notebook = course_notebook(
        "x = 1",
        "observed = x + 1\n_ = helpers.checks.same(guess, observed=observed)",
        "guess = 2\n_ = helpers.checks.same(guess, observed=observed)",
        solution=2,
    )
    cells = make_assignments.assignment(notebook).cells
    assert cells[2].source == "### BEGIN SOLUTION\nguess = 2\n### END SOLUTION"
    assert cells[3].source.splitlines()[0] == "observed = x + 1"
    assert cells[3].source.splitlines()[1].startswith("assert helpers.checks.same(guess, observed=observed), ")


@pytest.mark.parametrize(
    "cells, message",
    [
        (("x = None", "_ = helpers.checks.duration(x, y, 2)", "x = 1"), "calls no helpers.checks function"),
        (("x = None", "print(x)", "x = 1\n_ = helpers.checks.duration(x, y, 2)"), "no code cell before it does"),
        (
            ("x = None", "if x:\n    helpers.checks.duration(x, y, 2)", "x = 1\n_ = helpers.checks.duration(x, y, 2)"),
            "not a plain call",
        ),
    ],
)
def test_layouts_it_cannot_convert_are_named(cells, message):
    with pytest.raises(ValueError, match=message):
        make_assignments.assignment(course_notebook(*cells, solution=2), "nb.ipynb")


def test_every_checker_in_the_course_has_a_plausible_mistake():
    used = {
        exercise.checker
        for notebook in exercise_notebooks().values()
        for exercise in make_assignments.find_exercises(notebook)
    }
    assert used - set(MISTAKES) == set(), "add a plausible wrong answer for these checkers to MISTAKES"


# ---- end to end with the real nbgrader ----------------------------------------------------------
def run_nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        make_assignments.nbgrader_command(*args),
        cwd=course,
        env=make_assignments.nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def answer_names(source: str) -> list[str]:
    """The names the answer cell's placeholder lines assign (``a, b = None`` style lines included)."""
    names = []
    for statement in ast.parse(source).body:
        for target in getattr(statement, "targets", []):
            names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
    return names


def right_in_wrong(number: int, n_exercises: int) -> bool:
    """Whether the wrong submission answers exercise ``number`` right: the first one, when there are several."""
    return number == 1 and n_exercises > 1


def submission(release, source, kind: str):
    """The release notebook answered ``blank``, ``wrong`` (exercise 1 right, the rest mistaken) or ``right``."""
    answers = {c.metadata.nbgrader["grade_id"]: c.source for c in nbgrader_cells(source, solution=True)}
    notebook = nbformat.from_dict(json.loads(json.dumps(release)))
    cells = nbgrader_cells(notebook, solution=True)
    for number, cell in enumerate(cells, start=1):
        if kind == "blank":
            continue
        given, rest = answers[cell.metadata.nbgrader["grade_id"]].split("### BEGIN SOLUTION\n")
        answer = rest.split("\n### END SOLUTION")[0]
        if kind == "wrong" and not right_in_wrong(number, len(cells)):
            checker = cell.metadata.nbgrader["grade_id"].split("_", 1)[1].rsplit("_", 1)[0]
            answer += "\n" + MISTAKES[checker].format(*answer_names(given or answer))
        cell.source = given + answer
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Generate, submit three times and autograde each chosen notebook; the course folder and timings."""
    wanted = os.environ.get("SPECTROGRAM_LAB_AUTOGRADE", "")
    stems = (
        sorted(exercise_notebooks())
        if wanted == "all"
        else [stem for stem in wanted.split(",") if stem] or list(DEFAULT_GRADED)
    )
    course = tmp_path_factory.mktemp("graded")
    generated = sorted(set(stems) | set(DEFAULT_GENERATED))
    make_assignments.build_course(course, [ROOT / "notebooks" / f"{stem}.ipynb" for stem in generated])
    timings = {}
    start = time.perf_counter()
    result = run_nbgrader(course, "generate_assignment", "*", "--force")
    timings["generate_assignment (all)"] = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-3000:]
    for stem in stems:
        release = nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)
        source = nbformat.read(course / "source" / stem / f"{stem}.ipynb", as_version=4)
        for kind in ("blank", "wrong", "right"):
            folder = course / "submitted" / kind / stem
            folder.mkdir(parents=True)
            nbformat.write(submission(release, source, kind), folder / f"{stem}.ipynb")
        start = time.perf_counter()
        result = run_nbgrader(course, "autograde", stem)
        timings[f"autograde {stem} (3 submissions)"] = time.perf_counter() - start
        assert result.returncode == 0, result.stderr[-3000:]
    print("\n" + "\n".join(f"{what}: {seconds:.1f} s" for what, seconds in timings.items()))
    return course, stems


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(set(DEFAULT_GRADED) | set(exercise_notebooks())))
def test_autograde_gives_zero_partial_and_full_marks(stem, graded):
    course, stems = graded
    if stem not in stems:
        pytest.skip("not autograded by default; set SPECTROGRAM_LAB_AUTOGRADE=all (or a comma-separated list)")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {kind: gradebook.find_submission_notebook(stem, stem, kind) for kind in ("blank", "wrong", "right")}
        cells = {
            kind: [grade.score for grade in sorted(sub.grades, key=exercise_number)] for kind, sub in scores.items()
        }
        total = {kind: (sub.score, sub.max_score) for kind, sub in scores.items()}
    n = len(cells["right"])
    print(f"{stem}: blank {total['blank']}, wrong {total['wrong']}, right {total['right']}")
    assert total["blank"][0] == 0 and set(cells["blank"]) == {0}
    assert total["right"][0] == total["right"][1] > 0 and 0 not in cells["right"]
    assert [score > 0 for score in cells["wrong"]] == [right_in_wrong(k, n) for k in range(1, n + 1)]
    assert 0 < total["wrong"][0] < total["wrong"][1] if n > 1 else total["wrong"][0] == 0
    for kind, first_words in (("blank", "… Not answered yet"), ("wrong", "✗ Not yet"), ("right", "✓ Correct")):
        for number, printed in enumerate(feedback_lines(course / "autograded" / kind / stem / f"{stem}.ipynb"), 1):
            expected = "✓ Correct" if kind == "wrong" and right_in_wrong(number, n) else first_words
            assert printed.startswith(expected), f"{kind} submission, exercise {number}: {printed!r}"


def exercise_number(grade) -> int:
    """The exercise number in a grade's name (``ex12_duration_test`` -> 12)."""
    return int(grade.name[2:].split("_", 1)[0])


def feedback_lines(path: Path) -> list[str]:
    """The first line each autograder test cell of a graded notebook printed (the course's feedback)."""
    notebook = nbformat.read(path, as_version=4)
    return [
        next((o.text.strip() for o in cell.outputs if o.output_type == "stream"), "(nothing printed)")
        for cell in nbgrader_cells(notebook, grade=True)
    ]


@pytest.mark.slow
def test_gradebook_holds_every_generated_assignment_with_its_test_cells(graded):
    course, stems = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        found = {a.name: sum(len(nb.grade_cells) for nb in a.notebooks) for a in gradebook.assignments}
    expected = {stem: len(nbgrader_cells(source_notebook(course, stem), grade=True)) for stem in found}
    assert set(found) >= set(DEFAULT_GENERATED) | set(stems) and found == expected and min(found.values()) > 0


def source_notebook(course: Path, stem: str):
    return nbformat.read(course / "source" / stem / f"{stem}.ipynb", as_version=4)


@pytest.mark.slow
def test_validate_passes_on_the_right_submission_and_fails_on_the_blank_one(graded):
    course, stems = graded
    stem = stems[0]
    right = run_nbgrader(course, "validate", str(course / "submitted" / "right" / stem / f"{stem}.ipynb"))
    assert "Success! Your notebook passes all the tests." in right.stdout, right.stdout[-2000:]
    blank_copy = course / "blank-copy" / f"{stem}.ipynb"
    blank_copy.parent.mkdir()
    shutil.copy(course / "release" / stem / f"{stem}.ipynb", blank_copy)
    blank = run_nbgrader(course, "validate", str(blank_copy))
    n_tests = len(nbgrader_cells(nbformat.read(blank_copy, as_version=4), grade=True))
    assert f"VALIDATION FAILED ON {n_tests} CELL(S)" in blank.stdout, blank.stdout[-2000:]


def test_points_table_counts_one_point_per_exercise(capsys):
    assert make_assignments.main(["--points"]) == 0
    table = capsys.readouterr().out.splitlines()
    n_exercises = sum(len(make_assignments.find_exercises(nb)) for nb in exercise_notebooks().values())
    assert table[-1] == f"| **all** | {n_exercises} | | **{n_exercises * make_assignments.POINTS}** |"
    assert len(table) == 3 + len(exercise_notebooks())
