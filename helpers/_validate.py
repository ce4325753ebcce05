"""The one validation layer: every helper checks its arguments here, with one message style.

Each function returns the value in the form the caller should use (a Python ``int`` for NumPy
integers, a ``pathlib.Path``, a float32 array) and raises only ``ValueError`` (the value is
wrong) or ``TypeError`` (the kind of value is wrong). Messages name the argument, show the value
and say what to pass, e.g. ``frame_length=0 is not a positive integer; it is the number of
samples per frame, e.g. 1024``.

``what`` describes the argument; it completes "it is …" (``what="the number of samples per
frame, e.g. 1024"``) unless it starts with a verb of its own (``"use …"``, ``"pass …"``,
``"e.g. …"``), when it is appended as given.

NumPy only: importing this module never imports TensorFlow.
"""

from __future__ import annotations

import math
import operator
import os
from pathlib import Path

import numpy as np

MAX_SAMPLE_RATE = 768_000  # the highest rate audio interfaces offer
_OWN_VERBS = ("use ", "pass ", "e.g.", "it ", "choose ", "set ", "give ", "call ", "try ", "must ")


def show(value) -> str:
    """``repr`` of ``value`` short enough for a message; NumPy scalars shown as plain numbers.

    Used in: every message of this module, helpers.audio.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}, dtype {value.dtype}>"
    if callable(value) and hasattr(value, "__name__"):
        return f"<function {value.__name__}>"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _tail(what: str, default: str) -> str:
    what = what or default
    if not what:
        return ""
    return "; " + (what if what.lower().startswith(_OWN_VERBS) else f"it is {what}")


def _integer(value, name: str, kind: str, what: str) -> int:
    """``value`` as a Python int; TypeError for bools, floats, strings and other kinds."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}={show(value)} is a boolean, not {kind}{_tail(what, 'pass a whole number')}")
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        raise TypeError(
            f"{name}={show(value)} is a float, not {kind}{_tail(what, '')}; pass int({name}) = {int(value)}"
        )
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}={show(value)} is not {kind}{_tail(what, 'pass a whole number')}") from None


def integer(value, name: str, *, what: str = "") -> int:
    """A whole number of either sign (an axis, a shift), NumPy integers as Python ``int``.

    Used in: helpers.spectral (``axis``), helpers.augment (shifts).
    """
    return _integer(value, name, "a whole number", what)


def positive_int(value, name: str, *, maximum: int | None = None, what: str = "") -> int:
    """A whole number ``>= 1`` (NumPy integers become Python ``int``), at most ``maximum``.

    Examples
    --------
    >>> positive_int(np.int64(1024), "frame_length")
    1024
    >>> positive_int(0, "frame_length", what="the number of samples per frame, e.g. 1024")
    Traceback (most recent call last):
    ...
    ValueError: frame_length=0 is not a positive integer; it is the number of samples per frame, e.g. 1024

    Used in: every helper that takes a size (helpers.spectral, helpers.audio, helpers.augment, ...).
    """
    number_ = _integer(value, name, "a positive integer", what)
    if number_ < 1:
        raise ValueError(f"{name}={number_} is not a positive integer{_tail(what, 'pass a whole number >= 1')}")
    return _at_most(number_, name, maximum, what)


def non_negative_int(value, name: str, *, maximum: int | None = None, what: str = "") -> int:
    """A whole number ``>= 0`` (NumPy integers become Python ``int``), at most ``maximum``.

    Used in: helpers.phase (``n_iter``), helpers.augment and any count that may be zero.
    """
    number_ = _integer(value, name, "a whole number >= 0", what)
    if number_ < 0:
        raise ValueError(f"{name}={number_} is negative{_tail(what, 'pass a whole number >= 0')}")
    return _at_most(number_, name, maximum, what)


def _at_most(value: int, name: str, maximum, what: str) -> int:
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}={value} is larger than the maximum {maximum}{_tail(what, '')}")
    return value


