"""Checkers of the next-steps notebooks: MFCC c0 and loudness (09), the noise factor for an SNR (10),
Griffin-Lim iterations (11), and where ``.cache()`` goes in a ``tf.data`` pipeline (12).

Used in: 09_mel_mfcc, 10_augmentation, 11_phase_reconstruction, 12_deployment.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import number, positive_int
from helpers.audio import snr_db
from helpers.checks._answers import close, data, is_integral, is_number, plain
from helpers.checks._feedback import Feedback, judge

__all__ = ["c0_change", "noise_scale", "iterations", "cache_position"]


def c0_change(answer, measured_change, n_mels: int) -> Feedback:
    """Check the predicted change of MFCC c0 (in dB units) when a clip is scaled by 0.1 (−20 dB).

    Parameters
    ----------
    answer : float or None
        The student's prediction (quiet minus original).
    measured_change : array-like, shape [frames, coefficients]
        MFCCs of the quiet clip minus those of the original, in the frames no band is clamped.
    n_mels : int
        The number of mel bands N; c0 is sqrt(N) × the mean of the log-mel values.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(c0_change(-126.5, np.array([[-126.49, 0.0, 0.0]]), 40))  # doctest: +NORMALIZE_WHITESPACE
    ✓ Correct: c0 moves by sqrt(40) × (-20 dB) = -126.5 in all 1 unclamped frames,
    while c1…c12 move by at most 0.00: loudness lives in c0 alone.
    True

    Used in: 09_mel_mfcc.
    """
    change, n_mels = data(measured_change, "measured_change", ndim=2), positive_int(n_mels, "n_mels")
    measured = float(change[:, 0].mean())

    def near(a, target):
        return close(a, target, rel=0, abs_=0.5)

    hints = [
        (lambda a: not is_number(a), "give one number: the change of c0, quiet minus original."),
        (lambda a: near(a, -20.0), "-20 dB is the change of each band; c0 is sqrt(N) times their mean, not the mean."),
        (lambda a: near(a, -measured), "right size, wrong sign: quiet minus original, and the quiet clip is lower."),
        (lambda a: near(a, -20.0 * n_mels), "that is N × (-20 dB), the sum of the bands' changes; the orthonormal "
                                            "DCT scales c0 by sqrt(N), not N."),
        (lambda a: near(a, -20.0 / np.sqrt(n_mels)), "divided by sqrt(N): c0 is sqrt(N) × the mean, so multiply."),
        (lambda a: near(a, -10.0 * np.sqrt(n_mels)), "the log-mel values here are power in dB: a factor 0.1 "
                                                     "in amplitude is -20 dB, not -10 dB."),
        (lambda a: near(a, 0.0), "c0 does change: it follows the overall level, which drops by 20 dB."),
    ]
    praise = (f"c0 moves by sqrt({n_mels}) × (-20 dB) = {measured:.1f} in all {len(change)} unclamped frames, "
              f"while c1…c12 move by at most {np.abs(change[:, 1:]).max():.2f}: loudness lives in c0 alone.")
    return judge(answer, lambda a: near(a, measured), praise, hints,
                 nudge="every log-mel value drops by 20 dB; what does that do to sqrt(N) × their mean?",
                 more=["a constant shift of all N bands changes only c0, by sqrt(N) × the shift."],
                 exercise="c0_change", solution=f"c0_change = np.sqrt(n_mels) * -20.0  # {measured:.1f}")


def noise_scale(k, clip, unit_noise, target_db: float = 5.0) -> Feedback:
    """Check the factor ``k`` that puts ``k * unit_noise`` ``target_db`` dB below ``clip``.

    Parameters
    ----------
    k : float or None
        The student's answer.
    clip, unit_noise : array-like
        The signal and the noise to scale (same length).
    target_db : float
        The SNR asked for.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(noise_scale(np.sqrt(10 ** -0.5), np.ones(4), np.ones(4)))
    ✓ Correct: k = 0.56234 gives 5.00 dB, the same as augment.add_noise(clip, 5.0, seed).
    True

    Used in: 10_augmentation.
    """
    clip, unit_noise = data(clip, "clip"), data(unit_noise, "unit_noise")
    target_db = number(target_db, "target_db", minimum=-100, maximum=100)
    if clip.shape != unit_noise.shape or not (np.any(clip) and np.any(unit_noise)):
        raise ValueError(f"clip {clip.shape} and unit_noise {unit_noise.shape} must have one shape and be non-zero")
    right_k = float(np.sqrt(np.mean(clip**2) / (np.mean(unit_noise**2) * 10 ** (target_db / 10))))

    def got(a):
        return snr_db(clip, float(plain(a)) * unit_noise)

    hints = [
        (lambda a: not is_number(a), "k is one number, the factor that scales unit_noise."),
        (lambda a: float(plain(a)) <= 0, "k scales the noise's amplitude; it is a positive number."),
        (lambda a: abs(got(a) + target_db) < 0.05,
         f"that is {-target_db:g} dB: the noise is louder than the signal. Divide the signal power by "
         f"10**({target_db:g}/10), do not multiply."),
        (lambda a: close(a, right_k**2) or abs(got(a) - 2 * target_db) < 0.1 or abs(got(a) - target_db / 2) < 0.05,
         "k scales an amplitude, and power goes with k**2: take a square root."),
        (lambda a: close(a, 10 ** (-target_db / 20)), "that ignores how loud the clip and the noise are: "
                                                      "start from their mean powers."),
    ]
    return judge(k, lambda a: float(plain(a)) > 0 and abs(got(a) - target_db) < 0.05,
                 lambda a: (f"k = {float(plain(a)):.5f} gives {got(a):.2f} dB, the same as "
                            f"augment.add_noise(clip, {target_db}, seed)."), hints,
                 nudge=f"write the SNR of clip against k * unit_noise in dB, set it to {target_db:g} and solve for k.",
                 more=[f"start from 10 * log10(P_signal / (k**2 * P_noise)) = {target_db:g}, with P the mean of "
                       "squares, and solve for k."],
                 exercise="noise_scale",
                 solution=f"noise_scale = np.sqrt(np.mean(clip**2) / (np.mean(unit_noise**2) * 10 ** ({target_db:g} "
                          f"/ 10)))")


def iterations(answer, curve, fast_curve=None, threshold: float = 0.2) -> Feedback:
    """Check the smallest number of Griffin-Lim iterations after which the SC falls below ``threshold``.

    A whole-valued float (``18.0``) counts as right.

    Parameters
    ----------
    answer : int or None
        The student's answer.
    curve : sequence of float
        ``curve[i]`` is the spectral convergence after ``i + 1`` iterations (momentum 0).
    fast_curve : sequence of float, optional
        The same with momentum (0.99), for comparison in the feedback.
    threshold : float
        The SC to get below.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(iterations(3, [0.5, 0.3, 0.1], [0.15]))
    ✓ Correct: 3 iterations without momentum, 1 with momentum 0.99.
    True

    Used in: 11_phase_reconstruction.
    """
    def first_below(scores):
        return next((i + 1 for i, sc in enumerate(scores) if sc < threshold), len(scores) + 1)

    def count(a):
        return int(float(plain(a))) if is_integral(a) else None

    curve = list(data(curve, "curve", ndim=1))
    fast_curve = None if fast_curve is None else list(data(fast_curve, "fast_curve", ndim=1))
    expected = first_below(curve)
    reached = expected <= len(curve)
    hints = [
        (lambda a: not is_integral(a), "give a whole number of iterations."),
        (lambda a: not reached, f"momentum 0 never reaches {threshold} in {len(curve)} iterations here; "
                                f"answer {expected}."),
        (lambda a: count(a) == expected - 1, "off by one: list index i holds the score after i + 1 iterations."),
        (lambda a: fast_curve is not None and count(a) == first_below(fast_curve),
         "that is the count with momentum 0.99; the question is about momentum 0 (curves[0.0])."),
        (lambda a: count(a) == first_below([-s for s in curve]) or count(a) == len(curve),
         f"that is not where the curve first drops below {threshold}: look for the first score under it."),
    ]
    praise = f"{expected} iterations without momentum"
    if fast_curve is not None:
        praise += f", {first_below(fast_curve)} with momentum 0.99"
    return judge(answer, lambda a: count(a) == expected, praise + ".", hints,
                 nudge=f"walk along curves[0.0] and find where it first falls below {threshold}.",
                 more=[f"look for the first index where curves[0.0][i] < {threshold}, and add 1 "
                       "(curves[0.0][i] is the SC after i + 1 iterations)."],
                 exercise="iterations",
                 solution=f"iterations_needed = next(i + 1 for i, sc in enumerate(curves[0.0]) if sc < {threshold})")


def cache_position(answer, observed_same: bool) -> Feedback:
    """Check whether two epochs see the same noise when ``.cache()`` comes after the noise map.

    Parameters
    ----------
    answer : bool or None
        The student's ``same_noise_both_epochs``.
    observed_same : bool
        What iterating that pipeline twice really gives (``np.array_equal`` of the first clip).

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(cache_position(True, observed_same=True))  # doctest: +NORMALIZE_WHITESPACE
    ✓ Correct: the cache stores the noisy clips of epoch 1 and replays them: every epoch sees the same
    noise, which is no augmentation at all. Cache deterministic work, augment after the cache.
    True

    Used in: 12_deployment.
    """
    praise = ("the cache stores the noisy clips of epoch 1 and replays them: every epoch sees the same noise, "
              "which is no augmentation at all. Cache deterministic work, augment after the cache."
              if observed_same else "each epoch draws new noise here.")

    def is_bool(a):
        return isinstance(plain(a), (bool, np.bool_))

    hints = [
        (lambda a: isinstance(a, str) and a.strip().lower() in ("true", "false", "yes", "no"),
         "answer with the bool True or False (no quotes), not a string."),
        (lambda a: not is_bool(a), "answer True or False."),
        (lambda a: bool(plain(a)) != bool(observed_same) and observed_same,
         "a cache after the noise map stores what the first epoch produced, noise included; compare the first "
         "clip of two whole epochs with np.array_equal."),
        (lambda a: bool(plain(a)) and not observed_same, "here the noise map runs again in every epoch (the cache "
                                                          "does not hold noisy clips): the noise differs. Check with "
                                                          "np.array_equal on two whole epochs."),
    ]
    return judge(answer, lambda a: is_bool(a) and bool(plain(a)) == bool(observed_same), praise, hints,
                 nudge="what does .cache() store, and what comes before it in this pipeline?",
                 more=["build the pipeline with .cache() after .map(add_noise), read it for two whole epochs "
                       "(a partly read cache is discarded) and compare the first clip of each with np.array_equal."],
                 exercise="cache_position",
                 solution=f"same_noise_both_epochs = bool(np.array_equal(epoch1, epoch2))  # {bool(observed_same)}")
