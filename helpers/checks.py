"""Exercise checkers: each tells a student whether an answer is right and, if not, what to look at.

Every checker prints one line of feedback and returns ``True`` when the answer is right:

- ``✓ Correct: …`` with what the answer means;
- ``✗ Not yet: …`` naming what is wrong and where to look;
- ``… Not answered yet: …`` while the placeholder (``None``) is still there, so a notebook
  still runs from top to bottom before the exercises are done.

The checkers share one mechanism, :func:`_judge`: a test for the right answer and an ordered list
of (symptom, hint) pairs for the usual mistakes; the first symptom that matches gives the hint.

Used in: 01_loading_audio, 02_stft, 03_normalization, 04_visualization, 06_speech_digits,
07_environmental_sounds, 08_music_genres, 09_mel_mfcc, 10_augmentation, 11_phase_reconstruction,
12_deployment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

Hint = tuple[Callable[[Any], bool], str]


# ---- the shared feedback mechanism ---------------------------------------------------------------
def _judge(answer, is_right: Callable[[Any], bool], praise: str | Callable[[Any], str],
           hints: Sequence[Hint] = (), otherwise: str = "") -> bool:
    """Print feedback on ``answer`` and return whether it is right.

    Parameters
    ----------
    answer : Any
        What the student computed (``None`` while the placeholder is unchanged).
    is_right : callable
        ``answer -> bool``; an exception counts as wrong.
    praise : str or callable
        Printed after ``✓ Correct:`` (a callable gets the answer and returns the text).
    hints : sequence of (callable, str)
        Symptom tests for the usual mistakes, in order; the first that holds gives its hint.
    otherwise : str
        The hint when no symptom matches.

    Returns
    -------
    bool
        ``True`` when ``is_right(answer)``.
    """
    if answer is None:
        print(f"… Not answered yet: replace None in the cell above with your answer, run it, then run "
              f"this cell again. Hint: {otherwise}")
        return False
    if _holds(is_right, answer):
        print(f"✓ Correct: {praise(answer) if callable(praise) else praise}")
        return True
    hint = next((text for symptom, text in hints if _holds(symptom, answer)), otherwise)
    print(f"✗ Not yet: {hint}")
    return False


def _holds(test: Callable[[Any], bool], answer) -> bool:
    """``test(answer)`` as a plain bool; a test that raises does not hold."""
    try:
        return bool(test(answer))
    except Exception:  # noqa: BLE001  (a malformed answer must give a hint, never a traceback)
        return False


def _close(value, target: float, rel: float = 1e-3, abs_: float = 1e-9) -> bool:
    """``value`` is a real number within ``rel`` (relative) of ``target``."""
    return _is_number(value) and math.isclose(float(value), float(target), rel_tol=rel, abs_tol=abs_)


def _is_number(value) -> bool:
    """A real scalar: a Python or NumPy number, or a 0-d array or tensor holding one."""
    if isinstance(value, bool):
        return False
    value = value.numpy() if hasattr(value, "numpy") else value
    return np.ndim(value) == 0 and np.isrealobj(value) and np.issubdtype(np.asarray(value).dtype, np.number)


def _is_whole(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _array(value) -> np.ndarray:
    """``value`` as a NumPy array (tensors included); raises for what is not array-like."""
    value = value.numpy() if hasattr(value, "numpy") else value
    return np.asarray(value, dtype=np.float64)


def _same(a, b, atol: float = 1e-4) -> bool:
    a, b = _array(a), _array(b)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=1e-4))


# ---- 01_loading_audio --------------------------------------------------------------------------
def duration(seconds, y, sr: int) -> bool:
    """Check the duration of ``y`` in seconds, ``len(y) / sr``.

    Parameters
    ----------
    seconds : float or None
        The student's answer.
    y : array-like, shape [samples]
        The clip.
    sr : int
        Its sample rate in Hz.

    Returns
    -------
    bool

    Examples
    --------
    >>> duration(2.0, np.zeros(32000), 16000)
    ✓ Correct: 32000 samples / 16000 Hz = 2.000 s.
    True

    Used in: 01_loading_audio.
    """
    n = np.shape(y)[-1]
    hints = [
        (lambda a: _close(a, n), "that is the number of samples, not seconds: divide it by the "
                                 "sample rate (samples per second)."),
        (lambda a: _close(a, sr / n), "that is sr / samples, upside down: seconds = samples / sr."),
        (lambda a: _close(a, 1000 * n / sr), "that looks like milliseconds; the answer is in seconds."),
        (lambda a: _close(a, n / 22050), "you divided by 22050, librosa's default rate, but this clip "
                                         "was loaded at its own rate: use the `sr` that load returned."),
    ]
    return _judge(seconds, lambda a: _close(a, n / sr, rel=1e-6), f"{n} samples / {sr} Hz = {n / sr:.3f} s.",
                  hints, "seconds = number of samples / sample rate; look at y.shape[-1] and sr.")


def resampled(y_new, y, sr: int, target_sr: int = 16000) -> bool:
    """Check that ``y_new`` is ``y`` resampled from ``sr`` to ``target_sr`` Hz (its length).

    ``y_new`` may be the resampled array or just its length. The expected length is
    ``ceil(len(y) * target_sr / sr)``, give or take one sample.

    Examples
    --------
    >>> resampled(16000, np.zeros(22050), 22050, 16000)
    ✓ Correct: 22050 samples at 22050 Hz become 16000 samples at 16000 Hz (same 1.000 s).
    True

    Used in: 01_loading_audio.
    """
    n = np.shape(y)[-1]
    expected = math.ceil(n * target_sr / sr)

    def length(a):
        return int(a) if _is_number(a) else np.shape(_array(a))[-1]

    def ndim(a):
        return 1 if _is_number(a) else _array(a).ndim

    hints = [
        (lambda a: ndim(a) != 1, "expected a mono 1-D array (or its length); check the shape of your answer."),
        (lambda a: length(a) == n, f"the length is unchanged ({n} samples): the signal was not resampled. "
                                   f"Use librosa.resample(y, orig_sr={sr}, target_sr={target_sr})."),
        (lambda a: abs(length(a) - math.ceil(n * sr / target_sr)) <= 1,
         "the length grew by sr / target_sr instead of shrinking: orig_sr and target_sr are swapped."),
    ]
    praise = (f"{n} samples at {sr} Hz become {expected} samples at {target_sr} Hz "
              f"(same {n / sr:.3f} s).")
    return _judge(y_new, lambda a: ndim(a) == 1 and abs(length(a) - expected) <= 1, praise, hints,
                  f"the new length should be about len(y) * {target_sr} / {sr}; resample with "
                  f"librosa.resample(y, orig_sr=sr, target_sr={target_sr}).")


def mono_mix(mono, stereo) -> bool:
    """Check that ``mono`` is the average of the channels of ``stereo`` (``[channels, samples]``).

    Examples
    --------
    >>> mono_mix(np.array([0.5, 0.0]), np.array([[1.0, 0.0], [0.0, 0.0]]))
    ✓ Correct: the average of the 2 channels, as librosa.to_mono does; the peak stays within [-1, 1].
    True

    Used in: 01_loading_audio.
    """
    stereo = _array(stereo)
    channels = stereo.shape[0]
    hints = [
        (lambda a: _array(a).shape == stereo.shape, f"the result still has shape {stereo.shape}: "
                                                    "average over the channel axis, axis=0."),
        (lambda a: _array(a).shape == stereo.T.shape, "that is the transpose (samples × channels); "
                                                      "librosa keeps channels first: average over axis=0."),
        (lambda a: _array(a).shape == (channels,), "you averaged over time (axis=1) and got one number per "
                                                   "channel; average over the channels, axis=0."),
        (lambda a: _same(a, stereo.sum(axis=0)), "you added the channels: divide by their number, or the "
                                                 "sum can exceed 1 and clip. Use the mean."),
        (lambda a: any(_same(a, ch) for ch in stereo), "that is one channel only; a mix uses all of them."),
    ]
    praise = f"the average of the {channels} channels, as librosa.to_mono does; the peak stays within [-1, 1]."
    return _judge(mono, lambda a: _same(a, stereo.mean(axis=0)), praise, hints,
                  "a mono mix is the mean of the channels; which axis of stereo holds the channels?")


# ---- 02_stft -----------------------------------------------------------------------------------
def frame_step(answer, sr: int = 16000, step_seconds: float = 0.010) -> bool:
    """Check the hop in samples that gives a time step of ``step_seconds`` at ``sr`` Hz.

    Examples
    --------
    >>> frame_step(160, 16000, 0.010)
    ✓ Correct: 160 samples / 16000 Hz = 10.0 ms between frames.
    True

    Used in: 02_stft.
    """
    expected = round(step_seconds * sr)
    hints = [
        (lambda a: _close(a, step_seconds), "that is the time step in seconds; frame_step counts samples: "
                                            "multiply by the sample rate."),
        (lambda a: _close(a, step_seconds * 1000), "that is the time step in milliseconds; frame_step counts "
                                                   "samples: seconds × sample rate."),
        (lambda a: _close(a, expected) and not _is_whole(a), f"right value, but tf.signal.stft needs an integer: "
                                                             f"use int(round(...)) to get {expected}."),
        (lambda a: _close(a, sr / step_seconds), "that is sr / seconds; the hop is seconds × sr."),
        (lambda a: any(_close(a, step_seconds * r, rel=0.01) for r in (8000, 22050, 44100, 48000)),
         f"that hop is right for another sample rate; this signal has sr = {sr} Hz."),
    ]
    praise = f"{expected} samples / {sr} Hz = {expected / sr * 1000:.1f} ms between frames."
    return _judge(answer, lambda a: _is_whole(a) and a == expected, praise, hints,
                  f"time step = frame_step / sr, so frame_step = {step_seconds} s × {sr} Hz.")


def bin_spacing(answer, sr: int, fft_length: int) -> bool:
    """Check the spacing in Hz between two STFT bins, ``sr / fft_length``.

    Examples
    --------
    >>> bin_spacing(15.625, 16000, 1024)
    ✓ Correct: 16000 Hz / 1024 = 15.625 Hz between bins; 513 bins from 0 Hz to 8000 Hz.
    True

    Used in: 02_stft.
    """
    expected = sr / fft_length
    hints = [
        (lambda a: _close(a, fft_length / sr), "that is fft_length / sr, upside down: spacing = sr / fft_length."),
        (lambda a: _close(a, sr / 2 / fft_length), "you divided the Nyquist frequency sr / 2 by fft_length, "
                                                   "but there are only fft_length // 2 + 1 bins up to it."),
        (lambda a: _close(a, sr / (fft_length // 2 + 1), rel=1e-2),
         "you divided by the number of bins; the bins are sr / fft_length apart (the last one is sr / 2)."),
    ]
    praise = (f"{sr} Hz / {fft_length} = {expected:.3f} Hz between bins; {fft_length // 2 + 1} bins "
              f"from 0 Hz to {sr / 2:.0f} Hz.")
    return _judge(answer, lambda a: _close(a, expected, rel=1e-4), praise, hints,
                  "bin k sits at k × sr / fft_length Hz; see helpers.spectral.bin_frequencies.")


def n_frames(answer, n_samples: int, frame_length: int, frame_step: int) -> bool:
    """Check the number of frames ``tf.signal.stft`` makes (no padding: ``center=False``).

    Examples
    --------
    >>> n_frames(59, 16000, 1024, 256)
    ✓ Correct: 1 + (16000 - 1024) // 256 = 59 frames; the last 128 samples do not fill a frame.
    True

    Used in: 02_stft.
    """
    expected = 1 + (n_samples - frame_length) // frame_step
    rest = n_samples - frame_length - (expected - 1) * frame_step
    hints = [
        (lambda a: a == expected - 1, "one short: count the first frame too (the + 1)."),
        (lambda a: a == n_samples // frame_step or a == 1 + n_samples // frame_step,
         "that counts frames as if the signal were padded (center=True, librosa's default); "
         "tf.signal.stft starts the first frame at sample 0 and stops when a frame no longer fits."),
        (lambda a: a == math.ceil((n_samples - frame_length) / frame_step) + 1,
         "that rounds up; a frame that would run past the end is dropped, so round down (//)."),
        (lambda a: not _is_whole(a), "the number of frames is a whole number: use integer division //."),
    ]
    tail = (f"the last {rest} samples do not fill a frame." if rest else
            "the last frame ends exactly at the last sample.")
    praise = f"1 + ({n_samples} - {frame_length}) // {frame_step} = {expected} frames; {tail}"
    return _judge(answer, lambda a: _is_whole(a) and a == expected, praise, hints,
                  "the first frame covers samples 0 … frame_length - 1; each next one starts frame_step later.")


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
                           min_dip_db: float = 6.0) -> bool:
    """Check the smallest power-of-two ``frame_length`` whose spectrum separates tones ``f1`` and ``f2``.

    "Separates" means the spectrum dips at least ``min_dip_db`` between the two peaks
    (see :func:`tone_dip_db`), with a Hann window and ``fft_length = frame_length``.

    Examples
    --------
    >>> resolving_frame_length(1024)
    ✓ Correct: with 1024 samples (64.0 ms) the spectrum dips 8.3 dB between 1000 Hz and 1040 Hz; with 512 it dips only 2.2 dB.
    True

    Used in: 02_stft.
    """
    candidates = [2**k for k in range(5, 16)]
    expected = next(n for n in candidates if tone_dip_db(n, sr, f1, f2) >= min_dip_db)
    gap = f2 - f1

    def too_short(a):
        return a in candidates and a < expected

    hints = [
        (lambda a: not _is_whole(a) or a not in candidates, "choose a power of two, e.g. 256, 512, 1024, 2048."),
        (lambda a: too_short(a), _too_short_hint(sr, gap, f1, f2)),
        (lambda a: a > expected, "that separates the tones, but it is not the smallest: a longer frame "
                                 "blurs time more. Try halving it."),
    ]
    praise = (f"with {expected} samples ({expected / sr * 1000:.1f} ms) the spectrum dips "
              f"{tone_dip_db(expected, sr, f1, f2):.1f} dB between {f1:.0f} Hz and {f2:.0f} Hz; with "
              f"{expected // 2} it dips only {tone_dip_db(expected // 2, sr, f1, f2):.1f} dB.")
    return _judge(answer, lambda a: _is_whole(a) and a == expected, praise, hints,
                  f"a Hann window's peak is about 4 × sr / frame_length Hz wide; it must be narrower than "
                  f"about twice the {gap:.0f} Hz gap.")


def _too_short_hint(sr: int, gap: float, f1: float, f2: float) -> str:
    return (f"too short: the two peaks still blur together. A Hann peak is about 4 × sr / frame_length wide, "
            f"so it must shrink towards 2 × {gap:.0f} Hz; try helpers.checks.tone_dip_db(frame_length) "
            f"to see the dip between {f1:.0f} and {f2:.0f} Hz.")


# ---- 03_normalization --------------------------------------------------------------------------
def min_max(function, eps: float = 1e-8) -> bool:
    """Check a student's ``min_max(S)`` on a test spectrogram and on a silent (all-zero) clip.

    The function must map ``S`` to ``(S - min) / (max - min + eps)``: values in [0, 1], and
    zeros (not NaN) for a silent clip.

    Examples
    --------
    >>> min_max(lambda S: (S - S.min()) / (S.max() - S.min() + 1e-8))
    ✓ Correct: the range maps onto [0, 1], and a silent clip gives zeros instead of NaN.
    True

    Used in: 03_normalization.
    """
    S = np.random.default_rng(0).uniform(2.0, 6.0, size=(20, 9))
    silent = np.zeros((20, 9))

    def out(x):
        with np.errstate(all="ignore"):
            return _array(function(x.copy()))

    def right(f):
        return _same(out(S), (S - S.min()) / (S.max() - S.min() + eps)) and _same(out(silent), silent)

    hints = [
        (lambda f: not callable(f), "min_max should be a function: def min_max(S): return ..."),
        (lambda f: out(S).shape != S.shape, "the output must have the same shape as S; use S.min() and S.max() "
                                            "of the whole array (global min-max)."),
        (lambda f: not np.all(np.isfinite(out(silent))),
         "a silent clip (all zeros) gives NaN: max - min is 0 there. Add a small eps to the denominator."),
        (lambda f: _same(out(S), S / S.max()), "you divided by the maximum only; subtract the minimum first, "
                                               "so the smallest value becomes 0."),
        (lambda f: abs(out(S).min()) > 1e-6, "the smallest value should become 0: subtract S.min()."),
        (lambda f: abs(out(S).max() - 1) > 1e-4, "the largest value should become 1 (almost: eps is tiny): "
                                                 "divide by (S.max() - S.min() + eps)."),
    ]
    return _judge(function, right, "the range maps onto [0, 1], and a silent clip gives zeros instead of NaN.",
                  hints, "return (S - S.min()) / (S.max() - S.min() + eps).")


def train_statistics(answer, train, test) -> bool:
    """Check ``answer = (mean, std)`` fitted on the training clips only (one number each).

    Examples
    --------
    >>> train_statistics((2.0, 1.0), np.array([1.0, 3.0]), np.array([9.0]))
    ✓ Correct: mean 2.000 and std 1.000 from the training clips only; apply the same two numbers to the test clips.
    True

    Used in: 03_normalization.
    """
    train, test = _array(train), _array(test)
    everything = np.concatenate([train.ravel(), test.ravel()])

    def pair(a):
        mean, std = a
        return float(mean), float(std)

    def matches(a, data):
        mean, std = pair(a)
        return _close(mean, data.mean(), rel=1e-3, abs_=1e-3) and _close(std, data.std(), rel=1e-3, abs_=1e-3)

    hints = [
        (lambda a: len(a) != 2, "give two numbers: (mean, std)."),
        (lambda a: matches(a, everything), "those statistics include the test clips: that leaks information "
                                           "about the test set into training. Use the training clips only."),
        (lambda a: matches(a, test), "those are the test clips' statistics; fit on the training clips only."),
        (lambda a: _close(pair(a)[0], train.mean(), 1e-3, 1e-3) and _close(pair(a)[1], train.var(), 1e-3, 1e-3),
         "the mean is right, but the second number is the variance: take its square root (np.std)."),
        (lambda a: _close(pair(a)[0], train.mean(), 1e-3, 1e-3), "the mean is right; the std is not: "
                                                                  "use train.std() over all values."),
    ]
    praise = (f"mean {train.mean():.3f} and std {train.std():.3f} from the training clips only; "
              "apply the same two numbers to the test clips.")
    return _judge(answer, lambda a: matches(a, train), praise, hints,
                  "compute train.mean() and train.std() over every value of the training clips.")


def to_db(answer, magnitude, amin: float = 1e-5) -> bool:
    """Check a magnitude spectrogram converted to dB relative to its peak: ``20 log10(max(S, amin) / S.max())``.

    Examples
    --------
    >>> to_db(np.array([0.0, -20.0]), np.array([1.0, 0.1]))
    ✓ Correct: the peak is 0 dB and every value is finite (lowest -20.0 dB).
    True

    Used in: 03_normalization.
    """
    S = _array(magnitude)
    floor = amin * S.max()
    expected = 20 * np.log10(np.maximum(S, floor) / S.max())
    loud = S >= floor

    def near(a, target):
        a = _array(a)
        return a.shape == S.shape and bool(np.allclose(a[loud], target[loud], atol=0.05))

    def right(a):
        return near(a, expected) and bool(np.all(np.isfinite(_array(a))))

    hints = [
        (lambda a: _array(a).shape != S.shape, f"the result should have the same shape as S, {S.shape}."),
        (lambda a: near(a, expected / 2), "those are half the right values: magnitudes are amplitudes, "
                                          "so use 20·log10; 10·log10 is for power (|S|**2)."),
        (lambda a: near(a, expected * np.log(10)), "np.log is the natural logarithm; decibels use np.log10."),
        (lambda a: near(a, expected + 20 * np.log10(S.max())), "the peak should be 0 dB: divide by S.max() "
                                                                "(the reference) inside the log."),
        (lambda a: not np.all(np.isfinite(_array(a))), "some values are -inf (the log of 0): raise S to a "
                                                       "floor first, np.maximum(S, amin * S.max())."),
    ]
    praise = f"the peak is 0 dB and every value is finite (lowest {expected.min():.1f} dB)."
    return _judge(answer, right, praise, hints,
                  "dB = 20 * np.log10(np.maximum(S, amin * S.max()) / S.max()).")


# ---- 04_visualization --------------------------------------------------------------------------
def extent(answer, n_frames: int, sr: int, frame_step: int) -> bool:
    """Check an ``imshow`` extent ``(left, right, bottom, top)`` in seconds and hertz.

    Accepts the frames' span in seconds (within one frame) and 0 … sr / 2 Hz (within one bin).

    Examples
    --------
    >>> extent((0, 1.0, 0, 8000), n_frames=100, sr=16000, frame_step=160)
    ✓ Correct: time runs 0 … 1.000 s across and frequency 0 … 8000 Hz (the Nyquist frequency) up.
    True

    Used in: 04_visualization.
    """
    seconds, nyquist = n_frames * frame_step / sr, sr / 2
    dt, tol_hz = frame_step / sr, 0.01 * nyquist  # within a frame in time, 1 % in frequency

    def parts(a):
        left, right, bottom, top = (float(v) for v in a)
        return left, right, bottom, top

    def right_answer(a):
        left, right, bottom, top = parts(a)
        return (abs(left) <= dt and abs(right - seconds) <= 2 * dt and abs(bottom) <= tol_hz
                and abs(top - nyquist) <= tol_hz)

    hints = [
        (lambda a: len(a) != 4, "extent has four numbers: (left, right, bottom, top)."),
        (lambda a: _close(parts(a)[1], n_frames), "right = number of frames: convert frames to seconds, "
                                                  "× frame_step / sr."),
        (lambda a: _close(parts(a)[0], nyquist) or _close(parts(a)[1], nyquist),
         "time comes first: (t_start, t_end, f_low, f_high)."),
        (lambda a: _close(parts(a)[3], sr), "the top of a spectrogram is the Nyquist frequency, sr / 2, not sr."),
        (lambda a: abs(parts(a)[1] - seconds) > 2 * dt, f"the time axis should end near "
                                                        f"n_frames × frame_step / sr seconds."),
        (lambda a: parts(a)[2] > parts(a)[3], "bottom must be the lowest frequency (0 Hz) and top the highest."),
    ]
    praise = (f"time runs 0 … {seconds:.3f} s across and frequency 0 … {nyquist:.0f} Hz "
              "(the Nyquist frequency) up.")
    return _judge(answer, right_answer, praise, hints,
                  "left/right are the first and last frame times in s; bottom/top 0 Hz and sr / 2.")


def orientation(image, origin: str, S) -> bool:
    """Check the array and ``origin`` passed to ``imshow`` for a ``[frames, bins]`` spectrogram ``S``.

    Right: ``S.T`` with ``origin="lower"`` (time across, low frequencies at the bottom), or the
    same picture built upside down, ``S.T[::-1]`` with ``origin="upper"``.

    Examples
    --------
    >>> S = np.arange(6.0).reshape(3, 2)
    >>> orientation(S.T, "lower", S)
    ✓ Correct: rows are frequencies, columns are frames, and 0 Hz is at the bottom.
    True

    Used in: 04_visualization.
    """
    S = _array(S)
    pair = (image, origin)

    def right(p):
        img, org = _array(p[0]), p[1]
        return (org == "lower" and _same(img, S.T)) or (org == "upper" and _same(img, S.T[::-1]))

    hints = [
        (lambda p: p[1] not in ("lower", "upper"), "origin is 'lower' or 'upper'."),
        (lambda p: _array(p[0]).shape == S.shape, "imshow puts the array's rows vertically, and S has one row "
                                                  "per frame: time would run up the page. Pass S.T."),
        (lambda p: p[1] == "upper" and _same(p[0], S.T), "with origin='upper' row 0 (0 Hz) is drawn at the top: "
                                                         "low frequencies would be at the top. Use origin='lower'."),
        (lambda p: p[1] == "lower" and _same(p[0], S.T[::-1]), "the rows are flipped and origin='lower' flips "
                                                               "them again: use S.T (unflipped) with 'lower'."),
    ]
    return _judge(None if image is None or origin is None else pair, right,
                  "rows are frequencies, columns are frames, and 0 Hz is at the bottom.", hints,
                  "S is [frames, bins]; imshow wants [rows = frequencies, columns = time].")


def colorbar_label(answer) -> bool:
    """Check a colorbar label names a quantity and its unit in parentheses, e.g. ``"Magnitude (dB)"``.

    ``answer`` is the label (str) or the matplotlib ``Colorbar``.

    Examples
    --------
    >>> colorbar_label("Magnitude (dB)")
    ✓ Correct: 'Magnitude (dB)' says what the colour means and in which unit.
    True

    Used in: 04_visualization.
    """
    def text(a):
        return a if isinstance(a, str) else a.ax.get_ylabel() or a.ax.get_xlabel()

    def quantity(a):
        return text(a).split("(")[0].strip()

    hints = [
        (lambda a: not text(a).strip(), "the colorbar has no label: pass label=... or call cbar.set_label(...)."),
        (lambda a: "db" not in text(a).lower(), "name the unit: this image is in decibels, e.g. 'Magnitude (dB)'."),
        (lambda a: not any(ch.isalpha() for ch in quantity(a).lower().replace("db", "")),
         "the unit alone does not say what is measured: add the quantity, e.g. 'Magnitude (dB)'."),
        (lambda a: "(" not in text(a), "put the unit in parentheses after the quantity: 'Magnitude (dB)'."),
    ]
    right = (lambda a: "(db" in text(a).lower().replace(" ", "") and
             any(ch.isalpha() for ch in quantity(a).replace("dB", "")))
    return _judge(answer, right, lambda a: f"{text(a)!r} says what the colour means and in which unit.", hints,
                  "a colorbar label is 'Quantity (unit)', e.g. 'Magnitude (dB)'.")


# ---- 06_speech_digits --------------------------------------------------------------------------
def n_frames_of_clip(answer, clip_samples: int, frame_length: int, frame_step: int) -> bool:
    """Check the number of frames the model's spectrogram layer makes from one clip (``center=False``).

    Parameters
    ----------
    answer : int or None
        The student's formula, evaluated.
    clip_samples, frame_length, frame_step : int
        The clip's length and the layer's frame length and hop, in samples.

    Returns
    -------
    bool

    Examples
    --------
    >>> n_frames_of_clip(61, 16000, 400, 256)
    ✓ Correct: 1 + (16000 - 400) // 256 = 61 frames.
    True

    Used in: 06_speech_digits.
    """
    expected = 1 + (clip_samples - frame_length) // frame_step
    hints = [
        (lambda a: not _is_whole(a), "the number of frames is a whole number: use integer division //."),
        (lambda a: a == expected - 1, "one short: count the first frame too (the + 1)."),
        (lambda a: a in (clip_samples // frame_step, 1 + clip_samples // frame_step),
         "that counts frames as if the clip were padded (center=True); this layer does not pad."),
    ]
    praise = f"1 + ({clip_samples} - {frame_length}) // {frame_step} = {expected} frames."
    return _judge(answer, lambda a: _is_whole(a) and a == expected, praise, hints,
                  "count the frames that fit whole: the first starts at 0, each next one frame_step later, "
                  "and the last must end before clip_samples.")


# ---- 07_environmental_sounds -------------------------------------------------------------------
def snr_db(function) -> bool:
    """Check a student's ``snr_db(signal, noise)`` on a 440 Hz sine (amplitude 1) in noise (std 0.1).

    The SNR in dB is ``10 log10(mean(signal**2) / mean(noise**2))``: a ratio of mean powers.

    Parameters
    ----------
    function : callable or None
        The student's ``snr_db``.

    Returns
    -------
    bool

    Examples
    --------
    >>> snr_db(lambda s, n: 10 * np.log10(np.mean(s**2) / np.mean(n**2)))
    ✓ Correct: 17.02 dB for a sine of amplitude 1 in noise of standard deviation 0.1.
    True

    Used in: 07_environmental_sounds.
    """
    t = np.arange(16000) / 16000
    signal, noise = np.sin(2 * np.pi * 440 * t), 0.1 * np.random.default_rng(1).standard_normal(16000)
    expected = 10 * np.log10(np.mean(signal**2) / np.mean(noise**2))

    def gives(f, target):
        return _close(f(signal.copy(), noise.copy()), target, rel=0, abs_=0.01)

    hints = [
        (lambda f: not callable(f), "snr_db should be a function: def snr_db(signal, noise): return ..."),
        (lambda f: gives(f, 2 * expected), "that is twice the right value: compare mean *powers* (mean of "
                                           "squares) and take 10 log10 of their ratio (20 log10 is for amplitudes)."),
        (lambda f: gives(f, -expected), "the sign is flipped: the ratio is signal power / noise power."),
        (lambda f: gives(f, expected * np.log(10) / 10), "np.log is the natural logarithm; decibels use "
                                                         "10 * np.log10."),
    ]
    return _judge(function, lambda f: gives(f, expected),
                  f"{expected:.2f} dB for a sine of amplitude 1 in noise of standard deviation 0.1.", hints,
                  "compare mean *powers* (mean of squares) and take 10 log10 of their ratio "
                  "(20 log10 is for amplitudes).")


# ---- 08_music_genres ---------------------------------------------------------------------------
def beat_seconds(function) -> bool:
    """Check a student's ``beat_seconds(bpm)``: the seconds between two beats, ``60 / bpm``.

    Parameters
    ----------
    function : callable or None
        The student's ``beat_seconds``.

    Returns
    -------
    bool

    Examples
    --------
    >>> beat_seconds(lambda bpm: 60 / bpm)
    ✓ Correct: 0.50 s at 120 BPM, 0.667 s at 90 BPM.
    True

    Used in: 08_music_genres.
    """
    def right(f):
        return _close(f(120), 0.5) and _close(f(90), 60 / 90)

    hints = [
        (lambda f: not callable(f), "beat_seconds should be a function: def beat_seconds(bpm): return ..."),
        (lambda f: _close(f(120), 2.0), "that is beats per second; BPM counts beats per minute: how many "
                                        "seconds is one of them?"),
        (lambda f: _close(f(120), 0.5), "right at 120 BPM but not at 90 BPM: compute it from bpm, do not "
                                        "return a fixed number."),
    ]
    return _judge(function, right, "0.50 s at 120 BPM, 0.667 s at 90 BPM.", hints,
                  "BPM counts beats per minute: how many seconds is one of them?")


# ---- 09_mel_mfcc -------------------------------------------------------------------------------
def c0_change(answer, measured_change, n_mels: int) -> bool:
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
    bool

    Examples
    --------
    >>> c0_change(-126.5, np.array([[-126.49, 0.0, 0.0]]), 40)
    ✓ Correct: c0 moves by sqrt(40) × (-20 dB) = -126.5 in all 1 unclamped frames, while c1…c12 move by at most 0.00: loudness lives in c0 alone.
    True

    Used in: 09_mel_mfcc.
    """
    change = _array(measured_change)
    measured = float(change[:, 0].mean())
    hints = [
        (lambda a: _close(a, -20.0, rel=0, abs_=0.5), "-20 dB is the change of each band; c0 is sqrt(N) "
                                                       "times their mean, not the mean."),
        (lambda a: _close(a, -measured, rel=0, abs_=0.5), "right size, wrong sign: quiet minus original, and "
                                                          "the quiet clip is lower."),
    ]
    praise = (f"c0 moves by sqrt({n_mels}) × (-20 dB) = {measured:.1f} in all {len(change)} unclamped frames, "
              f"while c1…c12 move by at most {np.abs(change[:, 1:]).max():.2f}: loudness lives in c0 alone.")
    return _judge(answer, lambda a: _close(a, measured, rel=0, abs_=0.5), praise, hints,
                  "every log-mel value drops by 20 dB; what does that do to sqrt(N) × their mean?")


