"""Table tests of the predict-first checkers (helpers.checks.predictions) and 05's (helpers.checks.tradeoff):
right variants accepted,
plausible wrong answers rejected each with its own specific hint, the placeholder never given the answer."""

from __future__ import annotations

import re

import numpy as np
import pytest

import helpers.checks as P
from helpers.checks import predictions, tradeoff

SHAPE_ARGS = dict(n_samples=73984, frame_length=512, frame_step=128, fft_length=1024)

# checker, keyword arguments, right variants, [(wrong answer, words its hint must contain)]
TABLE = {
    "alias_frequency": (
        P.alias_frequency,
        {},
        [2350, 2350.0, np.float64(2352.5), np.int64(2345), np.array(2350.0)],
        [
            (5000, "cannot hold it"),
            (3675, "mirrored there"),
            (1325, "how far above"),
            (0, "does not silence"),
            (12350, "no frequency above"),
            (5000 / 3, "does not divide"),
            (2500, "does not divide"),
            ("2350", "one frequency"),
            ([2350], "one frequency"),
            (float("nan"), "one frequency"),
        ],
    ),
    "stft_shape": (
        P.stft_shape,
        SHAPE_ARGS,
        [(575, 513), [575, 513], np.array([575, 513]), (575.0, 513.0)],
        [
            ((513, 575), "[frames, bins]"),
            ((575, 257), "not frame_length"),
            ((575, 1024), "0 … sr / 2"),
            ((575, 512), "0 … sr / 2"),
            ((578, 513), "subtract"),
            ((571, 513), "only appends zeros"),
            ((574, 513), "one frame short"),
            ((286, 513), "hop of 256"),
            (575, "two whole numbers"),
            ((575.5, 513), "two whole numbers"),
            ("(575, 513)", "two whole numbers"),
        ],
    ),
    "db_of_ratios": (
        P.db_of_ratios,
        {},
        [(-6, -40), (-6.02, -40.0), [-6.0206, -40], np.array([-5.9, -40.1])],
        [
            ((-3.01, -20), "power"),
            ((6.02, 40), "negative"),
            ((-0.301, -2), "multiply by 20"),
            ((0.5, 0.01), "ratios themselves"),
            ((-50, -99), "not a percentage"),
            ((-6, -20), "first is right"),
            ((-6, -60), "first is right"),
            (-6, "2 numbers"),
            ((-6, -40, 0), "2 numbers"),
        ],
    ),
    "mel_step_ratio": (
        P.mel_step_ratio,
        {},
        [4, 3.9, np.float32(3.93), 3.5, 4.5],
        [
            (1, "octaves"),
            (10, "ratio in hertz"),
            (0.25, "other way round"),
            (6.7, "Slaney"),
            (2, "more than that"),
            (5.5, "less than that"),
            ("4", "one number"),
            ((133, 521), "one number"),
        ],
    ),
    "click_widths": (
        P.click_widths,
        {},
        [(23.2, 5.8), (23, 6), [20, 5], np.array([25.0, 6.5]), (23.2, 5.0)],
        [
            ((5.8, 5.8), "does not make the stripe narrower"),
            ((92.9, 5.8), "more frames do not widen"),
            ((23.2, 23.2), "4× shorter frame"),
            ((23.2, 11.6), "quarter"),
            ((23.2, 92.8), "other way round"),
            ((0.0232, 0.0058), "seconds"),
            ((512, 128), "samples"),
            ((23.2, -5), "positive"),
            (23.2, "two widths"),
        ],
    ),
    "chirp_frame_length": (
        P.chirp_frame_length,
        {},
        [1024, np.int64(1024), 1024.0, np.array(1024)],
        [
            (4096, "longest frame"),
            (128, "short frame"),
            (256, "short frame"),
            (2048, "too long"),
            (512, "too short"),
            ("1024", "choose one of"),
            (1000, "choose one of"),
            (True, "choose one of"),
            ([1024], "choose one of"),
        ],
    ),
    "window_choice": (
        P.window_choice,
        {},
        ["vorbis", "Vorbis", " vorbis ", "VORBIS"],
        [
            ("hann", "43 Hz wide"),
            ("kaiser", "59 Hz wide"),
            ("rectangular", "hides it"),
            ("hamming", "a tie"),
            ("blackman", "name one of"),
            (3, "name one of"),
            (["vorbis"], "name one of"),
        ],
    ),
}
CASES = [(name, answer) for name, (_, _, right, _) in TABLE.items() for answer in right]
WRONG = [(name, answer, words) for name, (_, _, _, wrong) in TABLE.items() for answer, words in wrong]


