"""The STFT explorer: sliders over every STFT parameter, a spectrogram that follows them live.

``stft_explorer(y, sr)`` returns an :class:`STFTExplorer`; leave it last in a cell to display it.
Its controls are ipywidgets (``explorer.controls["frame_length"]``), its figure a matplotlib
``Figure`` drawn off-screen with the Agg backend and sent to the browser as an image in an
``ipywidgets.Image``. That needs nothing beyond JupyterLab 4 and ipywidgets 8 (7 works too), and
it is fast:

- one figure, one image, one colorbar, reused: an update calls ``set_data``/``set_clim``/``set_cmap``
  and redraws only what changed (blitting);
- the STFT is cached per (clip, frame_length, frame_step, fft_length, window), so changing the
  scale, dynamic range, colormap or zoom does not recompute it;
- the magnitude is max-pooled down to the axes' size in pixels before drawing (no more pixels
  than the screen shows); max-pooling keeps short events and thin harmonics visible.

The code lives in :mod:`helpers.explorer`, one module per job (controls, canvas, image maths,
playback, clips); this module is its public face.

Used in: 02_stft, 04_visualization, 05_stft_explorer.
"""

from __future__ import annotations

from helpers.explorer.clips import MAX_SECONDS
from helpers.explorer.controls import COLORMAPS, FFT_LENGTHS, FRAME_LENGTHS, FRAME_STEPS, SCALES
from helpers.explorer.explorer import STFTExplorer


def stft_explorer(y=None, sr: int | None = None, **settings) -> STFTExplorer:
    """An interactive spectrogram of ``y`` with sliders over every STFT parameter.

    Parameters
    ----------
    y : array-like, shape [samples], optional
        Mono audio to explore first; ``None`` starts on a bundled clip.
    sr : int, optional
        Sample rate of ``y`` in Hz (required with ``y``).
    **settings
        Starting values of the controls: ``frame_length``, ``frame_step``, ``fft_length``,
        ``window``, ``scale`` (``"linear"``, ``"db"``, ``"mel"``), ``top_db`` (10 to 120), ``cmap``,
        ``time_range`` (s), ``freq_range`` (Hz), ``name`` (the clip's label) and ``size``
        (``(width, height)`` of the picture in pixels, default ``(720, 320)``).

    Returns
    -------
    STFTExplorer
        Displays itself; ``.controls`` maps names to widgets, ``.figure`` is the figure.

    Raises
    ------
    ValueError, TypeError
        For a bad starting value, naming it and what is allowed (a ``top_db`` or range outside
        its slider is refused, not clamped).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.sin(2 * np.pi * 440 * np.arange(22050) / 22050).astype(np.float32)
    >>> explorer = stft_explorer(y, 22050)
    >>> explorer.controls["frame_length"].value = 256  # what moving the slider does
    >>> explorer.readouts["frame duration"]
    '11.6 ms'

    Used in: 02_stft, 04_visualization, 05_stft_explorer.
    """
    return STFTExplorer(y, sr, **settings)


__all__ = [
    "stft_explorer",
    "STFTExplorer",
    "FRAME_LENGTHS",
    "FRAME_STEPS",
    "FFT_LENGTHS",
    "SCALES",
    "COLORMAPS",
    "MAX_SECONDS",
]
