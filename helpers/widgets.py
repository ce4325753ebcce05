"""The STFT explorer: sliders over every STFT parameter, a spectrogram that follows them live.

``stft_explorer(y, sr)`` returns an :class:`STFTExplorer`; leave it last in a cell to display it.
Its controls are ipywidgets (``explorer.controls["frame_length"]``), its figure a matplotlib
``Figure`` drawn off-screen with the Agg backend and sent to the browser as a PNG in an
``ipywidgets.Image``. That needs nothing beyond JupyterLab 4 and ipywidgets 8, and it is fast:

- one figure, one image, one colorbar, reused: an update calls ``set_data``/``set_clim``/``set_cmap``;
- the STFT is cached per (clip, frame_length, frame_step, fft_length, window), so changing the
  scale, dynamic range, colormap or zoom does not recompute it;
- the magnitude is max-pooled down to the axes' size in pixels before drawing (no more pixels
  than the screen shows); max-pooling keeps short events and thin harmonics visible.

Used in: 02_stft, 04_visualization, 05_stft_explorer.
"""

from __future__ import annotations

import base64
import contextlib
import io
import tempfile
import warnings
from collections import OrderedDict
from pathlib import Path

import ipywidgets as widgets
import librosa
import numpy as np
import soundfile
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from matplotlib.ticker import AutoLocator, ScalarFormatter
from PIL import Image as PILImage
from traitlets import TraitError

from helpers import audio, spectral

FRAME_LENGTHS = [64, 128, 256, 512, 1024, 2048, 4096]
FRAME_STEPS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
FFT_LENGTHS = [64, 128, 256, 512, 1024, 2048, 4096, 8192]
SCALES = {"linear": "linear", "dB": "db", "mel (dB)": "mel"}
COLORMAPS = ["magma", "viridis", "inferno", "gray_r", "coolwarm"]
MAX_SECONDS = 60.0  # longer uploads are cut: the explorer is for looking closely, not for albums


def stft_explorer(y=None, sr: int | None = None, **settings) -> "STFTExplorer":
    """An interactive spectrogram of ``y`` with sliders over every STFT parameter.

    Parameters
    ----------
    y : array-like, shape [samples], optional
        Mono audio to explore first; ``None`` starts on a bundled clip.
    sr : int, optional
        Sample rate of ``y`` in Hz (required with ``y``).
    **settings
        Starting values of the controls: ``frame_length``, ``frame_step``, ``fft_length``,
        ``window``, ``scale`` (``"linear"``, ``"db"``, ``"mel"``), ``top_db``, ``cmap``,
        ``time_range`` (s), ``freq_range`` (Hz), and ``name`` (the clip's label).

    Returns
    -------
    STFTExplorer
        Displays itself; ``.controls`` maps names to widgets, ``.figure`` is the figure.

    Examples
    --------
    >>> explorer = stft_explorer(y, sr)            # doctest: +SKIP
    >>> explorer.controls["frame_length"].value = 256  # what moving the slider does

    Used in: 02_stft, 04_visualization, 05_stft_explorer.
    """
    return STFTExplorer(y, sr, **settings)


