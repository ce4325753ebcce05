"""Spectrograms with TensorFlow: STFT and its inverse, magnitude, power, dB, normalisation, mel.

Every function takes NumPy arrays or tensors and returns a ``tf.Tensor``. Layouts follow
TensorFlow: ``[frames, bins]`` (librosa's arrays are ``[bins, frames]``: transpose to compare).
Parameter names are those of ``tf.signal.stft``: ``frame_length`` (librosa's ``win_length``),
``frame_step`` (``hop_length``) and ``fft_length`` (``n_fft``).

Arguments are checked by ``helpers._validate`` (clear ``ValueError``/``TypeError``). Inside
``tf.function`` or ``tf.data`` the values of a tensor are not known when the Python code runs:
there only what the static shape and dtype show is checked in Python, and NaN/Inf or a clip
shorter than a frame are caught by graph assertions (``tf.debugging``), which raise
``tf.errors.InvalidArgumentError`` with the same message when the graph runs.
"""

from __future__ import annotations

import librosa
import numpy as np
import tensorflow as tf

from helpers import _validate
from helpers import _validate_tf as _vtf
from helpers._validate_tf import MAX_FFT_LENGTH, MAX_STFT_VALUES
from helpers.audio import fix_length

WINDOWS = {
    "hann": tf.signal.hann_window,
    "hamming": tf.signal.hamming_window,
    "kaiser": tf.signal.kaiser_window,
    "vorbis": tf.signal.vorbis_window,
    "rectangular": lambda frame_length, dtype=tf.float32: tf.ones([frame_length], dtype=dtype),
}
_FRAME = "the number of samples per frame, e.g. 1024"
_STEP = "the number of samples between frame starts (the hop), e.g. 256"


