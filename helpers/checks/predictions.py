"""Predict-first exercises of notebooks 01-05 (predict, then run, then compare) and 05's trade-off signal.

Each checker judges a prediction a student wrote *before* running the cell that measures the
answer; the measuring cell comes right after the check, so the student compares the two. The
checkers take the measured or computed truth from the same functions the notebooks print, never
from a hard-coded number. The feedback mechanism is :mod:`helpers.checks._feedback`.

Used in: 01_loading_audio, 02_stft, 03_normalization, 04_visualization, 05_stft_explorer.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.checks._feedback import Feedback, holds, judge

__all__ = ["alias_frequency", "stft_shape", "db_of_ratios", "mel_step_ratio"]


# ---- reading answers -----------------------------------------------------------------------------
def as_number(value) -> float:
    """``value`` as a finite float (Python/NumPy scalar, 0-d array or tensor); raises otherwise.

    Used in: the predict-first checkers (notebooks 01-05).
    """
    value = value.numpy() if hasattr(value, "numpy") else value
    if isinstance(value, (bool, np.bool_, str, bytes)) or np.ndim(value) != 0:
        raise TypeError("not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def as_numbers(value, n: int) -> tuple[float, ...]:
    """``value`` as exactly ``n`` finite floats (a tuple, list or 1-D array); raises otherwise.

    Used in: the predict-first checkers (notebooks 01-05).
    """
    value = value.numpy() if hasattr(value, "numpy") else value
    if isinstance(value, (str, bytes, dict)) or np.ndim(value) != 1 or len(value) != n:
        raise TypeError(f"not {n} numbers")
    return tuple(as_number(v) for v in value)


def readable(reader, answer) -> bool:
    """``reader(answer)`` succeeds (whatever the value it reads, 0 included).

    Used in: the predict-first checkers (notebooks 01-05).
    """
    return holds(lambda a: reader(a) is not None, answer)


def near(value, target: float, rel: float) -> bool:
    """``value`` lies within ``rel`` (relative) of ``target``.

    Used in: the predict-first checkers (notebooks 01-05).
    """
    return math.isclose(value, target, rel_tol=rel)


# ---- 01_loading_audio: aliasing ------------------------------------------------------------------
def folded_frequency(frequency: float, sr: float) -> float:
    """Where a tone of ``frequency`` Hz appears after sampling at ``sr`` Hz: folded into 0 … sr / 2.

    Examples
    --------
    >>> folded_frequency(5000, 7350), folded_frequency(1000, 7350)
    (2350.0, 1000.0)

    Used in: helpers.checks.alias_frequency (the aliasing exercise of notebook 01).
    """
    f = math.fmod(float(frequency), float(sr))
    return float(min(f, sr - f))


def alias_frequency(answer, frequency: float = 5000.0, sr: float = 7350.0) -> Feedback:
    """Check a prediction of where a ``frequency`` Hz tone shows up after keeping every 3rd sample (rate ``sr``).

    Examples
    --------
    >>> _ = alias_frequency(2350)
    ✓ Correct: 5000 Hz is 1325 Hz above the new Nyquist frequency 3675 Hz, so it folds back to 3675 - 1325 = 2350 Hz.

    Used in: 01_loading_audio.
    """
    nyquist, expected = sr / 2, folded_frequency(frequency, sr)
    above = frequency - nyquist
    hints = [
        (lambda a: not readable(as_number, a), "give one frequency in hertz, a number such as 1000."),
        (lambda a: near(as_number(a), frequency, 0.01),
         f"{frequency:.0f} Hz is above the new Nyquist frequency ({nyquist:.0f} Hz): a rate of {sr:.0f} Hz "
         "cannot hold it where it is."),
        (lambda a: near(as_number(a), nyquist, 0.01),
         "it does not stop at the Nyquist frequency: it is mirrored there, as far below it as it was above."),
        (lambda a: near(as_number(a), above, 0.01),
         f"{above:.0f} Hz is how far above the Nyquist frequency the tone lies; mirror it: count that far "
         "down from the Nyquist frequency."),
        (lambda a: abs(as_number(a)) < 1.0,
         "aliasing does not silence the tone: its energy reappears at another frequency."),
        (lambda a: as_number(a) > nyquist, f"no frequency above {nyquist:.0f} Hz exists at a rate of {sr:.0f} Hz."),
        (lambda a: near(as_number(a), frequency / 3, 0.01) or near(as_number(a), frequency / 2, 0.01),
         "keeping every third sample does not divide frequencies: a sine stays a sine at its frequency "
         "as long as it is below the new Nyquist frequency; above it, it folds."),
    ]
    praise = (f"{frequency:.0f} Hz is {above:.0f} Hz above the new Nyquist frequency {nyquist:.0f} Hz, so it "
              f"folds back to {nyquist:.0f} - {above:.0f} = {expected:.0f} Hz.")
    return judge(answer, lambda a: abs(as_number(a) - expected) <= max(0.01 * expected, 10.0), praise, hints,
                 nudge=f"the new rate is {sr:.0f} Hz; which frequencies can it hold, and what happens to one "
                       "above them?",
                 more=[f"the Nyquist frequency is {nyquist:.0f} Hz; a tone above it is mirrored at it.",
                       f"mirrored: {nyquist:.0f} Hz - ({frequency:.0f} Hz - {nyquist:.0f} Hz)."],
                 exercise="alias_frequency",
                 solution=f"predicted_hz = {sr:.0f} - {frequency:.0f}  # = {expected:.0f} Hz, mirrored at "
                          f"{nyquist:.0f} Hz")


# ---- 02_stft: the shape of an STFT ---------------------------------------------------------------
def _shape(value) -> tuple[int, int]:
    """A (frames, bins) answer as two ints: a tuple, list, array or ``tf.TensorShape`` of integers."""
    value = tuple(value.as_list()) if hasattr(value, "as_list") else value
    numbers = as_numbers(value, 2)
    if not all(float(v).is_integer() for v in numbers):
        raise ValueError("not whole numbers")
    return int(numbers[0]), int(numbers[1])


def stft_shape(answer, n_samples: int, frame_length: int, frame_step: int, fft_length: int) -> Feedback:
    """Check a predicted ``(frames, bins)`` shape of ``tf.signal.stft`` for a clip of ``n_samples``.

    Examples
    --------
    >>> _ = stft_shape((575, 513), 73984, 512, 128, 1024)
    ✓ Correct: 1 + (73984 - 512) // 128 = 575 frames and 1024 // 2 + 1 = 513 bins: [frames, bins].

    Used in: 02_stft.
    """
    frames, bins = 1 + (n_samples - frame_length) // frame_step, fft_length // 2 + 1
    hints = [
        (lambda a: not readable(_shape, a), "give two whole numbers, (frames, bins), e.g. (100, 257)."),
        (lambda a: _shape(a) == (bins, frames), "TensorFlow's layout is [frames, bins]: frames first."),
        (lambda a: _shape(a)[1] == frame_length // 2 + 1,
         "the number of bins comes from fft_length, not frame_length: the zero-padded FFT has more points."),
        (lambda a: _shape(a)[1] in (fft_length, fft_length // 2),
         "a real FFT of fft_length points returns the frequencies 0 … sr / 2 only: fft_length // 2 + 1 of them."),
        (lambda a: _shape(a)[0] in (n_samples // frame_step, round(n_samples / frame_step)),
         "a frame needs frame_length samples, so the last frames cannot start near the end: subtract "
         "frame_length before dividing by the hop."),
        (lambda a: _shape(a)[0] == 1 + (n_samples - fft_length) // frame_step,
         "the frames are frame_length samples long; fft_length only appends zeros after the window."),
        (lambda a: _shape(a)[0] == frames - 1, "one frame short: the first frame starts at sample 0 (the 1 + …)."),
        (lambda a: _shape(a)[0] in {1 + (n_samples - n) // 256 for n in (frame_length, 1024)},
         f"that is the article's hop of 256; this STFT steps {frame_step} samples."),
    ]
    praise = (f"1 + ({n_samples} - {frame_length}) // {frame_step} = {frames} frames and {fft_length} // 2 + 1 = "
              f"{bins} bins: [frames, bins].")
    return judge(answer, lambda a: _shape(a) == (frames, bins), praise, hints,
                 nudge="which parameter decides how many frames fit, and which one how many frequency bins?",
                 more=["frames: 1 + (samples - frame_length) // frame_step; bins: fft_length // 2 + 1.",
                       f"frames = 1 + ({n_samples} - {frame_length}) // {frame_step}; bins = {fft_length} // 2 + 1."],
                 exercise="stft_shape", solution=f"predicted_shape = ({frames}, {bins})")


# ---- 03_normalization: decibels of amplitude ratios ----------------------------------------------
def db_of_ratios(answer, ratios=(0.5, 0.01)) -> Feedback:
    """Check predicted dB values (re peak) of magnitudes that are ``ratios`` of the peak.

    Examples
    --------
    >>> _ = db_of_ratios((-6, -40))  # doctest: +ELLIPSIS
    ✓ Correct: 20 × log10(0.5) = -6.0 dB and 20 × log10(0.01) = -40.0 dB: ...

    Used in: 03_normalization.
    """
    expected = tuple(20 * math.log10(r) for r in ratios)

    def near_all(targets, tol=0.25):
        return lambda a: all(abs(v - t) <= tol for v, t in zip(as_numbers(a, len(ratios)), targets, strict=True))

    hints = [
        (lambda a: not readable(lambda x: as_numbers(x, len(ratios)), a),
         f"give {len(ratios)} numbers in dB, one per ratio, e.g. (-1.0, -2.0)."),
        (near_all([10 * math.log10(r) for r in ratios]),
         "those are 10 × log10: the rule for power. These are magnitudes (amplitudes): 20 × log10."),
        (near_all([-e for e in expected]), "quieter than the peak means below 0 dB: the values are negative."),
        (near_all([math.log10(r) for r in ratios], 0.05), "log10 alone is not decibels: multiply by 20 (amplitudes)."),
        (near_all(list(ratios), 0.01) or near_all([-r for r in ratios], 0.01),
         "those are the ratios themselves; decibels are 20 × log10(ratio)."),
        (near_all([100 * (r - 1) for r in ratios], 1.0), "decibels are logarithmic, not a percentage of the peak."),
        (lambda a: abs(as_numbers(a, len(ratios))[0] - expected[0]) <= 0.25,
         f"the first is right; the second: {ratios[-1]} is a factor of ten taken {-math.log10(ratios[-1]):.0f} "
         "times, and each factor of ten is 20 dB."),
    ]
    parts = " and ".join(f"20 × log10({r}) = {e:.1f} dB" for r, e in zip(ratios, expected, strict=True))
    praise = f"{parts}: each halving of an amplitude costs 6 dB, each factor of ten 20 dB."
    return judge(answer, near_all(expected), praise, hints,
                 nudge="decibels of a magnitude relative to the peak: which formula from the cell above?",
                 more=["dB = 20 × log10(magnitude / peak); log10 of 0.01 is -2.",
                       "20 × log10(0.5) ≈ 20 × (-0.301); 20 × log10(0.01) = 20 × (-2)."],
                 exercise="db_of_ratios",
                 solution="predicted_db = (20 * np.log10(0.5), 20 * np.log10(0.01))  # (-6.0, -40.0)")


# ---- 04_visualization: mel steps versus octaves --------------------------------------------------
def htk_mel(hz) -> float:
    """The HTK mel scale, ``2595 × log10(1 + f / 700)``.

    Examples
    --------
    >>> round(htk_mel(1000))
    1000

    Used in: helpers.checks.mel_step_ratio (the octaves-vs-mel exercise of notebook 04).
    """
    return float(2595.0 * math.log10(1.0 + float(hz) / 700.0))


def mel_step_ratio(answer, low=(100.0, 200.0), high=(1000.0, 2000.0)) -> Feedback:
    """Check a predicted ratio: mel distance of the ``high`` octave over that of the ``low`` octave.

    Examples
    --------
    >>> _ = mel_step_ratio(4)  # doctest: +ELLIPSIS
    ✓ Correct: 100→200 Hz is 133 mel, 1000→2000 Hz is 521 mel: 3.9 times as far on the mel scale, ...

    Used in: 04_visualization.
    """
    low_mel, high_mel = (htk_mel(b) - htk_mel(a) for a, b in (low, high))
    ratio = high_mel / low_mel
    hz_ratio = (high[1] - high[0]) / (low[1] - low[0])
    hints = [
        (lambda a: not readable(as_number, a), "give one number: how many times the mel step of the high octave "
                                          "is that of the low one, e.g. 2."),
        (lambda a: near(as_number(a), 1.0, 0.1), "1 would be true of octaves (musical pitch): both are a doubling. "
                                                 "The mel scale is nearly linear below about 700 Hz."),
        (lambda a: near(as_number(a), hz_ratio, 0.15),
         f"{hz_ratio:.0f} is the ratio in hertz; the mel scale compresses high frequencies, so it is less."),
        (lambda a: as_number(a) < 1.0, "the other way round: the high octave spans more mel than the low one."),
        (lambda a: 6.0 <= as_number(a) <= 7.5, "about 6.7 is librosa's default mel scale (Slaney: linear below "
                                             "1 kHz); this question uses the HTK formula 2595 × log10(1 + f / 700)."),
        (lambda a: as_number(a) < 3.0, "more than that: below 700 Hz the mel scale is close to linear in hertz."),
        (lambda a: as_number(a) > 5.0, "less than that: above 700 Hz the mel scale grows like a logarithm."),
    ]
    praise = (f"{low[0]:.0f}→{low[1]:.0f} Hz is {low_mel:.0f} mel, {high[0]:.0f}→{high[1]:.0f} Hz is "
              f"{high_mel:.0f} mel: {ratio:.1f} times as far on the mel scale, although both are one octave.")
    return judge(answer, lambda a: abs(as_number(a) - ratio) <= 0.2 * ratio, praise, hints,
                 nudge="the mel scale is nearly linear below about 700 Hz and logarithmic above: "
                       "is the high octave's step as big as the low one's (as for octaves), ten times as big (as "
                       "in hertz), or in between, and nearer which end?",
                 more=["compute 2595 × log10(1 + f / 700) at the four frequencies and take the two differences.",
                       f"the steps are {low_mel:.0f} and {high_mel:.0f} mel."],
                 exercise="mel_step_ratio",
                 solution=f"predicted_ratio = {ratio:.1f}  # {high_mel:.0f} / {low_mel:.0f} mel")
