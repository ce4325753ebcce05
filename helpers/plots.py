"""Figures with physical axes: waveforms in seconds, spectrograms in seconds × hertz.

Each function draws on ``ax`` (a new figure when ``None``), never calls ``plt.show()``, and
returns the artist it made so a notebook can adjust it (``img.set_clim(...)``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.audio import check_signal
from helpers.spectral import bin_frequencies


def waveform(y, sr: int, ax=None, title: str | None = None, **line_kwargs):
    """Plot samples against time in seconds; return the ``Line2D``.

    Examples
    --------
    >>> line = waveform(np.zeros(100), sr=100, title="Silence")

    Used in: 01_loading_audio, 04_visualization.
    """
    y = check_signal(y, name="y")
    ax = ax if ax is not None else plt.subplots(figsize=(10, 2.5))[1]
    (line,) = ax.plot(np.arange(y.shape[0]) / sr, y, linewidth=0.6, **line_kwargs)
    ax.set(xlabel="Time (s)", ylabel="Amplitude", xlim=(0, y.shape[0] / sr))
    if title:
        ax.set_title(title)
    return line


def spectrogram(S, sr: int, frame_step: int, ax=None, *, fft_length: int | None = None,
                center: bool = False, frame_length: int | None = None, title: str | None = None,
                cmap: str = "magma", colorbar: bool = True, label: str = "Magnitude (dB)",
                vmin: float | None = None, vmax: float | None = None):
    """Show a ``[frames, bins]`` spectrogram with time (s) across and frequency (Hz) up.

    Parameters
    ----------
    S : array-like or tf.Tensor, shape [frames, bins]
        Real values to colour (magnitude, dB, normalised…): TensorFlow's layout, transposed here.
    sr, frame_step : int
        Sample rate and hop used to compute ``S``; they set the axes' units.
    fft_length : int, optional
        FFT size; default ``2 * (bins - 1)``.
    center, frame_length : optional
        With ``center=False`` and ``frame_length`` given, each column is placed at its frame's
        centre, ``frame_length / 2`` samples after its start.
    title, cmap, colorbar, label, vmin, vmax
        Figure dressing; ``label`` names the colorbar's quantity and unit.

    Returns
    -------
    matplotlib.image.AxesImage

    Used in: 02_stft, 03_normalization, 04_visualization and later notebooks.
    """
    S = np.asarray(S, dtype=np.float32)
    if S.ndim != 2:
        raise ValueError(f"S has shape {S.shape}; expected [frames, bins] (compute one clip at a time)")
    n_frames, n_bins = S.shape
    fft_length = fft_length or 2 * (n_bins - 1)
    ax = ax if ax is not None else plt.subplots(figsize=(10, 4))[1]
    img = ax.imshow(S.T, aspect="auto", origin="lower", cmap=cmap, vmin=vmin, vmax=vmax,
                    extent=_extent(n_frames, sr, frame_step, fft_length, center, frame_length),
                    interpolation="nearest")
    ax.set(xlabel="Time (s)", ylabel="Frequency (Hz)")
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(img, ax=ax, label=label)
    return img


def _extent(n_frames, sr, frame_step, fft_length, center, frame_length):
    """Pixel edges in seconds and hertz, so each pixel sits on its frame time and bin frequency."""
    offset = 0 if center or frame_length is None else frame_length / 2 / sr
    dt, df = frame_step / sr, sr / fft_length
    top = bin_frequencies(fft_length, sr)[-1]
    return (offset - dt / 2, offset + (n_frames - 0.5) * dt, -df / 2, top + df / 2)
