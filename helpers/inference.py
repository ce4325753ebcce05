"""Classify recordings longer than a model's clip: find the event, or slide a window and aggregate.

A model from ``helpers.models.cnn`` sees a fixed number of samples (one second for the digit
model). A real recording is seldom that: a word after 0.8 s of room noise, a 5-second
environmental clip, a 30-second song. Two remedies, both here:

* **find the event** (:func:`event_bounds`, :func:`locate`): frame energies in dB, a threshold
  between the recording's noise floor and its peak (a simple energy voice-activity detector),
  and the clip cut from just before the loudest active region, as the training clips were;
* **slide a window** (:func:`windows`, :func:`predict_windows`, :func:`predict_clip`): score
  every window and average the probabilities of the windows that hold sound (a clip-level
  label for a song or a long field recording).

:func:`predict_file` picks the first for recordings up to twice the clip and the second for
longer ones::

    name, probabilities = predict_file(model, "noisy_take.wav")
"""

from __future__ import annotations

import os

import librosa
import numpy as np
import scipy.ndimage

from helpers.audio import fix_length, load

FRAME_SECONDS, HOP_SECONDS = 0.025, 0.010  # energy frames: 25 ms every 10 ms, speech-sized
MARGIN_SECONDS, GAP_SECONDS = 0.03, 0.15  # kept before the onset; pauses inside one event
MAX_SECONDS = 3 * 3600  # longest file predict_file decodes (3 h at 16 kHz: 0.7 GB)


def frame_db(y, sr: int) -> np.ndarray:
    """Energy of 25 ms frames every 10 ms, in dB (RMS, ``20 log10``; silence at -120 dB).

    Examples
    --------
    >>> frame_db(np.ones(8000, np.float32), sr=8000)[:3].round(1)
    array([0., 0., 0.], dtype=float32)

    Used in: helpers.inference.event_bounds.
    """
    frame, hop = max(1, round(FRAME_SECONDS * sr)), max(1, round(HOP_SECONDS * sr))
    y = np.asarray(y, np.float32)
    if y.shape[0] < frame:
        y = fix_length(y, frame)
    rms = librosa.feature.rms(y=y, frame_length=frame, hop_length=hop, center=False)[0]
    return (20 * np.log10(np.maximum(rms, 1e-6))).astype(np.float32)


