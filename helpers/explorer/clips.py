"""The explorer's clips: the signal it was opened on, the bundled clips, and the student's uploads.

An upload is decoded from the bytes the browser sent, reading only the first ``MAX_SECONDS``
(``soundfile``'s ``frames=``), never the whole file; only the last ``MAX_UPLOADS`` uploads (and
at most ``MAX_UPLOAD_BYTES`` of samples) are kept. Both ipywidgets 7 (a dict by file name) and
ipywidgets 8 (a tuple of dicts) upload values are understood.
Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import librosa
import numpy as np
import soundfile

from helpers import _validate, audio
from helpers.explorer.controls import FRAME_LENGTHS

MAX_SECONDS = 60.0  # longer uploads are cut: the explorer is for looking closely, not for albums
MAX_UPLOADS = 4  # uploads kept in memory; the oldest goes first
MAX_UPLOAD_BYTES = 200 * 2**20  # samples kept from uploads, all together


def initial_clips(y, sr, name: str) -> dict:
    """Clip name → (samples, sr); bundled clips are listed now and loaded when first chosen.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    clips = {}
    if y is not None:
        if sr is None:
            raise ValueError("sr=None; pass the sample rate of y in Hz, e.g. stft_explorer(y, sr=22050)")
        if not isinstance(name, str) or not name:
            raise TypeError(f"name={_validate.show(name)} is not a clip label; pass a short text, e.g. 'speech'")
        clips[name] = (_validate.signal(y, name="y"), _validate.sample_rate(sr, "sr"))
    clips.update({clip: None for clip in audio.samples() if clip not in clips})
    if not clips:
        raise ValueError("y=None and no bundled clips were found; pass a signal: stft_explorer(y, sr)")
    return clips


def uploaded_files(value) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of each file in a ``FileUpload`` value (ipywidgets 8 or 7).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if isinstance(value, dict):  # ipywidgets 7: {name: {"metadata": {...}, "content": bytes}}
        return [(name, bytes(item["content"])) for name, item in value.items()]
    return [(item["name"], bytes(item["content"])) for item in value]


def upload_note(filename: str, longer: bool, dropped: list[str]) -> str:
    """What an upload changed, for the status line: a cut file, uploads dropped to keep the last few.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    notes = [f"Showing the first {MAX_SECONDS:.0f} s of {filename}."] if longer else []
    if dropped:
        notes.append(f"Removed the oldest uploads ({', '.join(dropped)}): the explorer keeps the last {MAX_UPLOADS}.")
    return " ".join(notes)


def decode(data: bytes, filename: str) -> tuple[np.ndarray, int, bool]:
    """Mono float32 samples of the first ``MAX_SECONDS`` of an uploaded file, its rate, and
    whether the file was longer (and so cut).

    Raises ``ValueError`` naming ``filename`` for anything that is not readable audio.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if not data:
        raise ValueError(f"{filename} is empty (0 bytes), not readable audio; record or export the file again")
    _check_wav_bytes(data, filename)
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as f:
            sr = _validate.sample_rate(f.samplerate, "the file's sample rate")
            longer = f.frames > MAX_SECONDS * sr
            frames = f.read(frames=int(min(f.frames, MAX_SECONDS * sr)), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as err:
        # libsndfile's own words ("Format not recognised."), without the in-memory file object it names
        reason = getattr(err, "error_string", None) or re.sub(r"Error opening <[^>]*>: ", "", str(err))
        raise ValueError(f"{filename} is not readable audio ({reason}); use a WAV, FLAC, OGG or MP3 file") from None
    if frames.shape[0] == 0:
        raise ValueError(f"{filename} contains no audio samples (0 frames); record or export the file again")
    if frames.shape[0] < min(FRAME_LENGTHS):  # no setting could show it
        raise ValueError(
            f"{filename} is {frames.shape[0]} samples long ({1000 * frames.shape[0] / sr:.1f} ms), shorter than the "
            f"explorer's shortest frame ({min(FRAME_LENGTHS)} samples); upload a longer recording"
        )
    y = librosa.to_mono(_validate.signal(frames.T, name=filename, mono=False))
    return np.ascontiguousarray(y, dtype=np.float32), sr, bool(longer)


def keep(clips: dict, name: str, y: np.ndarray, sr: int, shown: str) -> list[str]:
    """Add upload ``name`` to ``clips``; drop the oldest uploads (never ``shown``) beyond the caps.

    Returns the names dropped.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    clips[name] = (y, sr)
    dropped = []
    while True:
        uploads = [k for k in clips if k.startswith("upload: ")]
        too_many = len(uploads) > MAX_UPLOADS or sum(clips[k][0].nbytes for k in uploads) > MAX_UPLOAD_BYTES
        removable = [k for k in uploads if k not in (name, shown)]
        if not (too_many and removable):
            return dropped
        dropped.append(removable[0])
        del clips[removable[0]]


def unique_name(clips: dict, filename: str) -> str:
    """``"upload: name"``, numbered when that name is taken (the same file again is shown fresh).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    name, n = f"upload: {Path(filename).name}", 2
    while name in clips:
        name, n = f"upload: {Path(filename).name} ({n})", n + 1
    return name


def _check_wav_bytes(data: bytes, filename: str) -> None:
    """Refuse a RIFF/WAVE file whose data chunk promises more bytes than arrived (cut short):
    libsndfile would read it without complaint as a shorter clip."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return
    offset = 12
    while offset + 8 <= len(data):
        chunk_id, size = struct.unpack("<4sI", data[offset : offset + 8])
        if chunk_id == b"data":
            if size not in (0, 0xFFFFFFFF) and offset + 8 + size > len(data):
                raise ValueError(
                    f"{filename} is not readable audio: it is truncated ({len(data)} bytes, but its "
                    f"data chunk declares {size}); copy or export the file again"
                )
            return
        offset += 8 + size + (size & 1)
    raise ValueError(
        f"{filename} is not readable audio: its header is truncated (no data chunk in "
        f"{len(data)} bytes); copy or export the file again"
    )
