"""Data sets for the ML notebooks: bundled spoken digits, folders of recordings, synthetic sounds.

Every loader returns the same triple, so one pipeline serves them all::

    clips, labels, class_names = spoken_digits("train")     # clips: list of paths
    clips, labels, class_names = from_folder("my_recordings")
    clips, labels, class_names = environmental_sounds(40)   # clips: float32 array [n, samples]

``labels`` is an int array of indices into ``class_names``; ``clips`` is a list of file paths or
a ``[n, samples]`` array of waveforms. :func:`to_dataset` turns either into a batched ``tf.data``
pipeline of fixed-length waveforms (decode, resample, pad/crop, cache, prefetch); the
spectrogram is computed by the model itself (``helpers.models.LogMelSpectrogram``).

Files follow two layouts: one folder per class (Speech Commands, ESC-50 sorted into folders,
GTZAN), or one flat folder named like the Free Spoken Digit Dataset, ``{digit}_{speaker}_{index}.wav``.
Nothing here touches the network except :func:`download_fsdd`, which you call yourself.
Files are cached under ``~/.cache/spectrogram-lab`` or the folder named by the environment
variable ``SPECTROGRAM_LAB_CACHE``.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import re
import shutil
import stat
import tarfile
import tempfile
import urllib.parse
import urllib.request
import warnings
import zipfile
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
import scipy.signal
import soundfile
import tensorflow as tf

from helpers.audio import AUDIO_SUFFIXES, DATA_DIR, load

DIGITS_ARCHIVE = DATA_DIR / "spoken_digits.tar.xz"
DIGITS_PREFIX = "bundled_digits-"  # cache folders spoken_digits() makes: bundled_digits-{archive digest}
DIGIT_NAMES = [str(d) for d in range(10)]
FSDD_PATTERN = re.compile(r"^(?P<digit>\d)_(?P<speaker>.+)_(?P<index>\d+)$")


# ----------------------------------------------------------------------------------- the cache
# A folder this module creates holds a manifest (MANIFEST) listing every file it wrote with its
# SHA-256 and where the data came from. Only such a folder is ever changed again, only the files
# the manifest lists are ever removed, and every build happens in a temporary sibling that is
# renamed into place, so a failed or interrupted build leaves nothing half-made behind.

MANIFEST = ".spectrogram-lab.json"


def cache_dir() -> Path:
    """The folder where extracted and downloaded data are kept (created on first use).

    ``$SPECTROGRAM_LAB_CACHE`` when set, else ``~/.cache/spectrogram-lab``.
    Used in: 06_speech_digits.
    """
    path = Path(os.environ.get("SPECTROGRAM_LAB_CACHE") or Path.home() / ".cache" / "spectrogram-lab")
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"SPECTROGRAM_LAB_CACHE={str(path)!r} is a file, not a folder; "
                                 "point it at a folder (it is created if missing)")
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks.

    Used in: helpers.datasets (cache manifests, archive checksums).
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict | None:
    """The manifest this module wrote into ``folder``, or None when it did not make the folder.

    Used in: helpers.datasets (cache checks).
    """
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text())
        if isinstance(manifest.get("files"), dict) and isinstance(manifest.get("source"), dict):
            return manifest
    except (ValueError, OSError, AttributeError):
        pass
    raise ValueError(f"{path} is damaged, so {folder} cannot be checked; delete the folder {folder} "
                     "yourself and call again to rebuild it")


def cache_problems(folder: Path, manifest: dict) -> list[str]:
    """What differs between ``folder`` and its manifest: missing, changed or extra audio files.

    Used in: helpers.datasets (cache checks).
    """
    problems = []
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif file_sha256(path) != digest:
            problems.append(f"{name} has changed since it was written (its SHA-256 differs)")
    extra = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES]
    problems += [f"{name} was not part of it" for name in sorted(set(extra) - set(manifest["files"]))]
    return problems


def foreign_files(folder: Path, manifest: dict) -> list[str]:
    """Files and folders inside ``folder`` that its manifest does not list (someone else's).

    Used in: helpers.datasets (cache checks).
    """
    ours = set(manifest["files"]) | {MANIFEST}
    ours |= {parent.as_posix() for name in manifest["files"] for parent in PurePosixPath(name).parents}
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.relative_to(folder).as_posix() not in ours)


def owned_folder(folder: Path, request: dict, fill, made_by: str, hint: str) -> Path:
    """``folder`` holding the data ``fill`` makes, built once, verified on every later call.

    ``fill(staging, work)`` writes the data into the empty folder ``staging`` (``work`` is scratch
    space) and returns a dict describing its source; ``request`` holds the values of that
    description the caller insists on (None: any). A folder this module did not make is used only
    when it is absent or empty (else the error ends with ``hint``); a folder it made that fails its checks is rebuilt with a warning,
    unless it also holds someone else's files, which are never touched: then it says so.

    Used in: helpers.datasets.download_fsdd, helpers.datasets.spoken_digits.
    """
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None:
        _check_unowned(folder, made_by, hint)
        return _build(folder, fill, request, None)
    problems = _source_mismatch(manifest["source"], request) + cache_problems(folder, manifest)
    if not problems:
        return folder
    foreign = foreign_files(folder, manifest)
    if foreign:
        raise ValueError(f"{folder} (made by {made_by}) needs rebuilding: {problems[0]}; but it also holds "
                         f"files it did not write ({', '.join(foreign[:3])}), so nothing was changed: "
                         "move those out of it and call again")
    warnings.warn(f"{folder} (made by {made_by}) is rebuilt: {'; '.join(problems[:3])}", stacklevel=3)
    return _build(folder, fill, request, manifest)


def _check_unowned(folder: Path, made_by: str, hint: str) -> None:
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{str(folder)!r} is a file, not a folder, so {made_by} cannot use it; {hint}")
    entries = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    if entries:
        shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
        raise FileExistsError(
            f"{str(folder)!r} already holds files ({shown}) and was not made by {made_by}, so nothing "
            f"in it is changed; {hint}")


def _source_mismatch(source: dict, request: dict) -> list[str]:
    return [f"it was made from {key}={source.get(key)!r}, but {key}={wanted!r} was asked for"
            for key, wanted in request.items() if wanted is not None and source.get(key) != wanted]


def _build(folder: Path, fill, request: dict, old_manifest: dict | None) -> Path:
    """Fill a temporary sibling of ``folder``, write its manifest, then rename it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    sibling = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=folder.parent))
    try:
        staging, work = sibling / "new", sibling / "work"
        staging.mkdir(), work.mkdir()
        source = fill(staging, work)
        mismatch = _source_mismatch(source, request)
        if mismatch:
            raise ValueError(f"checksum mismatch: {mismatch[0].replace('it was made from', 'the data has')}; "
                             "the download is corrupt or changed: try again, or check the url and checksums")
        files = {p.relative_to(staging).as_posix(): file_sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()}
        (staging / MANIFEST).write_text(json.dumps({"written_by": "helpers.datasets", "source": source,
                                                    "files": files}, indent=1))
        _swap(staging, folder, sibling / "old" if old_manifest else None)
        if old_manifest:
            remove_owned(sibling / "old", old_manifest)
    finally:
        _remove_sibling(sibling)
    return folder


