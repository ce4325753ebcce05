"""The tensor half of the validation layer: checks on arrays *or tensors*, graph-safe.

``helpers._validate`` checks Python values and NumPy arrays (and imports no TensorFlow); this
module turns checked input into tensors for helpers.spectral. Eagerly, values are checked with
the same messages; inside ``tf.function`` / ``tf.data`` (where values are not known yet) what
the static shape and dtype show is checked in Python and NaN/Inf or a too-short clip by
``tf.debugging`` assertions, which raise ``tf.errors.InvalidArgumentError`` when the graph runs.
Those cost time on every batch, so they sit only where NaN would otherwise spread silently:
stft's signal, istft's matrix, to_db and normalize (magnitude, power, mel_spectrogram and mfcc
pass values on unchecked in graph mode; eagerly every helper checks).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from helpers import _validate

MAX_FFT_LENGTH = 2**16  # 65536 samples: 3 s at 22.05 kHz, far beyond any useful frame
MAX_STFT_VALUES = 2**27  # 1 GiB of complex64 output


def signal_tensor(y, frame_length, frame_step, fft_length, center) -> tf.Tensor:
    """The signal as a float32 tensor; its length and the output size bounded before computing.

    Used in: helpers.spectral.stft.
    """
    if symbolic(y):
        y = tf.cast(y, tf.float32)
        shortest = 1 if center else frame_length
        return graph_checks(
            y,
            "y",
            tf.debugging.assert_greater_equal(
                tf.shape(y)[-1],
                shortest,
                message=f"y is shorter than frame_length={frame_length}; "
                "use center=True to pad it, or a shorter frame_length",
            ),
        )
    given = y
    y = _validate.signal(y, name="y")
    if not center and y.shape[0] < frame_length:
        raise ValueError(
            f"y has {y.shape[0]} samples, fewer than one frame (frame_length={frame_length}); "
            "use center=True to pad it, or a shorter frame_length"
        )
    padded = y.shape[0] + (2 * (frame_length // 2) if center else 0)
    frames = 1 + (padded - frame_length) // frame_step if padded >= frame_length else 0
    if frames * (fft_length // 2 + 1) > MAX_STFT_VALUES:
        raise ValueError(
            f"stft of {y.shape[0]} samples with frame_step={frame_step}, fft_length={fft_length} would hold "
            f"{frames} frames x {fft_length // 2 + 1} bins, more than the {MAX_STFT_VALUES} values allowed "
            f"(~{frames * (fft_length // 2 + 1) * 8 / 2**30:.1f} GiB); use a larger frame_step or a shorter clip"
        )
    if tf.is_tensor(given) and given.dtype == tf.float32 and given.shape.rank == 1:
        return given  # checked through its zero-copy NumPy view; no second copy
    return tf.convert_to_tensor(y)


def symbolic(x) -> bool:
    """True inside tf.function / tf.data, where a tensor's values are not known yet.

    Used in: helpers.spectral.
    """
    return not tf.executing_eagerly()


def graph_checks(x, name: str, *assertions):
    """``x`` once it is known finite (and the other ``assertions`` hold), for graph mode.

    Used in: helpers.spectral (through the functions here).
    """
    checks = [a for a in assertions if a is not None]
    if x.dtype.is_floating or x.dtype.is_complex:
        real = tf.math.real(x) + tf.math.imag(x) if x.dtype.is_complex else x
        checks.append(
            tf.debugging.assert_all_finite(real, f"{name} contains NaN or Inf values; fix the step that produced them")
        )
    with tf.control_dependencies(checks):
        return tf.identity(x)


def stft_matrix(S, fft_length: int, frame_step: int) -> tf.Tensor:
    """``S`` as a complex64 ``[frames, fft_length // 2 + 1]`` tensor, or a message saying what it is.

    Used in: helpers.spectral.istft.
    """
    bins = fft_length // 2 + 1
    if symbolic(S):
        S = tf.cast(S, tf.complex64)
        if S.shape.rank is not None and (S.shape.rank != 2 or S.shape[-1] not in (None, bins)):
            raise ValueError(f"S has shape {S.shape}; istft needs [frames, {bins}] for fft_length={fft_length}")
        return graph_checks(S, "S")
    S = np.asarray(S.numpy() if hasattr(S, "numpy") else S)
    if S.dtype.kind != "c":
        _validate.real_array(S, "S")  # says what is wrong with text, NaN, empty...
        raise TypeError(
            f"S is real ({S.dtype}), but istft needs the complex STFT (magnitude and phase); "
            "to rebuild a waveform from a magnitude alone use helpers.phase.griffin_lim"
        )
    if S.ndim != 2:
        raise ValueError(f"S has shape {S.shape}; istft takes one clip's STFT, [frames, bins]")
    if S.shape[1] != bins:
        hint = (
            "it looks like librosa's [bins, frames] layout: pass S.T"
            if S.shape[0] == bins
            else f"pass the fft_length it was made with, e.g. fft_length={2 * (S.shape[1] - 1)}"
        )
        raise ValueError(f"S has {S.shape[1]} bins (shape {S.shape}) but fft_length={fft_length} gives {bins}; {hint}")
    if S.shape[0] == 0:
        raise ValueError("S has 0 frames, so there is nothing to invert; check the clip it was computed from")
    bad = ~np.isfinite(S)
    if bad.any():
        raise ValueError(
            f"S contains {int(bad.sum())} NaN or Inf values out of {S.size}; fix the step that "
            "produced them before inverting"
        )
    if S.shape[0] * frame_step > MAX_STFT_VALUES:
        raise ValueError(
            f"S has {S.shape[0]} frames; with frame_step={frame_step} the result would exceed {MAX_STFT_VALUES} samples"
        )
    return tf.convert_to_tensor(S, tf.complex64)


def any_tensor(x, name: str) -> tf.Tensor:
    """Real or complex ``x`` as a tensor, refused when empty or not finite (checked eagerly).

    Used in: helpers.spectral (magnitude, power).
    """
    if symbolic(x):
        return tf.convert_to_tensor(x)  # in graph mode the next helper (to_db, normalize) checks
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    if x.dtype.kind == "c":
        if x.size == 0 or not np.isfinite(x).all():
            raise ValueError(f"{name} is empty or holds NaN/Inf values; check the clip and the step that made it")
        return tf.convert_to_tensor(x.astype(np.complex64, copy=False))
    return tf.convert_to_tensor(_validate.real_array(x, name))


def spectrogram(S, name: str, non_negative: str | None, *, graph_check: bool = True) -> tf.Tensor:
    """A real float32 tensor; complex, NaN/Inf, empty (and, if asked, negative) values refused.

    Used in: helpers.spectral (to_db, normalize, mel_spectrogram, mfcc).
    """
    if symbolic(S):
        S = tf.convert_to_tensor(S)
        if S.dtype.is_complex:
            raise TypeError(f"{name} is complex ({S.dtype.name}), an STFT; take its magnitude first: tf.abs({name})")
        S = tf.cast(S, tf.float32)
        return graph_checks(S, name) if graph_check else S
    return tf.convert_to_tensor(
        _validate.real_array(S, name, non_negative=non_negative is not None, what=non_negative or "")
    )


def axes(axis, rank):
    """``axis`` (None, an int or a tuple of ints) checked against ``rank``, as a tuple.

    Used in: helpers.spectral.to_db.
    """
    if axis is None:
        return None
    axes = (axis,) if not isinstance(axis, (tuple, list)) else tuple(axis)
    if not axes:
        raise ValueError("axis=() names no axis; use None for the whole array, or e.g. axis=(-2, -1)")
    out = []
    for a in axes:
        a = _validate.integer(a, "axis", what="an axis index, e.g. axis=-1")
        if rank is not None and not -rank <= a < rank:
            raise ValueError(f"axis={axis!r} is out of range for S with {rank} dimensions; e.g. axis=-1")
        out.append(a)
    return tuple(out)
