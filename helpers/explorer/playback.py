"""The explorer's "Play reconstruction": rebuild the shown time range from its STFT and say how.

The note names the function really called, taken from the code (:data:`INVERSE`), so it cannot
drift from what runs. Nothing plays on its own: the sound is made only when the button is clicked.
Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile

from helpers import spectral
from helpers.explorer.imaging import snr_db

INVERSE = spectral.istft
INVERSE_NAME = f"{INVERSE.__module__}.{INVERSE.__name__}"
INVERSE_HOW = "overlap-add divided by the windows present"
DESCRIPTION = f"{INVERSE_NAME} ({INVERSE_HOW})"


def reconstruct(y: np.ndarray, sr: int, p: dict, peak: float) -> tuple[bytes, str]:
    """WAV bytes of ``p["time_range"]`` of ``y`` rebuilt from its complex STFT, and a note on what was kept.

    Parameters
    ----------
    y, sr : the clip and its sample rate
    p : dict
        The explorer's settings (``frame_length``, ``frame_step``, ``fft_length``, ``window``,
        ``scale``, ``top_db``, ``time_range``).
    peak : float
        The largest ``|STFT|`` of the whole clip: with a dB scale, everything more than
        ``top_db`` below it is removed before rebuilding, as the picture hides it.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    start, stop = (int(round(t * sr)) for t in p["time_range"])
    stop = max(stop, start + 1)
    context = _with_context(y, start, stop, p["frame_length"])
    settings = dict(
        frame_length=p["frame_length"], frame_step=p["frame_step"], fft_length=p["fft_length"], window=p["window"]
    )
    S = np.asarray(spectral.stft(context, **settings))
    note = f"Playback: rebuilt with {DESCRIPTION} from the complex STFT"
    if p["scale"] != "linear":
        S = np.where(np.abs(S) >= peak * 10 ** (-p["top_db"] / 20), S, 0)
        note += f", with everything more than {p['top_db']:.0f} dB below the peak removed"
    if p["scale"] == "mel":
        note += " (mel changes only the picture; the sound comes from the linear STFT)"
    if p["frame_step"] > p["frame_length"] // 2 and p["window"] != "rectangular":
        note += (
            ". Frames overlap by less than half: the window's faint tails are scaled back up, "
            "so any change to the STFT is amplified there (clicks); a hop ≤ frame length / 2 avoids it"
        )
    margin = p["frame_length"]
    rebuilt = np.asarray(INVERSE(S, length=context.shape[0], **settings))[margin : margin + stop - start]
    return wav_bytes(rebuilt, sr), f"{note}. Reconstruction SNR {snr_db(y[start:stop], rebuilt):.1f} dB."


def wav_bytes(y: np.ndarray, sr: int) -> bytes:
    """16-bit WAV bytes of ``y`` at its true level (clipped to [-1, 1], so artefacts stay audible).

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    out = io.BytesIO()
    soundfile.write(out, np.clip(np.nan_to_num(y), -1.0, 1.0), sr, format="WAV", subtype="PCM_16")
    return out.getvalue()


def _with_context(y: np.ndarray, start: int, stop: int, frame_length: int) -> np.ndarray:
    """``y[start:stop]`` with ``frame_length`` samples of its surroundings (zeros past the ends)
    on both sides, so that every sample in the range is covered by a full set of overlapping frames."""
    lo, hi = max(0, start - frame_length), min(y.shape[0], stop + frame_length)
    return np.pad(y[lo:hi], (frame_length - (start - lo), frame_length - (hi - stop)))