class STFTExplorer:
    """Controls, read-outs, a reused figure and a player over one clip at a time.

    Attributes
    ----------
    controls : dict of ipywidgets
        ``clip``, ``upload``, ``frame_length``, ``frame_step``, ``fft_length``, ``window``,
        ``scale``, ``top_db``, ``cmap``, ``time_range``, ``freq_range``, ``play``; setting a
        control's ``.value`` is what moving it in the browser does.
    figure, ax, image, colorbar : matplotlib objects
        The one figure every update redraws (``image`` is its ``AxesImage``).
    readouts : dict of str
        What the read-out table shows: time step, frame duration, bin spacing, frames, bins, ….
    message : str
        The adjustment, error or playback note shown under the controls ("" when none).
    widget : ipywidgets.VBox
        The whole explorer, as displayed.

    Examples
    --------
    >>> explorer = STFTExplorer(np.zeros(22050, np.float32), 22050)  # doctest: +SKIP
    >>> explorer.set(frame_length=256, frame_step=64).readouts["time step"]  # doctest: +SKIP
    '2.9 ms'

    Used in: 02_stft, 04_visualization, 05_stft_explorer (through :func:`stft_explorer`).
    """

    def __init__(self, y=None, sr: int | None = None, *, name: str = "your clip",
                 frame_length: int = 1024, frame_step: int = 256, fft_length: int | None = None,
                 window: str = "hann", scale: str = "db", top_db: float = 80.0,
                 cmap: str = "magma", time_range: tuple[float, float] | None = None,
                 freq_range: tuple[float, float] | None = None, size: tuple[int, int] = (720, 320)):
        self.clips = _initial_clips(y, sr, name)
        self._spectra = OrderedDict()  # |STFT| cache, least recently used first
        self._shown = (None, None)  # (key, pooled image) of the last picture
        self._background = (None, None)  # (key, pixels) of the figure without image, title, colorbar
        self._bar = (None, None)  # (key, pixels) of the colorbar
        self.figure, self.ax, self.image, self.colorbar = _make_figure(size)
        self._pixels = _axes_pixels(self.ax)
        fft_length = fft_length or 1 << (int(frame_length) - 1).bit_length()
        self.controls = _make_controls(list(self.clips), frame_length, frame_step, fft_length,
                                       window, scale, top_db, cmap)
        self._make_outputs(size)
        self._connect()
        self._busy = True
        try:
            self._select_clip(self.controls["clip"].value, time_range, freq_range)
            notes = self._fix("frame_length")
        finally:
            self._busy = False
        self._update_with(notes)

    def _make_outputs(self, size: tuple[int, int]) -> None:
        self.view = widgets.Image(format="png", layout=widgets.Layout(width=f"{size[0]}px"))
        self.readout = widgets.HTML()
        self.status = widgets.HTML()
        self.audio = widgets.Audio(format="wav", autoplay=True, controls=True,
                                   layout=widgets.Layout(width="320px"))
        self.widget = _layout(self.controls, self.view, self.readout, self.status)
        self.readouts: dict[str, str] = {}
        self.message = ""

    # ---- what a notebook or a test touches -------------------------------------------------
    @property
    def params(self) -> dict:
        """Current control values by name (``time_range`` in s, ``freq_range`` in Hz)."""
        skip = ("upload", "play")
        return {k: c.value for k, c in self.controls.items() if k not in skip}

    @property
    def png(self) -> bytes:
        """The PNG bytes the browser shows now."""
        return bytes(self.view.value)

    def set(self, **values) -> "STFTExplorer":
        """Set several controls at once with one redraw, e.g. ``set(frame_length=256, frame_step=64)``.

        Raises ``ValueError`` for an unknown control or a value it does not offer.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"no control named {unknown}; choose among {sorted(self.controls)}")
        values = dict(sorted(values.items(), key=lambda kv: kv[0] != "clip"))  # a new clip resets the zoom
        notes = []
        self._busy = True
        try:
            for key, value in values.items():
                _set_value(self.controls[key], key, value)
                if key == "clip":
                    self._select_clip(value)
            for key in values:  # check the combination only once every value is in place
                notes += self._fix(key)
        finally:
            self._busy = False
        self._update_with(notes)
        return self

    def update(self) -> None:
        """Recompute what changed and redraw; a bad setting shows a message, never a traceback."""
        try:
            self._render()
        except ValueError as err:
            self._say(f"⚠ {err}", error=True)

    def play(self, _button=None) -> None:
        """Rebuild the shown time range from its STFT with ``tf.signal.inverse_stft`` and play it."""
        try:
            wav, note = self._reconstruct()
        except ValueError as err:
            self._say(f"⚠ {err}", error=True)
            return
        self.audio.value = wav
        row = self.widget.children[-1]
        if self.audio not in row.children:  # the player appears once it has a sound to play
            row.children += (self.audio,)
        self._say(note)

    def add_clip(self, data: bytes, filename: str) -> str:
        """Decode uploaded file bytes (WAV, FLAC, OGG, MP3), add them as a clip, show them.

        Returns the new clip's name. A file that is not audio shows a message instead.
        """
        try:
            y, sr = _decode(data, filename)
        except (ValueError, FileNotFoundError) as err:
            self._say(f"⚠ {err}", error=True)
            return ""
        name, n = f"upload: {filename}", 2
        while name in self.clips:  # the same file again gets a new name: the cache is per name
            name, n = f"upload: {filename} ({n})", n + 1
        self.clips[name] = (y, sr)
        self.controls["clip"].options = list(self.clips)
        self.controls["clip"].value = name  # triggers the redraw
        if y.shape[0] >= MAX_SECONDS * sr:
            self._say(f"Showing the first {MAX_SECONDS:.0f} s of {filename}.")
        return name

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, with the current picture as a PNG for where widgets don't render."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle

    def __repr__(self) -> str:
        p = self.params
        return (f"STFTExplorer(clip={p['clip']!r}, frame_length={p['frame_length']}, "
                f"frame_step={p['frame_step']}, fft_length={p['fft_length']}, window={p['window']!r}, "
                f"scale={p['scale']!r})")

    # ---- events ------------------------------------------------------------------------------
    def _connect(self) -> None:
        for key, control in self.controls.items():
            if key not in ("upload", "play"):
                control.observe(lambda change, key=key: self._changed(key), names="value")
        self.controls["upload"].observe(self._uploaded, names="value")
        self.controls["play"].on_click(self.play)

    def _changed(self, key: str) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            if key == "clip":
                self._select_clip(self.controls["clip"].value)
            notes = self._fix(key)
        except (ValueError, FileNotFoundError) as err:  # e.g. a damaged bundled clip
            self._say(f"⚠ {err}", error=True)
            return
        finally:
            self._busy = False
        self._update_with(notes)

    def _update_with(self, notes: list[str]) -> None:
        self.update()
        if notes and not self.message:
            self._say(" ".join(notes))

    def _uploaded(self, change) -> None:
        for item in change["new"]:
            self.add_clip(bytes(item["content"]), item["name"])
        if change["new"]:
            self.controls["upload"].value = ()  # the clip is kept; don't keep the bytes twice

    def _fix(self, moved: str) -> list[str]:
        """Make the STFT settings possible again; the control just moved wins, the others adjust."""
        c = self.controls
        notes = []
        if moved == "frame_step" and c["frame_step"].value > c["frame_length"].value:
            c["frame_length"].value = _at_least(c["frame_length"].options, c["frame_step"].value)
            notes.append(f"Frame length raised to {c['frame_length'].value}: the hop must not exceed the frame.")
        if moved == "fft_length" and c["fft_length"].value < c["frame_length"].value:
            c["frame_length"].value = _at_most(c["frame_length"].options, c["fft_length"].value)
            notes.append(f"Frame length lowered to {c['frame_length'].value}: "
                         "the FFT length must be ≥ the frame length.")
        if c["fft_length"].value < c["frame_length"].value:
            c["fft_length"].value = _at_least(c["fft_length"].options, c["frame_length"].value)
            notes.append(f"FFT length raised to {c['fft_length'].value}: it must be ≥ the frame length.")
        if c["frame_step"].value > c["frame_length"].value:
            c["frame_step"].value = _at_most(c["frame_step"].options, c["frame_length"].value)
            notes.append(f"Hop lowered to {c['frame_step'].value}: it must not exceed the frame length.")
        c["top_db"].disabled = c["scale"].value == "linear"
        return notes

    def _select_clip(self, name: str, time_range=None, freq_range=None) -> None:
        """Load a clip on first use; fit the time and frequency sliders to it; drop the old sound."""
        self.widget.children[-1].children = (self.controls["play"],)
        if self.clips[name] is None:
            self.clips[name] = audio.load(audio.sample(name))
        y, sr = self.clips[name]
        _fit_range(self.controls["time_range"], round(y.shape[0] / sr, 2), time_range)
        _fit_range(self.controls["freq_range"], sr / 2, freq_range)

    def _say(self, text: str, error: bool = False) -> None:
        self.message = text
        colour = "#b00020" if error else "#8a5a00"
        self.status.value = f'<span style="color:{colour}">{_escape(text)}</span>' if text else ""

    # ---- computing ---------------------------------------------------------------------------
    def _stft_key(self) -> tuple:
        p = self.params
        return (p["clip"], p["frame_length"], p["frame_step"], p["fft_length"], p["window"])

    def _spectrum(self, key: tuple, mel: bool) -> dict:
        """|STFT| (or its mel power) of the whole clip with its peak, cached by the STFT settings."""
        cache_key = key + (mel,)
        if cache_key not in self._spectra:
            clip, frame_length, frame_step, fft_length, window = key
            y, sr = self.clips[clip]
            if y.shape[0] < frame_length:
                raise ValueError(f"{clip} has {y.shape[0]} samples, fewer than one frame of {frame_length}; "
                                 "choose a shorter frame length")
            if mel:
                values = _mel_power(self._spectrum(key, False)["values"], sr, fft_length)
            else:  # np.abs on a view of the tensor: the same |S| as spectral.magnitude (tf.abs),
                # without .numpy()'s copy and about 2x faster on a CPU
                values = np.abs(np.asarray(spectral.stft(y, frame_length, frame_step, fft_length, window)))
            self._spectra[cache_key] = {"values": values, "peak": float(values.max())}
            while len(self._spectra) > 4:
                self._spectra.popitem(last=False)
        self._spectra.move_to_end(cache_key)
        return self._spectra[cache_key]

    def _display_array(self) -> tuple[np.ndarray, tuple, tuple, int]:
        """Pooled ``[columns, rows]`` image values, their frame range, their y extent, the frame count."""
        p = self.params
        key = self._stft_key()
        spec = self._spectrum(key, p["scale"] == "mel")
        frames, n_rows = spec["values"].shape
        shown_key = key + (p["scale"], p["time_range"], p["freq_range"])
        if self._shown[0] != shown_key:
            _, sr = self.clips[p["clip"]]
            first, stop = _frames_in(p["time_range"], frames, sr, p["frame_length"], p["frame_step"])
            centres = _row_centres(p["scale"], sr, p["fft_length"], n_rows)
            low, high = _rows_in(centres, *_to_axis(p["freq_range"], p["scale"]))
            pooled = _max_pool(spec["values"][first:stop, low:high], *self._pixels)
            half = (centres[1] - centres[0]) / 2
            extent = (centres[low] - half, centres[high - 1] + half)
            self._shown = (shown_key, (_scaled(pooled, spec["peak"], p["scale"]), (first, stop), extent))
        values, times, extent = self._shown[1]
        return values, times, extent, frames

    def _render(self) -> None:
        p = self.params
        _, sr = self.clips[p["clip"]]
        values, (first, stop), (bottom, top), frames = self._display_array()
        self.image.set_data(values.T)
        self.image.set_cmap(p["cmap"])
        dt = p["frame_step"] / sr
        t_first = (first * p["frame_step"] + p["frame_length"] / 2) / sr
        self.image.set_extent((t_first - dt / 2, t_first + (stop - first - 0.5) * dt, bottom, top))
        self.ax.set_xlim(*p["time_range"])
        self._set_frequency_axis(p, sr)
        self._set_levels(p)
        self.ax.set_title(_title(p, sr))
        self._set_readouts(p, sr, frames, values.shape)
        self._draw()
        self.view.value = _encode_png(self.figure)
        self._say("")

    def _draw(self) -> None:
        """Draw only what changed: text is what costs, so the axes and the colorbar are kept apart.

        Blitting: the figure without image, title and colorbar is drawn when the axes change
        and kept as a background; the colorbar is drawn when its colours or range change and
        kept as a second patch; each update restores both and draws the image and title over
        them. Outside this method the figure is an ordinary one (``savefig`` shows everything).
        """
        canvas, ax, cax = self.figure.canvas, self.ax, self.colorbar.ax
        axes_key = (ax.get_xlim(), ax.get_ylim(), ax.get_ylabel(), tuple(ax.get_yticks()))
        bar_key = (self.image.get_clim(), self.image.get_cmap().name, cax.get_ylabel())
        if axes_key != self._background[0]:
            with _left_out(self.image, ax.title, cax):
                canvas.draw()
            self._background = (axes_key, canvas.copy_from_bbox(self.figure.bbox))
            self._bar = (None, None)  # its strip may hold the end of an x tick label: redraw it
        else:
            canvas.restore_region(self._background[1])
        if bar_key != self._bar[0]:
            self.figure.draw_artist(cax)
            self._bar = (bar_key, canvas.copy_from_bbox(_right_of(cax)))
        else:
            canvas.restore_region(self._bar[1])
        for artist in (self.image, *ax.spines.values(), ax.title):
            ax.draw_artist(artist)

    def _set_frequency_axis(self, p: dict, sr: int) -> None:
        if p["scale"] == "mel":
            _mel_axis(self.ax, sr)
        else:
            self.ax.yaxis.set_major_locator(AutoLocator())
            self.ax.yaxis.set_major_formatter(ScalarFormatter())
            self.ax.set_ylabel("Frequency (Hz)")
        self.ax.set_ylim(*_to_axis(p["freq_range"], p["scale"]))

    def _set_levels(self, p: dict) -> None:
        if p["scale"] == "linear":
            peak = self._spectrum(self._stft_key(), False)["peak"]
            self.image.set_clim(0.0, peak or 1.0)
            self.colorbar.set_label("Magnitude |X| (linear)")
        else:
            self.image.set_clim(-float(p["top_db"]), 0.0)
            what = "Mel power" if p["scale"] == "mel" else "Magnitude"
            self.colorbar.set_label(f"{what} (dB re clip peak)")

    def _set_readouts(self, p: dict, sr: int, frames: int, shown: tuple) -> None:
        bins = p["fft_length"] // 2 + 1
        self.readouts = {
            "time step": f"{p['frame_step'] / sr * 1000:.1f} ms",
            "frame duration": f"{p['frame_length'] / sr * 1000:.1f} ms",
            "bin spacing": f"{sr / p['fft_length']:.1f} Hz",
            "frames": f"{frames}",
            "bins": f"{bins}",
            **({"mel bands": f"{_n_mels(p['fft_length'])}"} if p["scale"] == "mel" else {}),
            "overlap": f"{(1 - p['frame_step'] / p['frame_length']) * 100:.1f} %",
            "sample rate": f"{sr} Hz",
            "image": f"{shown[0]} × {shown[1]} px",
        }
        rows = "".join(f"<tr><td>{k}</td><td style='text-align:right'><b>{v}</b></td></tr>"
                       for k, v in self.readouts.items())
        self.readout.value = f"<table style='font-size:12px; white-space:nowrap'>{rows}</table>"

    def _reconstruct(self) -> tuple[bytes, str]:
        """WAV bytes of the zoomed range rebuilt from its STFT, and a note saying what was kept."""
        p = self.params
        y, sr = self.clips[p["clip"]]
        start, stop = (int(round(t * sr)) for t in p["time_range"])
        stop = max(stop, start + 1)
        context = _with_context(y, start, stop, p["frame_length"])
        settings = dict(frame_length=p["frame_length"], frame_step=p["frame_step"],
                        fft_length=p["fft_length"], window=p["window"])
        S = spectral.stft(context, **settings).numpy()
        note = "Playback: rebuilt with tf.signal.inverse_stft from the complex STFT"
        if p["scale"] != "linear":
            floor = self._spectrum(self._stft_key(), False)["peak"] * 10 ** (-p["top_db"] / 20)
            S = np.where(np.abs(S) >= floor, S, 0)
            note += f", with everything more than {p['top_db']:.0f} dB below the peak removed"
        if p["scale"] == "mel":
            note += " (mel changes only the picture; the sound comes from the linear STFT)"
        if p["frame_step"] > p["frame_length"] // 2 and p["window"] != "rectangular":
            note += (". Frames overlap by less than half: the window's faint tails are scaled back up, "
                     "so any change to the STFT is amplified there (clicks); a hop ≤ frame length / 2 avoids it")
        margin = p["frame_length"]
        rebuilt = spectral.istft(S, length=context.shape[0], **settings).numpy()[margin:margin + stop - start]
        snr = _snr_db(y[start:stop], rebuilt)
        return _wav_bytes(rebuilt, sr), f"{note}. Reconstruction SNR {snr:.1f} dB."


# ---- building blocks (module level: small, testable) -------------------------------------------
def _initial_clips(y, sr, name: str) -> dict:
    """Clip name → (samples, sr); bundled clips are listed now and loaded when first chosen."""
    clips = {}
    if y is not None:
        if sr is None:
            raise ValueError("sr=None; pass the sample rate of y in Hz, e.g. stft_explorer(y, sr=22050)")
        audio._check_rate(sr, "sr")
        clips[name] = (audio.check_signal(y, name="y"), int(sr))
    clips.update({clip: None for clip in audio.samples() if clip not in clips})
    if not clips:
        raise ValueError("y=None and no bundled clips were found; pass a signal: stft_explorer(y, sr)")
    return clips


def _make_figure(size: tuple[int, int]):
    """One Agg figure with fixed margins, an image and a colorbar, reused by every update."""
    dpi = 100
    figure = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.115, 0.15, 0.71, 0.75))
    cax = figure.add_axes((0.845, 0.15, 0.018, 0.75))
    image = ax.imshow(np.zeros((2, 2)), aspect="auto", origin="lower", interpolation="nearest")
    colorbar = figure.colorbar(image, cax=cax)
    ax.set_xlabel("Time (s)")
    return figure, ax, image, colorbar


def _axes_pixels(ax) -> tuple[int, int]:
    """Width and height of the axes in pixels: the most columns and rows worth drawing."""
    box = ax.get_window_extent()
    return int(box.width), int(box.height)


def _make_controls(clips, frame_length, frame_step, fft_length, window, scale, top_db, cmap) -> dict:
    """The explorer's widgets, keyed by the names notebooks and tests use."""
    style = {"description_width": "105px"}
    wide = widgets.Layout(width="380px")

    def choice(options, value, description):
        return widgets.SelectionSlider(options=_with(options, value), value=int(value), description=description,
                                       continuous_update=False, style=style, layout=wide)

    if window not in spectral.WINDOWS:
        raise ValueError(f"window={window!r} is not supported; choose one of {sorted(spectral.WINDOWS)}")
    scale_value = _scale_value(scale)
    return {
        "clip": widgets.Dropdown(options=clips, description="clip", style=style, layout=wide),
        "upload": widgets.FileUpload(accept="audio/*,.wav,.flac,.ogg,.mp3", multiple=False,
                                     description="Your file"),
        "frame_length": choice(FRAME_LENGTHS, frame_length, "frame length"),
        "frame_step": choice(FRAME_STEPS, frame_step, "hop"),
        "fft_length": choice(FFT_LENGTHS, fft_length, "FFT length"),
        "window": widgets.Dropdown(options=list(spectral.WINDOWS), value=window, description="window",
                                   style=style, layout=wide),
        "scale": widgets.Dropdown(options=list(SCALES.items()), value=scale_value, description="scale",
                                  style=style, layout=wide),
        "top_db": widgets.FloatSlider(value=float(top_db), min=10.0, max=120.0, step=5.0,
                                      description="range (top dB)", continuous_update=False,
                                      style=style, layout=wide),
        "cmap": widgets.Dropdown(options=_with(COLORMAPS, cmap), value=cmap, description="colormap",
                                 style=style, layout=wide),
        "time_range": widgets.FloatRangeSlider(value=(0.0, 1.0), min=0.0, max=1.0, step=0.01,
                                               description="time (s)", continuous_update=False,
                                               readout_format=".2f", style=style, layout=wide),
        "freq_range": widgets.FloatRangeSlider(value=(0.0, 1.0), min=0.0, max=1.0, step=10.0,
                                               description="frequency (Hz)", continuous_update=False,
                                               readout_format=".0f", style=style, layout=wide),
        "play": widgets.Button(description="Play reconstruction", icon="play",
                               tooltip="Rebuild the shown time range with tf.signal.inverse_stft and play it",
                               layout=widgets.Layout(width="auto")),
    }