def _swap(staging: Path, folder: Path, old: Path | None) -> None:
    """Rename ``staging`` to ``folder``; an owned ``folder`` first moves to ``old``, an empty one goes."""
    if old is not None:
        os.rename(folder, old)
    elif folder.is_dir():
        folder.rmdir()  # empty (checked); rmdir refuses anything else
    try:
        os.rename(staging, folder)
    except OSError:
        if old is not None:
            os.rename(old, folder)
        raise


def remove_owned(folder: Path, manifest: dict, only_unchanged: bool = False) -> bool:
    """Remove the files the manifest lists (unchanged ones only, if asked), then the emptied folders.

    Anything else in ``folder`` stays, and so does the manifest while anything is left beside it.
    Returns whether ``folder`` is gone. Used in: helpers.datasets (replacing a cache it made).
    """
    for name, digest in manifest["files"].items():
        path = folder / name
        if path.is_file() and not path.is_symlink() and not (only_unchanged and file_sha256(path) != digest):
            path.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), key=lambda p: -len(p.parts)):
        if not any(sub.iterdir()):
            sub.rmdir()
    if [p.name for p in folder.iterdir()] == [MANIFEST]:
        (folder / MANIFEST).unlink()
        folder.rmdir()
    return not folder.exists()


def _remove_sibling(sibling: Path) -> None:
    """Remove the temporary sibling, which holds only what ``_build`` put there."""
    if (sibling / "old").exists():
        warnings.warn(f"{sibling / 'old'} holds files this module did not write; it is left in place", stacklevel=4)
        return
    shutil.rmtree(sibling, ignore_errors=True)


# ------------------------------------------------------------------------ the bundled digits


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

    Used in: 06_speech_digits.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split={split!r}; use 'train', 'test' or 'all'")
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
    hint = (f"move it elsewhere, or set the environment variable SPECTROGRAM_LAB_CACHE to another "
            f"folder than {cache}")
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
    return {p.name: speaker_split[fsdd_fields(p)[1]] for p in folder.glob("*.wav")
            if fsdd_fields(p) and fsdd_fields(p)[1] in speaker_split}


# ------------------------------------------------------------------------ folders of recordings


def fsdd_fields(path: str | os.PathLike) -> tuple[str, str, int] | None:
    """``(digit, speaker, index)`` of an FSDD-named file ``{digit}_{speaker}_{index}.wav``, else None.

    Examples
    --------
    >>> fsdd_fields("7_jackson_32.wav")
    ('7', 'jackson', 32)

    Used in: 06_speech_digits.
    """
    match = FSDD_PATTERN.match(Path(path).stem)
    return (match["digit"], match["speaker"], int(match["index"])) if match else None


