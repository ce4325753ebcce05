"""Loading, saving, playing and checking audio; the bundled sample clips.

Reading goes through ``soundfile`` (libsndfile: WAV, FLAC, OGG, MP3), resampling and mixing
down through librosa, exactly what ``librosa.load`` does for these formats, but with errors a
student can act on instead of a fallback decoder's warning.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import librosa
import numpy as np
import soundfile

DATA_DIR = Path(__file__).parent / "data"
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")


def load(path: str | os.PathLike, sr: int | None = None, mono: bool = True) -> tuple[np.ndarray, int]:
    """Read an audio file as float32 samples in [-1, 1] and its sample rate.

    Parameters
    ----------
    path : str or path-like
        A WAV, FLAC, OGG or MP3 file.
    sr : int or None
        ``None`` (default) keeps the file's own rate, as ``librosa.load(path, sr=None)`` does;
        an integer resamples to that rate.
    mono : bool
        Mix all channels down to one (default). ``False`` keeps a multichannel file as a
        ``[channels, samples]`` array, librosa's layout.

    Returns
    -------
    y : np.ndarray, float32
        ``[samples]`` (or ``[channels, samples]`` when ``mono=False`` and the file has several).
    sr : int
        The sample rate of ``y`` in Hz.

    Examples
    --------
    >>> y, sr = load(sample("chirp"))
    >>> y.dtype, sr
    (dtype('float32'), 22050)

    Used in: 00_setup, 01_loading_audio and every later notebook.
    """
    path = _readable_path(path)
    if sr is not None:
        _check_rate(sr, "sr")
    try:
        data, native_sr = soundfile.read(path, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as err:
        raise ValueError(f"{path} is not readable audio ({err}); use a WAV, FLAC, OGG or MP3 file") from None
    if data.shape[0] == 0:
        raise ValueError(f"{path} contains no audio samples (0 frames); record or export the file again")
    y = check_signal(data.T, name=str(path), mono=False)
    y = librosa.to_mono(y) if mono else (y[0] if y.shape[0] == 1 else y)
    if sr is not None and sr != native_sr:
        y = librosa.resample(y, orig_sr=native_sr, target_sr=sr)
    return np.ascontiguousarray(y, dtype=np.float32), int(sr or native_sr)


def save(path: str | os.PathLike, y, sr: int) -> Path:
    """Write ``y`` (``[samples]`` or ``[channels, samples]``) as a 16-bit PCM WAV file.

    Returns the path written. Used in: 01_loading_audio.
    """
    y = check_signal(y, name="y", mono=False)
    _check_rate(sr, "sr")
    path = Path(path)
    soundfile.write(path, np.clip(y.T, -1.0, 1.0), int(sr), subtype="PCM_16")
    return path


def play(y, sr: int, normalize: bool = True):
    """An ``IPython.display.Audio`` player for ``y``; display it (or leave it last in a cell).

    ``normalize=False`` keeps the true loudness, useful to compare gains. Used in: every notebook.
    """
    from IPython.display import Audio

    y = check_signal(y, name="y", mono=False)
    _check_rate(sr, "sr")
    return Audio(data=y, rate=int(sr), normalize=normalize)


def samples() -> list[str]:
    """Names of the clips bundled with the course (pass one to :func:`sample`).

    Used in: 00_setup, 01_loading_audio.
    """
    return sorted(p.stem for p in DATA_DIR.glob("*.wav"))


def sample(name: str) -> Path:
    """Path of the bundled clip ``name`` (see :func:`samples`), e.g. ``sample("speech")``.

    Used in: every notebook.
    """
    path = DATA_DIR / f"{Path(name).stem}.wav"
    if not path.is_file():
        raise ValueError(f"name={name!r} is not a bundled clip; choose one of {samples()}")
    return path


def check_signal(y, name: str = "y", mono: bool = True) -> np.ndarray:
    """Return ``y`` as a float32 array after checking it is usable audio.

    Raises ``ValueError`` naming ``name`` when ``y`` is empty, holds NaN or Inf, or (with
    ``mono=True``) is not 1-D. Used by every helper that takes samples.
    """
    y = np.asarray(y)
    if not (np.issubdtype(y.dtype, np.floating) or np.issubdtype(y.dtype, np.integer)):
        raise ValueError(f"{name} has dtype {y.dtype}; pass real-valued samples (float32 in [-1, 1])")
    if mono and y.ndim != 1:
        raise ValueError(
            f"{name} has shape {y.shape} but a mono 1-D signal is expected; "
            "mix down with librosa.to_mono(y) (or y.mean(axis=0)), or pick one channel with y[0]"
        )
    if y.ndim not in (1, 2):
        raise ValueError(f"{name} has shape {y.shape}; expected [samples] or [channels, samples]")
    if y.size == 0:
        raise ValueError(f"{name} is empty (0 samples); check the file or the slice you took")
    y = y.astype(np.float32, copy=False)
    bad = ~np.isfinite(y)
    if bad.any():
        first = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or Inf samples (first at flat index {first}); "
            "fix the computation that produced them, or replace them with np.nan_to_num(y)"
        )
    return y


def _check_rate(sr, name: str) -> None:
    if isinstance(sr, bool) or not isinstance(sr, (int, np.integer)) or sr <= 0:
        raise ValueError(f"{name}={sr!r} is not a valid sample rate; pass a positive integer in Hz, e.g. 22050")


def _readable_path(path) -> Path:
    """Check that ``path`` is a non-empty file and, for WAV, not truncated."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No such audio file: {path} (check the name, or list the folder with os.listdir)")
    if path.is_dir():
        raise ValueError(f"{path} is a directory, not readable audio; pass the path of one file inside it")
    if path.stat().st_size == 0:
        raise ValueError(f"{path} is empty (0 bytes), not readable audio; record or export the file again")
    if path.suffix.lower() == ".wav":
        _check_wav_complete(path)
    return path


def _check_wav_complete(path: Path) -> None:
    """Raise ``ValueError`` when a WAV's data chunk promises more bytes than the file holds.

    libsndfile reads a truncated WAV without complaint, so a half-copied file would silently
    become a shorter clip.
    """
    size = path.stat().st_size
    with open(path, "rb") as f:
        header = f.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            return  # not RIFF/WAVE (RF64, or not audio at all): let soundfile decide
        offset = 12
        while offset + 8 <= size:
            f.seek(offset)
            chunk_id, chunk_size = struct.unpack("<4sI", f.read(8))
            if chunk_id == b"data":
                if chunk_size not in (0, 0xFFFFFFFF) and offset + 8 + chunk_size > size:
                    raise ValueError(
                        f"{path} is not readable audio: it is truncated ({size} bytes, but its data "
                        f"chunk declares {chunk_size}); copy or export the file again"
                    )
                return
            offset += 8 + chunk_size + (chunk_size & 1)
