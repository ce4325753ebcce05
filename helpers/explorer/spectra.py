"""The explorer's spectra: |STFT| (or mel power) of a clip by its settings, and the ones a step away.

While the student looks at a picture, a second thread computes the |STFT| one step either side
on the STFT control they last moved (:class:`Ahead`), so the next step on that control finds it
ready instead of waiting for the STFT of the whole clip (a mel power is then made from it, in a
few ms). The STFT and NumPy release Python's lock while they compute, so the picture on screen
is not held up.
Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import concurrent.futures

import numpy as np

from helpers import spectral
from helpers.explorer import controls as ctl
from helpers.explorer import imaging
from helpers.explorer import settings as texts

STFT_CONTROLS = (*ctl.STFT_SIZES, "window")  # what a new spectrum needs
LOOK_AHEAD = True  # False: compute nothing ahead (benchmarks that time every STFT on the spot)
KEPT_AHEAD = 4  # spectra computed ahead, the most recent kept until wanted (going back and forth)
AHEAD_MB = 32  # the largest |STFT| computed ahead (a 30 s clip at hop 256, frame 1024: 5.3 MB)
_POOL: concurrent.futures.ThreadPoolExecutor | None = None  # one worker, shared by every explorer


def compute(clip: str, y: np.ndarray, sr: int, key: tuple, mel: bool, magnitude=None) -> dict:
    """``{"values": [frames, bins or mel bands], "peak": max}`` for the STFT settings ``key``
    (``clip, frame_length, frame_step, fft_length, window``); ``magnitude`` is its |STFT| when known.

    Refused with a message when the STFT would be too big (``settings.check_stft_size``).
    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    _, frame_length, frame_step, fft_length, window = key
    texts.check_stft_size(clip, y.shape[0], sr, frame_length, frame_step, fft_length)
    if magnitude is None:  # np.abs on a view of the tensor: the same |S| as spectral.magnitude (tf.abs),
        # without .numpy()'s copy and about 2x faster on a CPU
        magnitude = np.abs(np.asarray(spectral.stft(y, frame_length, frame_step, fft_length, window)))
    values = imaging.mel_power(magnitude, sr, fft_length) if mel else magnitude
    return {"values": values, "peak": float(values.max())}


def key_of(p: dict) -> tuple:
    """The STFT settings of control values ``p`` as a cache key: ``(clip, frame, hop, FFT, window)``.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    return (p["clip"], *(p[k] for k in STFT_CONTROLS))


def steps_from(p: dict, options: dict, moved: str, old=None) -> list[tuple]:
    """The STFT settings one option either side of control ``moved``'s value in ``p``, made possible
    as moving there would make them (:func:`controls.possible`); ``[]`` for other controls.

    The step that carries on the move from ``old`` comes first (the one up when ``old`` is not known).

    >>> p = {"clip": "c", "frame_length": 1024, "frame_step": 256, "fft_length": 1024, "window": "hann"}
    >>> steps_from(p, {k: [256, 512, 1024, 2048] for k in ctl.STFT_SIZES}, "frame_length", 2048)
    [('c', 512, 256, 512, 'hann'), ('c', 2048, 256, 2048, 'hann')]

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if moved not in STFT_CONTROLS:
        return []
    choices = options[moved]
    at = choices.index(p[moved])
    down, up = choices[max(0, at - 1) : at], choices[at + 1 : at + 2]
    keys = []
    for value in down + up if old in choices[at + 1 :] else up + down:
        v = {**p, moved: value}
        if moved in ctl.STFT_SIZES:
            ctl.possible(v, options, moved, p[moved])
        keys.append(key_of(v))
    return keys


class Ahead:
    """Spectra being computed on the shared worker thread, by ``key + (mel,)``.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """

    def __init__(self):
        self._futures: dict[tuple, concurrent.futures.Future] = {}

    def start(self, jobs: dict) -> None:
        """Compute ``jobs`` (``{key: (clip, y, sr)}``, keys ending in ``mel``) ahead, those of at most
        ``AHEAD_MB``; drop the others not started, and keep the last ``KEPT_AHEAD`` computed."""
        global _POOL
        jobs = {k: job for k, job in jobs.items() if LOOK_AHEAD and _megabytes(k, job[1]) <= AHEAD_MB}
        for key in [k for k, f in self._futures.items() if k not in jobs and not f.done()]:
            self._futures.pop(key).cancel()  # no longer a step away (a job already running finishes, unread)
        for key, (clip, y, sr) in jobs.items():
            if key in self._futures:
                self._futures[key] = self._futures.pop(key)  # the most recent
            else:
                _POOL = _POOL or concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="explorer-ahead")
                self._futures[key] = _POOL.submit(compute, clip, y, sr, key[:-1], key[-1])
        while len(self._futures) > KEPT_AHEAD:
            self._futures.pop(next(iter(self._futures)))  # the oldest

    def take(self, key: tuple) -> dict | None:
        """The spectrum computed ahead for ``key`` (waiting for it if it is being computed), or ``None``
        when its computing has not started (it is cancelled: computing it now is as fast).

        The other jobs not started yet are dropped: the next :meth:`start` asks for what is still a step away.
        """
        future = self._futures.pop(key, None)
        for other in [k for k, f in self._futures.items() if f.cancel()]:
            del self._futures[other]
        if future is None or future.cancel():
            return None
        try:
            return future.result()
        except ValueError:  # too big: the explorer computes it again and says why
            return None

    def forget(self) -> None:
        """Drop every spectrum computed or being computed ahead."""
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()


def _megabytes(key: tuple, y: np.ndarray) -> float:
    """Megabytes of the |STFT| of ``key`` (``clip, frame, hop, FFT, window, mel``) of ``y``."""
    _, frame_length, frame_step, fft_length, _, mel = key
    rows = imaging.n_mels(fft_length) if mel else fft_length // 2 + 1
    return (1 + max(0, y.shape[0] - frame_length) // frame_step) * rows * 4 / 1e6