def from_folder(root: str | os.PathLike) -> tuple[list[Path], np.ndarray, list[str]]:
    """Audio files under ``root`` and their labels, for two common layouts.

    * one sub-folder per class (``root/dog/001.wav``, Speech Commands, ESC-50, GTZAN): the label
      is the folder's name; folders starting with ``_`` or ``.`` (``_background_noise_``) are skipped;
    * one flat folder of FSDD-named files (``root/7_jackson_32.wav``): the label is the digit.

    Files are found by suffix (``.wav .flac .ogg .mp3``); other files are ignored. Whether
    they decode is checked by :func:`check_files`.

    Returns
    -------
    paths : list of Path (sorted), labels : np.ndarray of int, class_names : list of str (sorted)

    Examples
    --------
    >>> paths, labels, class_names = from_folder("../shared/test-data/fsdd")  # doctest: +SKIP

    Used in: 06_speech_digits, python -m helpers.train / helpers.evaluate.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"DATA_DIR={str(root)!r} is not a folder; pass a folder of class "
                                "sub-folders or of FSDD-named files ({digit}_{speaker}_{index}.wav)")
    class_dirs = [d for d in sorted(root.iterdir()) if d.is_dir() and d.name[0] not in "._" and _audio_in(d)]
    if class_dirs:
        pairs = [(p, d.name) for d in class_dirs for p in _audio_in(d)]
    else:
        pairs = [(p, _fsdd_label(p)) for p in _audio_in(root, recursive=False)]
    if not pairs:
        raise ValueError(f"DATA_DIR={str(root)!r} holds no audio files ({', '.join(AUDIO_SUFFIXES)}); "
                         "put one sub-folder of recordings per class in it")
    class_names = sorted({label for _, label in pairs})
    index = {name: i for i, name in enumerate(class_names)}
    return [p for p, _ in pairs], np.array([index[label] for _, label in pairs]), class_names


def _audio_in(folder: Path, recursive: bool = True) -> list[Path]:
    files = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in files if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)


def _fsdd_label(path: Path) -> str:
    fields = fsdd_fields(path)
    if fields is None:
        raise ValueError(f"{path.name} is not named like FSDD ({{digit}}_{{speaker}}_{{index}}.wav) and "
                         f"{path.parent} has no class sub-folders; rename it, or sort files into class folders")
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
    fields = [fsdd_fields(p) for p in paths]
    bad = [str(p) for p, f in zip(paths, fields) if f is None]
    if bad:
        raise ValueError(f"paths holds {len(bad)} files not named like FSDD, e.g. {bad[0]}; "
                         "fsdd_split needs {digit}_{speaker}_{index}.wav names")
    is_test = np.array([f[2] <= 4 for f in fields], dtype=bool)
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def check_files(paths, min_seconds: float = 0.0) -> tuple[list[int], list[str]]:
    """Find the files that cannot be used: unreadable, empty, or shorter than ``min_seconds``.

    Parameters
    ----------
    paths : list of paths
    min_seconds : float
        Shortest usable duration, e.g. one STFT frame: ``frame_length / sr``.

    Returns
    -------
    good : list of int
        Positions in ``paths`` of the usable files.
    problems : list of str
        One message per unusable file, naming it and saying why.

    Examples
    --------
    >>> good, problems = check_files(paths, min_seconds=0.032)  # doctest: +SKIP
    >>> for message in problems: print(message)  # doctest: +SKIP

    Used in: python -m helpers.train / helpers.evaluate, helpers.datasets.to_dataset.
    """
    good, problems = [], []
    for i, path in enumerate(paths):
        try:
            info = soundfile.info(str(path))
        except (soundfile.LibsndfileError, RuntimeError, TypeError) as err:
            problems.append(f"{path}: unreadable audio ({str(err).splitlines()[0] if str(err) else type(err).__name__})")
            continue
        if info.frames < max(1, min_seconds * info.samplerate):
            problems.append(f"{path}: too short ({info.frames / info.samplerate:.3f} s; at least "
                            f"{min_seconds:.3f} s, one analysis frame, is needed)")
        else:
            good.append(i)
    return good, problems


# ------------------------------------------------------------------------------- tf.data


def to_dataset(clips, labels, sr: int, clip_samples: int, batch_size: int = 32, shuffle: bool = False,
               seed: int = 0) -> tf.data.Dataset:
    """A batched ``tf.data`` pipeline of ``(waveforms [batch, clip_samples], labels [batch])``.

    Files are decoded (``tf.audio.decode_wav`` when every file is a 16-bit PCM WAV already at
    ``sr``; otherwise soundfile + librosa resampling through ``tf.numpy_function``), mixed to
    mono, cut or zero-padded at the end to ``clip_samples``, cached in memory after the first
    pass, optionally shuffled (reproducibly, a new order each epoch), batched and prefetched.

    Parameters
    ----------
    clips : list of paths, or array [n, samples]
        Files to read, or waveforms already at ``sr``.
    labels : array-like of int, [n]
    sr : int
        The model's sample rate in Hz; files at another rate are resampled to it.
    clip_samples : int
        Fixed length of every example, e.g. ``sr`` for one-second clips.
    batch_size, shuffle, seed
        Batching and shuffling (use ``shuffle=True`` for training only).

    Examples
    --------
    >>> ds = to_dataset(np.zeros((4, 100), np.float32), [0, 1, 0, 1], sr=8000, clip_samples=80, batch_size=2)
    >>> [tuple(x.shape) for x, y in ds]
    [(2, 80), (2, 80)]

    Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres.
    """
    labels = np.asarray(labels, dtype=np.int32)
    if len(clips) != len(labels) or len(labels) == 0:
        raise ValueError(f"clips has {len(clips)} items and labels {len(labels)}; pass one label per clip (at least one)")
    if isinstance(clip_samples, bool) or not isinstance(clip_samples, (int, np.integer)) or clip_samples <= 0:
        raise ValueError(f"clip_samples={clip_samples!r} must be a positive integer, e.g. clip_samples=sr")
    if isinstance(clips, np.ndarray):
        ds = tf.data.Dataset.from_tensor_slices((np.asarray(clips, np.float32), labels))
    else:
        decode = _decoder(clips, sr)
        ds = tf.data.Dataset.from_tensor_slices(([str(p) for p in clips], labels))
        ds = ds.map(lambda path, label: (decode(path), label), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda y, label: (fix_length(y, clip_samples), label)).cache()
    if shuffle:
        ds = ds.shuffle(len(labels), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def fix_length(y, clip_samples: int) -> tf.Tensor:
    """Cut ``y`` (``[samples]``) to its first ``clip_samples`` samples, or zero-pad its end to that.

    Used in: helpers.datasets.to_dataset, helpers.models.predict_file.
    """
    y = tf.convert_to_tensor(y, tf.float32)[:clip_samples]
    y = tf.pad(y, [[0, clip_samples - tf.shape(y)[0]]])
    return tf.ensure_shape(y, [clip_samples])


def _decoder(paths, sr: int):
    """A function ``path tensor -> mono float32 waveform at sr`` for these files."""
    infos = _infos(paths)
    if all(i.format == "WAV" and i.subtype == "PCM_16" and i.samplerate == sr for i in infos):
        return lambda path: tf.reduce_mean(tf.audio.decode_wav(tf.io.read_file(path)).audio, axis=-1)

    def read(path):
        return load(path.decode(), sr=sr)[0]

    def decode(path):
        y = tf.numpy_function(read, [path], tf.float32, stateful=False)
        return tf.ensure_shape(y, [None])
    return decode


def _infos(paths) -> list:
    _, problems = check_files(paths)
    if problems:
        raise ValueError(f"{len(problems)} of the files cannot be read, e.g. {problems[0]}; "
                         "drop them first with helpers.datasets.check_files(paths)")
    return [soundfile.info(str(p)) for p in paths]


def to_arrays(ds: tf.data.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """All ``(waveforms, labels)`` of a batched data set as two NumPy arrays (for plots and playback).

    Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres.
    """
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in ds])
    return np.concatenate(xs), np.concatenate(ys)



# ------------------------------------------------------------------------- FSDD download

FSDD_URL = "https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/v1.0.10.zip"
# SHA-256 of the 3000 recordings of FSDD v1.0.10 (see recordings_digest), not of the zip, which
# GitHub may repack: the check holds for any archive that carries the same recordings.
FSDD_RECORDINGS_SHA256 = "a2e8a660492f28d9eed6270b290d26cbc5c81d6077ce87d3c0ad5adf4d4ee696"
MAX_DOWNLOAD_BYTES = 1 << 30


def download_fsdd(folder: str | os.PathLike | None = None, url: str = FSDD_URL, sha256: str | None = None,
                  recordings_sha256: str | None = FSDD_RECORDINGS_SHA256) -> Path:
    """Download the Free Spoken Digit Dataset once (opt-in: needs internet) and return its folder.

    The archive (zip or tar; ``url`` may also be a local path or ``file://`` URL) is checked
    against ``sha256`` when given, its FSDD-named WAVs are extracted into ``folder`` (default
    ``cache_dir() / "fsdd"``), and the recordings are checked against ``recordings_sha256``
    (see :func:`recordings_digest`; ``None`` skips it).

    ``folder`` must be new or empty: a folder that already holds files this function did not
    write is refused and left as it is. The folder it makes holds a manifest of every file with
    its SHA-256 and the url and checksums used; a later call checks all of it, and rebuilds the
    folder (with a warning) when a file was deleted or changed or another url or checksum is
    asked for. Building happens in a temporary sibling folder renamed into place at the end, so
    a failed download or checksum mismatch (``ValueError``) leaves nothing behind.

    Examples
    --------
    >>> fsdd = download_fsdd()  # doctest: +SKIP
    >>> paths, labels, class_names = from_folder(fsdd)  # doctest: +SKIP

    Used in: 06_speech_digits (optional).
    """
    folder = Path(folder) if folder is not None else cache_dir() / "fsdd"
    url = _normal_url(url)
    request = {"url": url, "sha256": sha256 and sha256.lower(), "recordings_sha256": recordings_sha256}
    _adopt_legacy_cache(folder, recordings_sha256)
    hint = (f"pass a new or empty folder, e.g. folder={str(folder / 'fsdd')!r} (recordings you already "
            f"have there are read with from_folder({str(folder)!r}))")
    return owned_folder(folder, request, lambda staging, work: _fill_fsdd(staging, work, url),
                        "download_fsdd", hint)


def _fill_fsdd(staging: Path, work: Path, url: str) -> dict:
    """Fetch and unpack the archive into ``work``; move its FSDD-named WAVs into ``staging``."""
    archive = fetch(url, work / "archive")
    extract(archive, work / "x", label=f"the archive from {url}")
    wavs = [p for p in sorted((work / "x").rglob("*.wav")) if p.is_file() and fsdd_fields(p)]
    if not wavs:
        raise ValueError(f"the archive from {url} holds no FSDD-named WAV files; check url")
    for wav in wavs:
        if (staging / wav.name).exists():
            raise ValueError(f"the archive from {url} holds two files named {wav.name}; check url")
        os.rename(wav, staging / wav.name)
    return {"url": url, "sha256": file_sha256(archive), "recordings_sha256": recordings_digest(staging)}


def _adopt_legacy_cache(folder: Path, recordings_sha256: str | None) -> None:
    """Give a folder made by an older version of this function (marker ``.complete``) a manifest.

    Only when it holds nothing but that marker and FSDD recordings that match ``recordings_sha256``.
    """
    if not (folder / ".complete").is_file() or (folder / MANIFEST).exists() or recordings_sha256 is None:
        return
    entries = list(folder.iterdir())
    if any(p.name != ".complete" and not (p.is_file() and p.suffix == ".wav" and fsdd_fields(p)) for p in entries):
        return
    if recordings_digest(folder) != recordings_sha256:
        return
    source = {"url": _normal_url((folder / ".complete").read_text().strip()), "sha256": None,
              "recordings_sha256": recordings_sha256}
    files = {p.name: file_sha256(p) for p in sorted(entries)}
    tmp = folder / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps({"written_by": "helpers.datasets", "source": source, "files": files}, indent=1))
    os.replace(tmp, folder / MANIFEST)


def recordings_digest(folder: str | os.PathLike) -> str:
    """SHA-256 over the sorted names and contents of the WAV files in ``folder``.

    Used in: helpers.datasets.download_fsdd.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.wav")):
        digest.update(path.name.encode() + b"\0" + bytes.fromhex(file_sha256(path)))
    return digest.hexdigest()


def _normal_url(url) -> str:
    """``url`` with a local path written as an absolute ``file://`` URL (the form a manifest records)."""
    if not isinstance(url, (str, os.PathLike)):
        raise TypeError(f"url={url!r} is not a string; pass an https URL, a file:// URL or a local path")
    url = os.fspath(url)
    if url.startswith("file://"):
        return Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path)).resolve().as_uri()
    return url if "://" in url else Path(url).resolve().as_uri()


