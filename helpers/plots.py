"""Figures with physical axes: waveforms in seconds, spectrograms in seconds × hertz.

Each function draws on ``ax`` (a new figure when ``None``), never calls ``plt.show()``, and
returns the artist it made so a notebook can adjust it (``img.set_clim(...)``).
"""

from __future__ import annotations

import librosa
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

from helpers import _validate
from helpers.spectral import bin_frequencies

Y_AXES = ("linear", "log", "mel")
DEFAULT_LABEL = "Magnitude (dB re peak)"  # what to_db's default ref="max" gives
_TICKS_HZ = (0, 125, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000)


def waveform(y, sr: int, ax=None, title: str | None = None, **line_kwargs):
    """Plot samples against time in seconds; return the ``Line2D``.

    Examples
    --------
    >>> line = waveform(np.zeros(100), sr=100, title="Silence")

    Used in: 01_loading_audio, 04_visualization.
    """
    y = _validate.signal(y, name="y")
    sr = _validate.sample_rate(sr, "sr")
    ax = _axes(ax, (10, 2.5))
    (line,) = ax.plot(np.arange(y.shape[0]) / sr, y, linewidth=0.6, **line_kwargs)
    ax.set(xlabel="Time (s)", ylabel="Amplitude", xlim=(0, y.shape[0] / sr))
    if title:
        ax.set_title(title)
    return line


def spectrogram(
    S,
    sr: int,
    frame_step: int,
    ax=None,
    *,
    fft_length: int | None = None,
    center: bool = False,
    frame_length: int | None = None,
    title: str | None = None,
    cmap: str = "magma",
    colorbar: bool = True,
    label: str = DEFAULT_LABEL,
    vmin: float | None = None,
    vmax: float | None = None,
    y_axis: str = "linear",
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
):
    """Show a ``[frames, bins]`` spectrogram with time (s) across and frequency (Hz) up.

    Parameters
    ----------
    S : array-like or tf.Tensor, shape [frames, bins]
        Real values to colour (magnitude, dB, normalised…): TensorFlow's layout, transposed here.
        A complex STFT is refused (take its magnitude); NaN/Inf are refused.
    sr, frame_step : int
        Sample rate and hop used to compute ``S``; they set the axes' units.
    fft_length : int, optional
        FFT size; default ``2 * (bins - 1)``.
    center, frame_length : optional
        With ``center=False`` and ``frame_length`` given, each column is placed at its frame's
        centre, ``frame_length / 2`` samples after its start.
    y_axis : "linear", "log" or "mel"
        ``"linear"``: STFT bins on a hertz axis. ``"log"``: the same bins on a logarithmic hertz
        axis (symlog: linear below 250 Hz). ``"mel"``: ``S`` is a mel spectrogram ``[frames, n_mels]``
        made with ``fmin``, ``fmax``, ``htk`` (as for ``helpers.spectral.mel_filterbank``); each row
        is drawn at its band and the axis is ticked in hertz at the true positions.
    title, cmap, colorbar, label, vmin, vmax
        Figure dressing; ``label`` names the colorbar's quantity, unit and reference. The default,
        "Magnitude (dB re peak)", is what ``to_db(magnitude(S))`` gives; pass your own otherwise.

    Returns
    -------
    matplotlib.image.AxesImage (``"linear"``) or matplotlib.collections.QuadMesh (``"log"``, ``"mel"``)

    Examples
    --------
    >>> img = spectrogram(np.zeros((10, 65)), sr=8000, frame_step=64, y_axis="log")

    Used in: 02_stft, 03_normalization, 04_visualization and later notebooks.
    """
    S = _checked_image(S)
    sr = _validate.sample_rate(sr, "sr")
    y_axis = _validate.choice(y_axis, "y_axis", Y_AXES)
    x_edges = _time_edges(S.shape[0], sr, frame_step, center, frame_length)
    kwargs = dict(
        cmap=_cmap(cmap),
        vmin=_validate.number(vmin, "vmin", allow_none=True),
        vmax=_validate.number(vmax, "vmax", allow_none=True),
    )
    ax = _axes(ax, (10, 4))
    if y_axis == "mel":
        img = _mel_mesh(ax, S, x_edges, sr, fmin, fmax, htk, kwargs)
    else:
        fft_length = _fft_length(fft_length, S.shape[1])
        img = _stft_image(ax, S, x_edges, sr, fft_length, y_axis == "log", kwargs)
    ax.set(xlabel="Time (s)", ylabel="Frequency (Hz)")
    if title:
        ax.set_title(str(title))
    if _validate.boolean(colorbar, "colorbar"):
        ax.figure.colorbar(img, ax=ax, label=label if isinstance(label, str) else str(label))
    return img


def _checked_image(S) -> np.ndarray:
    S = _validate.real_array(S, "S")
    if S.ndim != 2:
        raise ValueError(f"S has shape {S.shape}; expected [frames, bins] (compute one clip at a time)")
    return S


def _axes(ax, figsize):
    if ax is None:
        return plt.subplots(figsize=figsize)[1]
    if not hasattr(ax, "imshow"):
        raise TypeError(
            f"ax={_validate.show(ax)} is not a matplotlib Axes; pass one (fig, ax = plt.subplots()) "
            "or leave ax=None for a new figure"
        )
    return ax


