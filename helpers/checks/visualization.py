"""Checkers of 04_visualization: the imshow array and origin, its extent in seconds and hertz, the colorbar label.

Used in: 04_visualization.
"""

from __future__ import annotations

import re

import numpy as np

from helpers._validate import sample_rate
from helpers.checks._answers import as_array, close, data, framing, plain, same
from helpers.checks._feedback import Feedback, judge

__all__ = ["extent", "orientation", "colorbar_label", "COLOUR_QUANTITIES"]

#: The quantities a spectrogram's colour can stand for (a colorbar label must name one of them).
COLOUR_QUANTITIES = ("magnitude", "amplitude", "power", "level", "intensity", "energy", "sound pressure", "spl")
_DB = re.compile(r"\b(db(fs|spl)?|decibels?)\b", re.IGNORECASE)
_REFERENCE = re.compile(r"\b(re|rel|relative|ref|reference)\b|\bdbfs\b|full[ -]scale|\b(peak|max|maximum)\b",
                        re.IGNORECASE)
_AXES = re.compile(r"\b(frequency|freq|time|hz|khz|seconds?|sec|ms|bins?|frames?|mel|pitch)\b", re.IGNORECASE)


def extent(answer, n_frames: int, sr: int, frame_step: int) -> Feedback:
    """Check an ``imshow`` extent ``(left, right, bottom, top)`` in seconds and hertz.

    Accepts the frames' span in seconds (within one frame) and 0 … sr / 2 Hz (within 1 %),
    as a tuple, list, array or tensor.

    Parameters
    ----------
    answer : sequence of 4 numbers or None
        The student's extent.
    n_frames, sr, frame_step : int
        The spectrogram's number of frames, the sample rate (Hz) and the hop (samples).

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(extent((0, 1.0, 0, 8000), n_frames=100, sr=16000, frame_step=160))
    ✓ Correct: time runs 0 … 1.000 s across and frequency 0 … 8000 Hz (the Nyquist frequency) up.
    True

    Used in: 04_visualization.
    """
    sr = sample_rate(sr)
    n_frames, _, frame_step = framing(n_frames, 1, frame_step, names=("n_frames", "frame_length", "frame_step"))
    seconds, nyquist = n_frames * frame_step / sr, sr / 2
    dt, tol_hz = frame_step / sr, 0.01 * nyquist  # within a frame in time, 1 % in frequency

    def parts(a):
        left, right, bottom, top = (float(v) for v in as_array(a).ravel()) if np.size(plain(a)) == 4 else ()
        return left, right, bottom, top

    def right_answer(a):
        left, right, bottom, top = parts(a)
        return (abs(left) <= dt and abs(right - seconds) <= 2 * dt and abs(bottom) <= tol_hz
                and abs(top - nyquist) <= tol_hz)

    hints = [
        (lambda a: isinstance(a, str) or np.size(plain(a)) != 4,
         "extent has four numbers: (left, right, bottom, top)."),
        (lambda a: close(parts(a)[1], n_frames), "right = number of frames: convert frames to seconds, "
                                                 "× frame_step / sr."),
        (lambda a: close(parts(a)[0], nyquist) or close(parts(a)[1], nyquist),
         "time comes first: (t_start, t_end, f_low, f_high)."),
        (lambda a: close(parts(a)[3], sr), "the top of a spectrogram is the Nyquist frequency, sr / 2, not sr."),
        (lambda a: close(parts(a)[3], nyquist / 1000), "that top is in kHz; the axis is labelled in Hz here: "
                                                       "use sr / 2 in Hz."),
        (lambda a: close(parts(a)[1], 1000 * seconds, rel=0.02), "that time axis is in milliseconds; use seconds."),
        (lambda a: abs(parts(a)[1] - seconds) > 2 * dt, "the time axis should end near "
                                                        "n_frames × frame_step / sr seconds."),
        (lambda a: parts(a)[2] > parts(a)[3], "bottom must be the lowest frequency (0 Hz) and top the highest."),
    ]
    praise = (f"time runs 0 … {seconds:.3f} s across and frequency 0 … {nyquist:.0f} Hz "
              "(the Nyquist frequency) up.")
    return judge(answer, right_answer, praise, hints,
                 nudge="extent puts physical units on the axes: where does the time axis start and end "
                       "(in s), and the frequency axis (in Hz)?",
                 more=["left/right are the first and last frame times in s; bottom/top 0 Hz and the highest "
                       "frequency an STFT shows.",
                       "frames × hop / sr gives seconds; the top frequency is the Nyquist frequency sr / 2."],
                 exercise="extent", solution=f"extent_answer = (0, {n_frames} * {frame_step} / {sr}, 0, {sr} / 2)")