def fetch(url: str, target: Path) -> Path:
    """Copy ``url`` (http(s) or file://) to ``target``, at most :data:`MAX_DOWNLOAD_BYTES` bytes.

    Used in: helpers.datasets.download_fsdd.
    """
    if url.startswith("file://"):
        local = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
        if not local.is_file():
            raise FileNotFoundError(f"url={url!r}: no such file; pass an existing archive or an https URL")
        url = local.as_uri()
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
            for block in iter(lambda: response.read(2**20), b""):
                if out.tell() + len(block) > MAX_DOWNLOAD_BYTES:
                    raise ValueError(f"{url} is larger than {MAX_DOWNLOAD_BYTES / 2**30:g} GiB; "
                                     "that is not the FSDD archive: check url")
                out.write(block)
    except OSError as err:
        raise OSError(f"could not download {url} ({err}); check your internet connection and the url") from None
    return target


# ------------------------------------------------------------------------------ archives
# Every member is checked before anything of it is written: no absolute paths, no "..", no
# links, devices or pipes (a data set needs none, and a relative link that stays inside the
# extraction folder can still point outside once its file is moved), and bounded totals.

MAX_EXTRACT_BYTES = 256 << 20  # 256 MiB: FSDD v1.0.10 unpacks to about 25 MB
MAX_MEMBERS = 20_000  # FSDD v1.0.10 has about 3100
_ARCHIVE_ERRORS = (tarfile.TarError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, RuntimeError)


