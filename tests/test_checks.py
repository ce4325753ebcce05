"""helpers.checks: the shared feedback mechanism, progressive help, the package's exports, and the
properties every checker keeps (one line, never raises, placeholder without the answer).

The per-checker table tests (right variants, plausible wrong answers) are in test_checks_tables.py.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import sys
import types

import librosa
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from test_checks_tables import TABLE, VARIANTS

from helpers import checks, spectral
from helpers.checks import _feedback

MODULES = sorted(info.name for info in pkgutil.iter_modules(checks.__path__))
NAMES = [name for name in TABLE if name not in VARIANTS]


@pytest.fixture(autouse=True)
def fresh_register(monkeypatch):
    """Each test starts with no exercise seen, as a fresh kernel does."""
    monkeypatch.setattr(_feedback, "_REGISTER", {})


def one_line(capsys, call):
    """Run ``call()``; return (its result, the one line it printed)."""
    result = call()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    return result, lines[0]


def the_solution(capsys, exercise):
    checks.solution(exercise)
    return capsys.readouterr().out.split(": ", 1)[1].strip()


# ---- Feedback ----------------------------------------------------------------------------------
@pytest.mark.parametrize("correct", [True, False])
def test_feedback_is_truthy_when_right_and_prints_once(capsys, correct):
    feedback, line = one_line(capsys, lambda: checks.Feedback(correct, "✓ Correct: x.", "x"))
    assert bool(feedback) is correct and feedback.correct is correct and line == "✓ Correct: x."
    assert str(feedback) == line and repr(feedback) == f"Feedback(correct={correct}, exercise='x')"
    feedback._ipython_display_()
    assert capsys.readouterr().out == ""


def test_a_checker_can_be_asserted_and_assigned(capsys):
    assert checks.duration(2.0, np.zeros(32000), 16000)
    _ = checks.duration(3.0, np.zeros(32000), 16000)
    assert not _ and _.answered
    assert capsys.readouterr().out.count("\n") == 2


@pytest.fixture(scope="module")
def kernel():
    """A real (in-process) Jupyter kernel: what it sends is what a notebook shows."""
    from ipykernel.inprocess.manager import InProcessKernelManager

    manager = InProcessKernelManager()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()

    def run(code):
        client.execute(code)
        shown = []
        while True:
            message = client.get_iopub_msg(timeout=60)
            kind, content = message["msg_type"], message["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return shown
            if kind not in ("status", "execute_input"):
                shown.append((kind, content.get("text", content.get("data"))))

    run("import numpy as np, helpers.checks")
    yield run
    client.stop_channels()
    manager.shutdown_kernel()


@pytest.mark.parametrize(
    "source",
    [
        "helpers.checks.duration(2.0, np.zeros(32000), 16000)",
        "_ = helpers.checks.duration(2.0, np.zeros(32000), 16000)",
        "helpers.checks.duration(None, np.zeros(32000), 16000)",
        "helpers.checks.duration('x', np.zeros(32000), 16000)",
    ],
)
def test_a_notebook_cell_shows_exactly_one_line(kernel, source):
    """A bare call's value is displayed after the cell too; _ipython_display_ makes that show nothing."""
    shown = kernel(source)
    assert len(shown) == 1 and shown[0][0] == "stream", shown
    assert shown[0][1].count("\n") == 1 and shown[0][1][0] in "✓✗…", shown


# ---- judge, hint, solution -----------------------------------------------------------------------
def test_judge_answers_the_four_cases(capsys):
    def ask(answer):
        return one_line(
            capsys,
            lambda: checks.judge(
                answer,
                lambda a: a == 4,
                "2 + 2 = 4.",
                [(lambda a: a == 22, "side by side.")],
                nudge="add them.",
                more=["use +."],
                exercise="t_sum",
                solution="2 + 2",
            ),
        )[1]

    assert (
        ask(None) == "… Not answered yet: add them. Replace None with your answer; more help: "
        'helpers.checks.hint("t_sum")'
    )
    assert ask(4) == "✓ Correct: 2 + 2 = 4."
    assert ask(22) == "✗ Not yet: side by side."
    assert ask(5) == '✗ Not yet: Hint 2 of 2: use +. More help: helpers.checks.solution("t_sum")'