@pytest.mark.parametrize("name, answer", CASES, ids=lambda v: repr(v)[:30])
def test_right_variants_are_accepted(name, answer):
    checker, kwargs, _, _ = TABLE[name]
    feedback = checker(answer, **kwargs)
    assert feedback and feedback.message.startswith("✓ Correct"), feedback.message


@pytest.mark.parametrize("name, answer, words", WRONG, ids=lambda v: repr(v)[:30])
def test_wrong_answers_get_their_specific_hint(name, answer, words):
    checker, kwargs, _, _ = TABLE[name]
    feedback = checker(answer, **kwargs)
    assert not feedback and feedback.message.startswith("✗ Not yet"), feedback.message
    assert words in feedback.message, feedback.message
    assert "hint(" not in feedback.message  # a specific hint, not the generic fallback


@pytest.mark.parametrize("name", TABLE)
def test_at_least_five_wrong_answers_are_tabled(name):
    assert len(TABLE[name][3]) >= 5 and len(TABLE[name][2]) >= 3


@pytest.mark.parametrize("name", TABLE)
def test_the_placeholder_gets_a_nudge_not_the_answer(name, capsys):
    checker, kwargs, right, _ = TABLE[name]
    feedback = checker(None, **kwargs)
    assert not feedback and feedback.message.startswith("… Not answered yet")
    printed = capsys.readouterr().out
    assert printed.count("Not answered yet") == 1
    praise = checker(right[0], **kwargs).message
    numbers = [w.strip(".,:();") for w in praise.split() if any(ch.isdigit() for ch in w)]
    for number in numbers[-2:]:  # the result the praise states must not be in the nudge
        assert number not in feedback.message, (number, feedback.message)


@pytest.mark.parametrize("name", TABLE)
def test_no_number_in_the_nudge_is_an_accepted_answer(name, capsys):
    checker, kwargs, _, _ = TABLE[name]
    nudge = checker(None, **kwargs).message
    for number in re.findall(r"\d+(?:\.\d+)?", nudge):  # e.g. a list of candidates "1×, 2×, 4× or 10×"
        assert not checker(float(number), **kwargs), (number, nudge)


def test_window_choice_names_the_tie_in_width_honestly():
    praise = P.window_choice("vorbis").message
    assert "as narrow, but hiding the quiet tone" in praise and "hamming" in praise, praise


@pytest.mark.parametrize("name", TABLE)
def test_solution_is_registered_and_printed_only_on_request(name, capsys):
    checker, kwargs, _, _ = TABLE[name]
    checker(None, **kwargs)
    capsys.readouterr()
    import helpers.checks

    helpers.checks.solution(name)
    assert f"Solution ({name})" in capsys.readouterr().out


def test_measurements_follow_the_frame_length_not_the_hop():
    assert P.click_width_ms(1024, 64) == pytest.approx(P.click_width_ms(1024, 256))
    assert P.click_width_ms(256, 64) == pytest.approx(P.click_width_ms(1024, 64) / 4)
    assert P.click_dip_db(256) > 6 > P.click_dip_db(1024)
    assert P.click_dip_db(4096) == 0.0
    assert P.tone_pair_dip_db(4096) > P.tone_pair_dip_db(2048) > 6 > P.tone_pair_dip_db(1024)
    assert P.tone_pair_dip_db(256) == 0.0


def test_folding_table():
    for f, sr, expected in [(5000, 7350, 2350), (1000, 7350, 1000), (8000, 7350, 650), (7350, 7350, 0)]:
        assert predictions.folded_frequency(f, sr) == pytest.approx(expected)


def test_chirp_line_is_thinnest_at_a_middle_frame():
    widths = [tradeoff.chirp_line_width_hz(n) for n in tradeoff.POWERS_OF_TWO]
    best = int(np.argmin(widths))
    assert 0 < best < len(widths) - 1  # neither the shortest nor the longest frame
    assert widths[-1] > 2 * widths[best] and widths[0] > 2 * widths[best]


def test_window_trade_off_is_measured():
    (rect_level, rect_width), (hann_level, hann_width) = (tradeoff.window_leakage(w) for w in ("rectangular", "hann"))
    assert rect_level > -50 and abs(hann_level + 60) < 1  # the rectangular window hides the -60 dB tone
    assert hann_width > 1.3 * rect_width  # and a taper costs a wider peak