def extract(archive: Path, target: Path, label: str | None = None) -> None:
    """Extract a zip or tar archive into the folder ``target``, refusing unsafe or oversized members.

    ``label`` names the archive in messages (default: its path). Raises ``ValueError`` for a
    damaged archive, a member that would land outside ``target``, a link, a device, or more than
    :data:`MAX_MEMBERS` members or :data:`MAX_EXTRACT_BYTES` bytes in all (checked before writing).

    Used in: helpers.datasets.download_fsdd, helpers.datasets.spoken_digits.
    """
    label = label or str(archive)
    target.mkdir(parents=True, exist_ok=True)
    try:
        if zipfile.is_zipfile(archive):
            _extract_zip(archive, target, label)
        elif tarfile.is_tarfile(archive):
            _extract_tar(archive, target, label)
        else:
            raise ValueError(f"{label} is neither a zip nor a tar archive; check the url or the file")
    except _ARCHIVE_ERRORS as err:
        raise ValueError(f"{label} is damaged or incomplete ({type(err).__name__}: {err}); "
                         "download it again, or check the url or the file") from None
    except FileExistsError as err:
        raise ValueError(f"{label} holds {Path(err.filename).relative_to(target)} twice; "
                         "the archive is malformed, check the url or the file") from None


def _check_name(name: str, label: str) -> None:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive or ".." in parts:
        raise ValueError(f"{label} has a member path {name!r} that points outside the folder it is "
                         "extracted to; refusing to extract it (the archive is unsafe)")


def _check_totals(count: int, total: int, label: str) -> None:
    if count > MAX_MEMBERS:
        raise ValueError(f"{label} has more than {MAX_MEMBERS} members; refusing to extract it "
                         "(too many for a data set of this course, or an archive bomb)")
    if total > MAX_EXTRACT_BYTES:
        raise ValueError(f"{label} would unpack to more than {MAX_EXTRACT_BYTES / 2**20:g} MiB "
                         f"({total} bytes so far); refusing to extract it (an archive bomb, or not this data set)")


def _extract_zip(archive: Path, target: Path, label: str) -> None:
    with zipfile.ZipFile(archive) as z:
        infos = z.infolist()
        _check_totals(len(infos), sum(i.file_size for i in infos), label)
        for info in infos:
            _check_name(info.filename, label)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ValueError(f"{label} has a member {info.filename!r} that is a symbolic link; "
                                 "refusing to extract it (a data set needs no links)")
        written = 0
        for info in infos:
            dest = target / info.filename
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(dest, "xb") as out:
                for block in iter(lambda: src.read(2**20), b""):
                    written += len(block)
                    _check_totals(0, written, label)  # the sizes in a zip's directory may lie
                    out.write(block)