def _layout(controls: dict, view, readout, status) -> widgets.VBox:
    c = controls
    left = widgets.VBox([c["clip"], c["frame_length"], c["frame_step"], c["fft_length"], c["window"]])
    right = widgets.VBox([c["upload"], c["top_db"], c["cmap"], c["time_range"], c["freq_range"]])
    left.children += (c["scale"],)
    readouts = widgets.VBox([widgets.HTML("<b>Read-outs</b>"), readout],
                            layout=widgets.Layout(margin="0 0 0 8px", flex="0 0 auto"))
    view.layout.flex = "0 0 auto"
    play = widgets.HBox([c["play"]], layout=widgets.Layout(align_items="center"))
    return widgets.VBox([widgets.HBox([left, right]), status, widgets.HBox([view, readouts]), play])


def _set_value(control, name: str, value) -> None:
    """``control.value = value``, with a ``ValueError`` naming the choices when it is not one."""
    try:
        control.value = value
    except (TraitError, KeyError, ValueError):
        options = getattr(control, "options", None)
        if options is None:
            raise ValueError(f"{name}={value!r} is not available; use a (low, high) pair with low <= high "
                             f"within {control.min} to {control.max}") from None
        choices = [o[1] if isinstance(o, tuple) else o for o in options]
        raise ValueError(f"{name}={value!r} is not available; choose one of {choices}") from None


