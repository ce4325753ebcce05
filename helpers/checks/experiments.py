"""Checkers of the ML experiments: a speaker-independent split, and the spread over training seeds (06).

Used in: 06_speech_digits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers.checks._answers import close, is_number, plain
from helpers.checks._feedback import Feedback, holds, judge

__all__ = ["speaker_split", "seed_spread"]

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