def _extract_tar(archive: Path, target: Path, label: str) -> None:
    with tarfile.open(archive) as t:
        count = total = 0
        for member in t:  # headers are read one by one: a bomb is refused at its first big member
            count, total = count + 1, total + member.size
            _check_totals(count, total, label)
            _check_name(member.name, label)
            if member.issym() or member.islnk():
                raise ValueError(f"{label} has a member {member.name!r} that is a link to {member.linkname!r}; "
                                 "refusing to extract it (a data set needs no links)")
            if not (member.isfile() or member.isdir()):
                raise ValueError(f"{label} has a member {member.name!r} that is a device or pipe, not a file; "
                                 "refusing to extract it")
            t.extract(member, target, filter="data")


# ----------------------------------------------------------------- synthetic environmental sounds

ENVIRONMENTAL_CLASSES = ["bird_chirp", "car_horn", "dog_bark", "engine", "knock", "rain", "siren"]


def environmental_sounds(n_per_class: int = 40, seed: int = 0, sr: int = 16000, duration: float = 1.0,
                         snr_db: tuple[float, float] = (-8.0, 8.0)) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Synthesised environmental sounds over background noise, made deterministically with NumPy.

    Seven classes (:data:`ENVIRONMENTAL_CLASSES`), each drawn with random pitch, timing, count and
    loudness, then mixed with brown-ish background noise at a signal-to-noise ratio drawn
    uniformly from ``snr_db``. The same ``seed`` always gives the same clips.

    Returns
    -------
    clips : np.ndarray, float32, [n_per_class * 7, round(sr * duration)]
    labels : np.ndarray of int
    class_names : list of str

    Examples
    --------
    >>> clips, labels, class_names = environmental_sounds(2, seed=0)
    >>> clips.shape, class_names[labels[0]]
    ((14, 16000), 'bird_chirp')

    Used in: 07_environmental_sounds.
    """
    _check_synth_args(n_per_class, sr, duration)
    rng = np.random.default_rng(seed)
    n = int(round(sr * duration))
    makers = [_bird_chirp, _car_horn, _dog_bark, _engine, _knock, _rain, _siren]
    clips, labels = [], []
    for label, make in enumerate(makers):
        for _ in range(n_per_class):
            event = make(rng, sr, n)
            clips.append(_mix(event, _background(rng, n), rng.uniform(*snr_db)))
            labels.append(label)
    return np.stack(clips).astype(np.float32), np.array(labels), list(ENVIRONMENTAL_CLASSES)


def _check_synth_args(n_per_class, sr, duration) -> None:
    if isinstance(n_per_class, bool) or not isinstance(n_per_class, (int, np.integer)) or n_per_class < 1:
        raise ValueError(f"n_per_class={n_per_class!r} must be a positive integer, e.g. 40")
    if isinstance(sr, bool) or not isinstance(sr, (int, np.integer)) or sr < 4000:
        raise ValueError(f"sr={sr!r} must be an integer sample rate >= 4000 Hz, e.g. 16000")
    if not 0.25 <= duration <= 30:
        raise ValueError(f"duration={duration!r} must be between 0.25 and 30 seconds, e.g. 1.0")


def _tone(f0, sr: int, n: int, harmonics=(1.0,)) -> np.ndarray:
    """A harmonic tone whose fundamental follows ``f0`` (Hz, scalar or [n]); partials above sr/2 dropped."""
    phase = 2 * np.pi * np.cumsum(np.broadcast_to(f0, (n,))) / sr
    f_max = float(np.max(f0))
    return sum(a * np.sin(k * phase) for k, a in enumerate(harmonics, 1) if k * f_max < sr / 2)


def _envelope(n: int, sr: int, start: int, length: int, attack: float = 0.005, decay: float | None = None):
    """A gate of ``length`` samples from ``start`` with a linear attack and an optional exponential decay."""
    t = np.arange(n) - start
    env = np.clip(t / max(attack * sr, 1), 0, 1) * (t < length)
    return env * np.exp(-np.maximum(t, 0) / (decay * sr)) if decay else env


def _bird_chirp(rng, sr, n):
    out = np.zeros(n)
    for _ in range(rng.integers(2, 6)):
        length, start = int(rng.uniform(0.04, 0.12) * sr), int(rng.uniform(0, 0.85) * n)
        f = np.linspace(*rng.uniform(2200, min(6000, 0.45 * sr), 2), n)
        out += _tone(f, sr, n) * _envelope(n, sr, start, length, attack=0.01)
    return out


def _car_horn(rng, sr, n):
    f0 = rng.uniform(330, 480)
    start, length = int(rng.uniform(0, 0.4) * n), int(rng.uniform(0.3, 0.6) * n)
    horn = _tone(f0, sr, n, (1, 0.7, 0.5, 0.4, 0.3)) + _tone(f0 * 1.26, sr, n, (1, 0.7, 0.5, 0.4, 0.3))
    return np.tanh(2 * horn) * _envelope(n, sr, start, length, attack=0.02)


def _dog_bark(rng, sr, n):
    out = np.zeros(n)
    for _ in range(rng.integers(1, 4)):
        start, length = int(rng.uniform(0, 0.8) * n), int(rng.uniform(0.08, 0.18) * sr)
        f0 = rng.uniform(250, 600) * np.exp(-np.arange(n) / (0.3 * sr) * (np.arange(n) > start))
        body = _tone(f0, sr, n, (1, 0.8, 0.6, 0.5, 0.3, 0.2)) + 0.3 * rng.standard_normal(n)
        out += body * _envelope(n, sr, start, length, attack=0.01, decay=0.06)
    return out


def _engine(rng, sr, n):
    rate = rng.uniform(25, 60) * (1 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.5, 2) * np.arange(n) / sr))
    pulses = _tone(rate, sr, n, [1 / k for k in range(1, 16)])
    return pulses * (1 + 0.3 * rng.standard_normal(n))


def _knock(rng, sr, n):
    out, step = np.zeros(n), int(rng.uniform(0.12, 0.25) * sr)
    start = int(rng.uniform(0, 0.3) * n)
    f0 = rng.uniform(120, 400)
    for k in range(rng.integers(2, 5)):
        out += _tone(f0, sr, n, (1, 0, 0.5, 0, 0.3)) * _envelope(n, sr, start + k * step, n, 0.001, 0.025)
    return out


def _rain(rng, sr, n):
    drops = (rng.random(n) < rng.uniform(0.002, 0.01)) * rng.uniform(-1, 1, n)
    hiss = np.diff(rng.standard_normal(n + 1))  # first difference: noise tilted towards high frequencies
    return np.convolve(drops, np.exp(-np.arange(int(0.003 * sr)) / (0.0006 * sr)), "same") + 0.3 * hiss


def _siren(rng, sr, n):
    centre, depth, rate = rng.uniform(700, 1100), rng.uniform(150, 400), rng.uniform(0.7, 4)
    f0 = centre + depth * np.sin(2 * np.pi * rate * np.arange(n) / sr + rng.uniform(0, 2 * np.pi))
    return _tone(f0, sr, n, (1, 0.4, 0.2))


def _background(rng, n: int) -> np.ndarray:
    """Brown-ish noise (leaky-integrated white noise): the rumble of a street or a room."""
    white = rng.standard_normal(n + 2000)
    brown = scipy.signal.lfilter([1.0], [1.0, -0.98], white)  # y[i] = 0.98 y[i-1] + x[i]
    return brown[2000:] + 0.5 * white[2000:]


def _mix(event: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``event`` plus ``noise`` scaled to ``snr_db``; the mix peak-normalised to 0.9."""
    gain = np.sqrt(np.mean(event**2) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
    mix = event + gain * noise
    return 0.9 * mix / np.max(np.abs(mix))


# ------------------------------------------------------------------------- synthetic music genres

GENRES = {  # tempo range (BPM), 16-step drum patterns, swing, chord notes, chord and bass rhythm/instrument
    "classical": dict(tempo=(60, 100), drums={}, swing=0.0, chord=(0, 4, 7), chord_rhythm="x" + "." * 15,
                      chord_sound="pad", bass_rhythm="x.......x.......", bass_sound="pad"),
    "electronic": dict(tempo=(115, 135), drums={"kick": "x...x...x...x...", "hat": "..x...x...x...x."},
                       swing=0.0, chord=(0, 3, 7), chord_rhythm="x.......x.......", chord_sound="pad",
                       bass_rhythm="xxxxxxxxxxxxxxxx", bass_sound="saw"),
    "hiphop": dict(tempo=(80, 100), drums={"kick": "x......x..x.....", "snare": "....x.......x...",
                   "hat": "x.x.x.x.x.x.x.x."}, swing=0.25, chord=(0, 3, 7, 10), chord_rhythm="x" + "." * 15,
                   chord_sound="pluck", bass_rhythm="x......x..x.....", bass_sound="sine"),
    "jazz": dict(tempo=(100, 180), drums={"ride": "x...x.x.x...x.x.", "hat": "....x.......x..."},
                 swing=0.33, chord=(0, 4, 7, 11), chord_rhythm="...x.....x......", chord_sound="pluck",
                 bass_rhythm="x...x...x...x...", bass_sound="pluck"),
    "reggae": dict(tempo=(70, 95), drums={"kick": "........x.......", "snare": "........x.......",
                   "hat": "x.x.x.x.x.x.x.x."}, swing=0.0, chord=(0, 4, 7), chord_rhythm="..x...x...x...x.",
                   chord_sound="organ", bass_rhythm="x..x..x.....x...", bass_sound="sine"),
    "rock": dict(tempo=(100, 150), drums={"kick": "x.......x.x.....", "snare": "....x.......x...",
                 "hat": "x.x.x.x.x.x.x.x."}, swing=0.0, chord=(0, 7, 12), chord_rhythm="x.x.x.x.x.x.x.x.",
                 chord_sound="distorted", bass_rhythm="x.x.x.x.x.x.x.x.", bass_sound="saw"),
}


def music_genres(n_per_class: int = 60, seed: int = 0, sr: int = 16000, duration: float = 2.0,
                 drop: float = 0.3, snr_db: tuple[float, float] = (0.0, 20.0)) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Synthesised genre-like music clips (tempo, rhythm, timbre, harmony), made deterministically.

    Each genre (:data:`GENRES`) has a tempo range, drum patterns, a swing, a chord type and the
    instruments that play its chords and bass line; every clip draws its own key, tempo,
    start within the bar and mix. With probability ``drop`` each part (drums, chords, bass)
    is left out, so some clips lack what identifies their genre, and noise is added at an SNR
    drawn from ``snr_db``: no model should reach 100 %.

    Returns
    -------
    clips : np.ndarray, float32, [n_per_class * 6, round(sr * duration)]
    labels : np.ndarray of int
    class_names : list of str

    Examples
    --------
    >>> clips, labels, class_names = music_genres(2, seed=0)
    >>> clips.shape, class_names
    ((12, 32000), ['classical', 'electronic', 'hiphop', 'jazz', 'reggae', 'rock'])

    Used in: 08_music_genres.
    """
    _check_synth_args(n_per_class, sr, duration)
    if not 0 <= drop < 1:
        raise ValueError(f"drop={drop!r} must be a probability in [0, 1), e.g. 0.3")
    rng = np.random.default_rng(seed)
    n = int(round(sr * duration))
    clips, labels = [], []
    for label, genre in enumerate(GENRES.values()):
        for _ in range(n_per_class):
            clips.append(_mix(_song(genre, rng, sr, n, drop), rng.standard_normal(n), rng.uniform(*snr_db)))
            labels.append(label)
    return np.stack(clips).astype(np.float32), np.array(labels), list(GENRES)


def _song(genre: dict, rng, sr: int, n: int, drop: float) -> np.ndarray:
    """One clip of ``genre``: drums, chords and bass on a shared grid, each part maybe dropped."""
    step = 60 / rng.uniform(*genre["tempo"]) / 4  # a sixteenth note, in seconds
    grid = dict(step=step, swing=genre["swing"], offset=rng.uniform(0, 16 * step), sr=sr, n=n)
    root = 110 * 2 ** (rng.integers(0, 12) / 12)  # the key: A2 … G#3
    parts = [sum((_play(pattern, _DRUMS[name](rng, sr), grid) for name, pattern in genre["drums"].items()),
                 np.zeros(n)),
             sum(_play(genre["chord_rhythm"], _note(root * 2 * 2 ** (k / 12), genre["chord_sound"], sr, 8 * step),
                       grid) for k in genre["chord"]),
             _play(genre["bass_rhythm"], _note(root / 2, genre["bass_sound"], sr, 4 * step), grid)]
    parts = [part / np.max(np.abs(part)) for part in parts if np.any(part)]
    keep = rng.random(len(parts)) >= drop
    keep[rng.integers(0, len(parts))] = True  # never an empty clip
    return sum(rng.uniform(0.5, 1.0) * part for part, k in zip(parts, keep) if k)


def _play(pattern: str, sound: np.ndarray, grid: dict) -> np.ndarray:
    """Place ``sound`` at every ``x`` of a 16-step ``pattern``, looped over the clip."""
    out, sr, n, step = np.zeros(grid["n"]), grid["sr"], grid["n"], grid["step"]
    for k in range(int((n / sr + grid["offset"]) / step) + 1):
        if pattern[k % 16] == "x":
            start = int(round((k * step + (step * grid["swing"] if k % 2 else 0) - grid["offset"]) * sr))
            lo, hi = max(start, 0), min(start + sound.size, n)
            if hi > lo:
                out[lo:hi] += sound[lo - start:hi - start]
    return out


def _note(f0: float, sound: str, sr: int, seconds: float) -> np.ndarray:
    """A note of ``seconds`` at ``f0`` Hz with one of the instrument timbres."""
    m = int(seconds * sr)
    t = np.arange(m) / sr
    if sound == "pad":  # soft harmonics, slow attack, vibrato
        return _tone(f0 * (1 + 0.004 * np.sin(2 * np.pi * 5 * t)), sr, m, (1, 0.3, 0.1)) * np.minimum(t / 0.15, 1)
    if sound == "pluck":  # bright, decaying
        return _tone(f0, sr, m, [0.8**k for k in range(10)]) * np.exp(-t / 0.25)
    if sound == "organ":  # short chop
        return _tone(f0, sr, m, (1, 0.6, 0.4, 0.3)) * (t < 0.08)
    if sound == "sine":  # 808-like bass
        return np.sin(2 * np.pi * f0 * t) * np.exp(-t / 0.4)
    saw = _tone(f0, sr, m, [1 / k for k in range(1, 20)]) * np.exp(-t / 0.5)
    return np.tanh(4 * saw) if sound == "distorted" else saw


def _kick(rng, sr):
    t = np.arange(int(0.25 * sr)) / sr
    return np.sin(2 * np.pi * np.cumsum(45 + 90 * np.exp(-t / 0.03)) / sr) * np.exp(-t / 0.12)


def _snare(rng, sr):
    t = np.arange(int(0.2 * sr)) / sr
    return (rng.standard_normal(t.size) * 0.7 + np.sin(2 * np.pi * 190 * t)) * np.exp(-t / 0.06)


def _hat(rng, sr):
    t = np.arange(int(0.05 * sr)) / sr
    return np.diff(rng.standard_normal(t.size + 1)) * np.exp(-t / 0.015)


def _ride(rng, sr):
    t = np.arange(int(0.4 * sr)) / sr
    partials = [f for f in (2960, 4190, 5230, 6370) if f < sr / 2] or [0.3 * sr]
    return sum(np.sin(2 * np.pi * f * t) for f in partials) * np.exp(-t / 0.2) / len(partials)


_DRUMS = {"kick": _kick, "snare": _snare, "hat": _hat, "ride": _ride}