def _fit_range(slider, top: float, value=None) -> None:
    """Let a range slider span ``[0, top]`` and show ``value`` (all of it when ``None``)."""
    top = max(float(top), 0.01)
    if top > slider.max:
        slider.max = top  # widen before narrowing: min <= max at every step
    slider.value = (0.0, top)
    slider.max = top
    slider.value = tuple(float(v) for v in np.clip(value, 0.0, top)) if value is not None else (0.0, top)


def _with(options: list, value) -> list:
    """``options`` plus ``value`` (sorted when numeric), so any starting value can be chosen."""
    if value in options:
        return list(options)
    return sorted([*options, int(value)]) if isinstance(value, (int, np.integer)) else [*options, value]


def _scale_value(scale: str) -> str:
    values = set(SCALES.values())
    if scale not in values:
        raise ValueError(f"scale={scale!r} is not supported; choose one of {sorted(values)}")
    return scale


def _at_least(options, value: int) -> int:
    """The smallest option ≥ ``value`` (the largest option when none is)."""
    return min((o for o in options if o >= value), default=max(options))


def _at_most(options, value: int) -> int:
    """The largest option ≤ ``value`` (the smallest option when none is)."""
    return max((o for o in options if o <= value), default=min(options))


def _row_centres(scale: str, sr: int, fft_length: int, n_rows: int) -> np.ndarray:
    """Where each row of the spectrum sits on the y axis: bin frequencies in Hz, or mel-band
    centres in mel (the axis unit of the mel scale; tick labels say Hz)."""
    if scale != "mel":
        return spectral.bin_frequencies(fft_length, sr)
    edges = librosa.mel_frequencies(n_mels=n_rows + 2, fmin=0.0, fmax=sr / 2)
    return librosa.hz_to_mel(edges[1:-1])


