"""The bundled spoken digits: espeak-ng voices saying 0-9, shipped as ``helpers/data/spoken_digits.tar.xz``.

The archive is extracted once into the cache (:func:`helpers.datasets.cache_dir`), into a folder
named after the archive's digest, and checked on every call (see :mod:`helpers.datasets.cache`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from helpers import _validate
from helpers.audio import DATA_DIR
from helpers.datasets.archives import extract
from helpers.datasets.cache import cache_dir, file_sha256, owned_folder, read_manifest, remove_owned
from helpers.datasets.folders import fsdd_fields

DIGITS_ARCHIVE = DATA_DIR / "spoken_digits.tar.xz"
DIGITS_PREFIX = "bundled_digits-"  # cache folders spoken_digits() makes: bundled_digits-{archive digest}
DIGIT_NAMES = [str(d) for d in range(10)]


def spoken_digits(split: str = "train") -> tuple[list[Path], np.ndarray, list[str]]:
    """The bundled spoken digits (espeak-ng voices, 8 kHz, FSDD naming), one split of them.

    The archive ``helpers/data/spoken_digits.tar.xz`` is extracted once into :func:`cache_dir`.
    Its ``split.json`` splits by voice: no voice of ``"test"`` speaks in ``"train"``.

    Parameters
    ----------
    split : {"train", "test", "all"}

    Returns
    -------
    paths : list of Path
        WAV files, sorted.
    labels : np.ndarray of int
        The digit each file speaks (an index into ``class_names``).
    class_names : list of str
        ``["0", "1", …, "9"]``.

    Examples
    --------
    >>> paths, labels, class_names = spoken_digits("test")
    >>> paths[0].name  # doctest: +SKIP
    '0_carib-f2_0.wav'

    Used in: 06_speech_digits, 10_augmentation, 12_deployment.
    """
    split = _validate.choice(split, "split", ["train", "test", "all"])
    folder = _extracted_digits()
    rows = _digits_manifest(folder)
    paths = sorted(folder / name for name, part in rows.items() if split in (part, "all"))
    labels = np.array([int(fsdd_fields(p)[0]) for p in paths])
    return paths, labels, list(DIGIT_NAMES)


def _extracted_digits() -> Path:
    """Extract the bundled archive into the cache (once, checked on every call); return the WAVs' folder."""
    if not DIGITS_ARCHIVE.is_file():
        raise FileNotFoundError(f"{DIGITS_ARCHIVE} is missing; reinstall the project or run `make data`")
    sha = file_sha256(DIGITS_ARCHIVE)
    cache = cache_dir()
    target = cache / f"{DIGITS_PREFIX}{sha[:16]}"

    def fill(staging: Path, work: Path) -> dict:
        extract(DIGITS_ARCHIVE, staging)
        return {"archive_sha256": sha}

    hint = f"move it elsewhere, or set the environment variable SPECTROGRAM_LAB_CACHE to another folder than {cache}"
    owned_folder(target, {"archive_sha256": sha}, fill, "spoken_digits()", hint)
    _remove_old_digits(cache, target)
    wavs = sorted(target.rglob("*.wav"))
    if not wavs:
        raise ValueError(f"{DIGITS_ARCHIVE} holds no WAV files; regenerate it with `make data`")
    return wavs[0].parent


def _remove_old_digits(cache: Path, keep: Path) -> None:
    """Remove the unchanged files of digits this function extracted from an older archive."""
    for folder in cache.glob(f"{DIGITS_PREFIX}*"):
        try:
            manifest = read_manifest(folder) if folder != keep and folder.is_dir() else None
        except ValueError:
            continue
        if manifest is not None and "archive_sha256" in manifest["source"]:
            remove_owned(folder, manifest, only_unchanged=True)


def _digits_manifest(folder: Path) -> dict[str, str]:
    """``{file name: "train" or "test"}`` from the archive's ``split.json`` (speakers per split)."""
    manifest = next(iter(sorted(folder.parent.rglob("split.json"))), None)
    if manifest is None:
        raise ValueError(f"no split.json next to {folder}; regenerate the archive with `make data`")
    split = json.loads(manifest.read_text())
    speaker_split = {speaker: part for part in ("train", "test") for speaker in split[part]}
    return {
        p.name: speaker_split[fsdd_fields(p)[1]]
        for p in folder.glob("*.wav")
        if fsdd_fields(p) and fsdd_fields(p)[1] in speaker_split
    }
