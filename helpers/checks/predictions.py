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

__all__ = ["alias_frequency", "stft_shape", "db_of_ratios", "mel_step_ratio", "trade_off_signal",
           "tone_pair_dip_db", "click_width_ms", "click_dip_db", "click_widths", "CLICK_TIMES"]

CLICK_TIMES = (0.5, 1.0, 1.02, 1.5)  # seconds: single clicks, and a pair 20 ms apart
TONES_HZ = (1000.0, 1040.0)


# ---- reading answers -----------------------------------------------------------------------------
def _number(value) -> float:
    """``value`` as a finite float (Python/NumPy scalar, 0-d array or tensor); raises otherwise."""
    value = value.numpy() if hasattr(value, "numpy") else value
    if isinstance(value, (bool, np.bool_, str, bytes)) or np.ndim(value) != 0:
        raise TypeError("not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _numbers(value, n: int) -> tuple[float, ...]:
    """``value`` as exactly ``n`` finite floats (a tuple, list or 1-D array); raises otherwise."""
    value = value.numpy() if hasattr(value, "numpy") else value
    if isinstance(value, (str, bytes, dict)) or np.ndim(value) != 1 or len(value) != n:
        raise TypeError(f"not {n} numbers")
    return tuple(_number(v) for v in value)


def _readable(reader, answer) -> bool:
    """``reader(answer)`` succeeds (whatever the value it reads, 0 included)."""
    return holds(lambda a: reader(a) is not None, answer)


def _near(value, target: float, rel: float) -> bool:
    return math.isclose(value, target, rel_tol=rel)


def _pair_is(index: int, target: float, rel: float = 0.1):
    """A symptom: element ``index`` of a 2-number answer is near ``target``."""
    return lambda a: _near(_numbers(a, 2)[index], target, rel)


# ---- 01_loading_audio: aliasing ------------------------------------------------------------------
def folded_frequency(frequency: float, sr: float) -> float:
    """Where a tone of ``frequency`` Hz appears after sampling at ``sr`` Hz: folded into 0 … sr / 2.

    Examples
    --------
    >>> folded_frequency(5000, 7350), folded_frequency(1000, 7350)
    (2350.0, 1000.0)

    Used in: 01_loading_audio (through :func:`alias_frequency`).
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
        (lambda a: not _readable(_number, a), "give one frequency in hertz, a number such as 1000."),
        (lambda a: _near(_number(a), frequency, 0.01),
         f"{frequency:.0f} Hz is above the new Nyquist frequency ({nyquist:.0f} Hz): a rate of {sr:.0f} Hz "
         "cannot hold it where it is."),
        (lambda a: _near(_number(a), nyquist, 0.01),
         "it does not stop at the Nyquist frequency: it is mirrored there, as far below it as it was above."),
        (lambda a: _near(_number(a), above, 0.01),
         f"{above:.0f} Hz is how far above the Nyquist frequency the tone lies; mirror it: count that far "
         "down from the Nyquist frequency."),
        (lambda a: abs(_number(a)) < 1.0,
         "aliasing does not silence the tone: its energy reappears at another frequency."),
        (lambda a: _number(a) > nyquist, f"no frequency above {nyquist:.0f} Hz exists at a rate of {sr:.0f} Hz."),
        (lambda a: _near(_number(a), frequency / 3, 0.01) or _near(_number(a), frequency / 2, 0.01),
         "keeping every third sample does not divide frequencies: a sine stays a sine at its frequency "
         "as long as it is below the new Nyquist frequency; above it, it folds."),
    ]
    praise = (f"{frequency:.0f} Hz is {above:.0f} Hz above the new Nyquist frequency {nyquist:.0f} Hz, so it "
              f"folds back to {nyquist:.0f} - {above:.0f} = {expected:.0f} Hz.")
    return judge(answer, lambda a: abs(_number(a) - expected) <= max(0.01 * expected, 10.0), praise, hints,
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
    numbers = _numbers(value, 2)
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
        (lambda a: not _readable(_shape, a), "give two whole numbers, (frames, bins), e.g. (100, 257)."),
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
        return lambda a: all(abs(v - t) <= tol for v, t in zip(_numbers(a, len(ratios)), targets, strict=True))

    hints = [
        (lambda a: not _readable(lambda x: _numbers(x, len(ratios)), a),
         f"give {len(ratios)} numbers in dB, one per ratio, e.g. (-1.0, -2.0)."),
        (near_all([10 * math.log10(r) for r in ratios]),
         "those are 10 × log10: the rule for power. These are magnitudes (amplitudes): 20 × log10."),
        (near_all([-e for e in expected]), "quieter than the peak means below 0 dB: the values are negative."),
        (near_all([math.log10(r) for r in ratios], 0.05), "log10 alone is not decibels: multiply by 20 (amplitudes)."),
        (near_all(list(ratios), 0.01) or near_all([-r for r in ratios], 0.01),
         "those are the ratios themselves; decibels are 20 × log10(ratio)."),
        (near_all([100 * (r - 1) for r in ratios], 1.0), "decibels are logarithmic, not a percentage of the peak."),
        (lambda a: abs(_numbers(a, len(ratios))[0] - expected[0]) <= 0.25,
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

    Used in: 04_visualization (through :func:`mel_step_ratio`).
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
        (lambda a: not _readable(_number, a), "give one number: how many times the mel step of the high octave "
                                          "is that of the low one, e.g. 2."),
        (lambda a: _near(_number(a), 1.0, 0.1), "1 would be true of octaves (musical pitch): both are a doubling. "
                                                 "The mel scale is nearly linear below about 700 Hz."),
        (lambda a: _near(_number(a), hz_ratio, 0.15),
         f"{hz_ratio:.0f} is the ratio in hertz; the mel scale compresses high frequencies, so it is less."),
        (lambda a: _number(a) < 1.0, "the other way round: the high octave spans more mel than the low one."),
        (lambda a: 6.0 <= _number(a) <= 7.5, "about 6.7 is librosa's default mel scale (Slaney: linear below "
                                             "1 kHz); this question uses the HTK formula 2595 × log10(1 + f / 700)."),
        (lambda a: _number(a) < 3.0, "more than that: below 700 Hz the mel scale is close to linear in hertz."),
        (lambda a: _number(a) > 5.0, "less than that: above 700 Hz the mel scale grows like a logarithm."),
    ]
    praise = (f"{low[0]:.0f}→{low[1]:.0f} Hz is {low_mel:.0f} mel, {high[0]:.0f}→{high[1]:.0f} Hz is "
              f"{high_mel:.0f} mel: {ratio:.1f} times as far on the mel scale, although both are one octave.")
    return judge(answer, lambda a: abs(_number(a) - ratio) <= 0.2 * ratio, praise, hints,
                 nudge="the mel scale is nearly linear below about 700 Hz and logarithmic above: "
                       "is the high octave's step 1×, 2×, 4× or 10× the low one's?",
                 more=["compute 2595 × log10(1 + f / 700) at the four frequencies and take the two differences.",
                       f"the steps are {low_mel:.0f} and {high_mel:.0f} mel."],
                 exercise="mel_step_ratio",
                 solution=f"predicted_ratio = {ratio:.1f}  # {high_mel:.0f} / {low_mel:.0f} mel")


# ---- 05_stft_explorer: the classic trade-off signal ----------------------------------------------
def trade_off_signal(sr: int = 22050, seconds: float = 2.0) -> np.ndarray:
    """Two steady tones 40 Hz apart (1000 and 1040 Hz) plus single-sample clicks at :data:`CLICK_TIMES`.

    The tones need a long frame to be seen as two lines; the clicks (two of them 20 ms apart) need
    a short one to be seen as separate stripes: no frame length does both.

    Examples
    --------
    >>> y = trade_off_signal()
    >>> y.shape, y.dtype.name
    ((44100,), 'float32')

    Used in: 05_stft_explorer.
    """
    t = np.arange(int(round(seconds * sr))) / sr
    y = sum(0.3 * np.sin(2 * np.pi * f * t) for f in TONES_HZ)
    for when in CLICK_TIMES:
        y[int(round(when * sr))] += 1.0
    return y.astype(np.float32)


def _click_band(frame_length: int, frame_step: int, sr: int) -> np.ndarray:
    """Mean |STFT| above 3 kHz per frame (only the clicks reach there), centred frames."""
    from helpers import spectral  # TensorFlow only when a measurement is asked for

    fft_length = max(int(frame_length), 256)
    S = spectral.magnitude(spectral.stft(trade_off_signal(sr), int(frame_length), int(frame_step),
                                         fft_length, center=True)).numpy()
    return S[:, np.fft.rfftfreq(fft_length, d=1 / sr) > 3000].mean(axis=1)


def tone_pair_dip_db(frame_length: int, sr: int = 22050, seconds=(0.1, 0.4)) -> float:
    """How far (dB) the spectrogram of :func:`trade_off_signal` dips between its two tones; 0 dB = merged.

    The magnitudes are averaged over the frames centred in ``seconds`` (no clicks there): one frame
    alone would show a dip that comes and goes with the phase of the beating tones.

    Examples
    --------
    >>> tone_pair_dip_db(1024) < 6 < tone_pair_dip_db(2048)
    True

    Used in: 05_stft_explorer.
    """
    from helpers import spectral  # TensorFlow only when a measurement is asked for

    fft_length = 16384
    M = spectral.magnitude(spectral.stft(trade_off_signal(sr), int(frame_length), 64, fft_length,
                                         center=True)).numpy()
    t = np.arange(M.shape[0]) * 64 / sr
    mean = M[(t >= seconds[0]) & (t <= seconds[1])].mean(axis=0)
    f = np.fft.rfftfreq(fft_length, d=1 / sr)
    i1, i2 = (int(np.argmin(np.abs(f - tone))) for tone in TONES_HZ)
    return float(max(20 * np.log10(min(mean[i1], mean[i2]) / mean[i1:i2 + 1].min()), 0.0))


def click_width_ms(frame_length: int, frame_step: int, sr: int = 22050) -> float:
    """How wide (ms) the click at 0.5 s is in the spectrogram: the frames within 6 dB of its peak × the hop.

    Examples
    --------
    >>> round(click_width_ms(1024, 64), 1), round(click_width_ms(256, 64), 1)
    (23.2, 5.8)

    Used in: 05_stft_explorer.
    """
    band = _click_band(frame_length, frame_step, sr)
    centre = int(round(CLICK_TIMES[0] * sr / frame_step))
    near = band[max(centre - 4096 // frame_step - 1, 0):centre + 4096 // frame_step + 2]
    return float(np.sum(near >= near.max() * 10 ** (-6 / 20)) * frame_step / sr * 1000)


def click_dip_db(frame_length: int, sr: int = 22050, frame_step: int = 16) -> float:
    """How far (dB) the spectrogram dips above 3 kHz between the two clicks 20 ms apart; 0 dB = merged.

    Examples
    --------
    >>> click_dip_db(256) > 6, click_dip_db(2048) == 0.0
    (True, True)

    Used in: 05_stft_explorer.
    """
    band = _click_band(frame_length, frame_step, sr)
    a, b = (int(round(t * sr / frame_step)) for t in CLICK_TIMES[1:3])
    between = band[a:b + 1]
    return float(max(20 * np.log10(min(band[a], band[b]) / between.min()), 0.0))


def click_widths(answer, baseline=(1024, 256), variants=((1024, 64), (256, 64)), sr: int = 22050) -> Feedback:
    """Check predicted click widths (ms) for the ``variants`` (frame_length, frame_step), given the baseline's.

    Examples
    --------
    >>> _ = click_widths((23, 6))  # doctest: +ELLIPSIS
    ✓ Correct: measured 23.2 ms (frame 1024, hop 64) and 5.8 ms (frame 256, hop 64): ...

    Used in: 05_stft_explorer.
    """
    base = click_width_ms(*baseline, sr)
    truth = [click_width_ms(n, h, sr) for n, h in variants]

    def near(targets, rel=0.3):
        return lambda a: all(_near(v, t, rel) for v, t in zip(_numbers(a, len(targets)), targets, strict=True))

    first_hop_ratio = baseline[1] / variants[0][1]
    hints = [
        (lambda a: not _readable(lambda x: _numbers(x, 2), a), "give two widths in milliseconds, e.g. (10.0, 10.0)."),
        (lambda a: max(_numbers(a, 2)) < 1.0, "those look like seconds; give milliseconds (1 s = 1000 ms)."),
        (lambda a: min(_numbers(a, 2)) <= 0, "a width is a positive number of milliseconds."),
        (near([t / 1000 * sr for t in truth], 0.3), "those look like samples; give milliseconds."),
        (lambda a: _near(_numbers(a, 2)[0], base / first_hop_ratio, 0.3),
         "the hop only decides how often a frame is taken; each frame still sees the click for as long as "
         "its window is open, so a smaller hop does not make the stripe narrower."),
        (lambda a: _near(_numbers(a, 2)[0], base * first_hop_ratio, 0.3),
         "more frames do not widen the stripe: each frame still sees the click for as long as its window is open."),
        (_pair_is(1, base, 0.15), "the second setting has a 4× shorter frame: a frame contains the click for "
                                  "only as long as its window is open, so the stripe shrinks with the frame."),
        (_pair_is(1, base / 2, 0.2), "256 is a quarter of 1024, not a half."),
        (lambda a: _numbers(a, 2)[1] > base, "the other way round: a shorter frame holds the click for less time."),
    ]
    praise = (f"measured {truth[0]:.1f} ms (frame {variants[0][0]}, hop {variants[0][1]}) and {truth[1]:.1f} ms "
              f"(frame {variants[1][0]}, hop {variants[1][1]}): the width follows the frame length (about half "
              "a frame, where the Hann window is above half its height); the hop only samples it more often.")
    return judge(answer, near(truth), praise, hints,
                 nudge="which parameter decides how long one frame 'sees' the click: the hop or the frame length?",
                 more=["the width is set by the frame length alone (while the hop is smaller than the width).",
                       f"same frame → same {base:.1f} ms; a 4× shorter frame → a 4× narrower stripe."],
                 exercise="click_widths",
                 solution=f"predicted_ms = ({base:.1f}, {base / 4:.1f})  # the hop changes nothing, a 4x shorter "
                          "frame gives a 4x narrower stripe")