def _to_axis(freq_range, scale: str) -> tuple[float, float]:
    """A frequency range in Hz in the y axis' unit (Hz, or mel for the mel scale)."""
    low, high = (float(f) for f in freq_range)
    if scale == "mel":
        return float(librosa.hz_to_mel(low)), float(librosa.hz_to_mel(high))
    return low, high


def _rows_in(centres: np.ndarray, low: float, high: float) -> tuple[int, int]:
    """First and stop index of the rows (centred at ``centres``, evenly spaced) whose pixels
    overlap ``[low, high]``, so the image fills the range; at least one row."""
    half = (centres[1] - centres[0]) / 2 if centres.size > 1 else 0.5
    first = min(int(np.searchsorted(centres + half, low, side="right")), centres.size - 1)
    stop = int(np.searchsorted(centres - half, high, side="left"))
    return first, max(stop, first + 1)


def _frames_in(time_range, frames: int, sr: int, frame_length: int, frame_step: int) -> tuple[int, int]:
    """First and stop index of the frames whose columns (centre ± half a hop) overlap
    ``time_range``, so the image fills the range; at least one frame."""
    centres = ((np.array(time_range) * sr - frame_length / 2) / frame_step).tolist()
    first = int(np.floor(centres[0] + 0.5))
    stop = int(np.ceil(centres[1] - 0.5)) + 1
    first = max(0, min(first, frames - 1))
    return first, max(min(frames, stop), first + 1)


