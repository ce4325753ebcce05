"""Checkers of the experiments in the music, mel and augmentation notebooks (08, 09, 10).

Each checker measures on data it makes itself or on the data the notebook passes, so a guessed
number or a function that only works on the notebook's example is not enough to pass.

Used in: 08_music_genres, 09_mel_mfcc, 10_augmentation.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import number, positive_int
from helpers.checks._answers import as_array, close, data, is_number, pair, plain
from helpers.checks._feedback import Feedback, holds, judge

__all__ = ["bars_in_clip", "mel_spacing", "scale_gap", "mel_inversion", "freq_mask_function", "recipe_spread",
           "mean_and_range"]

_TEMPI = ((60.0, 2.0), (100.0, 2.0), (120.0, 2.0), (90.0, 3.0), (180.0, 1.5))


def _bars(f):
    values = [plain(f(bpm, seconds)) for bpm, seconds in _TEMPI]
    if not all(is_number(v) for v in values):
        raise TypeError("not a number")
    return np.array([float(v) for v in values])


def _like(f, expected) -> bool:
    return np.allclose(_bars(f), expected, rtol=1e-6, atol=1e-9)


def bars_in_clip(function) -> Feedback:
    """Check ``function(bpm, seconds) -> bars``: how many 4-beat bars a clip of ``seconds`` holds at ``bpm``.

    The checker calls the function at several tempi and clip lengths, so a formula fitted to one
    example does not pass.

    Examples
    --------
    >>> bool(bars_in_clip(lambda bpm, seconds: seconds * bpm / 240))  # doctest: +NORMALIZE_WHITESPACE
    ✓ Correct: a bar lasts 240 / BPM seconds: a 2 s clip holds 0.50 bar at 60 BPM, 0.83 at 100 BPM
    and 1.00 at 120 BPM.
    True

    Used in: 08_music_genres.
    """
    right = np.array([s * b / 240 for b, s in _TEMPI])
    hints = [
        (lambda f: not callable(f), "the answer is a function: def bars_in_clip(bpm, seconds): ..."),
        (lambda f: not holds(lambda g: _bars(g) is not None, f),
         "return one number (a float) for each call bars_in_clip(bpm, seconds)."),
        (lambda f: _like(f, right * 4), "that counts beats; a bar holds 4 of them (16 sixteenth notes)."),
        (lambda f: _like(f, right * 16), "that counts sixteenth notes; a bar holds 16 of them."),
        (lambda f: _like(f, np.array([240 / b for b, _ in _TEMPI])),
         "that is how long one bar lasts; divide the clip's seconds by it."),
        (lambda f: _like(f, 1 / right), "upside down: bars = clip seconds / seconds per bar."),
        (lambda f: _like(f, np.floor(right)), "whole bars only: give the fraction too (half a bar is 0.5), "
                                              "that is what tells you how much of the pattern a clip holds."),
        (lambda f: _like(f, np.array([2.0 * b / 240 for b, _ in _TEMPI])),
         "the result must depend on the clip's length: use `seconds`, not 2."),
    ]
    return judge(function, lambda f: _like(f, right),
                 "a bar lasts 240 / BPM seconds: a 2 s clip holds 0.50 bar at 60 BPM, 0.83 at 100 BPM and "
                 "1.00 at 120 BPM.", hints,
                 nudge="one beat lasts 60 / BPM seconds and a bar has 4 beats; how many bars fit in the clip?",
                 more=["bars = seconds / (4 × 60 / bpm)."], exercise="bars_in_clip",
                 solution="def bars_in_clip(bpm, seconds):\n    return seconds * bpm / 240")


def _htk_spacing(near_hz: float, sr: int, n_mels: int) -> float:
    mel = np.linspace(0.0, 2595 * np.log10(1 + sr / 2 / 700), n_mels + 2)
    hz = 700 * (10 ** (mel / 2595) - 1)
    return float(np.diff(hz)[np.searchsorted(hz, near_hz) - 1])


def mel_spacing(answer, centres_hz, near_hz: float, sr: int, fft_length: int) -> Feedback:
    """Check the measured distance in Hz between two neighbouring mel band centres around ``near_hz``.

    Parameters
    ----------
    answer : float or None
        The student's measurement in Hz.
    centres_hz : array-like
        The band centres (Hz, increasing) of the filter bank the model uses.
    near_hz : float
        Where to measure (e.g. the middle of the chord notes).
    sr, fft_length : int
        The model's sample rate and FFT length (for the hints).

    Examples
    --------
    >>> bool(mel_spacing(50.0, [200.0, 250.0, 300.0, 350.0], 270.0, 16000, 1024))  # doctest: +NORMALIZE_WHITESPACE
    ✓ Correct: the bands are 50.0 Hz apart near 270 Hz, where a semitone is 16.1 Hz: 3.1 semitones
    share one band's step, so neighbouring chord notes are not resolved.
    True

    Used in: 08_music_genres.
    """
    centres = data(centres_hz, "centres_hz", ndim=1)
    near_hz, sr = number(near_hz, "near_hz", minimum=0.0), positive_int(sr, "sr")
    fft_length = positive_int(fft_length, "fft_length")
    if not (centres[0] < near_hz < centres[-1]) or np.any(np.diff(centres) <= 0):
        raise ValueError(f"near_hz={near_hz} must lie inside the increasing centres {centres[0]:.0f}…{centres[-1]:.0f}")
    k = int(np.searchsorted(centres, near_hz))
    gaps = np.diff(centres)[max(k - 2, 0):k + 1]                  # the gap around near_hz and its neighbours
    spacing, semitone = float(np.diff(centres)[k - 1]), near_hz * (2 ** (1 / 12) - 1)

    def near(a, target):
        return close(a, target, rel=0.03)

    hints = [
        (lambda a: not is_number(a), "give one number in Hz."),
        (lambda a: near(a, semitone), "that is a semitone at that pitch; measure the distance of two band centres."),
        (lambda a: near(a, sr / 2 / len(centres)) or near(a, sr / 2 / (len(centres) + 1)),
         "that spreads the bands evenly over 0…sr/2 in Hz; mel bands are even on the mel scale. Take np.diff "
         "of the centres."),
        (lambda a: near(a, sr / fft_length), "that is the STFT's bin spacing (sr / fft_length); the mel bands "
                                             "are wider. Take np.diff of the band centres."),
        (lambda a: near(a, 2 * spacing), "that is two steps (a triangle's full width spans from one neighbour's "
                                         "centre to the other's); give the step between neighbouring centres."),
        (lambda a: near(a, _htk_spacing(near_hz, sr, len(centres))) and not near(a, spacing),
         "that is the HTK scale's spacing; the model uses librosa's default (Slaney) bank."),
    ]
    return judge(answer, lambda a: any(close(a, g, rel=0.02) for g in gaps),
                 f"the bands are {spacing:.1f} Hz apart near {near_hz:.0f} Hz, where a semitone is {semitone:.1f} "
                 f"Hz: {spacing / semitone:.1f} semitones share one band's step, so neighbouring chord notes are "
                 "not resolved.", hints,
                 nudge="take the band centres on either side of that frequency and subtract.",
                 more=["k = np.searchsorted(centres, near_hz); centres[k] - centres[k - 1]."],
                 exercise="mel_spacing",
                 solution="k = np.searchsorted(centres, near_hz)\nspacing = centres[k] - centres[k - 1]")


def scale_gap(answer, htk_centres, slaney_centres) -> Feedback:
    """Check the largest distance in Hz between the HTK and the Slaney band centres (same ``n_mels``).

    Examples
    --------
    >>> bool(scale_gap(30.0, [100.0, 530.0, 900.0], [110.0, 500.0, 900.0]))
    ✓ Correct: the centres differ by up to 30 Hz (HTK 530 Hz against Slaney 500 Hz); on average by 13 Hz.
    True

    Used in: 09_mel_mfcc.
    """
    htk, slaney = data(htk_centres, "htk_centres", ndim=1), data(slaney_centres, "slaney_centres", ndim=1)
    if htk.shape != slaney.shape:
        raise ValueError(f"htk_centres {htk.shape} and slaney_centres {slaney.shape} must have one length")
    gap = np.abs(htk - slaney)
    k = int(np.argmax(gap))

    def near(a, target):
        return close(a, target, rel=0.005, abs_=0.5)

    hints = [
        (lambda a: not is_number(a), "give one number, in Hz."),
        (lambda a: near(a, float((htk - slaney).min())) or near(a, -gap[k]),
         "that is negative: the largest distance is a size; take np.abs of the differences first."),
        (lambda a: near(a, float(gap.mean())), "that is the average distance; the question is the largest."),
        (lambda a: close(a, float((gap / slaney).max()), rel=0.01) or close(a, float((gap / htk).max()), rel=0.01),
         "that is a relative difference; give the distance in Hz."),
        (lambda a: near(a, float((htk - slaney).max())) and (htk - slaney).max() < gap[k],
         "that is the largest difference with HTK above Slaney; the other way round is larger: use np.abs."),
        (lambda a: near(a, k) or near(a, k + 1), "that is a band's number; give the distance in Hz."),
    ]
    return judge(answer, lambda a: near(a, float(gap[k])),
                 f"the centres differ by up to {gap[k]:.0f} Hz (HTK {htk[k]:.0f} Hz against Slaney {slaney[k]:.0f} "
                 f"Hz); on average by {gap.mean():.0f} Hz.", hints,
                 nudge="subtract the two arrays of band centres and look for the largest size of the difference.",
                 more=["np.max(np.abs(htk_centres - slaney_centres))."], exercise="scale_gap",
                 solution="gap = np.max(np.abs(htk_centres - slaney_centres))")


def mel_inversion(answer, power, mel_power, bank) -> Feedback:
    """Check a magnitude spectrogram ``[frames, bins]`` rebuilt from a mel power spectrogram.

    Right is a non-negative magnitude whose power, through the bank, gives the mel spectrogram
    back to within 5 % (what ``librosa.feature.inverse.mel_to_stft`` returns, transposed).

    Parameters
    ----------
    answer : array-like or None
        The rebuilt magnitude ``[frames, bins]``.
    power : array-like, shape [frames, bins]
        The original power spectrogram (for the feedback: how much the mel step lost).
    mel_power : array-like, shape [frames, n_mels]
        ``power @ bank``.
    bank : array-like, shape [bins, n_mels]
        The mel filter bank in TensorFlow's layout.

    Used in: 09_mel_mfcc.
    """
    power, mel_power = data(power, "power", ndim=2), data(mel_power, "mel_power", ndim=2)
    bank = data(bank, "bank", ndim=2)
    if power.shape[1] != bank.shape[0] or mel_power.shape != (power.shape[0], bank.shape[1]):
        raise ValueError(f"power {power.shape}, mel_power {mel_power.shape} and bank {bank.shape} do not fit "
                         "together: mel_power = power @ bank")

    def fit(a, exponent=2.0):
        a = as_array(a)
        return float(np.linalg.norm((np.maximum(a, 0) ** exponent) @ bank - mel_power) / np.linalg.norm(mel_power))

    def sc(a):
        return float(np.linalg.norm(as_array(a) - np.sqrt(power)) / np.linalg.norm(np.sqrt(power)))

    hints = [
        (lambda a: not holds(lambda b: as_array(b) is not None, a),
         "give the rebuilt magnitude as an array (or tensor)."),
        (lambda a: as_array(a).shape == power.shape[::-1], "that is librosa's layout [bins, frames]; transpose "
                                                          "it (.T) to [frames, bins] like the power spectrogram."),
        (lambda a: as_array(a).shape != power.shape, f"the answer must have the power spectrogram's shape "
                                                     f"{power.shape} = [frames, bins]."),
        (lambda a: sc(a) < 1e-3, "that is the original magnitude itself; rebuild it from the mel spectrogram only."),
        (lambda a: as_array(a).min() < -1e-6 * as_array(a).max(), "a magnitude is never negative: a pseudo-inverse "
                                                                  "gives negative values; mel_to_stft solves it with "
                                                                  "non-negative least squares."),
        (lambda a: fit(a, 1.0) < 0.05, "that is a power spectrogram; mel_to_stft returns a magnitude (power=2.0 "
                                       "means its input is power): take np.sqrt of yours."),
    ]
    return judge(answer, lambda a: as_array(a).shape == power.shape and as_array(a).min() >= -1e-6 and fit(a) < 0.05
                 and sc(a) >= 1e-3,
                 lambda a: (f"the rebuilt magnitude gives the mel spectrogram back (error {fit(a):.1%}), yet it is "
                            f"{sc(a):.2f} away from the original magnitude (spectral convergence): {bank.shape[0]} "
                            f"bins were summed into {bank.shape[1]} bands, and the detail inside each band is gone."),
                 hints, nudge="librosa.feature.inverse.mel_to_stft takes the mel spectrogram in librosa's layout.",
                 more=["mel_to_stft(M=mel.T, sr=sr, n_fft=fft_length, power=2.0) gives [bins, frames]: transpose "
                       "the result."], exercise="mel_inversion",
                 solution="rebuilt = librosa.feature.inverse.mel_to_stft(M=mel.numpy().T, sr=sr, n_fft=fft_length, "
                          "power=2.0).T")


_S = np.arange(1.0, 81.0).reshape(10, 8) % 7 + 1.0      # [frames, bands], no zeros
_MASKS = ((2, 3), (0, 1), (5, 3), (4, 0), (0, 8))


def _masked(f, start, width):
    out = np.asarray(plain(f(_S.astype(np.float32), start, width)), dtype=np.float64)
    if out.shape != _S.shape:
        raise ValueError("wrong shape")
    return out


def _expected_mask(start, width, axis=1, fill=0.0):
    out = _S.copy()
    index = [slice(None), slice(None)]
    index[axis] = slice(start, start + width)
    out[tuple(index)] = fill
    return out


def _masks_like(f, make) -> bool:
    return all(np.allclose(_masked(f, s, w), make(s, w)) for s, w in _MASKS if s + w <= _S.shape[0])


def freq_mask_function(function) -> Feedback:
    """Check ``function(S, start, width)``: ``S [frames, bands]`` with bands ``start … start + width - 1`` set to 0.

    Called on the checker's own spectrogram (no zeros in it) with several starts and widths,
    including width 0 and a mask over every band.

    Examples
    --------
    >>> def freq_mask(S, start, width):
    ...     bands = np.arange(S.shape[-1])
    ...     return np.where((bands >= start) & (bands < start + width), 0.0, S)
    >>> bool(freq_mask_function(freq_mask))
    ✓ Correct: the mask sets exactly `width` adjacent mel bands to 0 in every frame, like augment.freq_mask.
    True

    Used in: 10_augmentation.
    """
    hints = [
        (lambda f: not callable(f), "the answer is a function: def freq_mask(S, start, width): ..."),
        (lambda f: not holds(lambda g: _masked(g, 2, 3) is not None, f),
         f"return the masked spectrogram, the shape of S {_S.shape} [frames, bands]."),
        (lambda f: _masks_like(f, lambda s, w: _expected_mask(s, w, axis=0)),
         "that masks frames (time); a frequency mask hides mel bands, the last axis."),
        (lambda f: _masks_like(f, lambda s, w: _expected_mask(s, w + 1)), "one band too many: the mask covers "
                                                                          "start … start + width - 1."),
        (lambda f: _masks_like(f, lambda s, w: _expected_mask(s, max(w - 1, 0))), "one band too few: the mask "
                                                                                 "covers width bands."),
        (lambda f: _masks_like(f, lambda s, w: _expected_mask(s, _S.shape[1] - s) if w else _S),
         "the mask runs to the last band; it should stop after width bands."),
        (lambda f: np.allclose(_masked(f, 2, 3)[:, 2:5], _S.mean()) or np.allclose(_masked(f, 2, 3)[:, 2:5], 1.0),
         "fill the mask with 0 (the mean of a standardised spectrogram), not another value."),
    ]
    return judge(function, lambda f: all(np.allclose(_masked(f, s, w), _expected_mask(s, w)) for s, w in _MASKS),
                 "the mask sets exactly `width` adjacent mel bands to 0 in every frame, like augment.freq_mask.",
                 hints, nudge="make a boolean over the band axis (tf.range of S.shape[-1]) that is True inside the "
                              "mask, then tf.where it with 0.",
                 more=["bands = tf.range(tf.shape(S)[-1]); inside = (bands >= start) & (bands < start + width); "
                       "return tf.where(inside, 0.0, S)."], exercise="freq_mask_function",
                 solution="def freq_mask(S, start, width):\n    bands = tf.range(tf.shape(S)[-1])\n"
                          "    inside = (bands >= start) & (bands < start + width)\n"
                          "    return tf.where(inside, tf.zeros_like(S), S)")


def _mean_range_hints(values: np.ndarray, matches) -> list:
    """The usual mistakes of a (mean, range) pair; ``matches(a, mean, spread)`` compares one answer."""
    mean, spread = float(values.mean()), float(values.max() - values.min())
    return [
        (lambda a: matches(a, spread, mean), "the two numbers are swapped: (mean, range), mean first."),
        (lambda a: matches(a, 100 * mean, 100 * spread), "those are percentages; give fractions like the scores."),
        (lambda a: matches(a, mean, float(values.std())) or matches(a, mean, float(values.std(ddof=1))),
         "that spread is the standard deviation; here it is the range, max - min."),
        (lambda a: matches(a, mean, float(values.max())) or matches(a, mean, float(values.min())),
         "the range is a difference: the best seed minus the worst."),
        (lambda a: matches(a, float(np.median(values)), spread), "that is the median; take the mean."),
        (lambda a: matches(a, float(values[0]), spread) or matches(a, float(values[-1]), spread),
         "that is one seed's score; average over all of them."),
    ]


def _pair_is(a, mean: float, spread: float) -> bool:
    got = pair(a)
    return close(got[0], mean, rel=1e-3, abs_=1e-4) and close(got[1], spread, rel=1e-3, abs_=1e-4)


def mean_and_range(answer, values, exercise: str = "mean_and_range") -> Feedback:
    """Check ``(mean, range)`` of a score over seeds (range = max − min).

    Parameters
    ----------
    answer : pair of floats or None
    values : sequence of float
        One score per seed.
    exercise : str
        The name the hints are registered under (a notebook may ask this twice).

    Examples
    --------
    >>> bool(mean_and_range((0.1, 0.04), [0.08, 0.1, 0.12]))
    ✓ Correct: mean 0.1000, range (max - min) 0.0400 over 3 seeds.
    True

    Used in: 11_phase_reconstruction.
    """
    values = data(values, "values", ndim=1)
    mean, spread = float(values.mean()), float(values.max() - values.min())
    hints = [(lambda a: not holds(pair, a), "give two numbers, as a tuple: (mean, range)."),
             *_mean_range_hints(values, _pair_is)]
    return judge(answer, lambda a: _pair_is(a, mean, spread),
                 f"mean {mean:.4f}, range (max - min) {spread:.4f} over {values.size} seeds.", hints,
                 nudge="the mean of the per-seed values, and the range they span.",
                 more=["(np.mean(values), np.max(values) - np.min(values))."], exercise=str(exercise),
                 solution="answer = (np.mean(values), np.max(values) - np.min(values))")


def recipe_spread(answer, per_seed: dict) -> Feedback:
    """Check a dict ``recipe -> (mean, range)`` computed from ``per_seed`` (``recipe -> scores over seeds``).

    Examples
    --------
    >>> bool(recipe_spread({"a": (0.5, 0.2), "b": (0.8, 0.0)}, {"a": [0.4, 0.6], "b": [0.8, 0.8]}))
    ✓ Correct: a 0.500 (range 0.200), b 0.800 (range 0.000).
    True

    Used in: 10_augmentation.
    """
    if not isinstance(per_seed, dict) or not per_seed:
        raise TypeError("per_seed must be a non-empty dict recipe -> list of scores, one per seed")
    table = {name: data(v, f"per_seed[{name!r}]", ndim=1) for name, v in per_seed.items()}

    def each(a, test):
        return isinstance(a, dict) and set(a) == set(table) and all(test(a[k], v) for k, v in table.items())

    def right(a):
        return each(a, lambda got, v: _pair_is(got, float(v.mean()), float(v.max() - v.min())))

    def any_recipe(mistake_of):
        return lambda a: each(a, lambda got, v: mistake_of(v)(got))

    hints = [(lambda a: not isinstance(a, dict), "give a dict: recipe name -> (mean, range)."),
             (lambda a: set(a) != set(table), f"use the recipes as keys: {', '.join(map(repr, table))}."),
             (lambda a: not all(holds(pair, v) for v in a.values()), "each value is two numbers: (mean, range).")]
    for i in range(6):  # the mean-and-range mistakes, made for every recipe alike
        hints.append((any_recipe(lambda v, i=i: _mean_range_hints(v, _pair_is)[i][0]),
                      _mean_range_hints(np.array([0.0, 1.0]), _pair_is)[i][1]))
    praise = ", ".join(f"{k} {v.mean():.3f} (range {v.max() - v.min():.3f})" for k, v in table.items()) + "."
    return judge(answer, right, praise, hints, nudge="for each recipe: the mean over seeds and max - min.",
                 more=["{r: (np.mean(v), np.max(v) - np.min(v)) for r, v in per_seed.items()}"],
                 exercise="recipe_spread",
                 solution="spread = {r: (np.mean(v), np.max(v) - np.min(v)) for r, v in per_seed.items()}")
