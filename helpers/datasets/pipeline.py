"""The ``tf.data`` input pipeline of the ML notebooks: clips in, batches of fixed-length waveforms out.

Read :func:`to_dataset` top to bottom: it is the chain notebook 06 writes by hand,

    from_tensor_slices -> map(decode) -> map(fix_length) -> cache -> shuffle -> batch -> prefetch

Decoding happens once: ``cache()`` keeps the decoded, fixed-length clips in memory after the
first epoch, so later epochs only shuffle and batch. The spectrogram is not computed here but by
the model itself (``helpers.models.LogMelSpectrogram``), so training and inference cannot drift.
Every argument is checked first (:mod:`helpers.datasets.examples`), so a mistake is a clear
``ValueError``/``TypeError`` rather than a TensorFlow error in the middle of an epoch.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from helpers import audio
from helpers.datasets.examples import checked_examples


def to_dataset(
    clips,
    labels,
    sr: int,
    clip_samples: int,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int = 0,
    class_names=None,
) -> tf.data.Dataset:
    """A batched ``tf.data`` pipeline of ``(waveforms [batch, clip_samples], labels [batch])``.

    Files are decoded (``tf.audio.decode_wav`` when every file is a 16-bit PCM WAV already at
    ``sr``; otherwise soundfile + librosa resampling through ``tf.numpy_function``), mixed to
    mono, cut or zero-padded at the end to ``clip_samples``, cached in memory after the first
    pass, optionally shuffled (reproducibly, a new order each epoch), batched and prefetched.

    Parameters
    ----------
    clips : list of paths, or array [n, samples]
        Files to read (checked first with :func:`check_files`), or waveforms already at ``sr``.
    labels : array-like of int, [n]
        Class indices ``0 … n_classes - 1``.
    sr : int
        The model's sample rate in Hz; files at another rate are resampled to it.
    clip_samples : int
        Fixed length of every example, e.g. ``sr`` for one-second clips.
    batch_size, shuffle, seed
        Batching and shuffling (use ``shuffle=True`` for training only).
    class_names : list of str, optional
        When given, every label must index it and the names must be distinct.

    Examples
    --------
    >>> ds = to_dataset(np.zeros((4, 100), np.float32), [0, 1, 0, 1], sr=8000, clip_samples=80, batch_size=2)
    >>> [tuple(x.shape) for x, y in ds]
    [(2, 80), (2, 80)]

    Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres, 10_augmentation, 12_deployment,
    python -m helpers.train / helpers.evaluate.
    """
    ex = checked_examples(clips, labels, sr, clip_samples, batch_size, shuffle, seed, class_names)
    if ex.waveforms is not None:
        ds = tf.data.Dataset.from_tensor_slices((ex.waveforms, ex.labels))
    else:
        decode = _decoder(ex.infos, ex.sr)
        ds = tf.data.Dataset.from_tensor_slices(([str(p) for p in ex.paths], ex.labels))
        ds = ds.map(lambda path, label: (decode(path), label), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda y, label: (fix_length(y, ex.clip_samples), label)).cache()
    if ex.shuffle:
        ds = ds.shuffle(len(ex.labels), seed=ex.seed, reshuffle_each_iteration=True)
    return ds.batch(ex.batch_size).prefetch(tf.data.AUTOTUNE)


@tf.autograph.experimental.do_not_convert  # plain TensorFlow ops: nothing for AutoGraph to rewrite
def fix_length(y, clip_samples: int) -> tf.Tensor:
    """Cut ``y`` (``[samples]``) to its first ``clip_samples`` samples, or zero-pad its end to that.

    A float32 tensor of static length, in eager code and inside ``tf.data``; the cut-or-pad
    itself is ``helpers.audio.fix_length``, the course's only one.

    Used in: helpers.datasets.to_dataset, 06_speech_digits, 10_augmentation, 12_deployment.
    """
    return audio.fix_length(tf.convert_to_tensor(y, tf.float32), clip_samples)


def _decoder(infos, sr: int):
    """A function ``path tensor -> mono float32 waveform at sr`` for these files."""
    if all(i.format == "WAV" and i.subtype == "PCM_16" and i.samplerate == sr for i in infos):
        return lambda path: tf.reduce_mean(tf.audio.decode_wav(tf.io.read_file(path)).audio, axis=-1)

    def read(path):
        return audio.load(path.decode(), sr=sr)[0]

    def decode(path):
        y = tf.numpy_function(read, [path], tf.float32, stateful=False)
        return tf.ensure_shape(y, [None])

    return decode


def to_arrays(ds: tf.data.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """All ``(waveforms, labels)`` of a batched data set as two NumPy arrays (for plots and playback).

    Used in: python -m helpers.train --augment pitch (the clips to shift, as arrays).
    """
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in ds], strict=True)
    return np.concatenate(xs), np.concatenate(ys)