def test_judge_survives_tests_and_praise_that_raise_print_or_warn(capsys):
    def noisy(a):
        print("student debug output")
        np.log(np.zeros(1))
        return a == 1

    def praise(a):
        raise RuntimeError

    feedback, line = one_line(
        capsys,
        lambda: checks.judge(
            1, noisy, praise, [(lambda a: 1 / 0, "never")], nudge="n.", exercise="t_noisy", solution="1"
        ),
    )
    assert feedback and line == "✓ Correct: right."
    feedback, line = one_line(
        capsys,
        lambda: checks.judge(
            2, lambda a: 1 / 0, "p", [(lambda a: 1 / 0, "never")], nudge="n.", exercise="t_noisy", solution="1"
        ),
    )
    assert not feedback and line.startswith("✗ Not yet: Hint 1 of 1: n.")


def test_hints_climb_one_rung_per_call_and_never_print_the_solution(capsys):
    checks.judge(None, bool, "p", nudge="first.", more=["second.", "third."], exercise="t_ladder", solution="SECRET")
    capsys.readouterr()
    printed = []
    for _ in range(4):
        checks.hint("t_ladder")
        printed.append(capsys.readouterr().out.strip())
    assert printed[:2] == ["Hint 2 of 3 (t_ladder): second.", "Hint 3 of 3 (t_ladder): third."]  # 1 was shown
    assert all(line.startswith("No more hints") and 'solution("t_ladder")' in line for line in printed[2:])
    assert "SECRET" not in "".join(printed)
    checks.solution("t_ladder")
    assert capsys.readouterr().out == "Solution (t_ladder): SECRET\n"


def test_hint_starts_after_what_a_wrong_answer_already_showed(capsys):
    def ask(answer):
        return checks.judge(
            answer, lambda a: a == 1, "p", nudge="n1.", more=["n2.", "n3."], exercise="t_seen", solution="1"
        ).message

    assert ask(7) == '✗ Not yet: Hint 2 of 3: n2. More help: helpers.checks.hint("t_seen")'
    capsys.readouterr()
    checks.hint("t_seen")
    assert capsys.readouterr().out == "Hint 3 of 3 (t_seen): n3.\n"  # numbered on from the inline "Hint 2 of 3"


@pytest.mark.parametrize("name", NAMES)
def test_no_rung_of_any_ladder_is_the_full_solution(capsys, name):
    check = TABLE[name][0]
    exercise = check(None).exercise
    solution = the_solution(capsys, exercise).split("#")[0].strip()
    ladder = _feedback._REGISTER[exercise].ladder
    assert len(ladder) >= 2 and all(solution not in rung for rung in ladder), (exercise, ladder)


def test_hint_before_any_answer_gives_the_nudge(capsys):
    checks.judge(1, lambda a: a == 1, "p", nudge="n1.", more=["n2."], exercise="t_fresh", solution="1")
    capsys.readouterr()
    checks.hint("t_fresh")
    assert capsys.readouterr().out == "Hint 1 of 2 (t_fresh): n1.\n"


@pytest.mark.parametrize("name", [42, None, "duraton", "no_such_exercise"])
def test_hint_and_solution_of_an_unknown_name_say_what_to_do(capsys, name):
    checks.duration(None, np.zeros(10), 10)
    capsys.readouterr()
    checks.hint(name)
    checks.solution(name)
    out = capsys.readouterr().out
    assert out.count("No exercise named") == 2
    assert ('did you mean "duration"' in out) if name == "duraton" else "known so far" in out


