"""Folders of recordings and their labels: one sub-folder per class, or FSDD-named files.

Two layouts are read: one folder per class (Speech Commands, ESC-50 sorted into folders, GTZAN),
or one flat folder named like the Free Spoken Digit Dataset, ``{digit}_{speaker}_{index}.wav``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from helpers import _validate
from helpers.audio import AUDIO_SUFFIXES

FSDD_PATTERN = re.compile(r"^(?P<digit>\d)_(?P<speaker>.+)_(?P<index>\d+)$")


def fsdd_fields(path: str | os.PathLike) -> tuple[str, str, int] | None:
    """``(digit, speaker, index)`` of an FSDD-named file ``{digit}_{speaker}_{index}.wav``, else None.

    Examples
    --------
    >>> fsdd_fields("7_jackson_32.wav")
    ('7', 'jackson', 32)

    Used in: 06_speech_digits, 10_augmentation.
    """
    match = FSDD_PATTERN.match(_validate.path(path, "path").stem)
    return (match["digit"], match["speaker"], int(match["index"])) if match else None


def from_folder(root: str | os.PathLike) -> tuple[list[Path], np.ndarray, list[str]]:
    """Audio files under ``root`` and their labels, for two common layouts.

    * one sub-folder per class (``root/dog/001.wav``, Speech Commands, ESC-50, GTZAN): the label
      is the folder's name; folders starting with ``_`` or ``.`` (``_background_noise_``) are skipped;
    * one flat folder of FSDD-named files (``root/7_jackson_32.wav``): the label is the digit.

    Files are found by suffix (``.wav .flac .ogg .mp3``); other files, hidden files (``._x.wav``
    that macOS leaves on USB sticks) and anything that is not a regular file are ignored. Whether
    they decode is checked by :func:`check_files`. Audio files lying directly in ``root`` beside
    class sub-folders are refused (which class would they be?).

    Returns
    -------
    paths : list of Path (sorted), labels : np.ndarray of int, class_names : list of str (sorted)

    Examples
    --------
    >>> paths, labels, class_names = from_folder("../shared/test-data/fsdd")  # doctest: +SKIP

    Used in: 06_speech_digits, 10_augmentation, python -m helpers.train / helpers.evaluate (07 and 08
    show it in text for ESC-50 and GTZAN).
    """
    root = _checked_root(root)
    class_dirs = [d for d in sorted(root.iterdir()) if d.is_dir() and d.name[0] not in "._" and _audio_in(d)]
    loose = _audio_in(root, recursive=False)
    if class_dirs and loose:
        raise ValueError(
            f"{str(root)!r} holds audio files directly ({loose[0].name}) beside class sub-folders "
            f"({class_dirs[0].name}); move each file into the folder of its class"
        )
    if class_dirs:
        pairs = [(p, d.name) for d in class_dirs for p in _audio_in(d)]
    else:
        pairs = [(p, _fsdd_label(p)) for p in loose]
    if not pairs:
        raise ValueError(
            f"{str(root)!r} holds no audio files ({', '.join(AUDIO_SUFFIXES)}); "
            "put one sub-folder of recordings per class in it"
        )
    class_names = sorted({label for _, label in pairs})
    index = {name: i for i, name in enumerate(class_names)}
    return [p for p, _ in pairs], np.array([index[label] for _, label in pairs]), class_names


def _checked_root(root) -> Path:
    if not isinstance(root, (str, os.PathLike)):
        raise TypeError(
            f"root={_validate.show(root)} is not a path; pass the folder of recordings as a str or "
            "pathlib.Path, e.g. root='my_recordings'"
        )
    root = _validate.path(root, "root")
    if not root.exists():
        raise FileNotFoundError(
            f"{str(root)!r} does not exist, so it is not a folder; pass a folder of class "
            "sub-folders or of FSDD-named files ({digit}_{speaker}_{index}.wav)"
        )
    if not root.is_dir():
        raise ValueError(
            f"{str(root)!r} is a file, not a folder; pass the folder that holds the "
            f"recordings, e.g. {str(root.parent)!r}"
        )
    return root


def _audio_in(folder: Path, recursive: bool = True) -> list[Path]:
    files = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in files if p.suffix.lower() in AUDIO_SUFFIXES and not p.name.startswith(".") and p.is_file())


def _fsdd_label(path: Path) -> str:
    fields = fsdd_fields(path)
    if fields is None:
        raise ValueError(
            f"{path.name} is not named like FSDD ({{digit}}_{{speaker}}_{{index}}.wav) and "
            f"{path.parent} has no class sub-folders; rename it, or sort files into class folders"
        )
    return fields[0]


def fsdd_split(paths) -> tuple[np.ndarray, np.ndarray]:
    """The official FSDD split: takes with index 0–4 are the test set, the rest train.

    Returns
    -------
    train_idx, test_idx : np.ndarray of int
        Positions in ``paths``.

    Examples
    --------
    >>> fsdd_split(["3_theo_4.wav", "3_theo_5.wav"])
    (array([1]), array([0]))

    Used in: 06_speech_digits, tests/test_fsdd.py.
    """
    if isinstance(paths, (str, os.PathLike)):
        raise TypeError(f"paths={str(paths)!r} is one path; pass a list of paths, e.g. from from_folder(...)[0]")
    fields = [fsdd_fields(_validate.path(p, f"paths[{i}]")) for i, p in enumerate(paths)]
    bad = [str(p) for p, f in zip(paths, fields, strict=True) if f is None]
    if bad:
        raise ValueError(
            f"paths holds {len(bad)} files not named like FSDD, e.g. {bad[0]}; "
            "fsdd_split needs {digit}_{speaker}_{index}.wav names"
        )
    is_test = np.array([f[2] <= 4 for f in fields], dtype=bool)
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)
