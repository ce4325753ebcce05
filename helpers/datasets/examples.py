"""The checks :func:`helpers.datasets.to_dataset` runs before TensorFlow sees anything.

Clips (a list of readable files, or a ``[n, samples]`` array of finite samples), labels (whole
numbers ``0 … n_classes - 1``, one per clip), class names (distinct), and the sizes (bounded, so a
typo cannot ask for a cache larger than the machine's memory). Each mistake is a ``ValueError``
or ``TypeError`` naming the argument, the value and what to pass.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from helpers import _validate
from helpers.datasets.files import as_path_list, file_problem

MAX_CLIP_SECONDS = 600  # one example is at most 10 minutes
MAX_CACHE_BYTES = 8 << 30  # the decoded clips that cache() keeps in memory: at most 8 GiB
MAX_BATCH_SIZE = 1 << 16


class Examples(NamedTuple):
    """What :func:`checked_examples` returns: the inputs of ``to_dataset`` in the form it uses.

    Used in: helpers.datasets.to_dataset.
    """

    waveforms: np.ndarray | None  # float32 [n, samples], or None for files
    paths: list[Path] | None
    infos: list | None  # soundfile.info of each file
    labels: np.ndarray  # int32 [n]
    sr: int
    clip_samples: int
    batch_size: int
    shuffle: bool
    seed: int


def checked_examples(clips, labels, sr, clip_samples, batch_size, shuffle, seed, class_names) -> Examples:
    """Every argument of ``to_dataset`` checked; raise ``ValueError``/``TypeError`` for the first bad one.

    Used in: helpers.datasets.to_dataset.
    """
    sr = _validate.sample_rate(sr)
    clip_samples = _validate.positive_int(
        clip_samples,
        "clip_samples",
        maximum=MAX_CLIP_SECONDS * sr,
        what="the samples per example, e.g. clip_samples=sr for 1 s",
    )
    batch_size = _validate.positive_int(
        batch_size, "batch_size", maximum=MAX_BATCH_SIZE, what="the examples per batch, e.g. 32"
    )
    shuffle = _validate.boolean(shuffle, "shuffle")
    seed = _validate.non_negative_int(seed, "seed", maximum=2**63 - 1, what="the shuffle seed, e.g. 0")
    waveforms, paths = _clips(clips)
    n = len(waveforms) if waveforms is not None else len(paths)
    labels = checked_labels(labels, n, class_names)
    if n * clip_samples * 4 > MAX_CACHE_BYTES:
        raise ValueError(
            f"{n} clips of clip_samples={clip_samples} take {n * clip_samples * 4 / 2**30:.1f} GiB "
            f"in memory, more than the {MAX_CACHE_BYTES >> 30} GiB allowed; use shorter clips or fewer"
        )
    infos = _readable(paths) if paths is not None else None
    return Examples(waveforms, paths, infos, labels, sr, clip_samples, batch_size, shuffle, seed)


def _clips(clips) -> tuple[np.ndarray | None, list[Path] | None]:
    """``(waveforms, None)`` for an array of samples, ``(None, paths)`` for files (one path: one file)."""
    if isinstance(clips, (str, os.PathLike)):
        return None, as_path_list(clips, "clips")
    if isinstance(clips, np.ndarray) or hasattr(clips, "numpy"):
        return _waveforms(clips), None
    items = as_list(clips)
    if all(isinstance(c, (np.ndarray, list, tuple)) or np.isscalar(c) and not isinstance(c, str) for c in items):
        return _waveforms(_stacked(items)), None
    return None, as_path_list(items, "clips")  # refuses anything that is not a path, naming clips[i]


def as_list(clips) -> list:
    """``clips`` as a non-empty list; ``TypeError`` for what cannot be one.

    Used in: helpers.datasets.to_dataset.
    """
    if not hasattr(clips, "__iter__") or isinstance(clips, (bytes, dict)):
        raise TypeError(
            f"clips={_validate.show(clips)} is neither a list of files nor an array of waveforms; "
            "pass e.g. from_folder(folder)[0], or a [n_clips, samples] array"
        )
    items = list(clips)
    if not items:
        raise ValueError("clips is empty; pass at least one file or waveform")
    return items


def _stacked(clips) -> np.ndarray:
    lengths = {np.shape(c) for c in clips}
    if len(lengths) > 1:
        raise ValueError(
            f"clips is a list of arrays of different shapes ({sorted(lengths)[:3]}); give them "
            "one length first: np.stack([helpers.audio.fix_length(c, clip_samples) for c in clips])"
        )
    return np.stack([np.asarray(c) for c in clips])


def _waveforms(clips) -> np.ndarray:
    x = np.asarray(clips.numpy() if hasattr(clips, "numpy") else clips)
    if x.ndim != 2:
        fix = (
            "one clip is x[np.newaxis]"
            if x.ndim == 1
            else "mix channels down first, e.g. x.mean(axis=-1) for [n, samples, channels]"
        )
        raise ValueError(f"clips has shape {x.shape}; pass [n_clips, samples] waveforms ({fix}) or a list of files")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"clips has shape {x.shape}; pass at least one clip of at least one sample")
    if x.dtype.kind == "c" or x.dtype.kind not in "iuf":
        raise TypeError(f"clips has dtype {x.dtype}; pass real-valued samples (float32 in [-1, 1])")
    x = _validate.pcm_to_float(x, "clips") if x.dtype.kind in "iu" else x.astype(np.float32, copy=False)
    bad = ~np.isfinite(x)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"clips holds {int(bad.sum())} NaN or Inf samples (the first in clip {row}, sample {col}); "
            "fix what made them, or drop those clips"
        )
    return x


def checked_labels(labels, n: int, class_names=None) -> np.ndarray:
    """``labels`` as int32 class indices, one per clip, each in ``0 … len(class_names) - 1``.

    Used in: helpers.datasets.to_dataset.
    """
    y = np.asarray(labels.numpy() if hasattr(labels, "numpy") else labels)
    if y.ndim != 1:
        raise ValueError(f"labels has shape {y.shape}; pass one class index per clip, a 1-D list of {n} integers")
    if y.size and y.dtype.kind not in "iu":
        whole = y.dtype.kind == "f" and bool(np.all(np.isfinite(y)) and np.all(y == np.round(y)))
        odd = y[0] if whole or y.dtype.kind != "f" else y[~(np.isfinite(y) & (y == np.round(y)))][0]
        fix = "convert them with labels.astype(int)" if whole else "from_folder and the other loaders return them"
        raise TypeError(
            f"labels has dtype {y.dtype} (e.g. {_validate.show(odd)}); labels are class indices "
            f"0, 1, 2, …: pass integers ({fix})"
        )
    if len(y) != n:
        raise ValueError(f"clips has {n} items and labels {len(y)}; pass one label per clip")
    names = checked_class_names(class_names)
    negative = np.flatnonzero(y < 0)
    if negative.size:
        raise ValueError(
            f"labels[{negative[0]}]={int(y[negative[0]])} is negative; labels are class indices "
            f"0, 1, 2, … ({negative.size} of them are negative)"
        )
    n_classes = len(names) if names is not None else 2**31
    over = np.flatnonzero(y >= n_classes)
    if over.size:
        owner = f"class_names has {n_classes} names" if names is not None else "they are stored as int32"
        raise ValueError(
            f"labels[{over[0]}]={int(y[over[0]])} is not a class index: {owner}, so labels lie in "
            f"0 … {n_classes - 1} ({over.size} do not)"
        )
    return y.astype(np.int32)


def checked_class_names(class_names) -> list[str] | None:
    """``class_names`` as a list of distinct, non-empty strings (None stays None).

    Used in: helpers.datasets.to_dataset.
    """
    if class_names is None:
        return None
    if isinstance(class_names, str) or not hasattr(class_names, "__iter__"):
        raise TypeError(
            f"class_names={_validate.show(class_names)} is not a list of names; "
            "pass e.g. ['dog', 'rain'], as from_folder returns them"
        )
    names = list(class_names)
    if not names or not all(isinstance(c, str) and c for c in names):
        raise ValueError(f"class_names={_validate.show(names)} must be a non-empty list of non-empty strings")
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        raise ValueError(
            f"class_names names {repeated[0]!r} more than once; each class needs its own name "
            "(two labels with one name could never be told apart)"
        )
    return names


def _readable(paths: list[Path]) -> list:
    """``soundfile.info`` of every file; ``ValueError`` naming the first unusable one."""
    results = [file_problem(p) for p in paths]
    problems = [problem for _, problem in results if problem]
    if problems:
        raise ValueError(
            f"{len(problems)} of the {len(paths)} files cannot be used, e.g. {problems[0]}; "
            "drop them first with helpers.datasets.check_files(paths)"
        )
    return [info for info, _ in results]
