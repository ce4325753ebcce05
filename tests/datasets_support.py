"""Shared pieces of the data-set tests: tiny WAVs, archives built on the fly, folder snapshots, time limits."""

from __future__ import annotations

import contextlib
import io
import signal
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

import numpy as np
import soundfile

SR = 8000
PREFIX = "free-spoken-digit-dataset-1.0.10/recordings/"  # how GitHub's FSDD archive lays out its files


def wav_bytes(freq: float = 440.0, seconds: float = 0.1, sr: int = SR, subtype: str = "PCM_16") -> bytes:
    """A short sine as WAV file bytes."""
    y = 0.5 * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)
    buffer = io.BytesIO()
    soundfile.write(buffer, y, sr, format="WAV", subtype=subtype)
    return buffer.getvalue()


def fsdd_members(n: int = 4, freq: float = 300.0) -> dict[str, bytes]:
    """``{member name: bytes}`` of ``n`` FSDD-named recordings, laid out like GitHub's archive."""
    members = {"free-spoken-digit-dataset-1.0.10/README.md": b"readme"}
    members |= {f"{PREFIX}{i % 10}_theo_{i}.wav": wav_bytes(freq + 50 * i) for i in range(n)}
    return members


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def write_tar(path: Path, members: dict[str, bytes], mode: str = "w:gz", extra=()) -> Path:
    """A tar archive of ``members`` plus ``extra`` ready-made ``TarInfo`` entries (links, devices)."""
    with tarfile.open(path, mode) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        for info in extra:
            t.addfile(info)
    return path


def tar_entry(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder``: file bytes, or None for a folder (to compare before and after)."""
    return {
        p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))
    }


def _deflate(data: bytes, final: bool = False) -> bytes:
    """Raw deflate of ``data`` that ends byte-aligned with no back-references, so pieces concatenate."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def zip_bomb(path: Path, name: str = PREFIX + "0_theo_0.wav", size: int = 1 << 30) -> Path:
    """A valid zip of about 1 MB holding one member of ``size`` zero bytes (1 GiB by default)."""
    block, crc = bytes(1 << 20), 0
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
    data = _deflate(block) * (size >> 20) + _deflate(b"", final=True)
    raw = name.encode()
    fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(data), size)
    local = b"PK\x03\x04" + fields + struct.pack("<HH", len(raw), 0) + raw
    central = b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHHHII", len(raw), 0, 0, 0, 0, 0, 0) + raw
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)
    return path


def tar_bomb(path: Path, name: str = PREFIX + "0_theo_0.wav", size: int = 1 << 30) -> Path:
    """A valid .tar.gz of about 1 MB holding one member of ``size`` zero bytes (1 GiB by default)."""
    info = tarfile.TarInfo(name)
    info.size = size
    header, block, tail = info.tobuf(tarfile.USTAR_FORMAT), bytes(1 << 20), bytes(1024)
    crc = zlib.crc32(header)
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    body = _deflate(header) + _deflate(block) * (size >> 20) + _deflate(tail, final=True)
    total = len(header) + size + len(tail)
    path.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + body + struct.pack("<II", crc, total & 0xFFFFFFFF))
    return path


@contextlib.contextmanager
def time_limit(seconds: float):
    """Fail with TimeoutError when the block runs longer than ``seconds`` (a hang becomes a failure).

    Needs SIGALRM (POSIX); elsewhere the block runs without a limit."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s (a hang?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
