"""Checkers of the ML experiments: a held-out speaker and the spread over seeds (06), a collapse in noise (07).

Used in: 06_speech_digits, 07_environmental_sounds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers.checks._answers import close, is_number, plain
from helpers.checks._feedback import Feedback, holds, judge

__all__ = ["speaker_split", "seed_spread", "most_predicted", "class_precision"]

# FSDD-style names {digit}_{speaker}_{take}.wav with traps: one speaker's name inside another's
# ("jack" in "jackson"), a speaker named like a digit or take, and a take number equal to a digit.
_TRAP_NAMES = [
    "0_jackson_0.wav",
    "1_jackson_12.wav",
    "2_jack_3.wav",
    "3_jack_0.wav",
    "4_theo_4.wav",
    "5_nicolas_5.wav",
    "6_theo_0.wav",
    "7_jackson_49.wav",
    "8_jack_7.wav",
    "9_nicolas_1.wav",
    "1_yweweler_1.wav",
    "2_theo_2.wav",
]


def _speaker(name: str) -> str:
    return Path(name).stem.split("_")[1]


def _mask_of(function, paths, held_out):
    """The student's mask for ``held_out`` on ``paths`` as a bool array (raises when it is not one)."""
    mask = np.asarray(plain(function([Path(p) for p in paths], held_out)))
    if mask.dtype != bool or mask.shape != (len(paths),):
        raise TypeError("not a boolean mask of one value per path")
    return mask


def _expected(paths, held_out) -> np.ndarray:
    return np.array([_speaker(p) == held_out for p in paths])


def speaker_split(function) -> Feedback:
    """Check ``function(paths, held_out) -> bool mask``: True exactly for the clips by speaker ``held_out``.

    The checker calls the function on FSDD-style names it makes itself, with traps (``"jack"`` is
    part of ``"jackson"``; takes and digits share numbers), so it cannot be passed by luck.

    Parameters
    ----------
    function : callable or None
        ``function(paths, held_out)`` with ``paths`` a list of ``pathlib.Path`` and ``held_out`` a
        speaker's name; returns a NumPy bool array, one value per path.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> def held_out_mask(paths, held_out):
    ...     return np.array([p.stem.split("_")[1] == held_out for p in paths])
    >>> bool(speaker_split(held_out_mask))
    ✓ Correct: a clip is held out exactly when the middle field of its name is the speaker.
    True

    Used in: 06_speech_digits.
    """
    names = _TRAP_NAMES

    def right(f):
        return all(np.array_equal(_mask_of(f, names, s), _expected(names, s)) for s in ("jack", "theo", "nicolas"))

    def mask(f, speaker="jack"):
        return _mask_of(f, names, speaker)

    hints = [
        (lambda f: not callable(f), "the answer is a function: def held_out_mask(paths, held_out): ..."),
        (
            lambda f: not holds(lambda g: _mask_of(g, names, "jack") is not None, f),
            "return one True/False per path as a NumPy bool array, e.g. np.array([... for p in paths]).",
        ),
        (
            lambda f: mask(f).sum() > _expected(names, "jack").sum() and all(mask(f)[_expected(names, "jack")]),
            "your mask also holds out 'jackson' for 'jack': compare the whole speaker field with ==, not `in`.",
        ),
        (
            lambda f: np.array_equal(mask(f), ~_expected(names, "jack")),
            "the mask is upside down: True must mark the held-out speaker's clips, not the training ones.",
        ),
        (
            lambda f: np.array_equal(mask(f, "theo"), np.array([Path(p).stem.split("_")[0] == "theo" for p in names])),
            "you read the first field, which is the digit; the speaker is the middle one ({digit}_{speaker}_{take}).",
        ),
    ]
    return judge(
        function,
        right,
        "a clip is held out exactly when the middle field of its name is the speaker.",
        hints,
        exercise="speaker_split",
        nudge="a file is named {digit}_{speaker}_{take}.wav: split p.stem at '_' and compare the "
        "speaker field with held_out.",
        more=[
            "compare the whole field with ==; a substring test also catches longer names.",
            "p.stem.split('_')[1] is the speaker; return np.array([... == held_out for p in paths]).",
        ],
        solution="def held_out_mask(paths, held_out):\n"
        "    return np.array([p.stem.split('_')[1] == held_out for p in paths])",
    )


