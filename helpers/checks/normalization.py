"""Checkers of 03_normalization: global min-max scaling, statistics fitted on the training set, dB re peak.

Used in: 03_normalization.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import number
from helpers.checks._answers import as_array, calls, close, data, is_number, pair, same
from helpers.checks._feedback import Feedback, judge

__all__ = ["min_max", "train_statistics", "to_db"]


def min_max(function, eps: float = 1e-8) -> Feedback:
    """Check a student's ``min_max(S)`` on a test spectrogram and on a silent (all-zero) clip.

    The function must map ``S`` to ``(S - min) / (max - min + eps)`` with the minimum and maximum of
    the whole array: values in [0, 1], and zeros (not NaN) for a silent clip.

    Parameters
    ----------
    function : callable or None
        The student's ``min_max``; it gets a NumPy array and may return NumPy or a tensor.
    eps : float
        The small number that keeps a silent clip from dividing by zero.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(min_max(lambda S: (S - S.min()) / (S.max() - S.min() + 1e-8)))
    ✓ Correct: the range maps onto [0, 1], and a silent clip gives zeros instead of NaN.
    True

    Used in: 03_normalization.
    """
    eps = number(eps, "eps", minimum=0, maximum=1e-3, what="the tiny number added to the range")
    S = np.random.default_rng(0).uniform(2.0, 6.0, size=(20, 9))
    S[:, 0] *= 0.1  # one quiet bin, so scaling each column on its own is visible
    silent = np.zeros((20, 9))

    def out(x):
        return as_array(calls(function, x.copy()))

    def right(f):
        return same(out(S), (S - S.min()) / (S.max() - S.min() + eps)) and same(out(silent), silent)

    def per_axis(f, axis):
        low, high = S.min(axis=axis, keepdims=True), S.max(axis=axis, keepdims=True)
        return same(out(S), (S - low) / (high - low + eps), atol=1e-3)

    hints = [
        (lambda f: not callable(f), "min_max should be a function: def min_max(S): return ..."),
        (lambda f: calls(f, S.copy()) is None, "the function returns None: end it with return ..."),
        (lambda f: out(S).shape != S.shape, "the output must have the same shape as S; use S.min() and S.max() "
                                            "of the whole array (global min-max)."),
        (lambda f: same(out(S), (S - S.min()) / S.max(), atol=1e-6),
         "divide by the range, S.max() - S.min() (+ eps), not by the maximum."),
        (lambda f: not np.all(np.isfinite(out(silent))),
         "a silent clip (all zeros) gives NaN or inf: max - min is 0 there. Add a small eps to the denominator."),
        (lambda f: per_axis(f, 0) or per_axis(f, 1),
         "each row or column was scaled on its own (min/max with an axis): that erases the level differences "
         "between bins or frames. Use the global S.min() and S.max()."),
        (lambda f: same(out(S), (S - S.mean()) / S.std(), atol=1e-3), "that is standardisation (z-scores, "
                                                                      "mean 0 and std 1); min-max maps onto [0, 1]."),
        (lambda f: same(out(S), S / S.max(), atol=1e-6), "you divided by the maximum only; subtract the minimum "
                                                         "first, so the smallest value becomes 0."),
        (lambda f: abs(out(S).min()) > 1e-6, "the smallest value should become 0: subtract S.min()."),
        (lambda f: abs(out(S).max() - 1) > 1e-4, "the largest value should become 1 (almost: eps is tiny): "
                                                 "divide by (S.max() - S.min() + eps)."),
    ]
    return judge(function, right, "the range maps onto [0, 1], and a silent clip gives zeros instead of NaN.",
                 hints,
                 nudge="shift S so its smallest value is 0, then scale so its largest is 1; what happens "
                       "when every value is the same (a silent clip)?",
                 more=["subtract the global minimum, then divide by the range (max - min) plus a tiny eps.",
                       "use S.min() and S.max() of the whole array, and eps in the denominator only."],
                 exercise="min_max", solution="def min_max(S, eps=1e-8):\n    return (S - S.min()) / "
                                              "(S.max() - S.min() + eps)")


def train_statistics(answer, train, test) -> Feedback:
    """Check ``answer = (mean, std)`` fitted on the training clips only (one number each).

    The population std (``np.std``) and the sample std (``ddof=1``, as pandas gives) are both right.

    Parameters
    ----------
    answer : tuple, list, array or None
        The student's ``(mean, std)``.
    train, test : array-like
        The training and the test clips (any shape).

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(train_statistics((2.0, 1.0), np.array([1.0, 3.0]), np.array([9.0])))
    ✓ Correct: mean 2.000 and std 1.000 from the training clips only; apply the same two numbers to the test clips.
    True

    Used in: 03_normalization.
    """
    train, test = data(train, "train"), data(test, "test")
    everything = np.concatenate([train.ravel(), test.ravel()])
    stds = (train.std(), train.std(ddof=1)) if train.size > 1 else (train.std(),)

    def near(value, target):
        return close(value, target, rel=1e-3, abs_=1e-3)

    def matches(a, data):
        mean, std = pair(a)
        return near(mean, data.mean()) and near(std, data.std())

    def right(a):
        mean, std = pair(a)
        return near(mean, train.mean()) and any(near(std, s) for s in stds)

    clip_axes = tuple(range(1, train.ndim))
    hints = [
        (lambda a: is_number(a), "give two numbers, (mean, std), not one."),
        (lambda a: len(a) != 2, "give two numbers: (mean, std)."),
        (lambda a: matches(a, everything), "those statistics include the test clips: that leaks information "
                                           "about the test set into training. Use the training clips only."),
        (lambda a: matches(a, test), "those are the test clips' statistics; fit on the training clips only."),
        (lambda a: near(pair(a)[0], train.std()) and near(pair(a)[1], train.mean()),
         "the two numbers are swapped: the mean comes first, then the std."),
        (lambda a: near(pair(a)[0], train.mean()) and near(pair(a)[1], train.var()),
         "the mean is right, but the second number is the variance: take its square root (np.std)."),
        (lambda a: clip_axes and near(pair(a)[1], train.std(axis=clip_axes).mean()),
         "that std is the average of each clip's own std; take one std over all training values at once."),
        (lambda a: near(pair(a)[0], train.mean()), "the mean is right; the std is not: "
                                                   "use train.std() over all values."),
    ]
    praise = (f"mean {train.mean():.3f} and std {train.std():.3f} from the training clips only; "
              "apply the same two numbers to the test clips.")
    return judge(answer, right, praise, hints,
                 nudge="which clips may the statistics see, if the test set is to stay unseen?",
                 more=["compute one mean and one std over every value of the training clips only.",
                       "train_db.mean() and train_db.std() (no axis), as a pair."],
                 exercise="train_statistics", solution="stats = (train_db.mean(), train_db.std())")


def to_db(answer, magnitude, amin: float = 1e-5) -> Feedback:
    """Check a magnitude spectrogram in dB relative to its peak: ``20 log10(max(S, amin · S.max()) / S.max())``.

    Only cells above both floors, ``amin`` and ``amin · S.max()``, are compared, so the notebook's
    absolute floor ``np.maximum(S, amin)`` and the relative one are both right, and every value must be
    finite; the praise quotes the answer's own lowest value (where its floor put the zeros).
    ``librosa.amplitude_to_db(S, ref=np.max, amin=amin, top_db=None)`` is right too.

    Parameters
    ----------
    answer : array-like or None
        The student's dB spectrogram.
    magnitude : array-like
        The magnitude spectrogram ``S``.
    amin : float
        The floor, absolute or relative to the peak (both are accepted).

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(to_db(np.array([0.0, -20.0]), np.array([1.0, 0.1])))
    ✓ Correct: the peak is 0 dB and every value is finite (your lowest value: -20.0 dB).
    True

    Used in: 03_normalization.
    """
    S, amin = data(magnitude, "magnitude"), number(amin, "amin", minimum=1e-12, maximum=1.0)
    if S.min() < 0 or S.max() <= 0:
        raise ValueError("magnitude must be |STFT| (>= 0, not all zero); pass the magnitude spectrogram")
    floor = amin * S.max()
    expected = 20 * np.log10(np.maximum(S, floor) / S.max())
    loud = S >= max(floor, amin)  # above the absolute and the relative floor alike

    def near(a, target):
        a = as_array(a)
        return a.shape == S.shape and bool(np.allclose(a[loud], target[loud], atol=0.05))

    def clipped(a):  # librosa's top_db: everything below (peak - top_db) raised to it
        lowest = as_array(a).min()
        return lowest > expected[loud].min() + 1 and near(a, np.maximum(expected, lowest))

    hints = [
        (lambda a: as_array(a).shape != S.shape, f"the result should have the same shape as S, {S.shape}."),
        (lambda a: near(a, expected / 2), "those are half the right values: magnitudes are amplitudes, "
                                          "so use 20·log10; 10·log10 is for power (|S|**2)."),
        (lambda a: near(a, 2 * expected), "those are twice the right values: S is already a magnitude; "
                                          "20·log10(S) (or 10·log10(S**2)), not 20·log10(S**2)."),
        (lambda a: near(a, expected * np.log(10)), "np.log is the natural logarithm; decibels use np.log10."),
        (lambda a: near(a, expected + 20 * np.log10(S.max())), "the peak should be 0 dB: divide by S.max() "
                                                                "(the reference) inside the log."),
        (lambda a: not np.all(np.isfinite(as_array(a))), "some values are -inf (the log of 0): raise S to a "
                                                         "floor first, np.maximum(S, amin)."),
        (lambda a: clipped(a), lambda a: f"the quiet cells are cut off at {as_array(a).min():.0f} dB: that is "
                                         "librosa's top_db clipping (top_db=80 by default). Pass top_db=None, "
                                         "or compute 20·log10 yourself."),
    ]
    def praise(a):  # the student's own lowest value: it shows where their floor put the zeros
        return f"the peak is 0 dB and every value is finite (your lowest value: {as_array(a).min():.1f} dB)."

    return judge(answer, lambda a: near(a, expected) and bool(np.all(np.isfinite(as_array(a)))), praise, hints,
                 nudge="decibels compare each value with a reference (here the peak) on a log scale; "
                       "what must happen to zeros before a log?",
                 more=["dB re peak = 20·log10(S / S.max()) for magnitudes; keep S away from 0 with a floor.",
                       "raise S to the floor amin with np.maximum before the log, then divide by the peak."],
                 exercise="to_db", solution="S_db_yours = 20 * np.log10(np.maximum(S_np, amin) / S_np.max())  "
                                            "# amin = 1e-5, as above")
