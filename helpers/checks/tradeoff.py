"""Notebook 05's classic trade-off signal (two close tones plus clicks), its measurements, and 05's exercises.

The tones need a long frame, the clicks a short one; the functions here measure both sides on the
same STFTs the notebook draws, and the checkers take their truth from those measurements.

Used in: 02_stft, 05_stft_explorer.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from helpers.checks._feedback import Feedback, judge
from helpers.checks.predictions import as_numbers, near, readable

__all__ = ["trade_off_signal", "tone_pair_dip_db", "click_width_ms", "click_dip_db", "click_widths",
           "chirp_line_width_hz", "chirp_frame_length", "window_leakage", "window_choice", "CLICK_TIMES"]

CLICK_TIMES = (0.5, 1.0, 1.02, 1.5)  # seconds: single clicks, and a pair 20 ms apart
TONES_HZ = (1000.0, 1040.0)


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


@lru_cache(maxsize=64)  # measurements of fixed signals: computed once per setting
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


@lru_cache(maxsize=64)  # measurements of fixed signals: computed once per setting
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
    around = band[max(centre - 4096 // frame_step - 1, 0):centre + 4096 // frame_step + 2]
    return float(np.sum(around >= around.max() * 10 ** (-6 / 20)) * frame_step / sr * 1000)


@lru_cache(maxsize=64)  # measurements of fixed signals: computed once per setting
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

    def all_near(targets, rel=0.3):
        return lambda a: all(near(v, t, rel) for v, t in zip(as_numbers(a, len(targets)), targets, strict=True))

    def second_near(target, rel):
        return lambda a: near(as_numbers(a, 2)[1], target, rel)

    first_hop_ratio = baseline[1] / variants[0][1]
    hints = [
        (lambda a: not readable(lambda x: as_numbers(x, 2), a), "give two widths in milliseconds, e.g. (10.0, 10.0)."),
        (lambda a: max(as_numbers(a, 2)) < 1.0, "those look like seconds; give milliseconds (1 s = 1000 ms)."),
        (lambda a: min(as_numbers(a, 2)) <= 0, "a width is a positive number of milliseconds."),
        (all_near([t / 1000 * sr for t in truth], 0.3), "those look like samples; give milliseconds."),
        (lambda a: near(as_numbers(a, 2)[0], base / first_hop_ratio, 0.3),
         "the hop only decides how often a frame is taken; each frame still sees the click for as long as "
         "its window is open, so a smaller hop does not make the stripe narrower."),
        (lambda a: near(as_numbers(a, 2)[0], base * first_hop_ratio, 0.3),
         "more frames do not widen the stripe: each frame still sees the click for as long as its window is open."),
        (second_near(base, 0.15), "the second setting has a 4× shorter frame: a frame contains the click for "
                                  "only as long as its window is open, so the stripe shrinks with the frame."),
        (second_near(base / 2, 0.2), "256 is a quarter of 1024, not a half."),
        (lambda a: as_numbers(a, 2)[1] > base, "the other way round: a shorter frame holds the click for less time."),
    ]
    praise = (f"measured {truth[0]:.1f} ms (frame {variants[0][0]}, hop {variants[0][1]}) and {truth[1]:.1f} ms "
              f"(frame {variants[1][0]}, hop {variants[1][1]}): the width follows the frame length (about half "
              "a frame, where the Hann window is above half its height); the hop only samples it more often.")
    return judge(answer, all_near(truth), praise, hints,
                 nudge="which parameter decides how long one frame 'sees' the click: the hop or the frame length?",
                 more=["the width is set by the frame length alone (while the hop is smaller than the width).",
                       f"same frame → same {base:.1f} ms; a 4× shorter frame → a 4× narrower stripe."],
                 exercise="click_widths",
                 solution=f"predicted_ms = ({base:.1f}, {base / 4:.1f})  # the hop changes nothing, a 4x shorter "
                          "frame gives a 4x narrower stripe")


# ---- 05: the chirp's frame ---------------------------------------------------------------------
POWERS_OF_TWO = (128, 256, 512, 1024, 2048, 4096)


@lru_cache(maxsize=64)  # measurements of fixed signals: computed once per setting
def chirp_line_width_hz(frame_length: int, at_seconds: float = 1.5, fft_length: int = 16384) -> float:
    """Width (Hz) of the bundled chirp's line, down to -6 dB on each side, in the frame centred at ``at_seconds``.

    Examples
    --------
    >>> round(chirp_line_width_hz(1024)) < round(chirp_line_width_hz(4096))
    True

    Used in: 05_stft_explorer.
    """
    from helpers import audio, spectral  # TensorFlow only when a measurement is asked for

    chirp, sr = audio.load(audio.sample("chirp"))
    M = spectral.magnitude(spectral.stft(chirp, int(frame_length), 64, fft_length, center=True)).numpy()
    spectrum = M[int(round(at_seconds * sr / 64))]
    above, peak = spectrum >= spectrum.max() / 2, int(spectrum.argmax())
    lo, hi = peak, peak
    while lo > 0 and above[lo - 1]:
        lo -= 1
    while hi < len(above) - 1 and above[hi + 1]:
        hi += 1
    return float((hi - lo + 1) * sr / fft_length)


def _whole(value) -> int:
    number = as_numbers([value], 1)[0]
    if not number.is_integer():
        raise ValueError("not a whole number")
    return int(number)


def chirp_frame_length(answer) -> Feedback:
    """Check a predicted power-of-two frame length (128-4096) that draws the bundled chirp's thinnest line.

    Examples
    --------
    >>> _ = chirp_frame_length(1024)  # doctest: +ELLIPSIS
    ✓ Correct: 1024 samples draw the thinnest line, ...

    Used in: 05_stft_explorer.
    """
    widths = {n: chirp_line_width_hz(n) for n in POWERS_OF_TWO}
    best = min(widths, key=widths.get)
    hints = [
        (lambda a: isinstance(a, (bool, str)) or not readable(_whole, a) or _whole(a) not in widths,
         f"choose one of {', '.join(map(str, POWERS_OF_TWO))}."),
        (lambda a: _whole(a) == POWERS_OF_TWO[-1],
         "the longest frame is not the sharpest for a moving tone: the chirp keeps sweeping while a long "
         "frame is open, so its line smears over every frequency it passes."),
        (lambda a: _whole(a) <= POWERS_OF_TWO[1],
         "a short frame follows the sweep, but its window's own peak is wide (about 4 × sr / frame_length)."),
        (lambda a: _whole(a) > best, "close, but too long: the sweep during the frame already widens the line."),
        (lambda a: _whole(a) < best, "close, but too short: the window's own peak is still wider than the sweep "
                                     "during the frame."),
    ]
    listed = ", ".join(f"{n}: {w:.0f} Hz" for n, w in widths.items())
    praise = (f"{best} samples draw the thinnest line, {widths[best]:.0f} Hz at -6 dB ({listed}): short frames "
              "have wide window peaks, long frames smear the sweep.")
    return judge(answer, lambda a: not isinstance(a, (bool, str)) and _whole(a) == best, praise, hints,
                 nudge="two things widen the line: the window's own peak (wide for short frames) and the sweep "
                       "during one frame (wide for long frames). Where do they balance?",
                 more=["the chirp sweeps about 2600 Hz per second; a Hann peak is about 4 × sr / frame_length wide.",
                       "compare the two widths for 512, 1024 and 2048 samples at 22050 Hz."],
                 exercise="chirp_frame_length", solution=f"thinnest = {best}  # {listed}")


# ---- 05: which window ----------------------------------------------------------------------------
WINDOW_NAMES = ("rectangular", "hamming", "hann", "kaiser", "vorbis")


@lru_cache(maxsize=64)  # measurements of fixed signals: computed once per setting
def window_leakage(window: str, sr: int = 22050) -> tuple[float, float]:
    """(level in dB re peak at 1400 Hz, -6 dB peak width in Hz) of one 1024-sample ``window``ed frame.

    The frame holds a 1000 Hz tone and a 1400 Hz tone 60 dB quieter, zero-padded to an FFT of 8192.

    Examples
    --------
    >>> level, width = window_leakage("hann")
    >>> round(level), round(width)
    (-60, 43)

    Used in: 05_stft_explorer.
    """
    from helpers import spectral  # TensorFlow only when a measurement is asked for

    t = np.arange(sr) / sr
    tones = (np.sin(2 * np.pi * 1000 * t) + 1e-3 * np.sin(2 * np.pi * 1400 * t)).astype(np.float32)
    S = spectral.stft(tones, frame_length=1024, frame_step=1024, fft_length=8192, window=window)
    db = spectral.to_db(spectral.magnitude(S[5]), top_db=None).numpy()
    above, peak = db >= db.max() - 6, int(db.argmax())
    lo, hi = peak, peak
    while above[lo - 1]:
        lo -= 1
    while above[hi + 1]:
        hi += 1
    level = db[int(np.argmin(np.abs(np.fft.rfftfreq(8192, d=1 / sr) - 1400)))]
    return float(level), float((hi - lo + 1) * sr / 8192)


def window_choice(answer) -> Feedback:
    """Check a predicted window: the one that shows the quiet 1400 Hz tone at its level (within 1 dB of -60 dB)
    with the narrowest peak.

    Examples
    --------
    >>> _ = window_choice("vorbis")  # doctest: +ELLIPSIS
    ✓ Correct: vorbis shows the quiet tone at ...

    Used in: 05_stft_explorer.
    """
    measured = {w: window_leakage(w) for w in WINDOW_NAMES}
    honest = {w: width for w, (level, width) in measured.items() if abs(level + 60) <= 1.0}
    best = min(honest, key=honest.get)

    def named(a):
        return a.strip().lower() if isinstance(a, str) else None

    def wrong_because(w):
        level, width = measured[w]
        if w not in honest:
            narrow = (f"as narrow as {best}'s ({width:.1f} Hz, a tie)" if abs(width - honest[best]) < 0.5
                      else f"narrow ({width:.1f} Hz)")
            return (f"{w}'s peak is {narrow}, but its leakage at 1400 Hz ({level:.0f} dB) lies above "
                    "the quiet tone and hides it.")
        return f"{w} shows the quiet tone at its level, but its peak is {width:.0f} Hz wide; another one is narrower."

    hints = [(lambda a, w=w: named(a) == w, wrong_because(w)) for w in WINDOW_NAMES if w != best]
    hints.insert(0, (lambda a: named(a) not in WINDOW_NAMES, f"name one of the windows: {', '.join(WINDOW_NAMES)}."))
    table = "; ".join(f"{w} {lv:.0f} dB, {wd:.0f} Hz" for w, (lv, wd) in measured.items())
    tied = [w for w, (level, width) in measured.items() if w not in honest and abs(width - honest[best]) < 0.5]
    tie = f"; as narrow, but hiding the quiet tone under leakage: {', '.join(tied)}" if tied else ""
    praise = (f"{best} shows the quiet tone at its level with the narrowest peak of those that do "
              f"({honest[best]:.1f} Hz at -6 dB){tie}. Measured (level at 1400 Hz, peak width): {table}.")
    return judge(answer, lambda a: named(a) == best, praise, hints,
                 nudge="two numbers per window: is the level at 1400 Hz close to the quiet tone's own level, and "
                       "how wide is the loud tone's peak?",
                 more=["windows whose leakage at 1400 Hz lies well above -60 dB hide the tone; among the others, "
                       "pick the narrowest peak."],
                 exercise="window_choice", solution=f'best_window = "{best}"  # {table}')
