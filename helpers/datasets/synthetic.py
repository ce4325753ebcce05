"""Synthetic data sets, made deterministically with NumPy: environmental sounds and genre-like music.

Each sound is a small recipe (a harmonic tone following a pitch curve, under an envelope) with
its parameters drawn from a seeded ``numpy.random.Generator``, so the same seed always gives the
same clips, and no file or network is needed.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from helpers import _validate

# ----------------------------------------------------------------- environmental sounds

MAX_SYNTH_BYTES = 4 << 30  # the float32 clips of one call: at most 4 GiB
ENVIRONMENTAL_CLASSES = ["bird_chirp", "car_horn", "dog_bark", "engine", "knock", "rain", "siren"]


def environmental_sounds(
    n_per_class: int = 40,
    seed: int = 0,
    sr: int = 16000,
    duration: float = 1.0,
    snr_db: tuple[float, float] = (-8.0, 8.0),
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Synthesised environmental sounds over background noise, made deterministically with NumPy.

    Seven classes (:data:`ENVIRONMENTAL_CLASSES`), each drawn with random pitch, timing, count and
    loudness, then mixed with brown-ish background noise at a signal-to-noise ratio drawn
    uniformly from ``snr_db``. The same ``seed`` always gives the same clips.

    Returns
    -------
    clips : np.ndarray, float32, [n_per_class * 7, round(sr * duration)]
    labels : np.ndarray of int
    class_names : list of str

    Examples
    --------
    >>> clips, labels, class_names = environmental_sounds(2, seed=0)
    >>> clips.shape, class_names[labels[0]]
    ((14, 16000), 'bird_chirp')

    Used in: 07_environmental_sounds.
    """
    n_per_class, seed, sr, n, snr_db = _checked_args(n_per_class, seed, sr, duration, snr_db, 7)
    rng = np.random.default_rng(seed)
    makers = [_bird_chirp, _car_horn, _dog_bark, _engine, _knock, _rain, _siren]
    clips, labels = [], []
    for label, make in enumerate(makers):
        for _ in range(n_per_class):
            event = make(rng, sr, n)
            clips.append(_mix(event, _background(rng, n), rng.uniform(*snr_db)))
            labels.append(label)
    return np.stack(clips).astype(np.float32), np.array(labels), list(ENVIRONMENTAL_CLASSES)


def _checked_args(n_per_class, seed, sr, duration, snr_db, n_classes: int) -> tuple:
    """The common arguments of the synthetic sets, validated: ``(n_per_class, seed, sr, n_samples, snr_db)``."""
    n_per_class = _validate.positive_int(
        n_per_class, "n_per_class", maximum=10_000, what="the clips per class, e.g. 40"
    )
    seed = _validate.non_negative_int(seed, "seed", what="the random seed, e.g. 0")
    sr = _validate.sample_rate(sr)
    if sr < 4000:
        raise ValueError(f"sr={sr} is too low for these sounds; pass a sample rate >= 4000 Hz, e.g. 16000")
    duration = _validate.number(
        duration, "duration", minimum=0.25, maximum=30, what="the clip length in seconds, e.g. 1.0"
    )
    n = int(round(sr * duration))
    if n_per_class * n_classes * n * 4 > MAX_SYNTH_BYTES:
        raise ValueError(
            f"n_per_class={n_per_class} clips of {duration:g} s at sr={sr} would take "
            f"{n_per_class * n_classes * n * 4 / 2**30:.1f} GiB; ask for fewer, shorter or "
            "lower-rate clips"
        )
    if not (isinstance(snr_db, (tuple, list)) and len(snr_db) == 2):
        raise TypeError(f"snr_db={_validate.show(snr_db)} is not a (low, high) pair in dB; pass e.g. (-8.0, 8.0)")
    low, high = (_validate.number(v, "snr_db", minimum=-60, maximum=60, what="an SNR in dB") for v in snr_db)
    if low > high:
        raise ValueError(f"snr_db=({low:g}, {high:g}) has low > high; pass (low, high), e.g. ({high:g}, {low:g})")
    return n_per_class, seed, sr, n, (low, high)


def _tone(f0, sr: int, n: int, harmonics=(1.0,)) -> np.ndarray:
    """A harmonic tone whose fundamental follows ``f0`` (Hz, scalar or [n]); partials above sr/2 dropped."""
    phase = 2 * np.pi * np.cumsum(np.broadcast_to(f0, (n,))) / sr
    f_max = float(np.max(f0))
    return sum(a * np.sin(k * phase) for k, a in enumerate(harmonics, 1) if k * f_max < sr / 2)


