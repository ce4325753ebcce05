"""Checkers of 02_stft: the hop in samples, the bin spacing, the number of frames, and the frame length
that separates two close tones.

Used in: 02_stft.
"""

from __future__ import annotations

import math

import numpy as np

from helpers._validate import number, positive_int, sample_rate
from helpers.checks._answers import close, framing, is_integral, is_number, is_whole, plain
from helpers.checks._feedback import Feedback, judge

__all__ = ["frame_step", "bin_spacing", "n_frames", "tone_dip_db", "resolving_frame_length"]


def _count(a) -> int:
    """A whole-valued answer (``59``, ``np.int64(59)``, ``59.0``, a tensor) as an int; raises otherwise."""
    if not is_integral(a):
        raise ValueError("not a whole number")
    return int(float(plain(a)))


def frame_step(answer, sr: int = 16000, step_seconds: float = 0.010) -> Feedback:
    """Check the hop in samples that gives a time step of ``step_seconds`` at ``sr`` Hz.

    The answer must be an integer (``tf.signal.stft`` takes no float ``frame_step``).

    Parameters
    ----------
    answer : int or None
        The student's hop in samples.
    sr : int
        The sample rate in Hz.
    step_seconds : float
        The time step asked for, in seconds.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(frame_step(160, 16000, 0.010))
    ✓ Correct: 160 samples / 16000 Hz = 10.0 ms between frames.
    True

    Used in: 02_stft.
    """
    sr, step_seconds = sample_rate(sr), number(step_seconds, "step_seconds", minimum=1e-6, maximum=10)
    exact = step_seconds * sr
    expected = round(exact)
    hints = [
        (lambda a: not is_number(a), "give one whole number of samples, e.g. 100."),
        (lambda a: close(a, step_seconds), "that is the time step in seconds; frame_step counts samples: "
                                           "multiply by the sample rate."),
        (lambda a: close(a, step_seconds * 1000), "that is the time step in milliseconds; frame_step counts "
                                                  "samples: seconds × sample rate."),
        (lambda a: close(a, exact) and not is_whole(a), f"right value, but tf.signal.stft needs an integer: "
                                                        f"use int(round(...)) to get {expected}."),
        (lambda a: is_whole(a) and a == math.floor(exact) != expected,
         "int() cuts off the fraction; round to the nearest sample first: int(round(...))."),
        (lambda a: close(a, sr / step_seconds), "that is sr / seconds; the hop is seconds × sr."),
        (lambda a: close(a, step_seconds * sr / 1000), "you divided by 1000 once too often: seconds × sr, "
                                                        "with the step in seconds."),
        (lambda a: any(close(a, step_seconds * r, rel=0.01) for r in (8000, 16000, 22050, 44100, 48000)),
         f"that hop is right for another sample rate; this signal has sr = {sr} Hz."),
        (lambda a: a in (256, 512, 128), "that is a usual hop for a 1024- or 512-sample frame, not a "
                                         f"{step_seconds * 1000:g} ms step: compute it from sr."),
    ]
    praise = f"{expected} samples / {sr} Hz = {expected / sr * 1000:.1f} ms between frames."
    return judge(answer, lambda a: is_whole(a) and a == expected, praise, hints,
                 nudge=f"frame_step counts samples; how many samples pass in {step_seconds * 1000:g} ms "
                       f"at {sr} samples per second?",
                 more=["time step = frame_step / sr; turn that around for frame_step, and make it an int.",
                       f"frame_step = {step_seconds} s × {sr} Hz, rounded to an int."],
                 exercise="frame_step", solution=f"frame_step_10ms = int(round({step_seconds} * {sr}))  # {expected}")


