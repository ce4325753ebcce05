"""The explorer's picture: one matplotlib figure drawn off-screen (Agg), blitted, encoded for the browser.

The figure, its image and its colorbar are made once and reused: an update calls
``set_data``/``set_clim``/``set_cmap`` and redraws only what changed (see :meth:`Canvas.draw`).
Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import contextlib
import io
from collections import OrderedDict

import librosa
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import AutoLocator, MaxNLocator, ScalarFormatter
from matplotlib.transforms import Bbox
from PIL import Image as PILImage

from helpers.explorer import imaging

DPI = 100
JPEG_QUALITY = 85  # with full-resolution colour (4:4:4): thin coloured lines and text stay sharp
TITLE_POINTS = 10.5  # the static picture's title; the live view shows it as text of the same size above the picture
MEL_TICKS_HZ = (0, 250, 500, 1000, 2000, 4000, 8000, 16000)
AXES = (0.115, 0.15, 0.71, 0.75)  # left, bottom, width, height of the spectrogram, in figure fractions
KEPT_PATCHES = 8  # recent backgrounds and colorbars: going back to a setting redraws no text


class Recent:
    """The last ``size`` values by key; the least recently used is dropped first.

    >>> kept = Recent(2); kept.put("a", 1); kept.put("b", 2); kept.get("a"); kept.put("c", 3)
    1
    >>> kept.get("b") is None, list(kept.items)
    (True, ['a', 'c'])

    Used in: the explorer's canvas patches and its spectrum and picture caches.
    """

    def __init__(self, size: int):
        self.size, self.items = size, OrderedDict()

    def get(self, key):
        """The value kept for ``key`` (now the most recent), or ``None``."""
        if key not in self.items:
            return None
        self.items.move_to_end(key)
        return self.items[key]

    def put(self, key, value) -> None:
        """Keep ``value`` for ``key`` as the most recent; drop the oldest beyond ``size``."""
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


class Canvas:
    """The explorer's reused figure: axes, one image, one colorbar, and the blitting that keeps it fast.

    Parameters
    ----------
    size : (int, int)
        Width and height of the picture in pixels (checked by the explorer).

    Attributes
    ----------
    figure, ax, image, colorbar : matplotlib objects
    pixels : (int, int)
        Width and height of the axes in pixels: the most columns and rows worth drawing.
    top : int
        Rows above the picture's live part: the title's band, which the live view shows as text.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """

    def __init__(self, size: tuple[int, int]):
        self.figure = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI)
        FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_axes(AXES)
        cax = self.figure.add_axes((0.845, 0.15, 0.018, 0.75))
        self.image = self.ax.imshow(np.zeros((2, 2)), aspect="auto", origin="lower", interpolation="nearest")
        self.colorbar = self.figure.colorbar(self.image, cax=cax)
        self._bar_behind = False  # the image's colours or range changed; the colorbar follows when drawn
        self.figure.add_artist(_BarUpToDate(self))  # drawn first in every full draw (savefig too)
        self.ax.set_xlabel("Time (s)")
        # hatched where no frame is centred (the first centre is half a frame in): no data, not silence
        self.ax.patch.set(facecolor="0.92", hatch="///", edgecolor="0.6", linewidth=0)
        box = self.ax.get_window_extent()
        self.pixels = (int(box.width), int(box.height))
        # rows above the axes and their top tick labels (half a label's height): the title's band
        self.top = int(self.figure.bbox.height - box.y1 - 10)
        # pixels kept by what they show: the figure without image, title and colorbar (with whether
        # an x tick label reaches the colorbar's strip), and the colorbar's strip
        self._backgrounds, self._bars = Recent(KEPT_PATCHES), Recent(KEPT_PATCHES)
        self._bare = Recent(KEPT_PATCHES)  # backgrounds without their time axis, by frequency axis

    def forget(self) -> None:
        """Drop every kept patch: the next update draws everything (for timing first visits)."""
        for kept in (self._backgrounds, self._bars, self._bare):
            kept.items.clear()

    def show(self, values: np.ndarray, extent: tuple, xlim: tuple, ylim: tuple, cmap: str) -> None:
        """Put ``values`` (``[columns, rows]``) on the axes at ``extent`` and zoom to ``xlim``, ``ylim``."""
        self.image.set_data(values.T)
        if self.image.get_cmap().name != cmap:
            self._recolour(self.image.set_cmap, cmap)
        if tuple(self.image.get_extent()) != tuple(extent):  # each setter costs even when nothing changes
            self.image.set_extent(extent)
        if self.ax.get_xlim() != tuple(xlim):
            self.ax.set_xlim(*xlim)
        if self.ax.get_ylim() != tuple(ylim):
            self.ax.set_ylim(*ylim)

    def frequency_axis(self, mel: bool, sr: int, hz_range: tuple[float, float]) -> None:
        """Label the y axis in Hz: linear ticks, or mel-spaced ticks that still read in Hz (round
        Hz values across ``hz_range`` when fewer than three of the usual ones lie in it)."""
        if mel:
            low, high = hz_range
            hz = [f for f in MEL_TICKS_HZ if f <= sr / 2]
            if sum(low <= f <= high for f in hz) < 3:  # zoomed in: ticks every 50, 100, 200 … Hz
                hz = [int(f) for f in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high) if f >= 0]
            self.ax.set_yticks(librosa.hz_to_mel(np.array(hz, dtype=float)), [str(f) for f in hz])
            self.ax.set_ylabel("Frequency (Hz, mel-spaced)")
        else:
            self.ax.yaxis.set_major_locator(AutoLocator())
            self.ax.yaxis.set_major_formatter(ScalarFormatter())
            self.ax.set_ylabel("Frequency (Hz)")

    def levels(self, low: float, high: float, label: str) -> None:
        """Colour range and colorbar label, each set only when it changes.

        The colorbar follows a new range (or colormap) only when it is drawn (:meth:`synced`):
        re-laying it out takes 3 ms, and going back to a range puts back its kept patch instead.
        """
        if self.image.get_clim() != (low, high):
            self._recolour(self.image.set_clim, low, high)
        if self.colorbar.ax.get_ylabel() != label:
            self.colorbar.set_label(label)

    def _recolour(self, setter, *args) -> None:
        """Change the image's colours with ``setter`` without re-laying the colorbar out: it follows when drawn."""
        with self.image.callbacks.blocked(signal="changed"):
            setter(*args)
        self._bar_behind = True

    def synced(self):
        """The colorbar, brought up to date with the image's colours and range first."""
        if self._bar_behind:
            self._bar_behind = False
            self.colorbar.update_normal(self.image)
        return self.colorbar

    def title(self, text: str) -> None:
        """Set the title as plain text: ``$`` is escaped so a file name never turns into mathtext."""
        self.ax.set_title(text.replace("$", r"\$"), fontsize=TITLE_POINTS)

    def draw(self) -> None:
        """Draw only what changed: text is what costs, so the axes and the colorbar are kept apart.

        Blitting: the figure without image, title and colorbar is drawn when the axes change
        and kept as a background; the colorbar is drawn when its colours or range change and
        kept as a second patch. The last ``KEPT_PATCHES`` of each are kept by what they show, so
        going back to a setting redraws no text, and a first visit draws only the text that changed
        (:meth:`_background`, :meth:`_bar`). Each update puts the patches back, paints the image
        (:meth:`_paint_image`) and the spines. The title is left out: the live view shows it as
        text (:meth:`titled` adds it to a static picture). Outside this method the figure is an
        ordinary one (``savefig`` shows everything, the title too).
        """
        ax = self.ax
        axes_key = (ax.get_xlim(), ax.get_ylim(), ax.get_ylabel(), tuple(ax.get_yticks()))
        reach = self._background(axes_key)
        # the strip holds what lies under it: the end of an x tick label, when one reaches it
        self._bar(
            (self.image.get_clim(), self.colorbar.ax.get_ylabel(), reach and axes_key), self.image.get_cmap().name
        )
        self._paint_image()
        for spine in ax.spines.values():
            ax.draw_artist(spine)

    def _background(self, axes_key) -> bool:
        """Put the background of these axes on the canvas; whether an x tick label reaches the colorbar.

        A new time range with the frequency axis of a kept background redraws the time axis alone
        on that background without its time axis (kept too), not every label of the figure.
        """
        canvas, ax = self.figure.canvas, self.ax
        background = self._backgrounds.get(axes_key)
        if background is not None:
            canvas.restore_region(background[0])
            return background[1]
        bare = self._bare.get(axes_key[1:])
        if bare is None:
            with _left_out(self.image, ax.title, self.colorbar.ax, ax.xaxis):
                canvas.draw()
            self._bare.put(axes_key[1:], canvas.copy_from_bbox(self.figure.bbox))
        else:
            canvas.restore_region(bare)
        ax.draw_artist(ax.xaxis)
        background = (canvas.copy_from_bbox(self.figure.bbox), self._x_labels_reach(_right_of(self.colorbar.ax).x0))
        self._backgrounds.put(axes_key, background)
        return background[1]

    def _bar(self, text_key, cmap: str) -> None:
        """Put the colorbar strip on the canvas: kept, or its colours over one kept with the same text."""
        canvas, cax = self.figure.canvas, self.colorbar.ax
        bar = self._bars.get((text_key, cmap))
        if bar is not None:
            canvas.restore_region(bar)
            return
        self.synced()  # the colorbar is drawn: its ticks and colours must be the image's
        same_text = [patch for (text, _), patch in self._bars.items.items() if text == text_key]
        if same_text:  # only the colormap changed: its colours over the same ticks and label, no text drawn
            canvas.restore_region(same_text[-1])
            self.figure.draw_artist(self.colorbar.solids)
            self.figure.draw_artist(self.colorbar.outline)
        else:
            self.figure.draw_artist(cax)
        self._bars.put((text_key, cmap), canvas.copy_from_bbox(_right_of(cax)))

    def _x_labels_reach(self, x: float) -> bool:
        """Whether an x tick label in view ends right of ``x`` pixels (as drawn last).

        Ticks beyond the view keep labels too (not drawn, but visible and placed): they are left out.
        """
        locs = self.ax.xaxis.get_majorticklocs()
        low, high = sorted(self.ax.get_xlim())
        near = 1e-6 * (high - low)  # a tick on the edge is drawn, as matplotlib decides it
        ticks = self.ax.xaxis.get_major_ticks(len(locs))
        labels = [t.label1 for t, at in zip(ticks, locs, strict=True) if low - near <= at <= high + near]
        return any(label.get_window_extent().x1 >= x for label in labels)

    def _paint_image(self) -> None:
        """Write the image into the canvas's pixels, nearest neighbour as ``imshow`` draws it.

        Colours come from the image's own norm and colormap (:func:`imaging.colours`) on the pooled values,
        which are never more than the axes' pixels; each pixel of the axes then picks the value
        under its centre. This skips Agg's general resampler (9 of 38 ms per update).
        """
        values = self.image.get_array()
        left, right, bottom, top = self.image.get_extent()
        (x_low, x_high), (y_low, y_high) = self.ax.get_xlim(), self.ax.get_ylim()
        box, height = self.ax.bbox, int(self.figure.bbox.height)
        cols = np.arange(int(np.ceil(box.x0 - 0.5)), int(np.ceil(box.x1 - 0.5)))
        rows = np.arange(height - int(np.ceil(box.y1 - 0.5)), height - int(np.ceil(box.y0 - 0.5)))
        x = x_low + (cols + 0.5 - box.x0) / box.width * (x_high - x_low)
        y = y_low + (height - rows - 0.5 - box.y0) / box.height * (y_high - y_low)
        j = np.floor((x - left) / (right - left) * values.shape[1]).astype(int)
        i = np.floor((y - bottom) / (top - bottom) * values.shape[0]).astype(int)
        inside_j, inside_i = (j >= 0) & (j < values.shape[1]), (i >= 0) & (i < values.shape[0])
        colours = imaging.colours(self.image.norm(values), self.image.get_cmap())  # one uint32 per RGBA pixel
        picked = colours.take(i[inside_i], axis=0).take(j[inside_j], axis=1)
        pixels = np.asarray(self.figure.canvas.buffer_rgba()).view(np.uint32)[..., 0]
        rows, cols = rows[inside_i], cols[inside_j]
        if rows.size and cols.size:
            pixels[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] = picked  # both runs are contiguous

    def snapshot(self) -> np.ndarray:
        """A copy of the RGB pixels the canvas holds now (``[height, width, 3]`` uint8), without the title."""
        return np.asarray(self.figure.canvas.buffer_rgba())[..., :3].copy()

    def titled(self, frame: np.ndarray) -> np.ndarray:
        """``frame`` (a :meth:`snapshot`) with the axes' title drawn in its band: the static picture.

        The next update puts its background back over the whole canvas, so the title leaves nothing behind.
        """
        pixels = np.asarray(self.figure.canvas.buffer_rgba())
        pixels[..., :3], pixels[..., 3] = frame, 255
        self.ax.draw_artist(self.ax.title)
        return self.snapshot()