def orientation(image, origin: str, S) -> Feedback:
    """Check the array and ``origin`` passed to ``imshow`` for a ``[frames, bins]`` spectrogram ``S``.

    Right: ``S.T`` with ``origin="lower"`` (time across, low frequencies at the bottom), or the
    same picture built upside down, ``S.T[::-1]`` with ``origin="upper"``.

    Parameters
    ----------
    image : array-like or None
        The array the student would pass to ``imshow``.
    origin : str or None
        The student's ``origin``.
    S : array-like, shape [frames, bins]
        The spectrogram.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> S = np.arange(6.0).reshape(3, 2)
    >>> bool(orientation(S.T, "lower", S))
    ✓ Correct: rows are frequencies, columns are frames, and 0 Hz is at the bottom.
    True

    Used in: 04_visualization.
    """
    S = data(S, "S", ndim=2)

    def right(p):
        img, org = as_array(p[0]), p[1]
        return (org == "lower" and same(img, S.T)) or (org == "upper" and same(img, S.T[::-1]))

    hints = [
        (lambda p: isinstance(p[1], str) and p[1].strip().lower() in ("lower", "upper") and p[1] not in
         ("lower", "upper"), "matplotlib spells origin in lower case, without spaces: 'lower' or 'upper'."),
        (lambda p: p[1] not in ("lower", "upper"), "origin is 'lower' or 'upper'."),
        (lambda p: as_array(p[0]).shape == S.shape, "imshow puts the array's rows vertically, and S has one row "
                                                    "per frame: time would run up the page. Pass S.T."),
        (lambda p: p[1] == "upper" and same(p[0], S.T), "with origin='upper' row 0 (0 Hz) is drawn at the top: "
                                                        "low frequencies would be at the top. Use origin='lower'."),
        (lambda p: p[1] == "lower" and same(p[0], S.T[::-1]), "the rows are flipped and origin='lower' flips "
                                                              "them again: use S.T (unflipped) with 'lower'."),
        (lambda p: same(p[0], S.T[:, ::-1]), "the columns are reversed: time would run backwards. Use S.T."),
    ]
    return judge(None if image is None or origin is None else (image, origin), right,
                 "rows are frequencies, columns are frames, and 0 Hz is at the bottom.", hints,
                 nudge="imshow draws an array's rows one above the other; which of S's axes should run up the page, "
                       "and where should row 0 (0 Hz) be?",
                 more=["S is [frames, bins]; imshow wants [rows = frequencies, columns = time], with row 0 at the "
                       "bottom.",
                       "transpose S, and choose the origin that puts row 0 at the bottom."],
                 exercise="orientation", solution='data, origin = S_db.T, "lower"')


def colorbar_label(answer) -> Feedback:
    """Check that a colorbar label names a quantity a colour can mean and the unit dB.

    Right: one of :data:`COLOUR_QUANTITIES` (magnitude, amplitude, power, level, intensity,
    energy, sound pressure) and dB (``dB``, ``dBFS``, ``decibel(s)``), in any brackets or none:
    ``"Magnitude (dB)"``, ``"Magnitude (decibels)"``, ``"Power (dB re max)"``, ``"Level [dB]"``.
    A reference (``re peak``, ``re max``, ``dBFS``) is recommended, not required: the praise says
    what it would add. Wrong: an axis's quantity (``"Frequency (dB)"``), no quantity (``"(dB)"``,
    ``"asdf (dB)"``), no unit (``"Magnitude"``) or an axis's unit (``"Hz"``).

    Parameters
    ----------
    answer : str, matplotlib Colorbar or None
        The label, or the colorbar whose label is read.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(colorbar_label("Magnitude (dB re peak)"))
    ✓ Correct: 'Magnitude (dB re peak)' says what the colour means, in which unit, and what 0 dB is.
    True

    Used in: 04_visualization.
    """
    hints = [
        (lambda a: not _label(a).strip(), "the colorbar has no label: pass label=... or call cbar.set_label(...)."),
        (lambda a: not _DB.search(_label(a)) and _AXES.search(_label(a)),
         "Hz and seconds are the units of the axes; the colour shows a level in decibels: 'Magnitude (dB)'."),
        (lambda a: not _DB.search(_label(a)) and _quantity(a), "name the unit too: this image is in decibels, "
                                                               "e.g. 'Magnitude (dB)'."),
        (lambda a: not _DB.search(_label(a)), "a label names the quantity and its unit, e.g. 'Magnitude (dB)'."),
        (lambda a: not _quantity(a) and _AXES.search(_DB.sub("", _label(a))),
         "frequency and time are on the axes; the colour shows how strong each cell is: name that quantity, "
         "e.g. 'Magnitude (dB)' or 'Power (dB)'."),
        (lambda a: not _quantity(a) and re.search(r"\bloud(ness)?\b", _label(a), re.IGNORECASE),
         "loudness is what we perceive (phon, sone); the colour is a physical level: 'Magnitude (dB)'."),
        (lambda a: not _quantity(a) and not re.sub(r"[\W\d_]", "", _REFERENCE.sub("", _DB.sub("", _label(a)))),
         "the unit alone does not say what is measured: add the quantity, e.g. 'Magnitude (dB)'."),
        (lambda a: not _quantity(a), "that word is not a quantity a colour shows here: use magnitude, amplitude, "
                                     "power, level, intensity or energy, e.g. 'Magnitude (dB)'."),
    ]
    return judge(answer, lambda a: bool(_DB.search(_label(a)) and _quantity(a)), _colorbar_praise, hints,
                 nudge="a label says what a colour means and in which unit; what does the colour of a dB "
                       "spectrogram measure?",
                 more=["name the quantity (magnitude, power, level, …) and the unit, decibels.",
                       "'Quantity (unit)', e.g. 'Magnitude (dB)'; adding the reference ('dB re peak') says "
                       "what 0 dB is."],
                 exercise="colorbar_label", solution='cbar_label = "Magnitude (dB re peak)"')


def _label(answer) -> str:
    """The label text of a str or a matplotlib Colorbar; raises for anything else."""
    if isinstance(answer, str):
        return answer
    axis = answer.ax
    return axis.get_ylabel() or axis.get_xlabel()


def _quantity(answer) -> bool:
    text = _label(answer).lower()
    return any(re.search(rf"\b{word}\b", text) for word in COLOUR_QUANTITIES)


def _colorbar_praise(answer) -> str:
    text = _label(answer)
    if _REFERENCE.search(text):
        return f"{text!r} says what the colour means, in which unit, and what 0 dB is."
    return (f"{text!r} says what the colour means and in which unit; a reference, e.g. 'dB re peak', would "
            "also say what 0 dB is.")