def _max_pool(values: np.ndarray, columns: int, rows: int) -> np.ndarray:
    """Max-pool ``[frames, bins]`` down to at most ``[columns, rows]``: keep every peak visible.

    First whole groups of neighbours through a reshape (NumPy reduces those at memory speed),
    then ``np.maximum.reduceat`` on what is left, to use every pixel available.
    """
    for axis, most in ((0, columns), (1, rows)):
        v = np.moveaxis(values, axis, 0)
        group = v.shape[0] // most
        if group >= 2:
            full = v.shape[0] - v.shape[0] % group
            head = v[:full].reshape(full // group, group, *v.shape[1:]).max(axis=1)
            v = np.concatenate([head, v[full:].max(axis=0, keepdims=True)]) if full < v.shape[0] else head
        if v.shape[0] > most:
            v = np.maximum.reduceat(v, np.linspace(0, v.shape[0], most + 1).astype(int)[:-1], axis=0)
        values = np.moveaxis(v, 0, axis)
    return values


def _scaled(values: np.ndarray, peak: float, scale: str) -> np.ndarray:
    """Magnitudes as shown: linear, or dB relative to the clip's peak (mel values are powers)."""
    if scale == "linear":
        return values
    kind = "power" if scale == "mel" else "amplitude"
    return spectral.to_db(values, ref=peak or 1.0, top_db=None, kind=kind).numpy()


def _n_mels(fft_length: int) -> int:
    """Mel bands for an FFT size: 128, fewer for short FFTs so no band falls between two bins."""
    return int(min(128, max(16, fft_length // 8)))


def _mel_power(magnitude: np.ndarray, sr: int, fft_length: int) -> np.ndarray:
    """Mel power ``[frames, n_mels]`` from ``|S|`` with :func:`helpers.spectral.mel_spectrogram`."""
    with warnings.catch_warnings():  # a few empty low bands at tiny FFT sizes are expected here
        warnings.simplefilter("ignore", UserWarning)
        mel = spectral.mel_spectrogram(np.square(magnitude), sr, fft_length, n_mels=_n_mels(fft_length))
    return mel.numpy()


def _mel_axis(ax, sr: int) -> None:
    """Label a mel-spaced y axis in Hz."""
    hz = [f for f in (0, 250, 500, 1000, 2000, 4000, 8000, 16000) if f <= sr / 2]
    ax.set_yticks(librosa.hz_to_mel(np.array(hz, dtype=float)), [str(f) for f in hz])
    ax.set_ylabel("Frequency (Hz, mel-spaced)")


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


def _title(p: dict, sr: int) -> str:
    name = p["clip"].removeprefix("upload: ")
    name = name if len(name) <= 20 else name[:19] + "…"
    return (f"{name}: {p['window']} window, frame {p['frame_length']} "
            f"({p['frame_length'] / sr * 1000:.0f} ms), hop {p['frame_step']}, FFT {p['fft_length']}")


def _encode_png(figure) -> bytes:
    """Encode what the figure's canvas holds now as an RGB PNG, fast (zlib level 1)."""
    rgb = np.asarray(figure.canvas.buffer_rgba())[..., :3]
    out = io.BytesIO()
    PILImage.fromarray(rgb).save(out, format="png", compress_level=1)
    return out.getvalue()


def _decode(data: bytes, filename: str) -> tuple[np.ndarray, int]:
    """Mono float32 samples (at most ``MAX_SECONDS``) from an uploaded file's bytes."""
    suffix = Path(filename).suffix.lower() or ".wav"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            y, sr = audio.load(path)
        except (ValueError, FileNotFoundError) as err:
            raise ValueError(str(err).replace(str(path), filename)) from None
    return y[: int(MAX_SECONDS * sr)], sr


def _with_context(y: np.ndarray, start: int, stop: int, frame_length: int) -> np.ndarray:
    """``y[start:stop]`` with ``frame_length`` samples of its surroundings (zeros past the ends)
    on both sides, so that every sample in the range is covered by a full set of overlapping frames."""
    lo, hi = max(0, start - frame_length), min(y.shape[0], stop + frame_length)
    return np.pad(y[lo:hi], (frame_length - (start - lo), frame_length - (hi - stop)))


def _wav_bytes(y: np.ndarray, sr: int) -> bytes:
    """16-bit WAV bytes of ``y`` at its true level (clipped to [-1, 1], so artefacts stay audible)."""
    out = io.BytesIO()
    soundfile.write(out, np.clip(np.nan_to_num(y), -1.0, 1.0), sr, format="WAV", subtype="PCM_16")
    return out.getvalue()


def _snr_db(reference: np.ndarray, estimate: np.ndarray) -> float:
    """Signal-to-noise ratio of ``estimate`` against ``reference`` in dB (capped at 120)."""
    noise = float(np.sum((reference - estimate) ** 2))
    signal = float(np.sum(reference**2))
    return 120.0 if noise <= signal * 1e-12 else 10 * np.log10(max(signal, 1e-20) / noise)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["stft_explorer", "STFTExplorer"]
