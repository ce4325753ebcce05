"""The STFT explorer: wires the controls, the image maths, the canvas and playback together.

Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import base64

import ipywidgets as widgets
import numpy as np

from helpers import audio
from helpers.explorer import clips as clip_store
from helpers.explorer import controls as ctl
from helpers.explorer import frontend, imaging, playback, spectra
from helpers.explorer import settings as texts
from helpers.explorer.canvas import Canvas, Recent, encode

CACHED_SPECTRA = 4
CACHED_PICTURES = 8  # pooled images: going back to a setting skips the pooling
LIVE_FORMAT = "jpeg"  # what each update sends to the browser (PNG: about twice the bytes, slower)


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
    title : str
        The picture's title (clip and STFT settings): text above the live picture, drawn into :attr:`png`.
    alt : str
        A text description of the picture (its settings), for screen readers.
    widget : ipywidgets.VBox
        The whole explorer, as displayed.

    Examples
    --------
    >>> explorer = STFTExplorer(np.zeros(22050, np.float32), 22050)
    >>> explorer.set(frame_length=256, frame_step=64).readouts["time step"]
    '2.9 ms'

    Used in: helpers.widgets.stft_explorer returns it (the explorer of notebooks 02, 04 and 05).
    """

    def __init__(
        self,
        y=None,
        sr: int | None = None,
        *,
        name: str = "your clip",
        frame_length: int = 1024,
        frame_step: int = 256,
        fft_length: int | None = None,
        window: str = "hann",
        scale: str = "db",
        top_db: float = 80.0,
        cmap: str = "magma",
        time_range: tuple[float, float] | None = None,
        freq_range: tuple[float, float] | None = None,
        size: tuple[int, int] = (720, 320),
    ):
        start = texts.checked_settings(frame_length, frame_step, fft_length, window, scale, top_db, cmap)
        self.clips = clip_store.initial_clips(y, sr, name)
        self._spectra = Recent(CACHED_SPECTRA)  # |STFT| (or mel power) and peak, by STFT settings
        self._pooled = Recent(CACHED_PICTURES)  # pooled image values and where they lie, by what they show
        self._ahead, self._moved = spectra.Ahead(), (None, None)  # spectra a step away on the STFT control moved last
        self.canvas = Canvas(texts.checked_size(size))
        first = next(iter(self.clips))
        self.controls = ctl.make_controls(list(self.clips), self._rate(first), start)
        ctl.set_tooltip(
            self.controls["play"],
            f"Rebuild the shown time range from its complex STFT with "
            f"{playback.DESCRIPTION}, and play it (the player below keeps it to play again)",
        )
        self._make_outputs(self.canvas.figure.get_size_inches() * self.canvas.figure.dpi)
        self._connect()
        self._busy, self._resetting = True, False
        try:
            self._select_clip(first, time_range, freq_range)
            notes = ctl.make_possible(self.controls, "frame_length")  # the notes to show
        finally:
            self._busy = False
        self._update_with(notes)

    def _make_outputs(self, size) -> None:
        self.view = widgets.Image(
            format=LIVE_FORMAT, layout=widgets.Layout(width=f"{int(size[0])}px", max_width="100%")
        )
        self.view.add_class("sl-explorer-view")
        self.heading = widgets.HTML(layout=widgets.Layout(width=f"{int(size[0])}px", max_width="100%", margin="0"))
        picture = widgets.VBox([self.heading, self.view])  # the title as text, then the picture
        self.readout = widgets.HTML()
        self.status = widgets.HTML(value=texts.status_html(""))
        self.status.add_class("sl-explorer-status")
        self.play_note = widgets.HTML(texts.status_html(""), layout=widgets.Layout(flex="1 1 100%"))  # the last Play
        self.play_note.add_class("sl-explorer-status")
        self.audio = widgets.Audio(format="wav", autoplay=False, loop=False, layout=widgets.Layout(width="320px"))
        self.marks = frontend.marks(self.controls)  # keyboard safety, accessible names, alt text (see frontend)
        self.widget = ctl.layout(
            self.controls, picture, self.readout, self.status, extra=(self.marks,) if self.marks is not None else ()
        )
        self.widget.add_class(frontend.ROOT_CLASS)
        self.play_row = self.widget.children[2]  # the play button, and the player once there is a sound
        self.play_row.children += (self.play_note,)  # a live region before it has anything to say
        self._frame = np.full((int(size[1]), int(size[0]), 3), 255, np.uint8)  # until the first picture
        self.readouts: dict[str, str] = {}
        self.message = self.alt = self.title = ""

    figure = property(lambda self: self.canvas.figure, doc="The matplotlib figure every update redraws.")
    ax = property(lambda self: self.canvas.ax, doc="The spectrogram's axes.")
    image = property(lambda self: self.canvas.image, doc="The spectrogram's ``AxesImage``.")
    colorbar = property(lambda self: self.canvas.synced(), doc="The colorbar (of the current colours and range).")

    # ---- what a notebook or a test touches -------------------------------------------------
    @property
    def params(self) -> dict:
        """Current control values by name (``time_range`` in s, ``freq_range`` in Hz)."""
        skip = ("upload", "play")
        return {k: c.value for k, c in self.controls.items() if k not in skip}

    @property
    def png(self) -> bytes:
        """The picture shown now, with its title drawn in, as PNG bytes (lossless; the live view
        sends it as ``LIVE_FORMAT`` without the title's band and shows the title as text above it)."""
        return encode(self.canvas.titled(self._frame), "png")

    def set(self, **values) -> STFTExplorer:
        """Set several controls at once with one redraw, e.g. ``set(frame_length=256, frame_step=64)``.

        Raises ``ValueError`` for an unknown control or a value it does not offer (a number outside
        a slider's range is refused, not clamped).
        """
        unknown = sorted(set(values) - set(self.controls) - {"upload", "play"})
        if unknown or {"upload", "play"} & set(values):
            raise ValueError(
                f"no control named {unknown or sorted({'upload', 'play'} & set(values))} to set; "
                f"choose among {sorted(self.params)}"
            )
        values = dict(sorted(values.items(), key=lambda kv: kv[0] != "clip"))  # a new clip resets the zoom
        if "cmap" in values:
            ctl.check_cmap(values["cmap"])
        notes, old = [], {key: self.controls[key].value for key in values}
        if "fft_length" in values:  # an FFT length asked for is kept: it does not follow the frame length
            old.pop("frame_length", None)
        self._busy = True
        try:
            for key, value in values.items():
                ctl.set_value(self.controls[key], key, value)
                if key == "clip":
                    self._select_clip(value)
            for key in values:  # check the combination only once every value is in place
                notes += ctl.make_possible(self.controls, key, old.get(key))
        finally:
            self._busy = False
        self._update_with(notes)
        return self

    def update(self) -> None:
        """Recompute what changed and redraw; a bad setting shows a message, never a traceback,
        and the last picture stays, greyed out, until a setting works again."""
        try:
            self._render()
        except ValueError as err:
            self.view.add_class("sl-explorer-stale")
            self._say(f"⚠ {err}", error=True)
        else:
            self.view.remove_class("sl-explorer-stale")
            self._look_ahead()

    def play(self, _button=None) -> None:
        """Rebuild the shown time range from its complex STFT and put it in the player; it plays at
        once when the button was clicked, and waits for the player's own play button when code calls
        this. The inverse is :data:`playback.DESCRIPTION`: ``helpers.spectral.istft`` (overlap-add
        divided by the windows present)."""
        p = self.params
        y, sr = self.clips[p["clip"]]
        try:
            wav, note = playback.reconstruct(y, sr, p, self._spectrum(self._stft_key(), False)["peak"])
        except ValueError as err:
            self._say(f"⚠ {err}", error=True, where=self.play_note)
            return
        self.audio.autoplay = _button is not None  # the student asked to hear it; Run All and code do not
        self.audio.value = wav
        self._say(note, where=self.play_note)

    def forget(self) -> None:
        """Forget every cached spectrum, pooled picture and drawn patch, and the spectra computed ahead
        (to time first visits)."""
        self._spectra.items.clear()
        self._pooled.items.clear()
        self._ahead.forget()
        self.canvas.forget()

    def add_clip(self, data: bytes, filename: str) -> str:
        """Decode uploaded file bytes (WAV, FLAC, OGG, MP3), add them as a clip, show them.

        Only the first ``MAX_SECONDS`` are read; the last few uploads are kept. Returns the new
        clip's name. A file that is not audio shows a message instead and returns ``""``.
        """
        try:
            y, sr, longer = clip_store.decode(data, filename)
        except ValueError as err:
            self._say(f"⚠ {err}", error=True)
            return ""
        name = clip_store.unique_name(self.clips, filename)
        dropped = clip_store.keep(self.clips, name, y, sr, self.params["clip"])
        for kept in (self._spectra, self._pooled):
            for key in [k for k in kept.items if k[0] in dropped]:
                del kept.items[key]
        self.controls["clip"].options = list(self.clips)
        self.controls["clip"].value = name  # triggers the redraw
        short = name.removeprefix("upload: ")
        self.controls["upload"].description = f"Your file: {short if len(short) <= 24 else short[:23] + '…'}"
        note = clip_store.upload_note(filename, longer, dropped)
        if note and not self.message:
            self._say(note)
        return name

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, with the current picture as a PNG for where widgets don't render."""
        if hasattr(self.widget, "_repr_mimebundle_"):
            bundle = self.widget._repr_mimebundle_(**kwargs)
        else:  # ipywidgets 7 (Google Colab) displays widgets through this view reference instead
            bundle = {
                "application/vnd.jupyter.widget-view+json": {
                    "version_major": 2,
                    "version_minor": 0,
                    "model_id": self.widget.model_id,
                }
            }
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle

    def __repr__(self) -> str:
        p = self.params
        return (
            f"STFTExplorer(clip={p['clip']!r}, frame_length={p['frame_length']}, "
            f"frame_step={p['frame_step']}, fft_length={p['fft_length']}, window={p['window']!r}, "
            f"scale={p['scale']!r})"
        )

    # ---- events ------------------------------------------------------------------------------
    def _connect(self) -> None:
        for key, control in self.controls.items():
            if key not in ("upload", "play"):
                control.observe(lambda change, key=key: self._changed(key, change["old"]), names="value")
        self.controls["upload"].observe(self._uploaded, names="value")
        self.controls["play"].on_click(self.play)

    def _changed(self, key: str, old=None) -> None:
        if self._busy:
            return
        self._busy, self._moved = True, (key, old) if key in spectra.STFT_CONTROLS else self._moved
        try:
            if key == "clip":
                self._select_clip(self.controls["clip"].value)
            notes = ctl.make_possible(self.controls, key, old)  # make the STFT settings possible again
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
        if self._resetting:
            return
        for filename, data in clip_store.uploaded_files(change["new"]):
            self.add_clip(data, filename)
        # keep the file names (the button counts them) but not the bytes: the clip holds the samples
        self._resetting = True
        try:
            self.controls["upload"].value = (
                {}
                if isinstance(change["new"], dict)
                else tuple({**item, "content": memoryview(b""), "size": 0} for item in change["new"])
            )
        finally:
            self._resetting = False

    def _rate(self, name: str) -> int:
        """The sample rate of clip ``name``, loading a bundled clip on first use."""
        if self.clips[name] is None:
            self.clips[name] = audio.load(audio.sample(name))
        return self.clips[name][1]

    def _select_clip(self, name: str, time_range=None, freq_range=None) -> None:
        """Load a clip on first use; fit the time and frequency sliders to it (the redraw drops the old sound)."""
        sr = self._rate(name)
        y, _ = self.clips[name]
        ctl.fit_range(self.controls["time_range"], "time_range", round(y.shape[0] / sr, 2), time_range)
        self.controls["time_range"].readout_format = ".2f" if y.shape[0] < 10 * sr else ".1f"  # fits its box
        ctl.fit_range(self.controls["freq_range"], "freq_range", sr / 2, freq_range)
        ctl.relabel(self.controls, sr)

    def _say(self, text: str, error: bool = False, where=None) -> None:
        """Show ``text`` in the status line, or (playback) beside the Play button, where the student looks."""
        self.message = text
        if where is self.play_note:  # the player appears once it has a sound to play; the note after it
            shown = (self.controls["play"], *([self.audio] if self.audio.value else []), self.play_note)
            if self.play_row.children != shown:
                self.play_row.children = shown
        (where or self.status).value = texts.status_html(text, error)

    # ---- computing ---------------------------------------------------------------------------
    def _stft_key(self) -> tuple:
        return spectra.key_of(self.params)

    def _spectrum(self, key: tuple, mel: bool) -> dict:
        """|STFT| (or its mel power) of the whole clip with its peak, cached by the STFT settings."""
        spectrum = self._spectra.get(key + (mel,)) or self._ahead.take(key + (mel,))
        if spectrum is None:
            y, sr = self.clips[key[0]]
            spectrum = spectra.compute(key[0], y, sr, key, mel, self._spectrum(key, False)["values"] if mel else None)
        self._spectra.put(key + (mel,), spectrum)
        return spectrum

    def _look_ahead(self) -> None:
        """Start computing the |STFT| one step either side on the STFT control moved last (a mel power
        is made from it in the explorer's thread: it takes a few ms, and librosa's warnings are not thread-safe)."""
        p, options = self.params, {k: ctl.option_values(self.controls[k]) for k in spectra.STFT_CONTROLS}
        keys = [k + (False,) for k in spectra.steps_from(p, options, *self._moved)]
        self._ahead.start({k: (p["clip"], *self.clips[p["clip"]]) for k in keys if k not in self._spectra.items})

    def _display_array(self) -> tuple[np.ndarray, tuple, tuple, tuple]:
        """Pooled ``[columns, rows]`` image values, their frame range, their y extent, the frame count
        and the rows in view."""
        p = self.params
        key = self._stft_key()
        spec = self._spectrum(key, p["scale"] == "mel")
        frames, n_rows = spec["values"].shape
        # Pooling is the slow part and does not depend on linear vs dB: max-pooling commutes with
        # the (increasing) dB scaling, so switching between the two only rescales the pooled pixels.
        pooled_key = key + (p["scale"] == "mel", p["time_range"], p["freq_range"])
        shown = self._pooled.get(pooled_key)
        if shown is None:
            _, sr = self.clips[p["clip"]]
            first, stop = imaging.frames_in(p["time_range"], frames, sr, p["frame_length"], p["frame_step"])
            centres = imaging.row_centres(p["scale"], sr, p["fft_length"], n_rows)
            low, high = imaging.rows_in(centres, *imaging.to_axis(p["freq_range"], p["scale"]))
            pooled = imaging.max_pool(spec["values"][first:stop, low:high], *self.canvas.pixels)
            half = (centres[1] - centres[0]) / 2
            extent = (centres[low] - half, centres[high - 1] + half)
            shown = (pooled, (first, stop), extent, high - low)
            self._pooled.put(pooled_key, shown)
        pooled, times, extent, rows = shown
        return imaging.scaled(pooled, spec["peak"], p["scale"]), times, extent, (frames, rows)

    def _render(self) -> None:
        quiet = (self.controls["play"], self.play_note), texts.status_html("")
        if (self.play_row.children, self.play_note.value) != quiet:  # the sound and its note were of other settings
            self.play_row.children, self.play_note.value = quiet
        p = self.params
        _, sr = self.clips[p["clip"]]
        values, (first, stop), (bottom, top), (frames, rows) = self._display_array()
        dt = p["frame_step"] / sr
        t_first = (first * p["frame_step"] + p["frame_length"] / 2) / sr
        self.canvas.frequency_axis(p["scale"] == "mel", sr, p["freq_range"])
        self.canvas.show(
            values,
            (t_first - dt / 2, t_first + (stop - first - 0.5) * dt, bottom, top),
            p["time_range"],
            imaging.to_axis(p["freq_range"], p["scale"]),
            p["cmap"],
        )
        self._set_levels(p)
        self.title = texts.title(p, sr)
        self.canvas.title(self.title)
        self.canvas.draw()
        self._frame = self.canvas.snapshot()
        self.heading.value = texts.heading_html(self.title, self.canvas.top)
        self.view.value = encode(self._frame[self.canvas.top :], LIVE_FORMAT)  # the browser decodes it meanwhile
        self.readouts = texts.readouts(p, sr, frames, (stop - first, rows), values.shape)
        self.readout.value = texts.readout_html(self.readouts)
        self.alt = texts.alt_text(p, sr)
        if self.marks is not None:
            self.marks.alt = self.alt
        self._say("")

    def _set_levels(self, p: dict) -> None:
        peak = self._spectrum(self._stft_key(), False)["peak"] if p["scale"] == "linear" else None
        self.canvas.levels(*texts.levels(p, peak))
