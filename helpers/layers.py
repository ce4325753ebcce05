"""The two Keras layers every course model is built from: its spectrogram and its labelled output.

:class:`LogMelSpectrogram` makes the model take raw waveforms (the features travel with it);
:class:`LabelledDense` makes it remember its class names. Both are registered with Keras
(package ``helpers``), so a saved ``.keras`` model loads once ``helpers.models`` (which imports
this module) is imported. Used in: helpers.models.cnn / rnn, and every model they build.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from helpers import spectral


@keras.saving.register_keras_serializable(package="helpers")
class LogMelSpectrogram(keras.layers.Layer):
    """Waveforms ``[batch, samples]`` → normalised log-mel spectrograms ``[batch, frames, n_mels]``.

    The steps of notebooks 02, 03 and 09 inside the model, with the same ``helpers.spectral``
    functions (so the two cannot drift): ``tf.signal.stft`` of the batch (Hann window),
    ``spectral.power``, ``spectral.mel_spectrogram`` (librosa's Slaney filter bank),
    ``spectral.to_db`` (``10 log10(mel + 1e-10)``) clipped ``top_db`` below each clip's peak
    (``axis=(-2, -1)``), then per-example standardisation (zero mean, unit variance over the
    whole spectrogram: the loudness of a recording no longer matters).

    Parameters
    ----------
    sr : int
        Sample rate the model expects, in Hz.
    frame_length, frame_step, fft_length : int
        STFT parameters in samples (``fft_length`` defaults to the next power of two).
    n_mels : int
        Mel bands.
    fmin, fmax : float
        Frequency range of the mel bands in Hz (``fmax`` defaults to ``sr / 2``).
    top_db : float
        Dynamic range kept below each clip's loudest value, in dB.

    Examples
    --------
    >>> import numpy as np
    >>> layer = LogMelSpectrogram(sr=8000, frame_length=256, frame_step=128, n_mels=40)
    >>> layer(np.zeros((2, 8000), np.float32)).shape
    TensorShape([2, 61, 40])

    Used in: 06_speech_digits (and inside every model that helpers.models.cnn and rnn build).
    """

    def __init__(
        self,
        sr: int = 16000,
        frame_length: int = 512,
        frame_step: int = 256,
        fft_length: int | None = None,
        n_mels: int = 40,
        fmin: float = 0.0,
        fmax: float | None = None,
        top_db: float = 80.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.sr, self.frame_length, self.frame_step = int(sr), int(frame_length), int(frame_step)
        self.fft_length = int(fft_length or 1 << (int(frame_length) - 1).bit_length())
        self.n_mels, self.fmin, self.fmax, self.top_db = int(n_mels), float(fmin), fmax, float(top_db)
        spectral.mel_filterbank(self.sr, self.fft_length, self.n_mels, self.fmin, fmax)  # checks the arguments now

    def call(self, waveforms):
        S = tf.signal.stft(
            waveforms,
            frame_length=self.frame_length,
            frame_step=self.frame_step,
            fft_length=self.fft_length,
            window_fn=spectral.WINDOWS["hann"],
        )  # a batch of clips
        mel = spectral.mel_spectrogram(spectral.power(S), self.sr, self.fft_length, self.n_mels, self.fmin, self.fmax)
        # 1e-10 is added, not only a floor, as this layer always did: saved models keep their features
        db = spectral.to_db(mel + 1e-10, ref=1.0, amin=1e-10, top_db=self.top_db, kind="power", axis=(-2, -1))
        mean, var = tf.nn.moments(db, axes=[-2, -1], keepdims=True)
        return (db - mean) / tf.sqrt(var + 1e-6)

    def n_frames(self, clip_samples: int) -> int:
        """Frames the layer makes from ``clip_samples`` samples (``center=False``)."""
        return 1 + (clip_samples - self.frame_length) // self.frame_step

    def get_config(self):
        return {
            **super().get_config(),
            "sr": self.sr,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "n_mels": self.n_mels,
            "fmin": self.fmin,
            "fmax": self.fmax,
            "top_db": self.top_db,
        }


@keras.saving.register_keras_serializable(package="helpers")
class LabelledDense(keras.layers.Dense):
    """A softmax ``Dense`` output layer that also stores the class names (saved with the model).

    Used in: helpers.models.cnn / rnn; read back with :func:`class_names_of`.
    """

    def __init__(self, class_names, **kwargs):
        kwargs.setdefault("activation", "softmax")
        super().__init__(units=len(class_names), **{k: v for k, v in kwargs.items() if k != "units"})
        self.class_names = [str(c) for c in class_names]

    def get_config(self):
        return {**super().get_config(), "class_names": self.class_names}
