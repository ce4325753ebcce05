"""Checkers of the experiments in the reconstruction and deployment notebooks (11, 12).

Used in: 11_phase_reconstruction, 12_deployment.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import number
from helpers.checks._answers import close, data, is_number, plain
from helpers.checks._feedback import Feedback, holds, judge

__all__ = ["sc_function", "tflite_agreement", "series_rate"]

_RNG = np.random.default_rng(11)
_X = (_RNG.standard_normal((6, 9)) + 1j * _RNG.standard_normal((6, 9))).astype(np.complex64)
_TARGET = np.abs(_X) * (1 + 0.3 * _RNG.uniform(size=_X.shape)).astype(np.float32)   # a magnitude to reach
_SAME_MAG = (np.abs(_X) * np.exp(1j * _RNG.uniform(0, 2 * np.pi, _X.shape))).astype(np.complex64)


def _sc(f, target, rebuilt):
    value = plain(f(target, rebuilt))
    if not is_number(value):
        raise TypeError("not one number")
    return float(value)


def _cases():
    """(target magnitude, rebuilt STFT, right SC) on the checker's own arrays."""
    norm = np.linalg.norm
    return [(_TARGET, _X, float(norm(_TARGET - np.abs(_X)) / norm(_TARGET))),
            (np.abs(_X), _SAME_MAG, 0.0),
            (np.abs(_X), 2 * _X, 1.0)]


def _gives(f, formula) -> bool:
    return all(close(_sc(f, t, r), formula(t, r), rel=1e-4, abs_=1e-5) for t, r, _ in _cases())


def sc_function(function) -> Feedback:
    """Check ``function(target_magnitude, rebuilt_stft) -> SC``, the spectral convergence.

    SC = ‖ |S| − |Ŝ| ‖ / ‖ |S| ‖ (Frobenius norms). The checker's cases include a rebuilt STFT
    with the right magnitude and a different phase (SC 0) and one twice as loud (SC 1).

    Examples
    --------
    >>> def sc(target, rebuilt):
    ...     return np.linalg.norm(target - np.abs(rebuilt)) / np.linalg.norm(target)
    >>> bool(sc_function(sc))  # doctest: +NORMALIZE_WHITESPACE
    ✓ Correct: SC compares magnitudes only: the same magnitude under another phase scores 0, twice the
    magnitude scores 1.
    True

    Used in: 11_phase_reconstruction.
    """
    norm = np.linalg.norm
    hints = [
        (lambda f: not callable(f), "the answer is a function: def sc(target, rebuilt): ..."),
        (lambda f: not holds(lambda g: _sc(g, *_cases()[0][:2]) is not None, f), "return one number (a float)."),
        (lambda f: _gives(f, lambda t, r: norm(t - r) / norm(t)),
         "that subtracts the complex STFT, so a different phase counts as an error; SC compares magnitudes: "
         "take np.abs of the rebuilt STFT first."),
        (lambda f: _gives(f, lambda t, r: (norm(t - np.abs(r)) / norm(t)) ** 2), "that is SC squared; np.linalg.norm "
                                                                                 "already takes the square root."),
        (lambda f: _gives(f, lambda t, r: norm(t - np.abs(r)) / norm(np.abs(r))),
         "divide by the norm of the target magnitude, not of the rebuilt one."),
        (lambda f: _gives(f, lambda t, r: norm(t - np.abs(r))), "divide by the norm of the target: SC is relative."),
        (lambda f: _gives(f, lambda t, r: norm(t ** 2 - np.abs(r) ** 2) / norm(t ** 2)),
         "that compares power spectrograms; SC uses magnitudes."),
    ]
    return judge(function, lambda f: all(close(_sc(f, t, r), sc, rel=1e-4, abs_=1e-5) for t, r, sc in _cases()),
                 "SC compares magnitudes only: the same magnitude under another phase scores 0, twice the magnitude "
                 "scores 1.", hints,
                 nudge="the norm of the difference of two magnitude spectrograms, relative to the target's norm.",
                 more=["np.linalg.norm(target - np.abs(rebuilt)) / np.linalg.norm(target)."],
                 exercise="sc_function",
                 solution="def sc(target, rebuilt):\n"
                          "    return np.linalg.norm(target - np.abs(rebuilt)) / np.linalg.norm(target)")