def _envelope(n: int, sr: int, start: int, length: int, attack: float = 0.005, decay: float | None = None):
    """A gate of ``length`` samples from ``start`` with a linear attack and an optional exponential decay."""
    t = np.arange(n) - start
    env = np.clip(t / max(attack * sr, 1), 0, 1) * (t < length)
    return env * np.exp(-np.maximum(t, 0) / (decay * sr)) if decay else env


def _bird_chirp(rng, sr, n):
    """2-5 chirps of 40-120 ms, each sweeping within its own duration between ~5 and ~2.5 kHz
    (at 16 kHz: from 4.5-6 kHz down to 2-3 kHz, or up; the band shrinks below sr/2 at low rates)."""
    out = np.zeros(n)
    top = min(6000.0, 0.45 * sr)
    bottom = min(2000.0, 0.5 * top)
    for _ in range(rng.integers(2, 6)):
        length, start = int(rng.uniform(0.04, 0.12) * sr), int(rng.uniform(0, 0.85) * n)
        u = rng.uniform(size=2)
        high, low = bottom + (top - bottom) * (0.625 + 0.375 * u[0]), bottom + (top - bottom) * 0.25 * u[1]
        sweep = (high, low) if u[0] >= 0.3 else (low, high)  # most chirps go down, some up
        f = np.interp(np.arange(n), [start, start + length], sweep)  # the sweep spans the chirp alone
        out += _tone(f, sr, n) * _envelope(n, sr, start, length, attack=0.01)
    return out


def _car_horn(rng, sr, n):
    f0 = rng.uniform(330, 480)
    start, length = int(rng.uniform(0, 0.4) * n), int(rng.uniform(0.3, 0.6) * n)
    horn = _tone(f0, sr, n, (1, 0.7, 0.5, 0.4, 0.3)) + _tone(f0 * 1.26, sr, n, (1, 0.7, 0.5, 0.4, 0.3))
    return np.tanh(2 * horn) * _envelope(n, sr, start, length, attack=0.02)


def _dog_bark(rng, sr, n):
    out = np.zeros(n)
    for _ in range(rng.integers(1, 4)):
        start, length = int(rng.uniform(0, 0.8) * n), int(rng.uniform(0.08, 0.18) * sr)
        # the pitch starts at f0 when the bark starts and falls from there (by ~45 % over 180 ms)
        f0 = rng.uniform(250, 600) * np.exp(-np.maximum(np.arange(n) - start, 0) / (0.3 * sr))
        body = _tone(f0, sr, n, (1, 0.8, 0.6, 0.5, 0.3, 0.2)) + 0.3 * rng.standard_normal(n)
        out += body * _envelope(n, sr, start, length, attack=0.01, decay=0.06)
    return out


def _engine(rng, sr, n):
    rate = rng.uniform(25, 60) * (1 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.5, 2) * np.arange(n) / sr))
    pulses = _tone(rate, sr, n, [1 / k for k in range(1, 16)])
    return pulses * (1 + 0.3 * rng.standard_normal(n))


def _knock(rng, sr, n):
    out, step = np.zeros(n), int(rng.uniform(0.12, 0.25) * sr)
    start = int(rng.uniform(0, 0.3) * n)
    f0 = rng.uniform(120, 400)
    for k in range(rng.integers(2, 5)):
        out += _tone(f0, sr, n, (1, 0, 0.5, 0, 0.3)) * _envelope(n, sr, start + k * step, n, 0.001, 0.025)
    return out


def _rain(rng, sr, n):
    drops = (rng.random(n) < rng.uniform(0.002, 0.01)) * rng.uniform(-1, 1, n)
    hiss = np.diff(rng.standard_normal(n + 1))  # first difference: noise tilted towards high frequencies
    return np.convolve(drops, np.exp(-np.arange(int(0.003 * sr)) / (0.0006 * sr)), "same") + 0.3 * hiss


def _siren(rng, sr, n):
    centre, depth, rate = rng.uniform(700, 1100), rng.uniform(150, 400), rng.uniform(0.7, 4)
    f0 = centre + depth * np.sin(2 * np.pi * rate * np.arange(n) / sr + rng.uniform(0, 2 * np.pi))
    return _tone(f0, sr, n, (1, 0.4, 0.2))