def _cmap(cmap):
    if isinstance(cmap, str) and cmap not in plt.colormaps():
        raise ValueError(f"cmap={cmap!r} is not a matplotlib colormap; use e.g. 'magma', 'viridis' or 'gray_r'")
    return cmap


def _fft_length(fft_length, n_bins: int) -> int:
    if fft_length is None:
        if n_bins < 2:
            raise ValueError(f"S has {n_bins} frequency bin; pass fft_length, or the [frames, bins] array itself")
        return 2 * (n_bins - 1)
    fft_length = _validate.positive_int(fft_length, "fft_length", what="the FFT size S was computed with")
    if fft_length // 2 + 1 != n_bins:
        raise ValueError(
            f"S has {n_bins} bins but fft_length={fft_length} gives {fft_length // 2 + 1}; pass the "
            f"fft_length it was computed with, e.g. {2 * (n_bins - 1)} (or S, not S.T)"
        )
    return fft_length


def _time_edges(n_frames, sr, frame_step, center, frame_length) -> np.ndarray:
    """Pixel edges in seconds, so each column sits on its frame's time (its centre)."""
    frame_step = _validate.positive_int(frame_step, "frame_step", maximum=2**16, what="the hop S was computed with")
    center = _validate.boolean(center, "center")
    if frame_length is not None:
        frame_length = _validate.positive_int(frame_length, "frame_length", what="the frame S was computed with")
    offset = 0 if center or frame_length is None else frame_length / 2 / sr
    dt = frame_step / sr
    return offset + (np.arange(n_frames + 1) - 0.5) * dt


def _stft_image(ax, S, x_edges, sr, fft_length, log, kwargs):
    df = sr / fft_length
    top = bin_frequencies(fft_length, sr)[-1]
    if not log:
        return ax.imshow(
            S.T,
            aspect="auto",
            origin="lower",
            interpolation="nearest",
            extent=(x_edges[0], x_edges[-1], -df / 2, top + df / 2),
            **kwargs,
        )
    y_edges = np.clip((np.arange(S.shape[1] + 1) - 0.5) * df, 0, None)
    mesh = ax.pcolormesh(x_edges, y_edges, S.T, shading="flat", rasterized=True, **kwargs)
    ax.set_yscale("symlog", linthresh=250, base=2)
    _hz_ticks(ax, 0.0, float(y_edges[-1]), scale=_symlog)
    ax.set_ylim(0, y_edges[-1])
    return mesh


def _symlog(f):
    """Position on the symlog axis (linear below 250 Hz, octaves above), for tick spacing."""
    return np.where(f <= 250, f / 250, 1 + np.log2(np.maximum(f, 250) / 250))


def _mel_mesh(ax, S, x_edges, sr, fmin, fmax, htk, kwargs):
    """Each mel band drawn between the midpoints of its neighbours' centres, on a mel-scaled axis."""
    fmin = _validate.number(fmin, "fmin", minimum=0, what="the fmin the mel bands were made with")
    fmax = _validate.number(fmax, "fmax", minimum=0, allow_none=True, what="the fmax the mel bands were made with")
    htk = _validate.boolean(htk, "htk")
    top = sr / 2 if fmax is None else fmax
    if not fmin < top <= sr / 2:
        raise ValueError(f"need 0 <= fmin < fmax <= sr / 2, got fmin={fmin}, fmax={fmax}, sr={sr}")
    n_mels = S.shape[1]
    lo, hi = librosa.hz_to_mel(fmin, htk=htk), librosa.hz_to_mel(top, htk=htk)
    step = (hi - lo) / (n_mels + 1)  # band i is centred at lo + (i + 1) * step in mel
    edges_mel = lo + step * (np.arange(n_mels + 1) + 0.5)
    forward = lambda f: librosa.hz_to_mel(np.maximum(f, 0), htk=htk)  # noqa: E731
    inverse = lambda m: librosa.mel_to_hz(np.maximum(m, 0), htk=htk)  # noqa: E731
    mesh = ax.pcolormesh(x_edges, inverse(edges_mel), S.T, shading="flat", rasterized=True, **kwargs)
    ax.set_yscale("function", functions=(forward, inverse))
    ax.set_ylim(inverse(edges_mel[0]), inverse(edges_mel[-1]))
    _hz_ticks(ax, float(inverse(edges_mel[0])), float(inverse(edges_mel[-1])), scale=forward)
    return mesh


def _hz_ticks(ax, lo: float, hi: float, scale) -> None:
    """Round-number hertz ticks inside [lo, hi], dropping any closer than 7 % of the axis to the last."""
    span = float(scale(np.asarray(hi))) - float(scale(np.asarray(lo)))
    ticks = []
    for f in (t for t in _TICKS_HZ if lo <= t <= hi):
        if not ticks or float(scale(np.asarray(f))) - float(scale(np.asarray(ticks[-1]))) >= 0.07 * span:
            ticks.append(f)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(ScalarFormatter())
