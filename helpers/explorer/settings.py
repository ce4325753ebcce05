"""The explorer's settings checks and texts: starting values and picture size checked with the
project's messages, the title, the picture's text description, the status line, the colour levels
and the read-outs.

Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import html

from helpers import _validate, spectral
from helpers.explorer import clips as clip_store
from helpers.explorer import controls as ctl
from helpers.explorer import imaging
from helpers.explorer.canvas import AXES, DPI, TITLE_POINTS

SIZE_LIMITS = ((240, 4000), (160, 3000))  # width and height of the picture, in pixels
MAX_STFT_MB = 256  # the complex STFT of one setting; beyond it the explorer asks for a larger hop


def checked_settings(frame_length, frame_step, fft_length, window, scale, top_db, cmap) -> dict:
    """The starting values, checked: each bad one raises with its name, value and the choices.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    frame_length = _validate.positive_int(frame_length, "frame_length", maximum=8192, what="e.g. 1024")
    fft = _validate.next_power_of_two(frame_length) if fft_length is None else fft_length
    return {
        "frame_length": frame_length,
        "frame_step": _validate.positive_int(frame_step, "frame_step", maximum=8192, what="e.g. 256"),
        "fft_length": _validate.positive_int(fft, "fft_length", maximum=16384, what="e.g. 1024"),
        "windows": list(spectral.WINDOWS),
        "window": _validate.choice(window, "window", list(spectral.WINDOWS)),
        "scale": _validate.choice(scale, "scale", list(ctl.SCALES.values())),
        "top_db": _validate.number(
            top_db,
            "top_db",
            minimum=ctl.TOP_DB[0],
            maximum=ctl.TOP_DB[1],
            what=f"the range slider goes from {ctl.TOP_DB[0]:g} to {ctl.TOP_DB[1]:g} dB",
        ),
        "cmap": ctl.check_cmap(cmap),
        "max_seconds": clip_store.MAX_SECONDS,
    }


def checked_size(size) -> tuple[int, int]:
    """``(width, height)`` of the picture in pixels within ``SIZE_LIMITS``; anything else raises with the limits.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise ValueError(f"size={_validate.show(size)} is not a (width, height) pair in pixels, e.g. (720, 320)")
    out = []
    for i, (value, dim, (lo, hi)) in enumerate(zip(size, ("width", "height"), SIZE_LIMITS, strict=True)):
        what = f"the {dim} of the picture in pixels, from {lo} to {hi}, e.g. size=(720, 320)"
        value = _validate.positive_int(value, f"size[{i}]", what=what)
        if not lo <= value <= hi:
            raise ValueError(
                f"size={_validate.show(tuple(size))} asks for a {dim} of {value} pixels; "
                f"use {lo} to {hi}, e.g. size=(720, 320)"
            )
        out.append(value)
    return tuple(out)


def check_stft_size(clip: str, samples: int, sr: int, frame_length: int, frame_step: int, fft_length: int) -> None:
    """Refuse, before computing it, an STFT of a clip shorter than one frame, or over ``MAX_STFT_MB``
    (a long clip at a tiny hop).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if samples < frame_length:
        raise ValueError(
            f"{clip} has {samples} samples, fewer than one frame of {frame_length}; choose a shorter frame length"
        )
    frames, bins = 1 + (samples - frame_length) // frame_step, fft_length // 2 + 1
    megabytes = frames * bins * 8 / 2**20  # complex64
    if megabytes > MAX_STFT_MB:
        raise ValueError(
            f"hop {frame_step} with FFT length {fft_length} on {clip} ({samples / sr:.0f} s) makes {frames} frames "
            f"× {bins} bins ({megabytes:.0f} MB, more than the explorer's {MAX_STFT_MB} MB); choose a larger hop "
            "or a smaller FFT length, or a shorter clip"
        )