# ---- every checker -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_placeholder_gets_a_nudge_that_holds_neither_the_answer_nor_the_solution(capsys, name):
    check, right, _ = TABLE[name]
    feedback, line = one_line(capsys, lambda: check(None))
    assert not feedback and not feedback.answered and line.startswith("… Not answered yet: ")
    assert f'helpers.checks.hint("{feedback.exercise}")' in line
    solution = the_solution(capsys, feedback.exercise)
    assert solution.split("#")[0].strip() not in line
    if isinstance(right[0], (int, float, np.number)) and not isinstance(right[0], bool):
        value = float(right[0])
        for text in {f"{value:g}", f"{value:.3f}", f"{value:.1f}"}:
            assert not re.search(rf"(?<![\d.]){re.escape(text)}(?![\d])", line), (text, line)


@pytest.mark.parametrize("name", NAMES)
def test_every_checker_registers_a_ladder_and_a_solution(capsys, name):
    check = TABLE[name][0]
    exercise = check(None).exercise
    capsys.readouterr()
    checks.hint(exercise)
    first = capsys.readouterr().out
    assert first.startswith("Hint 2 of ") and f"({exercise})" in first  # the placeholder showed hint 1
    assert the_solution(capsys, exercise)


@pytest.mark.parametrize("name", NAMES)
def test_wrong_answers_never_show_the_solution(capsys, name):
    check, _, wrong = TABLE[name]
    exercise = check(None).exercise
    solution = the_solution(capsys, exercise).split("#")[0].strip()
    for answer, _words in wrong:
        assert solution not in check(answer).message


GARBAGE = [
    "abc",
    b"raw",
    float("nan"),
    float("inf"),
    -1,
    0,
    10**30,
    np.zeros((3, 3, 3)),
    np.array([np.nan]),
    [],
    {},
    object(),
    (1, 2, 3, 4, 5),
    [None, None],
    tf.constant([[1.0]]),
    np.array(["a", "b"]),
    1 + 2j,
    lambda *a, **k: 1 / 0,
    lambda *a, **k: "text",
    lambda *a, **k: None,
    print,
    Ellipsis,
    np.ones(10**6),
]


@pytest.mark.parametrize("name", sorted(TABLE))
def test_checkers_never_raise_on_garbage_and_never_praise_it(capsys, name):
    check = TABLE[name][0]
    for answer in GARBAGE:
        feedback = check(answer)
        assert not feedback, (answer, feedback.message)
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 1 and lines[0].startswith("✗ Not yet: "), (answer, lines)


# ---- the package ---------------------------------------------------------------------------------
def test_every_module_of_the_package_is_exported_without_clashes():
    seen = {}
    for name in MODULES:
        if name.startswith("_"):
            continue
        module = importlib.import_module(f"helpers.checks.{name}")
        for public in module.__all__:
            assert public not in seen, f"{public} exported by {name} and {seen[public]}"
            assert getattr(checks, public) is getattr(module, public)
            seen[public] = name
    assert set(checks.__all__) == set(seen) | {"Feedback", "judge", "hint", "solution"}


def test_a_module_exporting_a_taken_name_is_refused():
    sys.modules["helpers.checks.t_clash"] = types.SimpleNamespace(__all__=["duration"], duration=None)
    try:
        with pytest.raises(ImportError, match="both export 'duration'"):
            checks._export("t_clash")
    finally:
        del sys.modules["helpers.checks.t_clash"]


def test_the_old_public_names_still_import():
    for name in [
        "duration",
        "resampled",
        "mono_mix",
        "frame_step",
        "bin_spacing",
        "n_frames",
        "tone_dip_db",
        "resolving_frame_length",
        "min_max",
        "train_statistics",
        "to_db",
        "extent",
        "orientation",
        "colorbar_label",
        "n_frames_of_clip",
        "snr_db",
        "beat_seconds",
        "c0_change",
        "noise_scale",
        "iterations",
        "cache_position",
    ]:
        assert callable(getattr(checks, name)), name


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(f"helpers.checks.{name}")
    assert doctest.testmod(module).failed == 0


# ---- the checkers agree with the libraries they teach ----------------------------------------------
def test_n_frames_says_when_the_frames_fit_exactly(capsys):
    _, line = one_line(capsys, lambda: checks.n_frames(286, 73984, 1024, 256))
    assert "ends exactly at the last sample" in line


