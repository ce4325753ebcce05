"""Checkers of 01_loading_audio: a clip's duration, resampling to 16 kHz, a stereo-to-mono mix.

Used in: 01_loading_audio.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from helpers._validate import sample_rate
from helpers.checks._answers import as_array, close, data, is_number, plain, same
from helpers.checks._feedback import Feedback, judge

__all__ = ["duration", "resampled", "mono_mix"]


def duration(seconds, y, sr: int) -> Feedback:
    """Check the duration of ``y`` in seconds, ``len(y) / sr``.

    Parameters
    ----------
    seconds : float or None
        The student's answer (a Python, NumPy or tensor scalar).
    y : array-like, shape [samples] or [channels, samples]
        The clip.
    sr : int
        Its sample rate in Hz.

    Returns
    -------
    Feedback
        Truthy when right; its line is printed once.

    Examples
    --------
    >>> bool(duration(2.0, np.zeros(32000), 16000))
    ✓ Correct: 32000 samples / 16000 Hz = 2.000 s.
    True

    Used in: 01_loading_audio.
    """
    n, sr = data(y, "y").shape[-1], sample_rate(sr)
    right = n / sr
    hints = [
        (lambda a: not is_number(a), "give one number, the duration in seconds (a float such as 2.5)."),
        (lambda a: close(a, n), "that is the number of samples, not seconds: divide it by the "
                                "sample rate (samples per second)."),
        (lambda a: close(a, sr / n), "that is sr / samples, upside down: seconds = samples / sr."),
        (lambda a: close(a, 1000 * right), "that looks like milliseconds; the answer is in seconds."),
        (lambda a: close(a, right / 60), "that looks like minutes; the answer is in seconds."),
        (lambda a: close(a, n // sr, rel=0, abs_=1e-9) and n % sr,
         "integer division // drops the fraction of a second: use / for the duration."),
        (lambda a: any(close(a, round(right, d), rel=0, abs_=1e-12) for d in range(4)),
         "close, but rounded: keep the full value of samples / sr (round only when printing)."),
        (lambda a: close(a, n / 22050), "you divided by 22050, librosa's default rate, but this clip "
                                        "was loaded at its own rate: use the `sr` that load returned."),
    ]
    return judge(seconds, lambda a: close(a, right, rel=1e-6), f"{n} samples / {sr} Hz = {right:.3f} s.", hints,
                 nudge="a sample rate counts samples per second; how many samples does y hold?",
                 more=["seconds = number of samples / sample rate; look at y.shape[-1] and sr.",
                       "divide len(y) (or y.shape[-1]) by sr, with / (not //)."],
                 exercise="duration", solution=f"seconds = len(y) / sr  # {n} / {sr} = {right:.6g} s")


def resampled(y_new, y, sr: int, target_sr: int = 16000) -> Feedback:
    """Check that ``y_new`` is the clip ``y`` resampled from ``sr`` to ``target_sr`` Hz: length and content.

    The reference is ``librosa.resample(y, orig_sr=sr, target_sr=target_sr)``. A right answer has
    its length (give or take one sample) and the same content below 80 % of the lower Nyquist
    frequency (where resamplers' filters differ least) away from the clip's ends, within -30 dB:
    librosa's ``soxr_lq``, ``soxr_mq``, ``polyphase`` and ``fft`` and SciPy's ``resample_poly``
    agree with the default to -35 dB or better on the bundled music, FSDD speech and two of
    librosa's example recordings (tests/test_checks.py measures it). One exception: ``fft`` rescales
    time slightly when ``len(y) * target_sr / sr`` is not whole (on a 5.3 s trumpet clip its last
    samples come 2 samples late, -16 dB), so there it is rejected; on 01's clip it passes.
    Linear interpolation, nearest-sample picking and ``y[::k]`` are recognised and rejected by name,
    even on a clip where they happen to come close: without a low-pass filter they alias. A number
    (just the length) is not accepted: the check needs the samples.

    Parameters
    ----------
    y_new : array-like or None
        The student's resampled clip (NumPy array or tensor).
    y : array-like, shape [samples]
        The original clip.
    sr, target_sr : int
        The original and the new sample rate in Hz.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> import librosa
    >>> clip = np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)
    >>> bool(resampled(librosa.resample(clip, orig_sr=22050, target_sr=16000), clip, 22050))
    ✓ Correct: 22050 samples at 22050 Hz become 16000 samples at 16000 Hz (same 1.000 s), with the same content.
    True

    Used in: 01_loading_audio.
    """
    y, sr, target_sr = data(y, "y"), sample_rate(sr), sample_rate(target_sr, "target_sr")
    reference = _resample(y, sr, target_sr)
    praise = (f"{y.shape[-1]} samples at {sr} Hz become {reference.shape[-1]} samples at {target_sr} Hz "
              f"(same {y.shape[-1] / sr:.3f} s), with the same content.")
    naive = _naive(y, sr, target_sr, reference.shape[-1])

    def right(a):
        return _length_ok(a, reference) and _error_db(a, reference, sr, target_sr) <= -30 and not _is_naive(a, naive)

    return judge(y_new, right, praise, _resample_hints(y, sr, target_sr, reference, naive),
                 nudge=f"librosa.resample changes the rate; its keyword arguments are orig_sr= and target_sr=, "
                       f"and it keeps the duration, so the clip ends up with {target_sr} samples per second.",
                 more=[f"the new clip should have about len(y) × {target_sr} / {sr} samples and sound the same: "
                       "let librosa.resample do the filtering.",
                       "call librosa.resample(y, orig_sr=<the clip's rate>, target_sr=<the new rate>) on the clip."],
                 exercise="resampled",
                 solution=f"y_16k = librosa.resample(music, orig_sr=sr_music, target_sr={target_sr})")


def _resample(y: np.ndarray, sr: int, target_sr: int) -> np.ndarray:
    import librosa  # only this checker needs it

    return librosa.resample(y, orig_sr=sr, target_sr=target_sr, axis=-1)


def _length_ok(a, reference: np.ndarray) -> bool:
    a = as_array(a)
    return a.shape[:-1] == reference.shape[:-1] and abs(a.shape[-1] - reference.shape[-1]) <= 1


def _error_db(a, reference: np.ndarray, sr: int, target_sr: int) -> float:
    """The difference between ``a`` and ``reference`` in dB re the reference, below 80 % of the lower Nyquist.

    The first and last 0.1 s (at most a tenth of the clip each) are left out: there resamplers
    legitimately differ (filter start-up, the FFT method's wrap-around).
    """
    a = as_array(a)
    n = min(a.shape[-1], reference.shape[-1])
    edge = min(target_sr // 10, n // 10)
    A, R = np.fft.rfft(a[..., edge:n - edge]), np.fft.rfft(reference[..., edge:n - edge])
    band = np.fft.rfftfreq(n - 2 * edge, d=1 / target_sr) < 0.8 * min(sr, target_sr) / 2
    signal, error = np.sum(np.abs(R[..., band]) ** 2), np.sum(np.abs(A[..., band] - R[..., band]) ** 2)
    if signal == 0:
        return 0.0 if error == 0 else math.inf
    return float(10 * np.log10(max(error, 1e-30) / signal))


def _naive(y: np.ndarray, sr: int, target_sr: int, n: int) -> dict[str, np.ndarray]:
    """The resamplings without a low-pass filter a student may write: interpolation and picking samples."""
    positions = np.arange(n) * sr / target_sr
    picked = np.minimum(np.round(positions).astype(int), y.shape[-1] - 1)
    return {"linear": np.interp(positions, np.arange(y.shape[-1]), y) if y.ndim == 1 else y[..., picked],
            "picked": y[..., picked], "floor": y[..., np.minimum(positions.astype(int), y.shape[-1] - 1)]}


def _is_naive(a, naive: dict[str, np.ndarray]) -> bool:
    """``a`` is one of the unfiltered resamplings (within float32 rounding, on their common length)."""
    a = as_array(a)
    return any(abs(a.shape[-1] - v.shape[-1]) <= 1 and same(a[..., :v.shape[-1]], v[..., :a.shape[-1]], atol=1e-6)
               for v in naive.values())


def _resample_hints(y: np.ndarray, sr: int, target_sr: int, reference: np.ndarray, naive: dict) -> list:
    n, expected = y.shape[-1], reference.shape[-1]

    def length(a):
        return as_array(a).shape[-1]

    def gain(a):
        a = as_array(a)[..., :expected]
        return float(np.sum(a * reference[..., :a.shape[-1]]) / np.sum(reference[..., :a.shape[-1]] ** 2))

    return [
        (lambda a: is_number(a), "that is a number; pass the resampled array itself (the check compares "
                                 "its samples, not only how many there are)."),
        (lambda a: isinstance(a, tuple) and len(a) == 2 and is_number(a[1]),
         "that is a (signal, rate) pair, as librosa.load returns; pass the signal alone."),
        (lambda a: as_array(a).ndim != y.ndim, lambda a: f"expected a {y.ndim}-D array like the clip, got shape "
                                                         f"{np.shape(plain(a))}; resample the mono clip itself."),
        (lambda a: not np.all(np.isfinite(as_array(a))), "the result holds NaN or inf; resample the clip itself."),
        (lambda a: not np.any(as_array(a)), "that is all zeros: resample the clip itself, not an empty array."),
        (lambda a: length(a) == n and same(a, y), f"that is the original clip, unchanged ({n} samples): "
                                                  "it was not resampled."),
        (lambda a: abs(length(a) - math.ceil(n * sr / target_sr)) <= 1,
         "the length changed by sr / target_sr instead of target_sr / sr: orig_sr and target_sr are swapped."),
        (lambda a: abs(length(a) - expected) > 1, _wrong_length_hint(n, sr, target_sr, expected)),
        (lambda a: same(a, y[..., :length(a)], atol=1e-6), f"that is the first {expected} samples of the original, "
                                                           "cut, not resampled: resampling keeps every second of "
                                                           "the clip and changes how many samples make a second."),
        (lambda a: _is_naive(a, naive), _naive_hint(sr, target_sr)),
        (lambda a: abs(gain(a) - 1) > 0.05 and _error_db(as_array(a) / gain(a), reference, sr, target_sr) <= -30,
         "right content but a different level: resampling keeps the amplitude, so do not normalise or scale it."),
    ]


def _naive_hint(sr: int, target_sr: int) -> str:
    if target_sr < sr:
        return (f"that picks or interpolates samples without a low-pass filter first, so frequencies above "
                f"{target_sr / 2:.0f} Hz would fold down (aliasing); librosa.resample filters before it resamples.")
    return (f"that repeats or interpolates samples without a low-pass filter, so copies of the spectrum appear "
            f"above {sr / 2:.0f} Hz (imaging); librosa.resample filters them out.")


def _wrong_length_hint(n: int, sr: int, target_sr: int, expected: int) -> Callable[[Any], str]:
    def text(a):
        rate = as_array(a).shape[-1] * sr / n
        return (f"the result has {as_array(a).shape[-1]} samples, which is {rate:.0f} Hz for this "
                f"{n / sr:.3f} s clip; {target_sr} Hz means about {expected} samples.")
    return text


def mono_mix(mono, stereo) -> Feedback:
    """Check that ``mono`` is the average of the channels of ``stereo`` (``[channels, samples]``).

    Parameters
    ----------
    mono : array-like or None
        The student's mix.
    stereo : array-like, shape [channels, samples]
        The multichannel clip.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(mono_mix(np.array([0.5, 0.0]), np.array([[1.0, 0.0], [0.0, 0.0]])))
    ✓ Correct: the average of the 2 channels, as librosa.to_mono does; the peak stays within [-1, 1].
    True

    Used in: 01_loading_audio.
    """
    stereo = data(stereo, "stereo", ndim=2)
    channels = stereo.shape[0]
    hints = [
        (lambda a: is_number(a), "that is one number: np.mean without an axis averages everything. "
                                 "Average over the channel axis only, axis=0."),
        (lambda a: as_array(a).shape == stereo.shape, f"the result still has shape {stereo.shape}: "
                                                      "average over the channel axis, axis=0."),
        (lambda a: as_array(a).shape == stereo.T.shape, "that is the transpose (samples × channels); "
                                                        "librosa keeps channels first: average over axis=0."),
        (lambda a: as_array(a).shape == (channels,), "you averaged over time (axis=1) and got one number per "
                                                     "channel; average over the channels, axis=0."),
        (lambda a: same(a, stereo.sum(axis=0)), "you added the channels: divide by their number, or the "
                                                "sum can exceed 1 and clip. Use the mean."),
        (lambda a: any(same(a, ch) for ch in stereo), "that is one channel only; a mix uses all of them."),
        (lambda a: channels == 2 and (same(a, stereo[0] + stereo[1] / 2) or same(a, stereo[1] + stereo[0] / 2)),
         "only one channel was halved: / binds tighter than +, so write (left + right) / 2."),
        (lambda a: same(a, stereo.max(axis=0)) or same(a, np.abs(stereo).max(axis=0)),
         "that keeps the loudest channel at each sample, not a mix: average the channels."),
        (lambda a: same(a, np.median(stereo, axis=0)) and channels > 2,
         "that is the median; librosa mixes with the mean."),
    ]
    praise = f"the average of the {channels} channels, as librosa.to_mono does; the peak stays within [-1, 1]."
    return judge(mono, lambda a: same(a, stereo.mean(axis=0)), praise, hints,
                 nudge="a mono mix combines the channels sample by sample; which axis of stereo holds the channels?",
                 more=["a mono mix is the mean of the channels, taken along the channel axis (axis=0 here).",
                       "stereo.mean(axis=0) averages the rows (channels) into one row."],
                 exercise="mono_mix", solution="mono = stereo.mean(axis=0)  # the same as librosa.to_mono(stereo)")
