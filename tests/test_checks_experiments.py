"""Table tests of the 06 experiment checkers: plausible wrong answers rejected with their hint, right ones accepted."""

import numpy as np
import pytest

import helpers.checks as checks


def by_field(paths, held_out):
    return np.array([p.stem.split("_")[1] == held_out for p in paths])


def by_regex(paths, held_out):
    import re

    return np.array([re.fullmatch(rf"\d+_{re.escape(held_out)}_\d+", p.stem) is not None for p in paths])


def by_rsplit(paths, held_out):
    return np.asarray([p.name.rsplit("_", 2)[-2] == held_out for p in paths], dtype=bool)


@pytest.mark.parametrize("function", [by_field, by_regex, by_rsplit])
def test_speaker_split_accepts_right_functions(function, capsys):
    assert checks.speaker_split(function)
    assert "✓ Correct" in capsys.readouterr().out


WRONG_SPLITS = [
    (lambda ps, h: np.array([h in p.name for p in ps]), "not `in`"),
    (lambda ps, h: np.array([p.stem.split("_")[1] != h for p in ps]), "upside down"),
    (lambda ps, h: np.array([p.stem.split("_")[0] == h for p in ps]), "the digit"),
    (lambda ps, h: [p for p in ps if p.stem.split("_")[1] == h], "bool array"),
    (lambda ps, h: None, "bool array"),
    (lambda ps, h: 1 / 0, "bool array"),
    ("jack", "a function"),
    (42, "a function"),
]


@pytest.mark.parametrize("function, hint", WRONG_SPLITS)
def test_speaker_split_rejects_plausible_mistakes(function, hint, capsys):
    assert not checks.speaker_split(function)
    out = capsys.readouterr().out
    assert out.startswith("✗ Not yet") and hint in out


def test_speaker_split_placeholder_gives_a_nudge_not_the_answer(capsys):
    assert not checks.speaker_split(None)
    out = capsys.readouterr().out
    assert out.startswith("… Not answered yet") and "np.array([" not in out


ACC = [0.56, 0.49, 0.53]
MEAN, SPREAD = float(np.mean(ACC)), max(ACC) - min(ACC)


@pytest.mark.parametrize(
    "answer",
    [
        (MEAN, SPREAD),
        [MEAN, SPREAD],
        (np.float32(MEAN), np.float64(SPREAD)),
        np.array([MEAN, SPREAD]),
        (round(MEAN, 3), round(SPREAD, 3)),
    ],
)
def test_seed_spread_accepts_right_variants(answer, capsys):
    assert checks.seed_spread(answer, ACC)


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((SPREAD, MEAN), "swapped"),
        ((100 * MEAN, 100 * SPREAD), "percentages"),
        ((MEAN, float(np.std(ACC))), "standard deviation"),
        ((MEAN, float(np.std(ACC, ddof=1))), "standard deviation"),
        ((MEAN, max(ACC)), "a difference"),
        ((float(np.median(ACC)), SPREAD), "median"),
        ((ACC[0], SPREAD), "one seed"),
        ("0.53 and 0.07", "two numbers"),
        ((MEAN, SPREAD, 3), "two numbers"),
        ((float("nan"), SPREAD), "More help"),
    ],
)
def test_seed_spread_rejects_plausible_mistakes(answer, hint, capsys):
    assert not checks.seed_spread(answer, ACC)
    out = capsys.readouterr().out
    assert out.startswith("✗ Not yet") and hint in out


def test_seed_spread_placeholder_never_gives_the_numbers(capsys):
    assert not checks.seed_spread(None, ACC)
    out = capsys.readouterr().out
    assert out.startswith("… Not answered yet") and f"{MEAN:.3f}" not in out


# A confusion at low SNR (rows true, columns predicted): most clips are called "engine".
NAMES = ["bird", "horn", "engine", "rain"]
CONFUSION = np.array([[6, 0, 14, 0], [1, 9, 10, 0], [0, 0, 20, 0], [0, 0, 18, 2]])


@pytest.mark.parametrize("answer", ["engine", NAMES[2], str(np.str_("engine"))])
def test_most_predicted_accepts_the_class_said_most(answer, capsys):
    assert checks.most_predicted(answer, CONFUSION, NAMES)


@pytest.mark.parametrize(
    "answer, hint",
    [
        ("Engine", "not one of the class names"),
        (2, "as a string"),
        ("horn", "More help"),
        ("rain", "More help"),
        (["engine"], "as a string"),
        ("", "not one of the class names"),
    ],
)
def test_most_predicted_rejects_plausible_mistakes(answer, hint, capsys):
    assert not checks.most_predicted(answer, CONFUSION, NAMES)
    out = capsys.readouterr().out
    assert out.startswith("✗ Not yet") and hint in out


def test_most_predicted_names_the_best_recognised_class_mistake(capsys):
    confusion = np.array([[10, 0, 0], [0, 2, 8], [0, 1, 9]])  # "a" recognised best, "c" said most
    assert not checks.most_predicted("a", confusion, ["a", "b", "c"])
    assert "recognised best" in capsys.readouterr().out


def test_most_predicted_names_summing_the_rows(capsys):
    confusion = np.array([[1, 9], [0, 1]])  # row sums say "a", column sums say "b"
    assert not checks.most_predicted("a", confusion, ["a", "b"])
    assert "summed the rows" in capsys.readouterr().out


PRECISION = 20 / 62  # engine: 20 right of the 62 clips called engine; its recall is 20 / 20 = 1


@pytest.mark.parametrize(
    "answer", [PRECISION, np.float32(PRECISION), round(PRECISION, 4), np.array(PRECISION), round(PRECISION, 3)]
)  # 0.323: the precision as the praise prints it
def test_class_precision_accepts_right_variants(answer, capsys):
    assert checks.class_precision(answer, CONFUSION, NAMES, "engine")


@pytest.mark.parametrize(
    "answer, hint",
    [
        (1.0, "recall"),
        (round(PRECISION, 2), "three decimals"),  # 0.32: two decimals are not enough
        (100 * PRECISION, "percentage"),
        (20, "count"),
        (62, "count"),
        (1 - PRECISION, "upside down"),
        (20 / CONFUSION.sum(), "all clips"),
        ("0.32", "one number"),
        (None, "Not answered yet"),
    ],
)
def test_class_precision_rejects_plausible_mistakes(answer, hint, capsys):
    assert not checks.class_precision(answer, CONFUSION, NAMES, "engine")
    out = capsys.readouterr().out
    assert hint in out and "confusion[k, k]" not in out