def event_bounds(y, sr: int, min_rise_db: float = 6.0, below_peak_db: float = 35.0) -> tuple[int, int]:
    """``(start, end)`` in samples of the loudest sound event in ``y``.

    Frames count as active when louder than both ``floor + min_rise_db`` (the floor is the
    10th percentile of the frame energies: room noise) and ``peak - below_peak_db``; pauses
    shorter than 150 ms inside a word are bridged; the active region with the most energy wins.

    Examples
    --------
    >>> y = np.r_[np.zeros(4000), np.sin(np.arange(4000) * 0.3), np.zeros(4000)].astype(np.float32)
    >>> event_bounds(y, sr=8000)  # the tone lies in samples 4000-8000; frames give 10 ms steps
    (3900, 8060)

    Used in: helpers.models.predict_file.
    """
    db = frame_db(y, sr)
    hop, frame = max(1, round(HOP_SECONDS * sr)), max(1, round(FRAME_SECONDS * sr))
    threshold = max(np.percentile(db, 10) + min_rise_db, db.max() - below_peak_db)
    active = db > threshold
    if not active.any():
        return 0, len(y)
    active = scipy.ndimage.binary_closing(active, structure=np.ones(int(GAP_SECONDS / HOP_SECONDS) + 1))
    regions, n = scipy.ndimage.label(active)
    energy = scipy.ndimage.sum(10 ** (db / 10), regions, index=np.arange(1, n + 1))
    frames = np.flatnonzero(regions == 1 + int(np.argmax(energy)))
    centre = frame // 2  # a frame stands for the 10 ms around its centre
    return int(max(0, frames[0] * hop + centre - hop // 2)), int(min(len(y), frames[-1] * hop + centre + hop // 2))


def locate(y, sr: int, clip_samples: int) -> np.ndarray:
    """``clip_samples`` samples of ``y`` holding its event, zero-padded at the end like a training clip.

    A recording no longer than the clip is only padded (nothing to choose). A longer one is
    cut from 30 ms before the onset of its loudest event (:func:`event_bounds`).

    Examples
    --------
    >>> y = np.r_[np.zeros(6400), np.sin(np.arange(4000) * 0.3)].astype(np.float32)  # 0.8 s of silence first
    >>> int(np.flatnonzero(locate(y, sr=8000, clip_samples=8000))[0])  # the tone now starts after about 40 ms
    341

    Used in: helpers.models.predict_file.
    """
    y = np.asarray(y, np.float32)
    if y.shape[0] > clip_samples:
        start = max(0, event_bounds(y, sr)[0] - round(MARGIN_SECONDS * sr))
        y = y[start : start + clip_samples]
    return fix_length(y, clip_samples)


def windows(y, clip_samples: int, hop: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, frames)``: windows ``[n, clip_samples]`` every ``hop`` samples (default half a clip).

    The last window is zero-padded to cover the end; a short ``y`` gives one padded window.
    ``frames`` is a read-only view of (a padded copy of) ``y``: no memory per window.

    Examples
    --------
    >>> starts, w = windows(np.ones(25, np.float32), clip_samples=10, hop=5)
    >>> starts.tolist(), w.shape
    ([0, 5, 10, 15], (4, 10))

    Used in: helpers.inference.predict_windows.
    """
    hop = int(hop or max(1, clip_samples // 2))
    y = np.asarray(y, np.float32)
    n = 1 + max(0, int(np.ceil((y.shape[0] - clip_samples) / hop)))
    y = fix_length(y, max(y.shape[0], (n - 1) * hop + clip_samples))
    starts = np.arange(n) * hop
    return starts, np.lib.stride_tricks.sliding_window_view(y, clip_samples)[::hop]


def predict_windows(model, y, hop: int | None = None, batch_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, probabilities [n_windows, n_classes])`` of ``model`` over windows of waveform ``y``.

    ``y`` must be at the model's sample rate. Used in: helpers.inference.predict_clip.
    """
    from helpers.models import input_format

    starts, frames = windows(y, input_format(model)[1], hop)
    return starts, _probabilities(model, frames, batch_size)


def _probabilities(model, frames: np.ndarray, batch_size: int = 64, rows=None) -> np.ndarray:
    """The model's output for ``frames[rows]`` (all by default), ``batch_size`` windows at a time."""
    rows = np.arange(len(frames)) if rows is None else rows
    return np.concatenate(
        [
            np.asarray(model(np.ascontiguousarray(frames[rows[i : i + batch_size]]), training=False))
            for i in range(0, len(rows), batch_size)
        ]
    )


def predict_clip(model, y, hop: int | None = None, below_loudest_db: float = 20.0) -> np.ndarray:
    """Clip-level probabilities: the mean over windows not more than ``below_loudest_db`` below the loudest.

    Silent windows (a pause in a song, the end of a field recording) would only add noise to
    the vote, so they are left out. Used in: helpers.models.predict_file.
    """
    from helpers.models import input_format

    clip_samples = input_format(model)[1]
    starts, frames = windows(y, clip_samples, hop)
    energy = np.r_[0.0, np.cumsum(np.asarray(y, np.float64) ** 2)]
    ends = np.minimum(starts + clip_samples, len(y))
    level = 10 * np.log10((energy[ends] - energy[np.minimum(starts, len(y))]) / clip_samples + 1e-12)
    keep = level >= level.max() - below_loudest_db
    return _probabilities(model, frames, rows=np.flatnonzero(keep)).mean(axis=0)


def _check_duration(path) -> None:
    """Refuse, before decoding, a recording longer than ``MAX_SECONDS`` (memory: 4 bytes a sample)."""
    import soundfile

    try:
        info = soundfile.info(str(path))
    except (soundfile.LibsndfileError, RuntimeError, TypeError, OSError):
        return  # helpers.audio.load says what is wrong with it
    if info.frames > MAX_SECONDS * info.samplerate:
        raise ValueError(
            f"{path} lasts {info.frames / info.samplerate / 3600:.1f} h, more than the "
            f"{MAX_SECONDS // 3600} h predict_file reads at once; cut it into parts first"
        )


def predict_file(model, path: str | os.PathLike, mode: str = "auto") -> tuple[str, np.ndarray]:
    """Classify one audio file of any length: read it at the model's rate, find the event or slide a window.

    Parameters
    ----------
    model : keras.Model
        From ``helpers.models.cnn`` / ``rnn`` (it knows its rate, clip length and class names).
    path : str or path-like
        Any file ``helpers.audio.load`` reads.
    mode : {"auto", "event", "windows"}
        ``"event"``: one clip from just before the loudest event (:func:`locate`);
        ``"windows"``: the mean over sliding windows (:func:`predict_clip`); ``"auto"``: the event
        for recordings up to twice the clip length, windows for longer ones.

    Returns
    -------
    name : str
        The most probable class.
    probabilities : np.ndarray, [n_classes]

    Examples
    --------
    >>> predict_file(model, "7_jackson_0.wav")  # doctest: +SKIP
    ('7', array([...]))

    Used in: 06_speech_digits, 12_deployment.
    """
    from helpers.models import class_names_of, input_format

    check_model(model)
    if mode not in ("auto", "event", "windows"):
        raise ValueError(f"mode={mode!r}; use 'auto', 'event' (find the sound) or 'windows' (average over the file)")
    sr = input_format(model)[0]
    _check_duration(path)
    try:
        y, _ = load(path, sr=sr)
    except ValueError as err:  # the NaN hint of helpers._validate speaks of arrays: np.nan_to_num(<a path>)
        if f"np.nan_to_num({path})" not in str(err):
            raise
        raise ValueError(
            str(err).replace(
                f"fix the computation that produced them, or replace them with np.nan_to_num({path})",
                "export the file again, or read it with helpers.audio.load and pass np.nan_to_num(y) to the model",
            )
        ) from None
    check_usable(y, model, path)
    probabilities = probabilities_of(model, y, mode)
    return class_names_of(model)[int(np.argmax(probabilities))], probabilities


def probabilities_of(model, y, mode: str = "auto") -> np.ndarray:
    """The class probabilities of waveform ``y`` (at the model's rate), chosen as :func:`predict_file` does.

    Used in: helpers.inference.predict_file, python -m helpers.evaluate.
    """
    from helpers.models import input_format

    sr, clip_samples = input_format(model)
    if mode == "windows" or (mode == "auto" and y.shape[0] > 2 * clip_samples):
        return predict_clip(model, y)
    return np.asarray(model(locate(y, sr, clip_samples)[None, :], training=False))[0]


def check_model(model) -> None:
    """``TypeError`` unless ``model`` is a loaded Keras model (a path is the usual mistake).

    Used in: helpers.inference.predict_file.
    """
    if isinstance(model, (str, bytes, os.PathLike)):
        raise TypeError(
            f"model={model!r} is a path, not a model; load it first: model = keras.models.load_model(path) "
            "(or helpers.evaluate.load_model(path), which also checks it), then predict_file(model, file)"
        )
    if not hasattr(model, "layers") or not callable(model):
        raise TypeError(
            f"model is a {type(model).__name__}, not a Keras model; pass the model from "
            "keras.models.load_model(path) or helpers.models.cnn"
        )


def check_usable(y, model, path) -> None:
    """``ValueError`` for a recording too short for one spectrogram frame, or silent (all zeros).

    Used in: helpers.inference.predict_file, python -m helpers.evaluate.
    """
    from helpers.models import LogMelSpectrogram, input_format

    sr = input_format(model)[0]
    frame = min((layer.frame_length for layer in model.layers if isinstance(layer, LogMelSpectrogram)), default=1)
    if y.shape[0] < frame:
        raise ValueError(
            f"{path} is too short: {y.shape[0]} samples at {sr} Hz, less than one spectrogram frame "
            f"({frame} samples, {frame / sr * 1000:.0f} ms); the model cannot classify it"
        )
    if not np.any(y):
        raise ValueError(
            f"{path} is silent (every sample is 0), so it holds nothing to classify; "
            "check the recording (microphone muted? wrong channel?)"
        )
