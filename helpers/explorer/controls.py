"""The explorer's controls: ipywidgets with accessible names, value text in physical units, a layout
that wraps on a narrow screen, and value checks that raise instead of clamping.

Works with ipywidgets 8 (``tooltip``) and 7 (``description_tooltip``).
Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import matplotlib
import numpy as np
from traitlets import TraitError

from helpers import _validate

FRAME_LENGTHS = [64, 128, 256, 512, 1024, 2048, 4096]
FRAME_STEPS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
FFT_LENGTHS = [64, 128, 256, 512, 1024, 2048, 4096, 8192]
SCALES = {"linear": "linear", "dB": "db", "mel (dB)": "mel"}
# sequential only: brightness grows with level (a diverging map such as coolwarm invents a middle)
COLORMAPS = ["magma", "viridis", "inferno", "cividis", "gray_r"]
TOP_DB = (10.0, 120.0)  # the range slider's ends, in dB
TOOLTIPS = {
    "clip": "The recording shown: a bundled clip, the signal passed in, or your uploads",
    "upload": "Upload a WAV, FLAC, OGG or MP3 file to explore (its first {seconds:.0f} s are read)",
    "frame_length": "Samples per STFT frame (and their duration): longer frames resolve frequency finer, time coarser",
    "frame_step": "Hop: samples (and their duration) between the starts of consecutive frames",
    "fft_length": (
        "FFT size in samples (and the bin spacing it gives): zero-padding samples the spectrum finer; "
        "it follows the frame length until you set it longer"
    ),
    "window": "The window each frame is multiplied by before its FFT",
    "scale": "Colour scale: linear magnitude, dB re the clip's peak, or mel-spaced power in dB",
    "top_db": "Dynamic range: how many dB below the clip's peak are shown (dB scales only)",
    "cmap": (
        "Colour map of the picture: lightness follows level (in gray_r loud is dark, like ink); "
        "cividis also reads with red-green colour blindness"
    ),
    "time_range": (
        "Time range shown, in seconds (also what the play button rebuilds; type a range such as 0.5-1.5 in the "
        "box); hatched at the ends where no frame's column reaches (each frame is drawn over its centre ± half a "
        "hop, and the first centre is half a frame in)"
    ),
    "freq_range": (
        "Frequency range shown, in Hz (type a range such as 800-1250 in the box); the play button rebuilds "
        "every frequency, whatever the zoom"
    ),
}


def set_tooltip(widget, text: str) -> None:
    """The hover text and accessible description of ``widget`` (ipywidgets 8 and 7).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    widget.set_trait("tooltip" if widget.has_trait("tooltip") else "description_tooltip", text)


def sample_labels(values, sr: int, unit: str = "ms") -> list[tuple[str, int]]:
    """``(label, value)`` options that say what a number of samples means at ``sr``:
    ``"256 (11.6 ms)"``, or for an FFT size its bin spacing, ``"1024 (21.5 Hz)"`` (short enough for the
    slider's read-out box; the tooltip says the unit is samples).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if unit == "Hz":
        return [(f"{v} ({sr / v:.1f} Hz)", int(v)) for v in values]
    return [(f"{v} ({v / sr * 1000:.1f} ms)", int(v)) for v in values]


STFT_SIZES = ("frame_length", "frame_step", "fft_length")  # what hop <= frame length <= FFT length ties


def option_values(control) -> list:
    """The values of a selection control's options (labels dropped).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    return [o[1] if isinstance(o, tuple) else o for o in control.options]


def make_controls(clips, sr: int, s: dict) -> dict:
    """The explorer's widgets, keyed by the names notebooks and tests use; ``s`` holds checked
    starting values (``frame_length``, ``frame_step``, ``fft_length``, ``window``, ``scale``, ``top_db``,
    ``cmap``).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """

    def samples(name, options, description, unit="ms"):
        options = sample_labels(_with(options, s[name]), sr, unit)
        slider = widgets.SelectionSlider(options=options, value=s[name], description=description, **_look(slider=True))
        return slider.add_class("sl-choice")  # its read-out is made read-only in the browser (see frontend)

    def dropdown(options, value, description):
        return widgets.Dropdown(options=options, value=value, description=description, **_look())

    def range_slider(description, fmt):  # range and step are set per clip (fit_range)
        return widgets.FloatRangeSlider(
            value=(0.0, 1.0), max=1.0, description=description, readout_format=fmt, **_look(slider=True)
        )

    controls = {
        "clip": dropdown(clips, clips[0], "clip"),
        "upload": widgets.FileUpload(
            accept="audio/*,.wav,.flac,.ogg,.mp3",
            multiple=False,
            description="Your file",
            layout=widgets.Layout(width="auto"),
        ),
        "frame_length": samples("frame_length", FRAME_LENGTHS, "frame length"),
        "frame_step": samples("frame_step", FRAME_STEPS, "hop"),
        "fft_length": samples("fft_length", FFT_LENGTHS, "FFT length", unit="Hz"),
        "window": dropdown(s["windows"], s["window"], "window"),
        "scale": dropdown(list(SCALES.items()), s["scale"], "scale"),
        "top_db": widgets.FloatSlider(
            value=s["top_db"],
            min=TOP_DB[0],
            max=TOP_DB[1],
            step=5.0,
            description="range (top dB)",
            readout_format=".0f",
            **_look(slider=True),
        ),
        "cmap": dropdown(_with(COLORMAPS, s["cmap"]), s["cmap"], "colormap"),
        "time_range": range_slider("time (s)", ".2f"),
        "freq_range": range_slider("frequency (Hz)", ".0f"),
        "play": widgets.Button(description="Play reconstruction", icon="play", layout=widgets.Layout(width="auto")),
    }
    for key, text in TOOLTIPS.items():
        set_tooltip(controls[key], text.format(seconds=s["max_seconds"]))
    return controls


