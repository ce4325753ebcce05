"""Speech synthesis with the espeak-ng command-line program, shared by the data scripts.

espeak-ng is a Debian/Ubuntu package (``apt-get install espeak-ng``), not a Python one.
Nothing here runs espeak-ng at import time, so the synthesis functions of the other
scripts can be imported (and tested) on machines without it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile

ESPEAK_SR = 22050  # espeak-ng's own output rate in Hz


def espeak_executable() -> str:
    """Return the path of the ``espeak-ng`` program.

    Returns
    -------
    str
        Absolute path of the executable found on ``PATH``.

    Raises
    ------
    RuntimeError
        When espeak-ng is not installed, with the command that installs it.
    """
    path = shutil.which("espeak-ng")
    if path is None:
        raise RuntimeError(
            "espeak-ng was not found on PATH; the speech data needs it: "
            "sudo apt-get install espeak-ng (Debian/Ubuntu) or brew install espeak-ng (macOS)"
        )
    return path


def espeak_version() -> str:
    """Return espeak-ng's version line, e.g. ``'eSpeak NG text-to-speech: 1.51 ...'``.

    The exact samples it writes can change between versions; the data scripts record this line.
    """
    out = subprocess.run([espeak_executable(), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split("  Data at:")[0].strip()


def speak(
    text: str, voice: str = "en-us", speed: int = 150, pitch: int = 50, amplitude: int = 100
) -> tuple[np.ndarray, int]:
    """Synthesise ``text`` with espeak-ng and return the samples.

    Parameters
    ----------
    text : str
        What to say.
    voice : str
        An espeak-ng voice, optionally with a variant: ``"en-us"``, ``"en-gb-x-rp+f3"``.
    speed : int
        Words per minute (espeak-ng ``-s``; its default is 175).
    pitch : int
        Base pitch, 0 to 99 (espeak-ng ``-p``; default 50).
    amplitude : int
        Loudness, 0 to 200 (espeak-ng ``-a``; default 100).

    Returns
    -------
    y : np.ndarray, float32
        Mono samples in [-1, 1].
    sr : int
        Their sample rate (22050 Hz, espeak-ng's native rate).

    Examples
    --------
    >>> y, sr = speak("seven", voice="en-us+m3")  # doctest: +SKIP
    """
    command = [espeak_executable(), "-v", voice, "-s", str(speed), "-p", str(pitch), "-a", str(amplitude)]
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "espeak.wav"
        subprocess.run(command + ["-w", str(wav), text], check=True, capture_output=True)
        y, sr = soundfile.read(wav, dtype="float32")
    if y.ndim != 1 or y.size == 0:
        raise RuntimeError(f"espeak-ng gave no mono audio for voice={voice!r}, text={text!r}")
    return y, int(sr)