def number(
    value,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    allow_none: bool = False,
    what: str = "",
) -> float | None:
    """A finite real number as a Python ``float`` in ``[minimum, maximum]`` (``None`` if allowed).

    Examples
    --------
    >>> number(np.float32(0.5), "momentum", minimum=0, maximum=1)
    0.5

    Used in: helpers.spectral (``amin``, ``top_db``), helpers.augment, helpers.phase.
    """
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        if not (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"):
            none = " or None" if allow_none else ""
            raise TypeError(f"{name}={show(value)} is not a real number{none}{_tail(what, 'pass e.g. 1.0')}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}={value} is not a finite number{_tail(what, 'pass a finite value')}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}={value:g} is smaller than the minimum {minimum:g}{_tail(what, '')}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}={value:g} is larger than the maximum {maximum:g}{_tail(what, '')}")
    return value


def boolean(value, name: str) -> bool:
    """``True`` or ``False`` (``np.bool_`` too); strings such as ``"yes"`` and numbers are refused.

    Used in: helpers.spectral (``center``), helpers.audio (``mono``, ``normalize``).
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name}={show(value)} is not a boolean; pass True or False")


def choice(value, name: str, choices) -> str:
    """``value`` when it is one of ``choices`` (strings); the message lists them.

    Used in: helpers.spectral (``window``, ``kind``), helpers.plots (``y_axis``).
    """
    choices = list(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name}={show(value)} is not a string; choose one of {choices}")
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not supported; choose one of {choices}")
    return value


def sample_rate(value, name: str = "sr") -> int:
    """A sample rate in Hz: a positive whole number up to ``MAX_SAMPLE_RATE`` (768 kHz).

    Used in: helpers.audio, helpers.spectral, helpers.plots, helpers.augment.
    """
    return positive_int(value, name, maximum=MAX_SAMPLE_RATE, what="the sample rate in Hz, e.g. 22050")


def next_power_of_two(n: int) -> int:
    """The smallest power of two ``>= n``: the FFT length TensorFlow picks for a frame of ``n``.

    >>> next_power_of_two(1000), next_power_of_two(1024)
    (1024, 1024)

    Used in: helpers.spectral (the ``fft_length=None`` default), helpers.models, helpers.widgets.
    """
    n = positive_int(n, "frame_length", what="the number of samples per frame, e.g. 1024")
    return 1 << (n - 1).bit_length()


def fft_length(value, frame_length: int, *, maximum: int = 2**16) -> int:
    """The FFT size: ``None`` gives :func:`next_power_of_two` of ``frame_length``; else ``>= frame_length``.

    ``maximum`` (65536 samples, 3 s at 22.05 kHz) bounds the size before memory is spent.

    Used in: helpers.spectral (stft, istft, mel), helpers.phase.
    """
    frame_length = positive_int(
        frame_length, "frame_length", maximum=maximum, what="the number of samples per frame, e.g. 1024"
    )
    if value is None:
        return next_power_of_two(frame_length)
    value = positive_int(value, "fft_length", maximum=maximum, what="the FFT size in samples, e.g. 1024")
    if value < frame_length:
        raise ValueError(
            f"fft_length={value} is smaller than frame_length={frame_length} (TensorFlow would silently "
            f"crop each frame); use fft_length >= frame_length, e.g. fft_length={next_power_of_two(frame_length)}"
        )
    return value


_PCM = {"int8": (0.0, 128.0), "uint8": (128.0, 128.0), "int16": (0.0, 32768.0), "int32": (0.0, 2.0**31)}


def pcm_to_float(y: np.ndarray, name: str = "y") -> np.ndarray:
    """Integer PCM scaled to float32 in [-1, 1): int16 / 32768, int32 / 2**31, (uint8 - 128) / 128.

    Other integer types (int64, the default of ``np.array([1, 2])``) are no audio format and are
    refused: their full scale is unknown. Used in: helpers.audio (save, play) through :func:`signal`.
    """
    if y.dtype.name not in _PCM:
        raise TypeError(
            f"{name} has dtype {y.dtype}, which is no PCM format (its full scale is unknown); pass float "
            "samples in [-1, 1], e.g. y.astype(np.float32) / 32768 for 16-bit values, or int16/int32/uint8 PCM"
        )
    offset, scale = _PCM[y.dtype.name]
    return ((y.astype(np.float32) - offset) / scale).astype(np.float32)


def _as_array(y, name: str) -> np.ndarray:
    """``y`` as a NumPy array, refusing what is clearly not samples with a message saying what it is."""
    if y is None:
        raise TypeError(f"{name} is None; pass the samples (a 1-D float array), e.g. y, sr = helpers.audio.load(path)")
    if isinstance(y, (str, bytes, os.PathLike)):
        raise TypeError(
            f"{name}={show(y)} is a path, not samples; read it first: {name}, sr = helpers.audio.load({show(y)})"
        )
    if isinstance(y, tuple) and len(y) == 2 and isinstance(y[0], np.ndarray) and np.ndim(y[1]) == 0:
        raise TypeError(
            f"{name} is a (samples, sample rate) pair, what helpers.audio.load returns; "
            f"unpack it first: {name}, sr = helpers.audio.load(path)"
        )
    if hasattr(y, "numpy") and callable(y.numpy):  # a tf.Tensor (eager) or similar
        try:
            y = y.numpy()
        except (NotImplementedError, AttributeError, TypeError):
            raise TypeError(
                f"{name} is a symbolic tensor (inside tf.function or tf.data) whose values are not "
                "known yet; check it eagerly, or use the helper's graph-safe path"
            ) from None
    try:
        return np.asarray(y)
    except (ValueError, TypeError) as err:  # ragged lists
        raise TypeError(f"{name} cannot be read as an array of samples ({err}); pass a 1-D float array") from None


def signal(y, name: str = "y", *, mono: bool = True) -> np.ndarray:
    """Samples as a C-contiguous float32 array after checking they are usable audio.

    Integer PCM (int16, int32, uint8, int8) is scaled to [-1, 1) by :func:`pcm_to_float`. Refused
    with a message naming ``name``: ``load()``'s ``(y, sr)`` pair, paths, ``None``, complex,
    boolean or text arrays, empty arrays, NaN or Inf, a 2-D array where ``mono=True``, and with
    ``mono=False`` anything but ``[samples]`` or ``[channels, samples]`` (a ``[samples, channels]``
    array, soundfile's layout, is recognised and the message says to transpose it).

    Examples
    --------
    >>> signal(np.array([0, 16384, -32768], np.int16))
    array([ 0. ,  0.5, -1. ], dtype=float32)

    Used in: helpers.audio, helpers.spectral, helpers.plots and every helper that takes samples.
    """
    y = _as_array(y, name)
    _check_dtype(y, name)
    _check_layout(y, name, mono)
    if y.size == 0:
        raise ValueError(f"{name} is empty (0 samples); check the file or the slice you took")
    y = pcm_to_float(y, name) if y.dtype.kind in "iu" else y.astype(np.float32, copy=False)
    bad = ~np.isfinite(y)
    if bad.any():
        first = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or Inf samples (first at flat index {first}); "
            f"fix the computation that produced them, or replace them with np.nan_to_num({name})"
        )
    return np.ascontiguousarray(y)


def _check_dtype(y: np.ndarray, name: str) -> None:
    if y.dtype.kind == "c":
        raise TypeError(
            f"{name} is complex ({y.dtype}), not a waveform; a spectrogram goes through "
            "helpers.spectral.istft, and a real signal stored as complex through np.real(y)"
        )
    if y.dtype.kind not in "iuf":
        raise TypeError(f"{name} has dtype {y.dtype}; pass real-valued samples (float32 in [-1, 1])")


def _check_layout(y: np.ndarray, name: str, mono: bool) -> None:
    if mono and y.ndim != 1:
        raise ValueError(
            f"{name} has shape {y.shape} but a mono 1-D signal is expected; "
            f"mix down with librosa.to_mono({name}) (or {name}.mean(axis=0)), or pick one channel with {name}[0]"
        )
    if y.ndim not in (1, 2):
        raise ValueError(f"{name} has shape {y.shape}; expected [samples] or [channels, samples]")
    if y.ndim == 2 and y.shape[0] > 16 and y.shape[0] > y.shape[1]:
        raise ValueError(
            f"{name} has shape {y.shape}: that looks like [samples, channels] (soundfile's layout); "
            f"the helpers take [channels, samples] like librosa: pass {name}.T"
        )


def path(value, name: str = "path") -> Path:
    """``value`` (a ``str`` or ``os.PathLike``) as a ``Path``; ``None``, numbers, bytes and ``""`` refused.

    Only the type is checked here; whether the file exists is the caller's question.

    Used in: helpers.audio (load, save), helpers.datasets, the CLIs.
    """
    if isinstance(value, bytes):
        text = value.decode(errors="replace")
        raise TypeError(f"{name}={show(value)} is bytes; pass the path as a str, e.g. {name}={text!r}")
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], np.ndarray):
        raise TypeError(f"{name} is a (samples, sample rate) pair, not a path; pass the file's path")
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name}={show(value)} is not a path; pass a str or pathlib.Path, e.g. {name}='clip.wav'")
    if os.fspath(value) == "":
        raise ValueError(f"{name}='' is empty; pass the path of a file, e.g. {name}='clip.wav'")
    return Path(value)


def real_array(x, name: str = "S", *, non_negative: bool = False, what: str = "") -> np.ndarray:
    """A real, finite, non-empty float32 array (a spectrogram, a magnitude, dB values, ...).

    Complex input is refused with a message saying to take the magnitude first; with
    ``non_negative=True`` negative values are refused too (``what`` says what the array should
    be, e.g. ``"a magnitude |S| (dB values are negative: undo them with 10 ** (S_db / 20))"``).

    Examples
    --------
    >>> real_array([[1, 2], [3, 4]]).dtype
    dtype('float32')

    Used in: helpers.spectral (to_db, normalize, mel_spectrogram, istft), helpers.plots, helpers.phase.
    """
    x = _as_array(x, name)
    if x.dtype.kind == "c":
        must = f" ({name} must be {what})" if what else ""
        raise TypeError(
            f"{name} is complex ({x.dtype}), an STFT rather than a spectrogram of real values; "
            f"take its magnitude first: helpers.spectral.magnitude({name}) (or tf.abs({name})){must}"
        )
    if x.dtype.kind not in "iuf":
        raise TypeError(f"{name} has dtype {x.dtype}; pass an array of real numbers")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape}); check the clip and the frame parameters that made it")
    x = x.astype(np.float32, copy=False)
    bad = ~np.isfinite(x)
    if bad.any():
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or Inf values out of {x.size}; fix the step "
            f"that produced them (or replace them with np.nan_to_num({name}))"
        )
    if non_negative and x.min() < 0:
        raise ValueError(f"{name} has negative values (min {float(x.min()):.3g}) but must be {what or 'non-negative'}")
    return x