def seed_spread(answer, accuracies) -> Feedback:
    """Check ``(mean, spread)`` of accuracies over seeds, the spread being max − min (the range).

    Parameters
    ----------
    answer : tuple of two floats, or None
        The student's ``(mean, spread)``.
    accuracies : sequence of float
        One accuracy per training seed.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(seed_spread((0.5, 0.2), [0.4, 0.5, 0.6]))
    ✓ Correct: mean 0.500, spread (max - min) 0.200 over 3 seeds.
    True

    Used in: 06_speech_digits.
    """
    acc = np.asarray(accuracies, dtype=np.float64)
    mean, spread = float(acc.mean()), float(acc.max() - acc.min())
    hints = _spread_hints(acc, mean, spread)
    praise = f"mean {mean:.3f}, spread (max - min) {spread:.3f} over {acc.size} seeds."
    return judge(
        answer,
        lambda a: _near(a, mean, spread),
        praise,
        hints,
        exercise="seed_spread",
        nudge="the mean of the per-seed accuracies, and the range they span.",
        more=["np.mean(values) and np.max(values) - np.min(values)."],
        solution="values = list(cnn_fsdd.values())\nanswer = (np.mean(values), np.max(values) - np.min(values))",
    )


def _pair(a) -> tuple[float, float]:
    """``a`` as two floats (raises when it is not a pair of numbers)."""
    a = plain(a)
    if isinstance(a, (str, bytes)) or len(a) != 2 or not all(is_number(v) for v in a):
        raise TypeError("not a pair of numbers")
    return float(plain(a[0])), float(plain(a[1]))


def _near(a, mean: float, spread: float) -> bool:
    got = _pair(a)
    return close(got[0], mean, rel=1e-3, abs_=1e-4) and close(got[1], spread, rel=1e-3, abs_=1e-4)


def _spread_hints(acc: np.ndarray, mean: float, spread: float) -> list:
    """The usual mistakes with a mean and a spread over seeds, and what to say about each."""

    def first_is(value):
        return lambda a: close(_pair(a)[0], value, rel=1e-3) and not close(_pair(a)[0], mean, rel=1e-3)

    return [
        (lambda a: not holds(_pair, a), "give two numbers, as a tuple: (mean, spread)."),
        (lambda a: _near(a, spread, mean), "the two numbers are swapped: (mean, spread), mean first."),
        (lambda a: _near(a, 100 * mean, 100 * spread), "those are percentages; give fractions like the accuracies."),
        (
            lambda a: _near(a, mean, float(acc.std())) or _near(a, mean, float(acc.std(ddof=1))),
            "that spread is the standard deviation; here the spread is the range, max - min.",
        ),
        (
            lambda a: _near(a, mean, float(acc.max())) or _near(a, mean, float(acc.min())),
            "the spread is a difference: the best seed minus the worst.",
        ),
        (first_is(float(np.median(acc))), "that is the median; take the mean (np.mean)."),
        (first_is(float(acc[0])), "that is one seed's accuracy; average over all of them."),
    ]


