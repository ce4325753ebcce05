"""Phase reconstruction: Griffin-Lim with ``tf.signal`` and the spectral-convergence score.

A magnitude spectrogram ``|S|`` keeps how much energy each frequency has in each frame but
drops the phase, *where* in its cycle each sinusoid is. Griffin-Lim guesses a phase, then
alternates ``inverse_stft`` and ``stft`` so the guess becomes consistent with ``|S|``.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from helpers import _validate, spectral


def griffin_lim(
    magnitude,
    n_iter: int = 32,
    frame_length: int = 1024,
    frame_step: int = 256,
    fft_length: int | None = None,
    window: str = "hann",
    center: bool = True,
    momentum: float = 0.99,
    length: int | None = None,
    seed: int = 0,
) -> tf.Tensor:
    """A waveform whose STFT magnitude approximates ``magnitude`` (fast Griffin-Lim).

    Parameters
    ----------
    magnitude : array-like or tf.Tensor, shape [frames, fft_length // 2 + 1]
        ``|S|`` as made by ``helpers.spectral.stft`` with the same frame parameters.
    n_iter : int
        Number of ``inverse_stft`` / ``stft`` round trips; more is closer (and slower).
    frame_length, frame_step, fft_length, window, center
        The STFT parameters ``magnitude`` was computed with.
    momentum : float
        0 gives the original algorithm (Griffin & Lim, 1984); 0.99, as in librosa, the "fast"
        variant (Perraudin et al., 2013) that reaches the same quality in fewer iterations.
    length : int or None
        Number of samples to return: the original clip's length. ``None`` takes the length the
        frames span, ``(frames - 1) * frame_step`` (``+ frame_length`` when ``center=False``).
    seed : int
        Seed of the random starting phase.

    Returns
    -------
    tf.Tensor, float32, shape [samples]

    Examples
    --------
    >>> y = np.sin(2 * np.pi * 440 * np.arange(8000) / 8000).astype(np.float32)
    >>> S = spectral.stft(y, 512, 128, center=True)
    >>> y_hat = griffin_lim(tf.abs(S), n_iter=8, frame_length=512, frame_step=128, length=len(y))
    >>> y_hat.shape
    TensorShape([8000])

    Used in: 11_phase_reconstruction.
    """
    frame_step = _validate.positive_int(
        frame_step,
        "frame_step",
        maximum=spectral.MAX_FFT_LENGTH,
        what="the hop the magnitude was computed with, e.g. 256",
    )
    center = _validate.boolean(center, "center")
    magnitude = _checked_magnitude(magnitude, frame_length, fft_length)
    n_iter, momentum, seed = _check_iterations(n_iter, momentum, seed)
    if length is not None:
        length = _validate.positive_int(length, "length", maximum=2**31 - 1, what="the clip's number of samples")
    stft_args = dict(
        frame_length=frame_length, frame_step=frame_step, fft_length=fft_length, window=window, center=center
    )
    if length is None:  # the length the frames span, so every round trip keeps the frame count
        length = max(1, (magnitude.shape[0] - 1) * frame_step + (0 if center else frame_length))
    mag = tf.cast(magnitude, tf.complex64)
    angles = tf.exp(2j * np.pi * tf.cast(tf.random.stateless_uniform(tf.shape(magnitude), (seed, 0)), tf.complex64))
    rebuilt = tf.zeros_like(mag)
    for _ in range(n_iter):
        previous = rebuilt
        rebuilt = spectral.stft(spectral.istft(mag * angles, length=length, **stft_args), **stft_args)
        angles = rebuilt - (momentum / (1 + momentum)) * previous
        angles = angles / tf.cast(tf.abs(angles) + 1e-16, tf.complex64)
    return spectral.istft(mag * angles, length=length, **stft_args)


def spectral_convergence(reference, estimate) -> float:
    """``‖|R| - |E|‖ / ‖|R|‖`` (Frobenius norms): 0 for identical magnitudes, 1 for silence.

    ``reference`` and ``estimate`` are spectrograms of the same shape (complex or magnitude);
    only their magnitudes count, so a reconstruction with different phase but the right
    magnitudes scores 0. Report it in dB with ``20 * log10(sc)``.

    Examples
    --------
    >>> spectral_convergence(np.ones((4, 3)), np.zeros((4, 3)))
    1.0

    Used in: 11_phase_reconstruction.
    """
    R, E = (_magnitudes(x, name) for x, name in ((reference, "reference"), (estimate, "estimate")))
    if R.shape != E.shape:
        raise ValueError(
            f"reference has shape {R.shape} but estimate has {E.shape}; compute both "
            "with the same STFT parameters (and the same signal length)"
        )
    norm = np.linalg.norm(R)
    if norm == 0:
        raise ValueError("reference is silent (all zeros); spectral convergence needs a reference with energy")
    return float(np.linalg.norm(R - E) / norm)


def _magnitudes(x, name: str) -> np.ndarray:
    """``|x|`` of a complex or real spectrogram, as float64; NaN, Inf and empty arrays refused."""
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    if x.dtype.kind == "c":
        x = np.abs(x)
    return np.abs(_validate.real_array(x, name)).astype(np.float64)


def _checked_magnitude(magnitude, frame_length, fft_length):
    magnitude = _validate.real_array(
        magnitude,
        "magnitude",
        non_negative=True,
        what="a magnitude |S| (a magnitude, not dB: undo dB with 10 ** (db / 20))",
    )
    if magnitude.ndim != 2:
        raise ValueError(f"magnitude has shape {magnitude.shape}; expected [frames, bins]")
    bins = _validate.fft_length(fft_length, frame_length, maximum=spectral.MAX_FFT_LENGTH) // 2 + 1
    if magnitude.shape[1] != bins:
        raise ValueError(
            f"magnitude has {magnitude.shape[1]} bins but frame_length={frame_length}, "
            f"fft_length={fft_length} give {bins}; pass the STFT parameters it was made with"
        )
    return magnitude


def _check_iterations(n_iter, momentum, seed):
    n_iter = _validate.non_negative_int(
        n_iter, "n_iter", maximum=10_000, what="the number of round trips, e.g. n_iter=32"
    )
    momentum = _validate.number(
        momentum, "momentum", minimum=0, maximum=1, what="0 for classic Griffin-Lim, 0.99 for the fast one"
    )
    if momentum == 1:
        raise ValueError("momentum=1.0 must be below 1 (it would never settle); use 0.99 for fast Griffin-Lim")
    return n_iter, momentum, _validate.integer(seed, "seed", what="e.g. seed=0")