def encode(rgb: np.ndarray, fmt: str) -> bytes:
    """RGB pixels as JPEG (what the live view sends: on the 30 s music clip 78 KB in 1.2 ms, against
    124 KB in 44 ms for PNG, mean error 2 of 255 levels) or PNG (zlib level 1; lossless, for saved
    outputs and the static picture).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    out = io.BytesIO()
    if fmt == "jpeg":
        PILImage.fromarray(rgb).save(out, format="jpeg", quality=JPEG_QUALITY, subsampling=0)
    else:
        PILImage.fromarray(rgb).save(out, format="png", compress_level=1)
    return out.getvalue()


class _BarUpToDate(Artist):
    """Invisible, drawn first in every full draw of the figure (``savefig`` too): it brings the
    colorbar up to date (:meth:`Canvas.synced`), which the blitted updates do only when they draw it.
    """

    def __init__(self, canvas: Canvas):
        super().__init__()
        self.set_zorder(-1e9)
        self._canvas = canvas

    def draw(self, renderer) -> None:
        self._canvas.synced()


@contextlib.contextmanager
def _left_out(*artists):
    """Leave ``artists`` out of ``canvas.draw()`` inside the block (matplotlib's 'animated' flag)."""
    for artist in artists:
        artist.set_animated(True)
    try:
        yield
    finally:
        for artist in artists:
            artist.set_animated(False)


def _right_of(cax) -> Bbox:
    """The strip of the figure from just left of the colorbar to the right edge, in pixels."""
    box, figure = cax.get_window_extent(), cax.figure.bbox
    return Bbox.from_extents(box.x0 - 3, 0, figure.x1, figure.y1)
