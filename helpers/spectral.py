"""Spectrograms with TensorFlow: STFT and its inverse, magnitude, power, dB, normalisation, mel.

Every function takes NumPy arrays or tensors and returns a ``tf.Tensor``. Layouts follow
TensorFlow: ``[frames, bins]`` (librosa's arrays are ``[bins, frames]``: transpose to compare).
Parameter names are those of ``tf.signal.stft``: ``frame_length`` (librosa's ``win_length``),
``frame_step`` (``hop_length``) and ``fft_length`` (``n_fft``).
"""

from __future__ import annotations

import librosa
import numpy as np
import tensorflow as tf

from helpers.audio import check_signal

WINDOWS = {
    "hann": tf.signal.hann_window,
    "hamming": tf.signal.hamming_window,
    "kaiser": tf.signal.kaiser_window,
    "vorbis": tf.signal.vorbis_window,
    "rectangular": lambda frame_length, dtype=tf.float32: tf.ones([frame_length], dtype=dtype),
}


def stft(y, frame_length: int = 1024, frame_step: int = 256, fft_length: int | None = None,
         window: str = "hann", center: bool = False) -> tf.Tensor:
    """Short-time Fourier transform of a mono signal with ``tf.signal.stft``.

    Parameters
    ----------
    y : array-like or tf.Tensor, shape [samples]
        Mono audio.
    frame_length : int
        Samples per analysis frame (window length).
    frame_step : int
        Samples between the starts of two frames (hop).
    fft_length : int or None
        FFT size, ``>= frame_length``; frames are zero-padded to it. ``None`` takes the
        smallest power of two ``>= frame_length``, as TensorFlow does.
    window : str
        One of ``WINDOWS``: ``"hann"`` (periodic, like librosa's), ``"hamming"``, ``"kaiser"``,
        ``"vorbis"``, ``"rectangular"``.
    center : bool
        ``True`` pads ``frame_length // 2`` zeros at both ends so frame ``t`` is centred on
        sample ``t * frame_step``, like ``librosa.stft(center=True, pad_mode="constant")``.

    Returns
    -------
    tf.Tensor, complex64, shape [frames, fft_length // 2 + 1]

    Examples
    --------
    >>> S = stft(np.zeros(22050, np.float32), frame_length=1024, frame_step=256)
    >>> S.shape
    TensorShape([83, 513])

    Used in: 02_stft, and every notebook after it.
    """
    y, fft_length = _checked_stft_args(y, frame_length, frame_step, fft_length, window, center)
    if center:
        y = tf.pad(y, [[frame_length // 2, frame_length // 2]])
    return tf.signal.stft(y, frame_length=frame_length, frame_step=frame_step,
                          fft_length=fft_length, window_fn=WINDOWS[window])


def istft(S, frame_length: int = 1024, frame_step: int = 256, fft_length: int | None = None,
          window: str = "hann", center: bool = False, length: int | None = None) -> tf.Tensor:
    """Invert :func:`stft`: inverse FFT of each frame, window, overlap-add, divide by the windows.

    Dividing by the sum of the squared windows actually present at each sample (librosa's
    method) rebuilds the edges too; ``tf.signal.inverse_stft`` with ``inverse_stft_window_fn``
    assumes full overlap everywhere and comes back too quiet near the ends (02_stft shows both).
    Samples covered by almost no window (the very first ones with ``center=False``) are
    left attenuated rather than amplified. ``length`` trims or zero-pads the result.

    Examples
    --------
    >>> y = np.random.default_rng(0).standard_normal(4000).astype(np.float32)
    >>> back = istft(stft(y, 512, 128, center=True), 512, 128, center=True, length=4000)
    >>> float(np.abs(back.numpy() - y).max()) < 1e-5
    True

    Used in: 02_stft, 11_phase_reconstruction, the STFT explorer.
    """
    _check_positive_int(frame_length, "frame_length")
    _check_positive_int(frame_step, "frame_step")
    fft_length = _checked_fft_length(fft_length, frame_length)
    S = tf.convert_to_tensor(S, tf.complex64)
    w = _window_fn(window)(frame_length)
    frames = tf.signal.irfft(S, fft_length=[fft_length])[..., :frame_length] * w
    y = tf.signal.overlap_and_add(frames, frame_step)
    envelope = tf.signal.overlap_and_add(tf.tile(tf.square(w)[tf.newaxis], [tf.shape(S)[0], 1]), frame_step)
    y = y / tf.maximum(envelope, 1e-3 * tf.reduce_max(envelope))
    if center:
        y = y[frame_length // 2:]
    if length is not None:
        y = y[:length]
        y = tf.pad(y, [[0, length - tf.shape(y)[0]]])
    return y


def magnitude(S) -> tf.Tensor:
    """``|S|``, the magnitude of a complex STFT (``tf.abs``). Used in: 02_stft."""
    return tf.abs(tf.convert_to_tensor(S))


def power(S) -> tf.Tensor:
    """``|S|**2``, the power of a complex STFT. Used in: 02_stft, 03_normalization."""
    return tf.math.square(magnitude(S))


def to_db(S, ref="max", amin: float = 1e-5, top_db: float | None = 80.0, kind: str = "amplitude") -> tf.Tensor:
    """Decibels of a magnitude (``kind="amplitude"``) or power (``kind="power"``) spectrogram.

    Same conventions as ``librosa.amplitude_to_db`` / ``librosa.power_to_db``: values below
    ``amin`` (an amplitude; squared for power) are raised to it, ``ref`` (a number, or ``"max"``
    for the largest value) maps to 0 dB, and ``top_db`` clips everything more than that many
    dB below the peak (``None`` keeps all).

    Examples
    --------
    >>> to_db(np.array([1.0, 0.1, 1e-9])).numpy()
    array([  0., -20., -80.], dtype=float32)

    Used in: 03_normalization, 04_visualization.
    """
    if kind not in ("amplitude", "power"):
        raise ValueError(f"kind={kind!r}; use 'amplitude' for |S| or 'power' for |S|**2")
    if amin <= 0:
        raise ValueError(f"amin={amin!r} must be > 0; it keeps log10 away from zero, e.g. 1e-5")
    if top_db is not None and top_db < 0:
        raise ValueError(f"top_db={top_db!r} must be >= 0 (or None for no clipping), e.g. 80")
    S = _as_float32(S)
    if kind == "amplitude":  # 20 log10(x) == 10 log10(x**2), librosa's amplitude_to_db
        S, amin = tf.square(S), amin**2
        ref = ref if isinstance(ref, str) else ref**2
    ref_value = tf.reduce_max(S) if isinstance(ref, str) else tf.constant(ref, tf.float32)
    db = 10.0 * _log10(tf.maximum(S, amin)) - 10.0 * _log10(tf.maximum(ref_value, amin))
    if top_db is not None:
        db = tf.maximum(db, tf.reduce_max(db) - top_db)
    return db


def normalize(S, eps: float = 1e-8) -> tf.Tensor:
    """Global min-max normalisation, ``(S - min) / (max - min + eps)``, into [0, 1].

    ``eps`` keeps a constant input (a silent clip) from dividing by zero: it gives zeros.
    Used in: 03_normalization.
    """
    S = _as_float32(S)
    tf.debugging.assert_all_finite(S, "normalize: S holds NaN or Inf; check the step that made it")
    lo, hi = tf.reduce_min(S), tf.reduce_max(S)
    return (S - lo) / (hi - lo + eps)


def frame_times(n_frames: int, sr: int, frame_step: int) -> np.ndarray:
    """Time in seconds of each frame index, ``t * frame_step / sr``.

    That is the frame's centre with ``center=True`` and its start with ``center=False``
    (like ``librosa.frames_to_time``). Used in: 02_stft, helpers.plots.
    """
    return np.arange(n_frames) * frame_step / sr


def bin_frequencies(fft_length: int, sr: int) -> np.ndarray:
    """Frequency in Hz of each STFT bin, ``k * sr / fft_length`` for k = 0 … fft_length // 2.

    Used in: 02_stft, helpers.plots.
    """
    return np.arange(fft_length // 2 + 1) * sr / fft_length


def mel_filterbank(sr: int, fft_length: int, n_mels: int = 128, fmin: float = 0.0,
                   fmax: float | None = None, htk: bool = False) -> tf.Tensor:
    """Mel filter bank ``[bins, n_mels]`` from ``librosa.filters.mel``, in TensorFlow's layout.

    Parameters
    ----------
    sr, fft_length : int
        Sample rate (Hz) and FFT size of the spectrogram it will multiply.
    n_mels : int
        Number of triangular filters.
    fmin, fmax : float
        Lowest and highest frequency (Hz) covered; ``fmax=None`` means ``sr / 2``.
    htk : bool
        ``False`` (librosa's default): Slaney mel scale, each triangle scaled to unit area.
        ``True``: HTK scale ``2595 log10(1 + f / 700)`` with unit-peak triangles, close to (not
        equal to) ``tf.signal.linear_to_mel_weight_matrix``, which draws its triangles on the mel
        axis rather than in hertz.

    Returns
    -------
    tf.Tensor, float32, shape [fft_length // 2 + 1, n_mels]
        librosa's ``[n_mels, bins]`` matrix transposed, so ``power @ bank`` works on ``[frames, bins]``.

    Examples
    --------
    >>> mel_filterbank(sr=16000, fft_length=512, n_mels=40).shape
    TensorShape([257, 40])

    Used in: 09_mel_mfcc, helpers.models.
    """
    _check_mel_args(sr, fft_length, n_mels, fmin, fmax)
    fb = librosa.filters.mel(sr=sr, n_fft=fft_length, n_mels=n_mels, fmin=fmin, fmax=fmax,
                             htk=htk, norm=None if htk else "slaney")
    return tf.constant(fb.T, tf.float32)


def mel_spectrogram(S_power, sr: int, fft_length: int, n_mels: int = 128, fmin: float = 0.0,
                    fmax: float | None = None, htk: bool = False) -> tf.Tensor:
    """Mel power spectrogram ``[..., frames, n_mels]`` from a power spectrogram ``[..., frames, bins]``.

    ``S_power @ mel_filterbank(...)``; equals ``librosa.feature.melspectrogram(S=S_power.T, ...)``
    transposed (same arguments, float precision).

    Examples
    --------
    >>> mel_spectrogram(np.ones((10, 257)), sr=16000, fft_length=512, n_mels=40).shape
    TensorShape([10, 40])

    Used in: 09_mel_mfcc, helpers.models.
    """
    S_power = _as_float32(S_power)
    bins = S_power.shape[-1] if S_power.shape.rank else None
    if bins is not None and bins != fft_length // 2 + 1:
        raise ValueError(f"S_power has {bins} bins but fft_length={fft_length} gives {fft_length // 2 + 1}; "
                         f"pass the fft_length the spectrogram was computed with, e.g. {2 * (bins - 1)}")
    return tf.linalg.matmul(S_power, mel_filterbank(sr, fft_length, n_mels, fmin, fmax, htk))


def mfcc(log_mel, n_mfcc: int = 13) -> tf.Tensor:
    """MFCCs ``[..., frames, n_mfcc]`` from a log-mel spectrogram in dB, with an orthonormal DCT-II.

    With ``log_mel = to_db(mel, kind="power", ref=1.0, top_db=None)`` this equals
    ``librosa.feature.mfcc(S=log_mel.T, n_mfcc=n_mfcc)`` transposed.
    ``tf.signal.mfccs_from_log_mel_spectrograms`` instead takes natural-log mels and scales
    coefficient 0 by ``sqrt(2)`` more: ``librosa == 10 / ln(10) * tf`` (÷ ``sqrt(2)`` for c0).

    Examples
    --------
    >>> mfcc(np.zeros((5, 40)), n_mfcc=13).shape
    TensorShape([5, 13])

    Used in: 09_mel_mfcc.
    """
    log_mel = _as_float32(log_mel)
    n_mels = log_mel.shape[-1] if log_mel.shape.rank else None
    _check_count(n_mfcc, "n_mfcc", 13)
    if n_mels is not None and n_mfcc > n_mels:
        raise ValueError(f"n_mfcc={n_mfcc} is more than the {n_mels} mel bands of log_mel; "
                         f"use n_mfcc <= {n_mels} (13 or 20 are usual)")
    return tf.signal.dct(log_mel, type=2, norm="ortho")[..., :n_mfcc]


def _check_count(value, name: str, example: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name}={value!r} must be a positive integer, e.g. {name}={example}")


def _check_mel_args(sr, fft_length, n_mels, fmin, fmax) -> None:
    """Validate :func:`mel_filterbank`'s arguments with messages a student can act on."""
    _check_count(sr, "sr", 16000)
    _check_positive_int(fft_length, "fft_length")
    _check_count(n_mels, "n_mels", 64)
    top = sr / 2 if fmax is None else fmax
    if not 0 <= fmin < top <= sr / 2:
        raise ValueError(f"need 0 <= fmin < fmax <= sr / 2, got fmin={fmin}, fmax={fmax}, sr={sr}; "
                         f"e.g. fmin=0.0, fmax={sr / 2}")


def _as_float32(x) -> tf.Tensor:
    """Any real array or tensor (float64 included) as a float32 tensor."""
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def _log10(x):
    return tf.math.log(x) / tf.math.log(tf.constant(10.0, x.dtype))


def _window_fn(window: str):
    if window not in WINDOWS:
        raise ValueError(f"window={window!r} is not supported; choose one of {sorted(WINDOWS)}")
    return WINDOWS[window]


def _check_positive_int(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name}={value!r} must be a positive integer number of samples, e.g. {name}=1024")


def _checked_fft_length(fft_length, frame_length: int) -> int:
    if fft_length is None:
        return 1 << (int(frame_length) - 1).bit_length()
    _check_positive_int(fft_length, "fft_length")
    if fft_length < frame_length:
        raise ValueError(
            f"fft_length={fft_length} is smaller than frame_length={frame_length} (TensorFlow would "
            f"silently crop each frame); use fft_length >= frame_length, e.g. fft_length={frame_length}"
        )
    return int(fft_length)


def _checked_stft_args(y, frame_length, frame_step, fft_length, window, center):
    """Validate :func:`stft`'s arguments; return the signal as a tensor and the FFT length."""
    _check_positive_int(frame_length, "frame_length")
    _check_positive_int(frame_step, "frame_step")
    fft_length = _checked_fft_length(fft_length, frame_length)
    _window_fn(window)
    if isinstance(y, tf.Tensor) and not tf.executing_eagerly():
        return y, fft_length  # inside tf.function / tf.data: values are not known yet
    y = check_signal(y.numpy() if isinstance(y, tf.Tensor) else y, name="y")
    if not center and y.shape[0] < frame_length:
        raise ValueError(
            f"y has {y.shape[0]} samples, fewer than one frame (frame_length={frame_length}); "
            "use center=True to pad it, or a shorter frame_length"
        )
    return tf.convert_to_tensor(y), fft_length

