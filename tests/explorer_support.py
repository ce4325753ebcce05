"""Shared by the explorer tests: a WAV file in memory, and what the browser sends when a file is uploaded."""

import datetime
import io

import soundfile


def wav_bytes(y, sr: int) -> bytes:
    """``y`` as the bytes of a 16-bit PCM WAV file at ``sr`` Hz."""
    out = io.BytesIO()
    soundfile.write(out, y, sr, format="WAV", subtype="PCM_16")
    return out.getvalue()


def upload(explorer, data: bytes, name: str) -> None:
    """What the browser does when a student picks a file in the upload button."""
    explorer.controls["upload"].value = (
        {
            "name": name,
            "type": "audio/wav",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        },
    )
