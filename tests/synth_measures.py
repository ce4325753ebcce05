"""Measurements of synthetic sounds from their spectra (used by tests/test_datasets_synthetic.py)."""

from __future__ import annotations

import numpy as np
import scipy.signal


def peak_track(y: np.ndarray, sr: int, band: tuple[float, float], frame: float = 0.016, hop: float = 0.002):
    """``(times, peak frequency, band energy)`` of each STFT frame: the strongest bin inside ``band``."""
    nperseg = int(frame * sr)
    f, t, Z = scipy.signal.stft(
        y,
        fs=sr,
        window="hann",
        nperseg=nperseg,
        noverlap=nperseg - int(hop * sr),
        nfft=4 * nperseg,
        boundary=None,
        padded=False,
    )
    inside = (f >= band[0]) & (f <= band[1])
    power = np.abs(Z[inside]) ** 2
    return t, f[inside][np.argmax(power, axis=0)], power.sum(axis=0)


def chirp_sweeps(y: np.ndarray, sr: int, band=(1000.0, 7500.0), trim: int = 4) -> np.ndarray:
    """How far (Hz) the frequency moves within each chirp: max - min of the peak track over each run
    of frames louder than a tenth of the loudest, ``trim`` frames cut at each end (where the window
    straddles the chirp's edge)."""
    _, peak, energy = peak_track(y, sr, band)
    active = np.concatenate([[False], energy > 0.1 * energy.max(), [False]])
    edges = np.flatnonzero(np.diff(active.astype(int)))
    sweeps = [
        np.ptp(peak[a + trim : b - trim]) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a > 2 * trim + 2
    ]
    return np.array(sweeps)


def bark_onset_pitch(y: np.ndarray, sr: int, frame: float = 0.03) -> tuple[float, float]:
    """``(onset time, pitch)`` of the first bark: where the envelope first exceeds a tenth of its peak,
    then the strongest spectral peak between 20 and 1000 Hz of the ``frame`` seconds after it."""
    envelope = np.convolve(np.abs(y), np.ones(int(0.002 * sr)) / int(0.002 * sr), "same")
    onset = int(np.argmax(envelope > 0.1 * envelope.max()))
    segment = y[onset : onset + int(frame * sr)] * np.hanning(int(frame * sr))[: len(y) - onset]
    spectrum = np.abs(np.fft.rfft(segment, 16 * sr // 10))
    freqs = np.fft.rfftfreq(16 * sr // 10, 1 / sr)
    inside = (freqs >= 20) & (freqs <= 1000)
    return onset / sr, float(freqs[inside][np.argmax(spectrum[inside])])