def most_predicted(answer, confusion, class_names) -> Feedback:
    """Check the name of the class a model predicts most often, from a confusion matrix (rows true, columns predicted).

    Parameters
    ----------
    answer : str or None
        The student's class name.
    confusion : array [classes, classes]
        Counts: row = true class, column = predicted class.
    class_names : list of str

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(most_predicted("b", [[1, 3], [0, 4]], ["a", "b"]))
    ✓ Correct: 7 of 8 clips are called 'b': the model has collapsed onto it.
    True

    Used in: 07_environmental_sounds.
    """
    counts = np.asarray(confusion).sum(axis=0)
    names = list(class_names)
    top = names[int(np.argmax(counts))]
    diagonal = np.diag(np.asarray(confusion)) / np.maximum(np.asarray(confusion).sum(axis=1), 1)
    hints = [
        (lambda a: not isinstance(a, str), "give the class's name as a string, e.g. class_names[i]."),
        (lambda a: a not in names, f"that is not one of the class names: {', '.join(names)}."),
        (
            lambda a: a == names[int(np.argmax(diagonal))] and a != top,
            "that is the class recognised best (the largest diagonal share); which class is *said* most?",
        ),
        (
            lambda a: a == names[int(np.argmax(np.asarray(confusion).sum(axis=1)))] and a != top,
            "you summed the rows (the true classes); the predictions are the columns.",
        ),
    ]
    share = f"{int(counts.max())} of {int(counts.sum())}"
    return judge(
        answer,
        lambda a: a == top,
        f"{share} clips are called {top!r}: the model has collapsed onto it.",
        hints,
        exercise="most_predicted",
        nudge="the columns of the confusion matrix are the predictions: add each column up.",
        more=["confusion.sum(axis=0) counts the predictions per class; take the name at its largest value."],
        solution="answer = class_names[int(np.argmax(confusion.sum(axis=0)))]",
    )


def class_precision(answer, confusion, class_names, name: str) -> Feedback:
    """Check the precision of class ``name``: of the clips predicted as ``name``, the fraction that really are.

    Parameters
    ----------
    answer : float or None
        The student's precision, a fraction in [0, 1].
    confusion : array [classes, classes]
        Counts: row = true class, column = predicted class.
    class_names : list of str
    name : str
        The class to score.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(class_precision(0.25, [[1, 3], [0, 1]], ["a", "b"], "b"))
    ✓ Correct: 1 of the 4 clips called 'b' are 'b': precision 0.250 (its accuracy, or recall, is 1.000).
    True

    Used in: 07_environmental_sounds.
    """
    c = np.asarray(confusion, dtype=np.float64)
    k = list(class_names).index(name)
    called, right, truly = c[:, k].sum(), c[k, k], c[k, :].sum()
    precision, recall = right / max(called, 1), right / max(truly, 1)
    hints = [
        (lambda a: not is_number(a), "give one number, a fraction between 0 and 1."),
        (lambda a: close(a, precision, rel=0, abs_=0.01), "close: give three decimals or more (or let NumPy "
                                                          "compute it)."),
        (
            lambda a: close(a, recall, rel=1e-3) and not close(a, precision, rel=1e-3),
            "that is the recall (the row: how many true ones were found); precision reads the column of predictions.",
        ),
        (lambda a: close(a, 100 * precision, rel=1e-3), "that is a percentage; give a fraction."),
        (
            lambda a: close(a, right, rel=1e-6) or close(a, called, rel=1e-6),
            "that is a count; divide the right ones by all the clips called this class.",
        ),
        (
            lambda a: close(a, 1 - precision, rel=1e-3),
            "upside down: the share of the predictions that are right, not wrong.",
        ),
        (
            lambda a: close(a, right / c.sum(), rel=1e-3),
            "you divided by all clips; divide by the clips *called* this class.",
        ),
    ]
    praise = (
        f"{int(right)} of the {int(called)} clips called {name!r} are {name!r}: precision {precision:.3f} "
        f"(its accuracy, or recall, is {recall:.3f})."
    )
    return judge(
        answer,
        lambda a: close(a, precision, rel=0, abs_=5e-4),  # the 3 decimals the praise prints are right
        praise,
        hints,
        exercise="class_precision",
        nudge="precision asks: when the model says this class, how often is it right? Read its column.",
        more=[f"k = class_names.index({name!r}); confusion[k, k] / confusion[:, k].sum()."],
        solution=f"k = class_names.index({name!r})\nanswer = confusion[k, k] / confusion[:, k].sum()",
    )