def _background(rng, n: int) -> np.ndarray:
    """Brown-ish noise (leaky-integrated white noise): the rumble of a street or a room."""
    white = rng.standard_normal(n + 2000)
    brown = scipy.signal.lfilter([1.0], [1.0, -0.98], white)  # y[i] = 0.98 y[i-1] + x[i]
    return brown[2000:] + 0.5 * white[2000:]


def _mix(event: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``event`` plus ``noise`` scaled to ``snr_db``; the mix peak-normalised to 0.9."""
    gain = np.sqrt(np.mean(event**2) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
    mix = event + gain * noise
    return 0.9 * mix / np.max(np.abs(mix))


# --------------------------------------------------------------------------- music genres

GENRES = {  # tempo range (BPM), 16-step drum patterns, swing, chord notes, chord and bass rhythm/instrument
    "classical": dict(
        tempo=(60, 100),
        drums={},
        swing=0.0,
        chord=(0, 4, 7),
        chord_rhythm="x" + "." * 15,
        chord_sound="pad",
        bass_rhythm="x.......x.......",
        bass_sound="pad",
    ),
    "electronic": dict(
        tempo=(115, 135),
        drums={"kick": "x...x...x...x...", "hat": "..x...x...x...x."},
        swing=0.0,
        chord=(0, 3, 7),
        chord_rhythm="x.......x.......",
        chord_sound="pad",
        bass_rhythm="xxxxxxxxxxxxxxxx",
        bass_sound="saw",
    ),
    "hiphop": dict(
        tempo=(80, 100),
        drums={"kick": "x......x..x.....", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
        swing=0.25,
        chord=(0, 3, 7, 10),
        chord_rhythm="x" + "." * 15,
        chord_sound="pluck",
        bass_rhythm="x......x..x.....",
        bass_sound="sine",
    ),
    "jazz": dict(
        tempo=(100, 180),
        drums={"ride": "x...x.x.x...x.x.", "hat": "....x.......x..."},
        swing=0.33,
        chord=(0, 4, 7, 11),
        chord_rhythm="...x.....x......",
        chord_sound="pluck",
        bass_rhythm="x...x...x...x...",
        bass_sound="pluck",
    ),
    "reggae": dict(
        tempo=(70, 95),
        drums={"kick": "........x.......", "snare": "........x.......", "hat": "x.x.x.x.x.x.x.x."},
        swing=0.0,
        chord=(0, 4, 7),
        chord_rhythm="..x...x...x...x.",
        chord_sound="organ",
        bass_rhythm="x..x..x.....x...",
        bass_sound="sine",
    ),
    "rock": dict(
        tempo=(100, 150),
        drums={"kick": "x.......x.x.....", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
        swing=0.0,
        chord=(0, 7, 12),
        chord_rhythm="x.x.x.x.x.x.x.x.",
        chord_sound="distorted",
        bass_rhythm="x.x.x.x.x.x.x.x.",
        bass_sound="saw",
    ),
}


def music_genres(
    n_per_class: int = 60,
    seed: int = 0,
    sr: int = 16000,
    duration: float = 2.0,
    drop: float = 0.3,
    snr_db: tuple[float, float] = (0.0, 20.0),
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Synthesised genre-like music clips (tempo, rhythm, timbre, harmony), made deterministically.

    Each genre (:data:`GENRES`) has a tempo range, drum patterns, a swing, a chord type and the
    instruments that play its chords and bass line; every clip draws its own key, tempo,
    start within the bar and mix. With probability ``drop`` each part (drums, chords, bass)
    is left out, so some clips lack what identifies their genre, and noise is added at an SNR
    drawn from ``snr_db``: no model should reach 100 %.

    Returns
    -------
    clips : np.ndarray, float32, [n_per_class * 6, round(sr * duration)]
    labels : np.ndarray of int
    class_names : list of str

    Examples
    --------
    >>> clips, labels, class_names = music_genres(2, seed=0)
    >>> clips.shape, class_names
    ((12, 32000), ['classical', 'electronic', 'hiphop', 'jazz', 'reggae', 'rock'])

    Used in: 08_music_genres.
    """
    n_per_class, seed, sr, n, snr_db = _checked_args(n_per_class, seed, sr, duration, snr_db, len(GENRES))
    drop = _validate.number(drop, "drop", minimum=0, what="the probability of leaving a part out, in [0, 1), e.g. 0.3")
    if drop >= 1:
        raise ValueError(f"drop={drop:g} would leave every part out; pass a probability in [0, 1), e.g. 0.3")
    rng = np.random.default_rng(seed)
    clips, labels = [], []
    for label, genre in enumerate(GENRES.values()):
        for _ in range(n_per_class):
            clips.append(_mix(_song(genre, rng, sr, n, drop), rng.standard_normal(n), rng.uniform(*snr_db)))
            labels.append(label)
    return np.stack(clips).astype(np.float32), np.array(labels), list(GENRES)


def _song(genre: dict, rng, sr: int, n: int, drop: float) -> np.ndarray:
    """One clip of ``genre``: drums, chords and bass on a shared grid, each part maybe dropped."""
    step = 60 / rng.uniform(*genre["tempo"]) / 4  # a sixteenth note, in seconds
    grid = dict(step=step, swing=genre["swing"], offset=rng.uniform(0, 16 * step), sr=sr, n=n)
    root = 110 * 2 ** (rng.integers(0, 12) / 12)  # the key: A2 … G#3
    parts = [
        sum((_play(pattern, _DRUMS[name](rng, sr), grid) for name, pattern in genre["drums"].items()), np.zeros(n)),
        sum(
            _play(genre["chord_rhythm"], _note(root * 2 * 2 ** (k / 12), genre["chord_sound"], sr, 8 * step), grid)
            for k in genre["chord"]
        ),
        _play(genre["bass_rhythm"], _note(root / 2, genre["bass_sound"], sr, 4 * step), grid),
    ]
    parts = [part / np.max(np.abs(part)) for part in parts if np.any(part)]
    keep = rng.random(len(parts)) >= drop
    keep[rng.integers(0, len(parts))] = True  # never an empty clip
    return sum(rng.uniform(0.5, 1.0) * part for part, k in zip(parts, keep, strict=True) if k)


def _play(pattern: str, sound: np.ndarray, grid: dict) -> np.ndarray:
    """Place ``sound`` at every ``x`` of a 16-step ``pattern``, looped over the clip."""
    out, sr, n, step = np.zeros(grid["n"]), grid["sr"], grid["n"], grid["step"]
    for k in range(int((n / sr + grid["offset"]) / step) + 1):
        if pattern[k % 16] == "x":
            start = int(round((k * step + (step * grid["swing"] if k % 2 else 0) - grid["offset"]) * sr))
            lo, hi = max(start, 0), min(start + sound.size, n)
            if hi > lo:
                out[lo:hi] += sound[lo - start : hi - start]
    return out


def _note(f0: float, sound: str, sr: int, seconds: float) -> np.ndarray:
    """A note of ``seconds`` at ``f0`` Hz with one of the instrument timbres."""
    m = int(seconds * sr)
    t = np.arange(m) / sr
    if sound == "pad":  # soft harmonics, slow attack, vibrato
        return _tone(f0 * (1 + 0.004 * np.sin(2 * np.pi * 5 * t)), sr, m, (1, 0.3, 0.1)) * np.minimum(t / 0.15, 1)
    if sound == "pluck":  # bright, decaying
        return _tone(f0, sr, m, [0.8**k for k in range(10)]) * np.exp(-t / 0.25)
    if sound == "organ":  # short chop
        return _tone(f0, sr, m, (1, 0.6, 0.4, 0.3)) * (t < 0.08)
    if sound == "sine":  # 808-like bass
        return np.sin(2 * np.pi * f0 * t) * np.exp(-t / 0.4)
    saw = _tone(f0, sr, m, [1 / k for k in range(1, 20)]) * np.exp(-t / 0.5)
    return np.tanh(4 * saw) if sound == "distorted" else saw


def _kick(rng, sr):
    t = np.arange(int(0.25 * sr)) / sr
    return np.sin(2 * np.pi * np.cumsum(45 + 90 * np.exp(-t / 0.03)) / sr) * np.exp(-t / 0.12)


def _snare(rng, sr):
    t = np.arange(int(0.2 * sr)) / sr
    return (rng.standard_normal(t.size) * 0.7 + np.sin(2 * np.pi * 190 * t)) * np.exp(-t / 0.06)


def _hat(rng, sr):
    t = np.arange(int(0.05 * sr)) / sr
    return np.diff(rng.standard_normal(t.size + 1)) * np.exp(-t / 0.015)


def _ride(rng, sr):
    t = np.arange(int(0.4 * sr)) / sr
    partials = [f for f in (2960, 4190, 5230, 6370) if f < sr / 2] or [0.3 * sr]
    return sum(np.sin(2 * np.pi * f * t) for f in partials) * np.exp(-t / 0.2) / len(partials)


_DRUMS = {"kick": _kick, "snare": _snare, "hat": _hat, "ride": _ride}