def bin_spacing(answer, sr: int, fft_length: int) -> Feedback:
    """Check the spacing in Hz between two STFT bins, ``sr / fft_length``.

    Parameters
    ----------
    answer : float or None
        The student's spacing in Hz.
    sr : int
        The sample rate in Hz.
    fft_length : int
        The FFT length in samples.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(bin_spacing(15.625, 16000, 1024))
    ✓ Correct: 16000 Hz / 1024 = 15.625 Hz between bins; 513 bins from 0 Hz to 8000 Hz.
    True

    Used in: 02_stft.
    """
    sr, fft_length = sample_rate(sr), positive_int(fft_length, "fft_length", what="the FFT length in samples")
    expected = sr / fft_length
    hints = [
        (lambda a: not is_number(a), "give one number, the spacing in Hz."),
        (lambda a: close(a, fft_length / sr), "that is fft_length / sr, upside down: spacing = sr / fft_length."),
        (lambda a: close(a, sr // fft_length, rel=0) and sr % fft_length,
         "integer division // drops the fraction: use / for the spacing."),
        (lambda a: any(close(a, round(expected, d), rel=0, abs_=1e-12) for d in range(3)),
         "close, but rounded: keep the full value (round only when printing)."),
        (lambda a: close(a, sr / 2 / fft_length), "you divided the Nyquist frequency sr / 2 by fft_length, "
                                                  "but there are only fft_length // 2 + 1 bins up to it."),
        (lambda a: close(a, sr / (fft_length // 2 + 1), rel=1e-2),
         "you divided by the number of bins; the bins are sr / fft_length apart (the last one is sr / 2)."),
        (lambda a: close(a, 1000 * fft_length / sr), "that is the FFT's duration in ms; the spacing is its "
                                                     "inverse, in Hz."),
        (lambda a: close(a, fft_length // 2 + 1), "that is the number of bins, not the spacing between them."),
    ]
    praise = (f"{sr} Hz / {fft_length} = {expected:.3f} Hz between bins; {fft_length // 2 + 1} bins "
              f"from 0 Hz to {sr / 2:.0f} Hz.")
    return judge(answer, lambda a: close(a, expected, rel=1e-4), praise, hints,
                 nudge="bin k sits at a frequency proportional to k; look at two neighbours in "
                       "helpers.spectral.bin_frequencies(fft_length, sr).",
                 more=["the fft_length bins of a DFT are spread evenly over 0 … sr Hz (the rfft keeps those "
                       "up to sr / 2)."],
                 exercise="bin_spacing", solution=f"spacing_hz = {sr} / {fft_length}  # sr / fft_length")


def n_frames(answer, n_samples: int, frame_length: int, frame_step: int) -> Feedback:
    """Check the number of frames ``tf.signal.stft`` makes (no padding: ``center=False``).

    A whole-valued float (``59.0``) counts as right; ``59.5`` does not.

    Parameters
    ----------
    answer : int or None
        The student's count.
    n_samples, frame_length, frame_step : int
        The signal's length, the frame length and the hop, in samples.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(n_frames(59, 16000, 1024, 256))
    ✓ Correct: 1 + (16000 - 1024) // 256 = 59 frames; the last 128 samples do not fill a frame.
    True

    Used in: 02_stft.
    """
    n_samples, frame_length, frame_step = framing(n_samples, frame_length, frame_step)
    expected = 1 + (n_samples - frame_length) // frame_step
    rest = n_samples - frame_length - (expected - 1) * frame_step
    hints = [
        (lambda a: not is_number(a), "give one whole number of frames."),
        (lambda a: not is_integral(a), "the number of frames is a whole number: use integer division //."),
        (lambda a: _count(a) == expected - 1, "one short: count the first frame too (the + 1)."),
        (lambda a: _count(a) == 1 + n_samples // frame_step,
         "that counts frames as if the signal were padded (center=True, librosa's default); "
         "tf.signal.stft starts the first frame at sample 0 and stops when a frame no longer fits."),
        (lambda a: _count(a) == n_samples // frame_step,
         "that divides the signal by the hop, as if each frame were one hop long; a frame is frame_length "
         "long, so the last frame must start frame_length samples before the end."),
        (lambda a: _count(a) == math.ceil((n_samples - frame_length) / frame_step) + 1,
         "that rounds up; a frame that would run past the end is dropped, so round down (//)."),
        (lambda a: _count(a) == n_samples // frame_length,
         "that counts frames side by side; they overlap: each starts frame_step samples after the last."),
    ]
    tail = (f"the last {rest} samples do not fill a frame." if rest else
            "the last frame ends exactly at the last sample.")
    praise = f"1 + ({n_samples} - {frame_length}) // {frame_step} = {expected} frames; {tail}"
    return judge(answer, lambda a: _count(a) == expected, praise, hints,
                 nudge="the first frame covers samples 0 … frame_length - 1; each next one starts frame_step "
                       "later. How many fit before the signal ends?",
                 more=["count the start positions 0, frame_step, 2·frame_step, … for which start + frame_length "
                       "<= n_samples; tf.signal.stft does not pad."],
                 exercise="n_frames", solution=f"frames_count = 1 + (len(y) - {frame_length}) // {frame_step}"
                                               f"  # {expected}")


def tone_dip_db(frame_length: int, sr: int = 16000, f1: float = 1000.0, f2: float = 1040.0) -> float:
    """How far (dB) a Hann-windowed spectrum dips between two equal tones at ``f1`` and ``f2`` Hz.

    The frame is the first ``frame_length`` samples of ``sin(2π f1 t) + sin(2π f2 t)``; the
    spectrum is sampled finely (zero-padded 8×) so the dip is measured, not guessed. 0 dB means
    the two peaks have merged into one.

    Examples
    --------
    >>> tone_dip_db(256) == 0.0
    True

    Used in: 02_stft (and by :func:`resolving_frame_length`).
    """
    t = np.arange(frame_length) / sr
    frame = (np.sin(2 * np.pi * f1 * t) + np.sin(2 * np.pi * f2 * t)) * np.hanning(frame_length + 1)[:-1]
    spectrum = np.abs(np.fft.rfft(frame, n=8 * frame_length))
    freqs = np.fft.rfftfreq(8 * frame_length, d=1 / sr)
    i1, i2 = np.argmin(np.abs(freqs - f1)), np.argmin(np.abs(freqs - f2))
    between = spectrum[i1:i2 + 1]
    return float(20 * np.log10(min(spectrum[i1], spectrum[i2]) / between.min()))


def resolving_frame_length(answer, sr: int = 16000, f1: float = 1000.0, f2: float = 1040.0,
                           min_dip_db: float = 6.0) -> Feedback:
    """Check the smallest power-of-two ``frame_length`` whose spectrum separates tones ``f1`` and ``f2``.

    "Separates" means the spectrum dips at least ``min_dip_db`` between the two peaks
    (see :func:`tone_dip_db`), with a Hann window and ``fft_length = frame_length``.

    Parameters
    ----------
    answer : int or None
        The student's frame length in samples (an int: it goes into ``frame_length=``).
    sr : int
        The sample rate in Hz.
    f1, f2 : float
        The two tones in Hz.
    min_dip_db : float
        The dip that counts as "two peaks".

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(resolving_frame_length(1024))  # doctest: +NORMALIZE_WHITESPACE
    ✓ Correct: with 1024 samples (64.0 ms) the spectrum dips 8.3 dB between 1000 Hz and 1040 Hz;
    with 512 it dips only 2.2 dB.
    True

    Used in: 02_stft.
    """
    sr = sample_rate(sr)
    f1 = number(f1, "f1", minimum=1.0, maximum=sr / 2)
    f2 = number(f2, "f2", minimum=f1 + 1e-3, maximum=sr / 2, what="pass a second tone above f1")
    candidates = [2**k for k in range(5, 16)]
    expected = next((n for n in candidates if tone_dip_db(n, sr, f1, f2) >= min_dip_db), None)
    if expected is None:
        raise ValueError(f"no frame of up to {candidates[-1]} samples separates {f1:g} Hz and {f2:g} Hz by "
                         f"min_dip_db={min_dip_db:g} dB; pass tones further apart")
    gap = f2 - f1
    hints = [
        (lambda a: not is_number(a), "give one whole number of samples, a power of two such as 512."),
        (lambda a: float(plain(a)) < 1, "that looks like seconds; frame_length counts samples."),
        (lambda a: is_integral(a) and not is_whole(a), "frame_length must be an int (it goes into frame_length=), "
                                                       "not a float: drop the .0."),
        (lambda a: not is_whole(a) or a not in candidates, "choose a power of two, e.g. 256, 512, 1024, 2048."),
        (lambda a: a < expected, _too_short_hint(sr, gap, f1, f2)),
        (lambda a: a > expected, "that separates the tones, but it is not the smallest: a longer frame "
                                 "blurs time more. Try halving it."),
    ]
    praise = (f"with {expected} samples ({expected / sr * 1000:.1f} ms) the spectrum dips "
              f"{tone_dip_db(expected, sr, f1, f2):.1f} dB between {f1:.0f} Hz and {f2:.0f} Hz; with "
              f"{expected // 2} it dips only {tone_dip_db(expected // 2, sr, f1, f2):.1f} dB.")
    return judge(answer, lambda a: is_whole(a) and a == expected, praise, hints,
                 nudge=f"a longer frame gives narrower peaks; try a few powers of two and watch whether the "
                       f"{f1:.0f} Hz and {f2:.0f} Hz peaks come apart.",
                 more=[f"a Hann window's peak is about 4 × sr / frame_length Hz wide; it must be narrower than "
                       f"about twice the {gap:.0f} Hz gap.",
                       "helpers.checks.tone_dip_db(frame_length) measures the dip between the two peaks; "
                       f"find the first power of two where it reaches {min_dip_db:g} dB."],
                 exercise="resolving_frame_length",
                 solution=f"{expected} samples, the first power of two whose dip reaches {min_dip_db:g} dB: "
                          f"tone_dip_db({expected // 2}) = {tone_dip_db(expected // 2, sr, f1, f2):.1f} dB, "
                          f"tone_dip_db({expected}) = {tone_dip_db(expected, sr, f1, f2):.1f} dB")


def _too_short_hint(sr: int, gap: float, f1: float, f2: float) -> str:
    return (f"too short: the two peaks still blur together. A Hann peak is about 4 × sr / frame_length wide, "
            f"so it must shrink towards 2 × {gap:.0f} Hz; try helpers.checks.tone_dip_db(frame_length) "
            f"to see the dip between {f1:.0f} and {f2:.0f} Hz.")