def _look(slider: bool = False) -> dict:
    """What every control shares: label and control widths; sliders update on release, not mid-drag."""
    look = dict(style={"description_width": "105px"}, layout=widgets.Layout(width="380px"))
    return {**look, "continuous_update": False} if slider else look


def relabel(controls: dict, sr: int) -> None:
    """Say what the sample counts mean at a new clip's sample rate (values stay as they are).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    for key, unit in (("frame_length", "ms"), ("frame_step", "ms"), ("fft_length", "Hz")):
        control = controls[key]
        value = control.value
        control.options = sample_labels(option_values(control), sr, unit)
        control.value = value


def layout(c: dict, view, readout, status, extra=()) -> widgets.VBox:
    """Controls in two columns; the picture with a status line under it (always present, its height
    reserved so nothing moves) and its read-outs beside it (below on a narrow screen); the play button.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    wrap = dict(display="flex", flex_flow="row wrap", align_items="flex-start")
    left = widgets.VBox([c["clip"], c["frame_length"], c["frame_step"], c["fft_length"], c["window"], c["scale"]])
    right = widgets.VBox([c["upload"], c["top_db"], c["cmap"], c["time_range"], c["freq_range"]])
    heading = widgets.HTML("<h4 style='margin:4px 0; font-size:13px'>Read-outs</h4>")
    # beside the picture while they fit, else the whole width under it (settings.readout_html makes columns)
    readouts = widgets.VBox([heading, readout], layout=widgets.Layout(margin="0 0 0 8px", flex="1 1 190px"))
    # two lines of height, always: a message appearing or going never moves what is below it
    # as wide as the picture whatever its text (width 0, at least the column's width), never wider
    status.layout = widgets.Layout(height="56px", overflow="auto", width="0", min_width="100%")
    # the message right under the picture, where the student looks, the read-outs beside (or below) both
    picture = widgets.VBox([view, status], layout=widgets.Layout(flex="0 1 auto", max_width="100%"))
    # as high as the player from the start: the player appearing never moves the button
    play = widgets.HBox(
        [c["play"]], layout=widgets.Layout(align_items="center", flex_flow="row wrap", min_height="56px")
    )
    return widgets.VBox(
        [
            widgets.HBox([left, right], layout=widgets.Layout(**wrap)),
            widgets.HBox([picture, readouts], layout=widgets.Layout(**wrap)),  # fits under the controls in 720 px
            play,
            *extra,
        ]
    )


def set_value(control, name: str, value) -> None:
    """``control.value = value``, or a ``ValueError`` naming the value and what is allowed.

    Sliders do not clamp silently: a number outside the slider's ends is refused.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if isinstance(control, (widgets.FloatSlider, widgets.FloatRangeSlider)):
        value = _in_range(control, name, value)
    try:
        control.value = value
    except (TraitError, KeyError, ValueError, TypeError):
        options = getattr(control, "options", None)
        if options is None:
            raise ValueError(
                f"{name}={value!r} is not available; use a (low, high) pair with low <= high "
                f"within {control.min:g} to {control.max:g}"
            ) from None
        raise ValueError(f"{name}={value!r} is not available; choose one of {option_values(control)}") from None


def fit_range(slider, name: str, top: float, value=None) -> None:
    """Let a range slider span ``[0, top]`` and show ``value`` (all of it when ``None``);
    a ``value`` outside ``[0, top]`` raises ``ValueError``.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    top = max(float(top), 0.01)
    if value is not None:
        value = _pair(value, name, 0.0, top)
    slider.step = keyboard_step(top)
    if top > slider.max:
        slider.max = top  # widen before narrowing: min <= max at every step
    slider.value = (0.0, top)
    slider.max = top
    slider.value = value if value is not None else (0.0, top)


def keyboard_step(top: float) -> float:
    """The step of a slider over ``[0, top]``: a 1-2-5 number near ``top / 200``.

    An arrow key moves a handle by one step and Page Up/Down by five, so the whole range is about
    200 presses, or 40, at any clip length or sample rate (10 Hz steps took 1100 presses over 11 kHz).

    >>> keyboard_step(30.0), keyboard_step(2.97), keyboard_step(11025.0), keyboard_step(8000.0)
    (0.1, 0.01, 50.0, 20.0)

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    exponent = math.floor(math.log10(top / 200))
    mantissa = max(m for m in (1, 2, 5) if m * 10.0**exponent <= top / 200)
    return round(mantissa * 10.0**exponent, max(0, -exponent))


def check_cmap(cmap) -> str:
    """A colormap name the explorer can show: one of ``COLORMAPS`` or any matplotlib colormap.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if isinstance(cmap, str) and cmap in matplotlib.colormaps:
        return cmap
    raise ValueError(
        f"cmap={_validate.show(cmap)} is not a colormap; choose one of {COLORMAPS} "
        "(or another matplotlib colormap name)"
    )