# ---- 10_augmentation ---------------------------------------------------------------------------
def noise_scale(k, clip, unit_noise, target_db: float = 5.0) -> bool:
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
    bool

    Examples
    --------
    >>> noise_scale(np.sqrt(10 ** -0.5), np.ones(4), np.ones(4))
    ✓ Correct: k = 0.56234 gives 5.00 dB, the same as augment.add_noise(clip, 5.0, seed).
    True

    Used in: 10_augmentation.
    """
    clip, unit_noise = _array(clip), _array(unit_noise)

    def got(a):
        return float(10 * np.log10(np.mean(clip**2) / np.mean((float(a) * unit_noise) ** 2)))

    hints = [
        (lambda a: not _is_number(a), "k is one number, the factor that scales unit_noise."),
        (lambda a: abs(got(a) + target_db) < 0.05,
         f"that is {-target_db:g} dB: the noise is louder than the signal. Divide the signal power by "
         f"10**({target_db:g}/10), do not multiply."),
        (lambda a: abs(got(a) - 2 * target_db) < 0.1 or abs(got(a) - target_db / 2) < 0.05,
         "k scales an amplitude, and power goes with k**2: take a square root."),
    ]
    return _judge(k, lambda a: abs(got(a) - target_db) < 0.05,
                  lambda a: (f"k = {float(a):.5f} gives {got(a):.2f} dB, the same as "
                             f"augment.add_noise(clip, {target_db}, seed)."), hints,
                  f"start from 10 * log10(P_signal / (k**2 * P_noise)) = {target_db:g} and solve for k: "
                  f"k = sqrt(mean(clip**2) / (mean(unit_noise**2) * 10**({target_db:g}/10))).")


# ---- 11_phase_reconstruction -------------------------------------------------------------------
def iterations(answer, curve, fast_curve=None, threshold: float = 0.2) -> bool:
    """Check the smallest number of Griffin-Lim iterations after which the SC falls below ``threshold``.

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
    bool

    Examples
    --------
    >>> iterations(3, [0.5, 0.3, 0.1], [0.15])
    ✓ Correct: 3 iterations without momentum, 1 with momentum 0.99.
    True

    Used in: 11_phase_reconstruction.
    """
    def first_below(scores):
        return next((i + 1 for i, sc in enumerate(scores) if sc < threshold), len(scores) + 1)

    expected = first_below(curve)
    reached = expected <= len(curve)
    hints = [
        (lambda a: not _is_whole(a), "give a whole number of iterations."),
        (lambda a: not reached, f"momentum 0 never reaches {threshold} in {len(curve)} iterations here; "
                                f"answer {expected}."),
        (lambda a: a == expected - 1, "off by one: list index i holds the score after i + 1 iterations."),
    ]
    praise = f"{expected} iterations without momentum"
    if fast_curve is not None:
        praise += f", {first_below(fast_curve)} with momentum 0.99"
    return _judge(answer, lambda a: _is_whole(a) and a == expected, praise + ".", hints,
                  f"look for the first index where curves[0.0][i] < {threshold}, and add 1 "
                  "(curves[0.0][i] is the SC after i + 1 iterations).")


# ---- 12_deployment -----------------------------------------------------------------------------
def cache_position(answer, observed_same: bool) -> bool:
    """Check whether two epochs see the same noise when ``.cache()`` comes after the noise map.

    Parameters
    ----------
    answer : bool or None
        The student's ``same_noise_both_epochs``.
    observed_same : bool
        What iterating that pipeline twice really gives (``np.array_equal`` of the first clip).

    Returns
    -------
    bool

    Examples
    --------
    >>> cache_position(True, observed_same=True)
    ✓ Correct: the cache stores the noisy clips of epoch 1 and replays them: every epoch sees the same noise, which is no augmentation at all. Cache deterministic work, augment after the cache.
    True

    Used in: 12_deployment.
    """
    praise = ("the cache stores the noisy clips of epoch 1 and replays them: every epoch sees the same noise, "
              "which is no augmentation at all. Cache deterministic work, augment after the cache."
              if observed_same else "each epoch draws new noise here.")
    hints = [(lambda a: not isinstance(a, (bool, np.bool_)), "answer True or False.")]
    return _judge(answer, lambda a: isinstance(a, (bool, np.bool_)) and bool(a) == bool(observed_same), praise,
                  hints, "build the pipeline with .cache() after .map(add_noise), read it for two whole epochs "
                         "(a partly read cache is discarded) and compare the first clip of each with "
                         "np.array_equal.")
