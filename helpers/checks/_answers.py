"""Reading a student's answer: numbers, whole numbers, arrays and tensors, compared with tolerances.

Every function here accepts anything (strings, ``None``, tensors, functions) and either answers
the question or raises, which :func:`helpers.checks._feedback.holds` turns into "does not hold".

Used in: the checkers of helpers.checks (notebooks 01-12).
"""

from __future__ import annotations

import math

import numpy as np

from helpers._validate import positive_int, show


def plain(value):
    """``value`` with a tensor (anything with ``.numpy()``) turned into NumPy.

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    return value.numpy() if hasattr(value, "numpy") and callable(value.numpy) else value


def is_number(value) -> bool:
    """A real scalar: a Python or NumPy number, or a 0-d array or tensor holding one (not a bool).

    Examples
    --------
    >>> is_number(3), is_number(np.float32(2.5)), is_number(np.array(1.0)), is_number(True), is_number("3")
    (True, True, True, False, False)

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    value = plain(value)
    if isinstance(value, (bool, np.bool_)):
        return False
    dtype = np.asarray(value).dtype if np.ndim(value) == 0 else None
    return dtype is not None and np.issubdtype(dtype, np.number) and not np.issubdtype(dtype, np.complexfloating)


def is_whole(value) -> bool:
    """A Python or NumPy integer (or a 0-d integer array or tensor), not a bool and not a float.

    Examples
    --------
    >>> is_whole(160), is_whole(np.int64(160)), is_whole(160.0), is_whole(True)
    (True, True, False, False)

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    return is_number(value) and np.issubdtype(np.asarray(plain(value)).dtype, np.integer)


def is_integral(value) -> bool:
    """A number whose value is whole: ``18`` and ``18.0`` yes, ``18.5`` and ``nan`` no.

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    return is_number(value) and math.isfinite(float(plain(value))) and float(plain(value)).is_integer()


def close(value, target: float, rel: float = 1e-3, abs_: float = 1e-9) -> bool:
    """``value`` is a real number within ``rel`` (relative) or ``abs_`` of ``target``.

    Examples
    --------
    >>> close(np.float32(0.1), 0.1), close(0.11, 0.1), close(float("nan"), 0.1)
    (True, False, False)

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    return is_number(value) and math.isclose(float(plain(value)), float(target), rel_tol=rel, abs_tol=abs_)


def as_array(value) -> np.ndarray:
    """``value`` as a float64 NumPy array (tensors, lists, tuples); raises for what is not numeric.

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    value = plain(value)
    if isinstance(value, (str, bytes)) or callable(value):
        raise TypeError("not an array")
    array = np.asarray(value)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool) or np.iscomplexobj(array):
        raise TypeError("not a real numeric array")
    return array.astype(np.float64)


def same(a, b, atol: float = 1e-4, rtol: float = 1e-4) -> bool:
    """``a`` and ``b`` have the same shape and values (within the tolerances).

    Examples
    --------
    >>> same([1.0, 2.0], np.array([1.0, 2.00001])), same([1.0, 2.0], [[1.0, 2.0]])
    (True, False)

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    a, b = as_array(a), as_array(b)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=rtol))


def pair(value) -> tuple[float, float]:
    """Two numbers from a tuple, list, array or tensor of length 2; raises otherwise.

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    if isinstance(value, (str, bytes, dict)):
        raise TypeError("not a pair")
    first, second = (plain(v) for v in value)
    if not (is_number(first) and is_number(second)):
        raise TypeError("not two numbers")
    return float(first), float(second)


def calls(function, *args):
    """``function(*args)``, with NumPy's float warnings silenced (the answer is judged, not the warning).

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    with np.errstate(all="ignore"):
        return function(*args)


# ---- the data a notebook passes to a checker (not the student's answer): wrong data is a bug, raise --
def framing(n_samples, frame_length, frame_step, names=("n_samples", "frame_length", "frame_step")):
    """Validated ``(n_samples, frame_length, frame_step)`` as ints; at least one whole frame must fit.

    Examples
    --------
    >>> framing(np.int64(16000), 1024, 256)
    (16000, 1024, 256)

    Used by: the frame-counting checkers (n_frames, extent, n_frames_of_clip).
    """
    n = positive_int(n_samples, names[0], what="the signal's length in samples")
    length = positive_int(frame_length, names[1], what="the number of samples per frame, e.g. 1024")
    step = positive_int(frame_step, names[2], what="the hop between frames in samples, e.g. 256")
    if n < length:
        raise ValueError(f"{names[0]}={n} is shorter than {names[1]}={length}; not one frame fits, so "
                         f"pass a longer signal or a shorter frame")
    return n, length, step


def data(value, name: str, *, ndim: int | None = None) -> np.ndarray:
    """A finite, non-empty float64 array the checker compares with; ValueError/TypeError naming ``name``.

    Examples
    --------
    >>> data([[1, 2]], "S", ndim=2).shape
    (1, 2)

    Used in: the checkers of helpers.checks (notebooks 01-12).
    """
    try:
        array = as_array(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}={show(value)} is not a numeric array; pass the NumPy array (or tensor) the "
                        "exercise is about") from None
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(f"{name} (shape {array.shape}) is empty or holds NaN/inf; pass the exercise's data")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} has shape {array.shape}, {array.ndim}-D; this check needs a {ndim}-D array")
    return array