def title(p: dict, sr: int) -> str:
    """The picture's title: clip, window, frame (and its duration), hop, FFT.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    name = p["clip"].removeprefix("upload: ")
    name = name if len(name) <= 20 else name[:19] + "…"
    return (
        f"{name}: {p['window']} window, frame {p['frame_length']} "
        f"({p['frame_length'] / sr * 1000:.1f} ms), hop {p['frame_step']}, FFT {p['fft_length']}"
    )


def alt_text(p: dict, sr: int) -> str:
    """What the picture shows, in words, for a screen reader.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    scale = {
        "linear": "linear magnitude",
        "db": f"magnitude in dB, {p['top_db']:.0f} dB range",
        "mel": f"mel-spaced power in dB, {p['top_db']:.0f} dB range",
    }[p["scale"]]
    (t0, t1), (f0, f1) = p["time_range"], p["freq_range"]
    return (
        f"Spectrogram of {p['clip']}: {t0:.2f} to {t1:.2f} s, {f0:.0f} to {f1:.0f} Hz, {scale}, "
        f"{p['window']} window, frame {p['frame_length']} samples ({p['frame_length'] / sr * 1000:.1f} ms), "
        f"hop {p['frame_step']}, FFT {p['fft_length']}, {p['cmap']} colours"
    )


def heading_html(title: str, height: int) -> str:
    """The live picture's title as text, centred over the axes as matplotlib places it (a long one
    reaching out on both sides), ``height`` pixels high.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    size = TITLE_POINTS * DPI / 72  # the static picture's title, in CSS pixels
    left, _, width, _ = AXES  # over the axes, as matplotlib centres it
    return (
        f'<div style="margin-left:{left:.1%}; width:{width:.0%}; height:{height}px; line-height:{height}px;'
        f' font-size:{size:.1f}px; display:flex; justify-content:center; white-space:nowrap; color:#000">'
        f"{html.escape(title)}</div>"
    )


def status_html(text: str, error: bool = False) -> str:
    """The status line: a polite live region, so a screen reader announces each message.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    colour = "#b00020" if error else "#8a5a00"
    return f'<div role="status" aria-live="polite" style="color:{colour}; line-height:1.4">{html.escape(text)}</div>'


def levels(p: dict, peak: float | None) -> tuple[float, float, str]:
    """Colour range and colorbar label: 0 to the clip's peak ``|X|`` (linear), else ``top_db`` below it.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if p["scale"] == "linear":
        return 0.0, peak or 1.0, "Magnitude |X| (linear)"
    what = "Mel power" if p["scale"] == "mel" else "Magnitude"
    return -float(p["top_db"]), 0.0, f"{what} (dB re clip peak)"


def readouts(p: dict, sr: int, frames: int, in_view: tuple, shown: tuple) -> dict[str, str]:
    """What the settings mean, by name: time step, frame duration, bin spacing, frames, bins, …,
    ``in view``: the frames × bins (or mel bands) in the zoomed range, and ``drawn``: the columns ×
    rows of the picture (each the largest value it covers, when there are more values than pixels).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    return {
        "time step": f"{p['frame_step'] / sr * 1000:.1f} ms",
        "frame duration": f"{p['frame_length'] / sr * 1000:.1f} ms",
        "bin spacing": f"{sr / p['fft_length']:.1f} Hz",
        "frames": f"{frames}",
        "bins": f"{p['fft_length'] // 2 + 1}",
        **({"mel bands": f"{imaging.n_mels(p['fft_length'])}"} if p["scale"] == "mel" else {}),
        "overlap": f"{(1 - p['frame_step'] / p['frame_length']) * 100:.1f} %",
        "sample rate": f"{sr} Hz",
        "in view": f"{in_view[0]} × {in_view[1]} values",
        "drawn": f"{shown[0]} × {shown[1]}",  # short: the table fits beside the picture on a laptop
    }


def readout_html(values: dict[str, str]) -> str:
    """The read-outs as name-value pairs (names left, values right in bold): one column beside the
    picture, as many as fit when they wrap under it (a narrow screen), so they stay in view.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    cells = [(k, v, "") for k, v in values.items()]
    if "mel bands" not in values:  # a pair kept empty at the end: switching to the mel scale moves nothing below
        cells.append(("mel bands", "–", " visibility:hidden;"))
    plain = "font-weight:normal; margin:0; padding:0; float:none; width:auto"  # not JupyterLab's <dl> look
    pairs = "".join(
        f"<div style='display:flex; justify-content:space-between; gap:12px; padding:2px 0;{hide}'>"
        f"<dt style='{plain}'>{k}</dt><dd style='{plain}'><b>{v}</b></dd></div>"
        for k, v, hide in cells
    )
    grid = "display:grid; grid-template-columns:repeat(auto-fill, minmax(190px, 1fr)); column-gap:24px; margin:0"
    return f"<dl style='{grid}; font-size:12px; white-space:nowrap'>{pairs}</dl>"