def test_tone_dip_measures_merging_and_separation():
    assert checks.tone_dip_db(256) == 0.0  # one merged peak
    assert checks.tone_dip_db(512) < 6.0 <= checks.tone_dip_db(1024) < checks.tone_dip_db(2048)


def test_resolving_frame_length_follows_the_gap():
    """A wider gap needs a shorter frame: the expected answer is computed, not stored."""
    assert checks.resolving_frame_length(512, f1=1000.0, f2=1100.0)


def test_colorbar_label_says_what_a_reference_adds(capsys):
    assert "what 0 dB is." in checks.colorbar_label("Magnitude (dB re peak)").message
    assert "would also say" in checks.colorbar_label("Magnitude (dB)").message


RECORDINGS = [
    ("fsdd/0_george_0.wav", 16000, "imaging"),
    ("fsdd/0_george_0.wav", 4000, "aliasing"),
    ("librosa-ex/sorohanro_-_solo-trumpet-06.ogg", 16000, "aliasing"),
    ("librosa-ex/Kevin_MacLeod_-_Vibe_Ace.ogg", 8000, "aliasing"),
]


@pytest.mark.parametrize("path, target, words", RECORDINGS)
def test_resampled_judges_real_recordings(test_data, path, target, words):
    """Speech and music, up and down: librosa's other resamplers and SciPy pass, unfiltered ones do not."""
    import scipy.signal

    y, sr = librosa.load(test_data / path, sr=None, duration=8.0)
    common = np.gcd(sr, target)
    exact = (len(y) * target) % sr == 0  # else res_type="fft" stretches time a little (see resampled)
    for right in [
        librosa.resample(y, orig_sr=sr, target_sr=target, res_type=kind)
        for kind in ("soxr_hq", "soxr_lq", "polyphase") + ("fft",) * exact
    ] + [scipy.signal.resample_poly(y, target // common, sr // common)]:
        assert checks.resampled(right, y, sr, target_sr=target)
    positions = np.arange(int(np.ceil(len(y) * target / sr))) * sr / target
    picked = y[np.round(positions).astype(int).clip(max=len(y) - 1)]
    for unfiltered in (np.interp(positions, np.arange(len(y)), y), picked):
        feedback = checks.resampled(unfiltered, y, sr, target_sr=target)
        assert not feedback and words in feedback.message, feedback.message


@given(
    n=st.integers(1100, 6000),
    frame_length=st.sampled_from([256, 400, 512, 1024]),
    frame_step=st.sampled_from([64, 100, 128, 256]),
)
def test_n_frames_accepts_exactly_what_tf_signal_stft_makes(n, frame_length, frame_step):
    made = tf.signal.stft(tf.zeros(n), frame_length, frame_step).shape[0]
    assert checks.n_frames(made, n, frame_length, frame_step)
    assert not checks.n_frames(made + 1, n, frame_length, frame_step)


@given(sr=st.sampled_from([8000, 16000, 22050, 44100, 48000]), fft_length=st.sampled_from([256, 512, 1000, 2048]))
def test_bin_spacing_accepts_the_spacing_of_bin_frequencies(sr, fft_length):
    assert checks.bin_spacing(float(np.diff(spectral.bin_frequencies(fft_length, sr))[0]), sr, fft_length)


@given(sr=st.sampled_from([8000, 16000, 22050, 44100]), ms=st.sampled_from([5, 10, 20, 25]))
def test_frame_step_accepts_the_rounded_hop_and_nothing_else(sr, ms):
    hop = round(ms / 1000 * sr)
    assert checks.frame_step(hop, sr, ms / 1000)
    assert not checks.frame_step(hop + 1, sr, ms / 1000)


@given(gap=st.sampled_from([20.0, 40.0, 80.0, 160.0]))
def test_resolving_frame_length_is_the_first_that_dips_6_db(gap):
    answer = next(2**k for k in range(5, 16) if checks.tone_dip_db(2**k, f2=1000.0 + gap) >= 6.0)
    assert checks.resolving_frame_length(answer, f2=1000.0 + gap)
    assert checks.tone_dip_db(answer // 2, f2=1000.0 + gap) < 6.0


@given(seconds=st.floats(0.5, 4.0), rate=st.sampled_from([8000, 16000, 22050]))
def test_duration_accepts_librosa_get_duration(seconds, rate):
    y = np.zeros(int(seconds * rate))
    assert checks.duration(librosa.get_duration(y=y, sr=rate), y, rate)


def test_the_register_is_the_only_state():
    assert {k for k, v in vars(_feedback).items() if isinstance(v, dict) and not k.startswith("__")} == {"_REGISTER"}


# ---- the data a notebook passes (not the student's answer): a bug there raises, naming the argument --
BAD_DATA = [
    (lambda: checks.duration(1.0, np.zeros(10), 0), ValueError, "sr=0"),
    (lambda: checks.duration(1.0, np.zeros(10), 16000.0), TypeError, "sr=16000.0"),
    (lambda: checks.duration(1.0, "clip", 16000), TypeError, "y='clip'"),
    (lambda: checks.resampled(None, np.zeros(10), 22050, target_sr=-1), ValueError, "target_sr=-1"),
    (lambda: checks.resampled(None, np.full(10, np.nan), 22050), ValueError, "NaN"),
    (lambda: checks.mono_mix(None, np.zeros(10)), ValueError, "2-D"),
    (lambda: checks.frame_step(None, sr=16000, step_seconds=0), ValueError, "step_seconds"),
    (lambda: checks.bin_spacing(None, 16000, 0), ValueError, "fft_length=0"),
    (lambda: checks.n_frames(None, 100, 1024, 256), ValueError, "shorter than frame_length=1024"),
    (lambda: checks.n_frames(None, 16000, 1024, True), TypeError, "frame_step=True"),
    (lambda: checks.resolving_frame_length(None, f1=1000.0, f2=1000.0), ValueError, "f2"),
    (lambda: checks.min_max(None, eps=-1), ValueError, "eps"),
    (lambda: checks.train_statistics(None, [], [1.0]), ValueError, "train"),
    (lambda: checks.to_db(None, np.zeros(3)), ValueError, "magnitude"),
    (lambda: checks.extent(None, n_frames=0, sr=16000, frame_step=160), ValueError, "n_frames=0"),
    (lambda: checks.orientation(None, None, np.zeros(3)), ValueError, "2-D"),
    (lambda: checks.n_frames_of_clip(None, 16000, 400, 0), ValueError, "frame_step=0"),
    (lambda: checks.c0_change(None, np.zeros(3), 40), ValueError, "measured_change"),
    (lambda: checks.noise_scale(None, np.ones(4), np.ones(3)), ValueError, "one shape"),
    (lambda: checks.iterations(None, "curve"), TypeError, "curve='curve'"),
]


@pytest.mark.parametrize("call, error, words", BAD_DATA, ids=[w for _, _, w in BAD_DATA])
def test_wrong_exercise_data_raises_a_clear_error(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call()


# ---- the Used in: lines of the checkers name notebooks that call them ------------------------------------
def used_in_claims():
    import ast
    import pathlib

    for name in MODULES:
        path = pathlib.Path(checks.__path__[0]) / f"{name}.py"
        if name in ("predictions", "experiments"):  # tabled and claimed by their own engineers' tests
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                line = re.search(r"Used in:(.*?)(?:\n\s*\n|$)", ast.get_docstring(node) or "", re.S)
                for notebook in sorted(set(re.findall(r"\b(\d\d_[a-z_]+)", line.group(1) if line else ""))):
                    yield name, node.name, notebook


@pytest.mark.parametrize("module, function, notebook", list(used_in_claims()))
def test_used_in_names_notebooks_that_call_the_checker(module, function, notebook):
    import json
    import pathlib

    paths = list((pathlib.Path(checks.__path__[0]).parents[1] / "notebooks").glob(f"{notebook}.ipynb"))
    assert paths, f"helpers.checks.{module}.{function}: Used in names {notebook}, which does not exist"
    cells = json.loads(paths[0].read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert re.search(rf"\bchecks\.{function}\(", code), f"{notebook} never calls helpers.checks.{function}"
