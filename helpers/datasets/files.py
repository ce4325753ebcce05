"""Which audio files can be used: readable, regular, complete, finite, long enough.

:func:`check_files` looks at each file the way a training run would need it, cheaply: it never
opens anything but a regular file (a pipe named ``x.wav`` would block forever), checks WAV
headers by hand (a WAV cut short while copying is not an error to libsndfile), and decodes in
blocks of :data:`BLOCK_FRAMES` frames only what could hold a bad sample (float WAVs and
compressed formats; 16-bit PCM cannot hold NaN), at most the first :data:`MAX_CHECK_SECONDS`.
"""

from __future__ import annotations

import os
import stat

import numpy as np
import soundfile

from helpers import _validate
from helpers._quiet import silenced_fd
from helpers._sndfile import check_wav_header, explain_libsndfile

BLOCK_FRAMES = 1 << 16
MAX_CHECK_SECONDS = 600  # decode-check at most the first 10 minutes of a file
_INTEGER_PCM = ("PCM_S8", "PCM_U8", "PCM_16", "PCM_24", "PCM_32")


def check_files(paths, min_seconds: float = 0.0) -> tuple[list[int], list[str]]:
    """Find the files that cannot be used: missing, not a regular file, empty, damaged, cut short,
    holding NaN or Inf samples, or shorter than ``min_seconds``.

    Parameters
    ----------
    paths : list of paths (one path on its own counts as a list of one)
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
    paths = as_path_list(paths)
    min_seconds = _validate.number(
        min_seconds, "min_seconds", minimum=0, maximum=3600, what="the shortest usable duration in seconds, e.g. 0.032"
    )
    good, problems = [], []
    for i, path in enumerate(paths):
        problem = file_problem(path, min_seconds)[1]
        if problem:
            problems.append(problem)
        else:
            good.append(i)
    return good, problems


def as_path_list(paths, name: str = "paths") -> list:
    """``paths`` as a list of ``Path``; one str or path on its own becomes a list of one.

    Used in: helpers.datasets (check_files, to_dataset).
    """
    if isinstance(paths, (str, os.PathLike)):
        return [_validate.path(paths, name)]
    if isinstance(paths, (bytes, np.ndarray)) or not hasattr(paths, "__iter__"):
        raise TypeError(
            f"{name}={_validate.show(paths)} is not a list of paths; pass e.g. "
            "from_folder(folder)[0], or [path] for one file"
        )
    return [_validate.path(p, f"{name}[{i}]") for i, p in enumerate(paths)]


def file_problem(path, min_seconds: float = 0.0) -> tuple[object | None, str | None]:
    """``(soundfile.info(path), None)`` for a usable file, ``(None, message)`` naming it and saying what is wrong.

    Used in: helpers.datasets (check_files, to_dataset).
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None, f"{path}: does not exist (moved or deleted?); list the folder again"
    except OSError as err:
        return None, f"{path}: cannot be read ({err.strerror}); check its permissions"
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe, socket or device"
        return None, f"{path}: unreadable audio, it is {kind}, not a regular file; remove it from the list"
    try:
        return _decoded(path, min_seconds), None
    except ValueError as err:
        return None, str(err)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as err:
        return None, f"{path}: unreadable audio ({explain_libsndfile(err, str(path))}); export it again"
    except OSError as err:
        return None, f"{path}: cannot be read ({err.strerror or err}); check its permissions"


def _decoded(path, min_seconds: float):
    """Check one regular file; raise ``ValueError`` with the reason, or return its ``soundfile.info``."""
    if os.path.getsize(path) == 0:
        raise ValueError(f"{path}: unreadable audio, it is empty (0 bytes); record or export it again")
    if str(path).lower().endswith(".wav"):
        check_wav_header(path)
    with silenced_fd(2):  # libmpg123 prints notes about damaged MP3s on stderr
        info = soundfile.info(str(path))
    if info.frames < max(1, min_seconds * info.samplerate):
        raise ValueError(
            f"{path}: too short ({info.frames / info.samplerate:.3f} s; at least "
            f"{min_seconds:.3f} s, one analysis frame, is needed)"
        )
    if info.format != "WAV" or info.subtype not in _INTEGER_PCM:
        limit = min(info.frames, int(MAX_CHECK_SECONDS * info.samplerate))
        with silenced_fd(2), soundfile.SoundFile(str(path)) as f:
            start = 0
            for block in f.blocks(blocksize=BLOCK_FRAMES, dtype="float32", frames=limit):
                bad = np.flatnonzero(~np.isfinite(block.reshape(block.shape[0], -1)).all(axis=1))
                if bad.size:
                    raise ValueError(
                        f"{path}: holds NaN or Inf samples (the first at "
                        f"{(start + bad[0]) / info.samplerate:.3f} s); export it again, or drop it"
                    )
                start += block.shape[0]
    return info
