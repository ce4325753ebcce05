"""What libsndfile does not say clearly: WAV headers checked by hand, its error texts translated.

libsndfile reads a truncated WAV without complaint (a half-copied file silently becomes a
shorter clip), calls a zero sample rate "SF_INFO struct incomplete" and a damaged MP3 "not a
regular file (possibly a pipe?)". Used by helpers.audio.load.
"""

from __future__ import annotations

import struct
from pathlib import Path


def check_wav_header(path: Path) -> None:
    """Raise ``ValueError`` for a RIFF/WAVE file whose header is cut short, declares 0 Hz or
    0 channels, or whose data chunk promises more bytes than the file holds.

    Files that are not RIFF/WAVE (RF64, or not audio at all) are left to libsndfile.

    Used in: helpers.audio.load.
    """
    size = path.stat().st_size
    with open(path, "rb") as f:
        header = f.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            return
        offset, fmt_seen = 12, False
        while offset + 8 <= size:
            f.seek(offset)
            chunk_id, chunk_size = struct.unpack("<4sI", f.read(8))
            if chunk_id == b"fmt ":
                _check_fmt(path, f.read(min(chunk_size, 16)))
                fmt_seen = True
            elif chunk_id == b"data":
                _check_data(path, size, offset, chunk_size, fmt_seen)
                return
            offset += 8 + chunk_size + (chunk_size & 1)
    raise ValueError(
        f"{path} is not readable audio: its header is truncated ({size} bytes and no 'data' "
        "chunk, the file was cut short while copying or recording); copy or export it again"
    )


def _check_fmt(path: Path, fmt: bytes) -> None:
    if len(fmt) < 16:
        raise ValueError(
            f"{path} is not readable audio: its header is truncated (the 'fmt ' chunk holds "
            f"{len(fmt)} of 16 bytes); copy or export the file again"
        )
    _, channels, rate = struct.unpack("<HHI", fmt[:8])
    if rate == 0:
        raise ValueError(
            f"{path} is not readable audio: its header declares a sample rate of 0 Hz "
            "(a damaged or hand-made header); export the file again"
        )
    if channels == 0:
        raise ValueError(
            f"{path} is not readable audio: its header declares 0 channels "
            "(a damaged or hand-made header); export the file again"
        )


def _check_data(path: Path, size: int, offset: int, chunk_size: int, fmt_seen: bool) -> None:
    if not fmt_seen:
        raise ValueError(
            f"{path} is not readable audio: its header has no 'fmt ' chunk before the data "
            "(damaged); export the file again"
        )
    if chunk_size not in (0, 0xFFFFFFFF) and offset + 8 + chunk_size > size:
        raise ValueError(
            f"{path} is not readable audio: it is truncated ({size} bytes, but its data chunk "
            f"declares {chunk_size}); copy or export the file again"
        )


_EXPLAINED = {
    "SF_INFO struct incomplete": "its header is incomplete (a sample rate or channel count of 0?)",
    "Channel count is zero": "its header declares 0 channels",
    "No 'data' chunk marker": "its header is truncated or damaged (no 'data' chunk)",
    "not a regular file": "libsndfile could not decode it: it is damaged, or not really the format its name says",
    "unimplemented format": "it is damaged or uses an encoding libsndfile cannot decode",
    "Format not recognised": "it is not in a format libsndfile recognises (maybe another kind of file, renamed)",
    "flac decoder": "the FLAC decoder failed: the file is probably truncated or damaged",
    "Unspecified internal error": "libsndfile failed while decoding it: the file is probably truncated or damaged",
}


def explain_libsndfile(err: Exception, name: str) -> str:
    """libsndfile's message ``err`` in words a student can act on (the original text kept short).

    Used in: helpers.audio.load.
    """
    text = str(err)
    for key, meaning in _EXPLAINED.items():
        if key in text:
            return meaning
    detail = text.split(": ", 1)[-1] if text.startswith("Error") else text
    return f"libsndfile says {detail[:120]!r}"