def make_possible(c: dict, moved: str, old=None) -> list[str]:
    """Make the STFT settings possible again; the control just ``moved`` (from ``old``) wins, the others adjust.

    Returns the notes that say what was adjusted (see :func:`possible`); also widens a range slider
    narrowed to one step, and greys out the dB range on the linear scale.
    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    values = {k: c[k].value for k in STFT_SIZES}
    notes = possible(values, {k: option_values(c[k]) for k in STFT_SIZES}, moved, old)
    for key, value in values.items():
        if c[key].value != value:
            c[key].value = value
    c["top_db"].disabled = c["scale"].value == "linear"
    return notes + [note for key in ("time_range", "freq_range") if (note := widen(c[key], key))]


def possible(v: dict, options: dict, moved: str, old=None) -> list[str]:
    """Adjust the sizes ``v`` (frame length, hop, FFT length: changed in place) so that hop ≤ frame
    length ≤ FFT length, keeping the value just ``moved`` (from ``old``); the notes say what changed.

    An FFT length equal to the old frame length (no zero-padding) follows the frame length both ways.

    >>> v = {"frame_length": 2048, "frame_step": 256, "fft_length": 1024}
    >>> possible(v, {k: [256, 512, 1024, 2048] for k in v}, "frame_length", 1024), v["fft_length"]
    ([], 2048)

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    notes = []
    if moved == "frame_length" and old is not None and v["fft_length"] == old:  # quietly, as librosa's n_fft
        v["fft_length"] = at_least(options["fft_length"], v["frame_length"])
    if moved == "frame_step" and v["frame_step"] > v["frame_length"]:
        v["frame_length"] = at_least(options["frame_length"], v["frame_step"])
        notes.append(f"Frame length raised to {v['frame_length']}: the hop must not exceed the frame.")
    if moved == "fft_length" and v["fft_length"] < v["frame_length"]:
        v["frame_length"] = at_most(options["frame_length"], v["fft_length"])
        notes.append(f"Frame length lowered to {v['frame_length']}: the FFT length must be ≥ the frame length.")
    if v["fft_length"] < v["frame_length"]:
        v["fft_length"] = at_least(options["fft_length"], v["frame_length"])
        notes.append(f"FFT length raised to {v['fft_length']}: it must be ≥ the frame length.")
    if v["frame_step"] > v["frame_length"]:
        v["frame_step"] = at_most(options["frame_step"], v["frame_length"])
        notes.append(f"Hop lowered to {v['frame_step']}: it must not exceed the frame length.")
    return notes


def widen(slider, name: str) -> str:
    """Give a range slider at least two steps of width (both handles on one value shows nothing).

    Returns the note saying so, or ``""`` when the range was wide enough.
    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    low, high = slider.value
    width = min(2 * slider.step, slider.max - slider.min)
    if high - low >= width:
        return ""
    low = min(max(slider.min, (low + high - width) / 2), slider.max - width)
    slider.value = (low, low + width)
    unit, digits = ("s", 2) if name == "time_range" else ("Hz", 0)
    what = "Time" if name == "time_range" else "Frequency"
    return f"{what} range widened to {low:.{digits}f} – {low + width:.{digits}f} {unit}: a zoom needs some width."


def at_least(options, value: int) -> int:
    """The smallest option ≥ ``value`` (the largest option when none is).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    return min((o for o in options if o >= value), default=max(options))


def at_most(options, value: int) -> int:
    """The largest option ≤ ``value`` (the smallest option when none is).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    return max((o for o in options if o <= value), default=min(options))


def _in_range(control, name: str, value):
    if isinstance(control, widgets.FloatRangeSlider):
        return _pair(value, name, control.min, control.max)
    return _validate.number(
        value,
        name,
        minimum=control.min,
        maximum=control.max,
        what=f"the slider goes from {control.min:g} to {control.max:g}",
    )


def _pair(value, name: str, low: float, high: float) -> tuple[float, float]:
    """A ``(low, high)`` pair of finite numbers within ``[low, high]``, low first."""
    what = f"use a (low, high) pair with low <= high within {low:g} to {high:g}"
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise ValueError(f"{name}={_validate.show(value)} is not a (low, high) pair; {what}")
    a, b = (_validate.number(v, name, minimum=low, maximum=high, what=what) for v in value)
    if a > b:
        raise ValueError(f"{name}=({a:g}, {b:g}) has low > high; {what}")
    return a, b


def _with(options: list, value) -> list:
    """``options`` plus ``value`` (sorted when numeric), so any starting value can be chosen."""
    if value in options:
        return list(options)
    return sorted([*options, int(value)]) if isinstance(value, (int, np.integer)) else [*options, value]