def stft(
    y,
    frame_length: int = 1024,
    frame_step: int = 256,
    fft_length: int | None = None,
    window: str = "hann",
    center: bool = False,
) -> tf.Tensor:
    """Short-time Fourier transform of a mono signal with ``tf.signal.stft``.

    Parameters
    ----------
    y : array-like or tf.Tensor, shape [samples]
        Mono audio (integer PCM is scaled to [-1, 1]).
    frame_length : int
        Samples per analysis frame (window length), at most ``MAX_FFT_LENGTH``.
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
        Refused before any memory is spent when it would hold more than ``MAX_STFT_VALUES``.

    Examples
    --------
    >>> S = stft(np.zeros(22050, np.float32), frame_length=1024, frame_step=256)
    >>> S.shape
    TensorShape([83, 513])

    Used in: 02_stft, and every notebook after it.
    """
    frame_length, frame_step, fft_length, window, center = _frame_args(
        frame_length, frame_step, fft_length, window, center
    )
    y = _vtf.signal_tensor(y, frame_length, frame_step, fft_length, center)
    if center:
        y = tf.pad(y, [[frame_length // 2, frame_length // 2]])
    return tf.signal.stft(
        y, frame_length=frame_length, frame_step=frame_step, fft_length=fft_length, window_fn=WINDOWS[window]
    )


def _frame_args(frame_length, frame_step, fft_length, window, center):
    """The STFT parameters, checked and as Python values."""
    frame_length = _validate.positive_int(frame_length, "frame_length", maximum=MAX_FFT_LENGTH, what=_FRAME)
    frame_step = _validate.positive_int(frame_step, "frame_step", maximum=MAX_FFT_LENGTH, what=_STEP)
    fft_length = _validate.fft_length(fft_length, frame_length, maximum=MAX_FFT_LENGTH)
    window = _validate.choice(window, "window", WINDOWS)
    return frame_length, frame_step, fft_length, window, _validate.boolean(center, "center")


def istft(
    S,
    frame_length: int = 1024,
    frame_step: int = 256,
    fft_length: int | None = None,
    window: str = "hann",
    center: bool = False,
    length: int | None = None,
) -> tf.Tensor:
    """Invert stft: inverse FFT of each frame, window, overlap-add, divide by the windows.

    Dividing by the sum of the squared windows actually present at each sample (librosa's
    method) rebuilds the edges too; ``tf.signal.inverse_stft`` with ``inverse_stft_window_fn``
    assumes full overlap everywhere and comes back too quiet near the ends (02_stft shows both).
    Samples covered by almost no window (the very first ones with ``center=False``) are
    left attenuated rather than amplified. ``length`` trims or zero-pads the result.

    ``S`` must be the complex ``[frames, fft_length // 2 + 1]`` STFT (not librosa's
    ``[bins, frames]``, not a magnitude: for that see ``helpers.phase.griffin_lim``), finite and
    with at least one frame.

    Examples
    --------
    >>> y = np.random.default_rng(0).standard_normal(4000).astype(np.float32)
    >>> back = istft(stft(y, 512, 128, center=True), 512, 128, center=True, length=4000)
    >>> float(np.abs(back.numpy() - y).max()) < 1e-5
    True

    Used in: 02_stft, 11_phase_reconstruction, the STFT explorer.
    """
    frame_length, frame_step, fft_length, window, center = _frame_args(
        frame_length, frame_step, fft_length, window, center
    )
    if length is not None:
        length = _validate.positive_int(length, "length", maximum=MAX_STFT_VALUES, what="the number of samples")
    S = _vtf.stft_matrix(S, fft_length, frame_step)
    w = WINDOWS[window](frame_length)
    frames = tf.signal.irfft(S, fft_length=[fft_length])[..., :frame_length] * w
    y = tf.signal.overlap_and_add(frames, frame_step)
    envelope = tf.signal.overlap_and_add(tf.tile(tf.square(w)[tf.newaxis], [tf.shape(S)[0], 1]), frame_step)
    y = y / tf.maximum(envelope, 1e-3 * tf.reduce_max(envelope))
    if center:
        y = y[frame_length // 2 :]
    return y if length is None else fix_length(y, length)


def magnitude(S) -> tf.Tensor:
    """``|S|``, the magnitude of a complex STFT (``tf.abs``). Used in: 02_stft."""
    return tf.abs(_vtf.any_tensor(S, "S"))


def power(S) -> tf.Tensor:
    """``|S|**2``, the power of a complex STFT. Used in: 02_stft, 04_visualization, 09_mel_mfcc."""
    return tf.math.square(magnitude(S))


def to_db(
    S, ref="max", amin: float = 1e-5, top_db: float | None = 80.0, kind: str = "amplitude", axis=None
) -> tf.Tensor:
    """Decibels of a magnitude (``kind="amplitude"``) or power (``kind="power"``) spectrogram.

    Same conventions as ``librosa.amplitude_to_db`` / ``librosa.power_to_db``: values below
    ``amin`` (an amplitude; squared for power) are raised to it, ``ref`` maps to 0 dB, and
    ``top_db`` clips everything more than that many dB below the peak (``None`` keeps all).

    Parameters
    ----------
    S : array-like or tf.Tensor, real and >= 0
        A magnitude ``|S|`` or power ``|S|**2``; a complex STFT is refused (take its magnitude).
    ref : "max", a number > 0, or a callable
        ``"max"`` (or ``np.max``, librosa's idiom): the largest value, over ``axis``; a number:
        that value; another callable (e.g. ``np.median``): ``ref(S)``, eager mode only.
    amin, top_db : float
        Floor (> 0) and dynamic range (>= 0, or None).
    kind : "amplitude" or "power"
    axis : None, int or tuple of ints
        Where ``"max"`` and ``top_db`` look for the peak: ``None``, the whole array (librosa);
        ``axis=(-2, -1)`` on a ``[batch, frames, bins]`` batch, each clip's own peak (the model's
        log-mel layer). Graph-safe: works inside ``tf.function`` and Keras layers.

    Examples
    --------
    >>> to_db(np.array([1.0, 0.1, 1e-9])).numpy()
    array([  0., -20., -80.], dtype=float32)
    >>> to_db(np.array([[1.0, 0.1], [10.0, 1.0]]), axis=-1).numpy()
    array([[  0., -20.],
           [  0., -20.]], dtype=float32)

    Used in: 03_normalization, 04_visualization, helpers.models.
    """
    kind = _validate.choice(kind, "kind", ("amplitude", "power"))
    amin = _validate.number(amin, "amin", minimum=0, what="the floor that keeps log10 away from zero, e.g. 1e-5")
    if amin == 0:
        raise ValueError("amin=0 must be > 0; it keeps log10 away from zero, e.g. amin=1e-5")
    top_db = _validate.number(
        top_db,
        "top_db",
        minimum=0,
        allow_none=True,
        what="the dynamic range kept below the peak in dB, e.g. 80 (None keeps all)",
    )
    S = _vtf.spectrogram(S, "S", "a magnitude |S| or a power |S|**2 (dB values are negative: undo them first)")
    axis = _vtf.axes(axis, S.shape.rank)
    ref_value = _ref_value(ref, S, axis)
    if kind == "amplitude":  # 20 log10(x) == 10 log10(x**2), librosa's amplitude_to_db
        S, amin, ref_value = tf.square(S), amin**2, tf.square(ref_value)
    db = 10.0 * _log10(tf.maximum(S, amin)) - 10.0 * _log10(tf.maximum(ref_value, amin))
    if top_db is not None:
        db = tf.maximum(db, tf.reduce_max(db, axis=axis, keepdims=True) - top_db)
    return db


def _ref_value(ref, S: tf.Tensor, axis) -> tf.Tensor:
    """The 0 dB reference: a tensor that broadcasts against ``S``."""
    if ref is np.max or ref is np.amax or ref is max or ref is tf.reduce_max:
        ref = "max"
    if isinstance(ref, str):
        _validate.choice(ref, "ref", ["max"])
        return tf.reduce_max(S, axis=axis, keepdims=True)
    if callable(ref):
        if _vtf.symbolic(S):
            raise TypeError(
                f"ref={_validate.show(ref)} can only be called eagerly; inside tf.function use ref='max' or a number"
            )
        value = np.asarray(ref(S.numpy()) if axis is None else ref(S.numpy(), axis=axis, keepdims=True))
        if value.dtype.kind not in "iuf" or not np.all(np.isfinite(value)) or np.any(value < 0):
            raise ValueError(
                f"ref={_validate.show(ref)} gave {_validate.show(value)}, not a finite value >= 0; "
                "use ref='max' or a positive number"
            )
        return tf.constant(value, tf.float32)
    if tf.is_tensor(ref) and _vtf.symbolic(ref):
        return tf.cast(ref, tf.float32)
    ref = ref.numpy() if hasattr(ref, "numpy") else ref
    ref = _validate.number(ref, "ref", minimum=0, what="use 'max', a callable such as np.max, or a number > 0")
    if ref == 0:
        raise ValueError("ref=0 must be > 0 (it becomes 0 dB); use ref='max' or e.g. ref=1.0")
    return tf.constant(ref, tf.float32)


def normalize(S, eps: float = 1e-8) -> tf.Tensor:
    """Global min-max normalisation, ``(S - min) / (max - min + eps)``, into [0, 1].

    ``eps`` (>= 0) keeps a constant input (a silent clip) from dividing by zero: it gives zeros,
    also with ``eps=0``. ``S`` must be real (take the magnitude of an STFT first) and finite.
    Used in: 03_normalization.
    """
    eps = _validate.number(eps, "eps", minimum=0, what="a small number added to max - min, e.g. 1e-8")
    S = _vtf.spectrogram(S, "S", None)
    lo, hi = tf.reduce_min(S), tf.reduce_max(S)
    return tf.math.divide_no_nan(S - lo, hi - lo + eps)


def frame_times(n_frames: int, sr: int, frame_step: int) -> np.ndarray:
    """Time in seconds of each frame index, ``t * frame_step / sr``.

    That is the frame's centre with ``center=True`` and its start with ``center=False``
    (like ``librosa.frames_to_time``).

    >>> frame_times(3, sr=100, frame_step=50)
    array([0. , 0.5, 1. ])

    Used in: 02_stft, helpers.plots.
    """
    n_frames = _validate.non_negative_int(n_frames, "n_frames", maximum=MAX_STFT_VALUES, what="a count of frames")
    sr = _validate.sample_rate(sr, "sr")
    frame_step = _validate.positive_int(frame_step, "frame_step", maximum=MAX_FFT_LENGTH, what=_STEP)
    return np.arange(n_frames) * frame_step / sr


def bin_frequencies(fft_length: int, sr: int) -> np.ndarray:
    """Frequency in Hz of each STFT bin, ``k * sr / fft_length`` for k = 0 … fft_length // 2.

    >>> bin_frequencies(4, sr=8)
    array([0., 2., 4.])

    Used in: 02_stft, helpers.plots.
    """
    fft_length = _validate.positive_int(
        fft_length, "fft_length", maximum=MAX_FFT_LENGTH, what="the FFT size in samples, e.g. 1024"
    )
    return np.arange(fft_length // 2 + 1) * _validate.sample_rate(sr, "sr") / fft_length


def mel_filterbank(
    sr: int, fft_length: int, n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None, htk: bool = False
) -> tf.Tensor:
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

    Used in: 06_speech_digits, helpers.models, helpers.spectral.mel_spectrogram.
    """
    sr, fft_length, n_mels, fmin, fmax, htk = _mel_args(sr, fft_length, n_mels, fmin, fmax, htk)
    fb = librosa.filters.mel(
        sr=sr, n_fft=fft_length, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=None if htk else "slaney"
    )
    return tf.constant(fb.T, tf.float32)


def _mel_args(sr, fft_length, n_mels, fmin, fmax, htk):
    """:func:`mel_filterbank`'s arguments, checked, as Python values."""
    sr = _validate.sample_rate(sr, "sr")
    fft_length = _validate.positive_int(
        fft_length, "fft_length", maximum=MAX_FFT_LENGTH, what="the FFT size of the spectrogram, e.g. 1024"
    )
    n_mels = _validate.positive_int(n_mels, "n_mels", maximum=1024, what="the number of mel bands, e.g. 64")
    fmin = _validate.number(fmin, "fmin", minimum=0, what="the lowest frequency in Hz, e.g. 0.0")
    fmax = _validate.number(fmax, "fmax", minimum=0, allow_none=True, what="the highest frequency in Hz or None")
    top = sr / 2 if fmax is None else fmax
    if not fmin < top <= sr / 2:
        raise ValueError(
            f"need 0 <= fmin < fmax <= sr / 2, got fmin={fmin}, fmax={fmax}, sr={sr}; e.g. fmin=0.0, fmax={sr / 2}"
        )
    return sr, fft_length, n_mels, fmin, fmax, _validate.boolean(htk, "htk")


def mel_spectrogram(
    S_power,
    sr: int,
    fft_length: int,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
) -> tf.Tensor:
    """Mel power spectrogram ``[..., frames, n_mels]`` from a power spectrogram ``[..., frames, bins]``.

    ``S_power @ mel_filterbank(...)``; equals ``librosa.feature.melspectrogram(S=S_power.T, ...)``
    transposed (same arguments, float precision). A complex STFT or negative values are refused:
    pass ``power(S)``.

    Examples
    --------
    >>> mel_spectrogram(np.ones((10, 257)), sr=16000, fft_length=512, n_mels=40).shape
    TensorShape([10, 40])

    Used in: 09_mel_mfcc, helpers.models.
    """
    bank = mel_filterbank(sr, fft_length, n_mels, fmin, fmax, htk)
    S_power = _vtf.spectrogram(
        S_power, "S_power", "a power spectrogram |S|**2: pass helpers.spectral.power(S)", graph_check=False
    )
    bins = S_power.shape[-1] if S_power.shape.rank else None
    if bins is not None and bins != fft_length // 2 + 1:
        raise ValueError(
            f"S_power has {bins} bins but fft_length={fft_length} gives {fft_length // 2 + 1}; "
            f"pass the fft_length the spectrogram was computed with, e.g. {2 * (bins - 1)}"
        )
    return tf.linalg.matmul(S_power, bank)


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
    n_mfcc = _validate.positive_int(n_mfcc, "n_mfcc", maximum=1024, what="the number of coefficients kept, e.g. 13")
    log_mel = _vtf.spectrogram(log_mel, "log_mel", None, graph_check=False)
    n_mels = log_mel.shape[-1] if log_mel.shape.rank else None
    if n_mels is not None and n_mfcc > n_mels:
        raise ValueError(
            f"n_mfcc={n_mfcc} is more than the {n_mels} mel bands of log_mel; "
            f"use n_mfcc <= {n_mels} (13 or 20 are usual)"
        )
    return tf.signal.dct(log_mel, type=2, norm="ortho")[..., :n_mfcc]


def _log10(x):
    return tf.math.log(x) / tf.math.log(tf.constant(10.0, x.dtype))