def tflite_agreement(answer, keras_classes, tflite_classes, labels) -> Feedback:
    """Check the fraction of clips on which the TFLite model picks the same class as the Keras model.

    Parameters
    ----------
    answer : float or None
    keras_classes, tflite_classes, labels : array-like of int
        Each model's predicted class per clip, and the true class.

    Examples
    --------
    >>> bool(tflite_agreement(0.75, [1, 2, 3, 4], [1, 2, 3, 0], [1, 2, 0, 0]))
    ✓ Correct: the models agree on 3 of 4 clips (0.750); they disagree on 1.
    True

    Used in: 12_deployment.
    """
    keras_c, lite_c = data(keras_classes, "keras_classes", ndim=1), data(tflite_classes, "tflite_classes", ndim=1)
    truth = data(labels, "labels", ndim=1)
    if not keras_c.shape == lite_c.shape == truth.shape:
        raise ValueError(f"keras_classes {keras_c.shape}, tflite_classes {lite_c.shape} and labels {truth.shape} "
                         "must have one length: one class per clip")
    n, same = keras_c.size, int(np.sum(keras_c == lite_c))
    agree = same / n

    def near(a, target):
        return close(a, target, rel=0, abs_=0.5 / n)

    hints = [
        (lambda a: not is_number(a), "give one number: the fraction of clips where the two classes match."),
        (lambda a: close(a, same) and same > 1, f"that is a count; divide by the number of clips ({n})."),
        (lambda a: near(a / 100, agree) and float(plain(a)) > 1, "that is a percentage; give a fraction (0…1)."),
        (lambda a: near(a, 1 - agree) and same != n - same, "that is the fraction where they disagree."),
        (lambda a: (near(a, np.mean(lite_c == truth)) or near(a, np.mean(keras_c == truth)))
         and not near(a, agree), "that compares with the true labels (an accuracy); compare the two models' "
                                 "classes with each other."),
    ]
    return judge(answer, lambda a: near(a, agree),
                 f"the models agree on {same} of {n} clips ({agree:.3f}); they disagree on {n - same}.", hints,
                 nudge="compare the two arrays of classes element by element and average.",
                 more=["np.mean(tflite_classes == keras_classes)."], exercise="tflite_agreement",
                 solution="agreement = np.mean(tflite_classes == keras_classes)")


def series_rate(answer, pipeline_rate, model_rate) -> Feedback:
    """Check the predicted clips/s when a pipeline and a training step take turns (no overlap).

    Each clip costs 1/pipeline_rate + 1/model_rate seconds, so the rate is their harmonic sum
    ``1 / (1/A + 1/B)``; with perfect overlap (prefetch) it would be ``min(A, B)``.

    Examples
    --------
    >>> bool(series_rate(400.0, 2000.0, 500.0))  # doctest: +NORMALIZE_WHITESPACE
    ✓ Correct: 1 / (1/2000 + 1/500) = 400 clips/s: taking turns, the slower side sets the pace and
    the faster one still adds its time.
    True

    Used in: 12_deployment.
    """
    a_rate = number(pipeline_rate, "pipeline_rate", minimum=1e-9)
    b_rate = number(model_rate, "model_rate", minimum=1e-9)
    right = 1 / (1 / a_rate + 1 / b_rate)

    def near(a, target):
        return close(a, target, rel=0.01)

    hints = [
        (lambda a: not is_number(a), "give one number, in clips per second."),
        (lambda a: near(a, min(a_rate, b_rate)), "that is the rate with perfect overlap (what prefetch aims for); "
                                                 "here the two take turns, so their times per clip add up."),
        (lambda a: near(a, a_rate + b_rate), "rates do not add; the times per clip do: 1/A + 1/B seconds per clip."),
        (lambda a: near(a, (a_rate + b_rate) / 2), "an average of the rates is not it; add the times per clip."),
        (lambda a: near(a, 1 / a_rate + 1 / b_rate), "that is the time per clip in seconds; the rate is 1 over it."),
        (lambda a: near(a, a_rate * b_rate), "that is A × B; the rate is A × B / (A + B)."),
    ]
    return judge(answer, lambda a: near(a, right),
                 f"1 / (1/{a_rate:.0f} + 1/{b_rate:.0f}) = {right:.0f} clips/s: taking turns, the slower side sets "
                 "the pace and the faster one still adds its time.", hints,
                 nudge="how many seconds does one clip cost in the pipeline, and how many in the training step?",
                 more=["seconds per clip = 1/A + 1/B; the rate is 1 over that."], exercise="series_rate",
                 solution="predicted = 1 / (1 / pipeline_rate + 1 / model_rate)")
