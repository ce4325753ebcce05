"""Data augmentation as TensorFlow ops that run inside ``tf.data`` (or on a GPU, inside a model).

Every random op here is *stateless*: it takes ``seed``, two integers (shape ``[2]``), and gives
the same result for the same seed, so a ``tf.data`` pipeline stays reproducible even with a
parallel ``map``. :func:`with_seeds` pairs each element of a data set with its own seed.

Waveform ops take ``[..., samples]`` and spectrogram ops ``[..., frames, bins]``: one clip, or a
batch whose clips each get their own random draw. :func:`pitch_shift` and :func:`time_stretch`
have no TensorFlow op; they call librosa through ``tf.numpy_function`` (CPU only, clip by clip,
holding Python's GIL: the augmentation notebook measures what that costs).
"""

from __future__ import annotations

import keras
import librosa
import numpy as np
import tensorflow as tf

from helpers import _quiet, _validate
from helpers.audio import fix_length


def add_noise(y, snr_db, seed) -> tf.Tensor:
    """Add white Gaussian noise at a signal-to-noise ratio of ``snr_db`` decibels.

    The noise is scaled so that ``10 log10(mean(y**2) / mean(noise**2))`` equals ``snr_db``
    exactly for each clip (a silent clip stays silent: 0 dB below nothing is nothing); that is
    ``helpers.audio.snr_db(y, noisy - y)``, the course's one SNR definition.

    Parameters
    ----------
    y : array-like or tf.Tensor, shape [..., samples]
        Waveform(s).
    snr_db : float or tf.Tensor, scalar or shape [...]
        Wanted SNR in dB (one per clip for a batch); lower is noisier.
    seed : shape [2] ints
        Seed of the stateless noise generator.

    Returns
    -------
    tf.Tensor, float32, same shape as ``y``

    Examples
    --------
    >>> noisy = add_noise(np.sin(np.arange(8000) / 10), snr_db=10.0, seed=(0, 1))

    Used in: 10_augmentation.
    """
    _check_finite(snr_db, "snr_db", "e.g. snr_db=20.0 for mild noise, 0.0 for loud noise")
    y = _waveforms(y)
    noise = tf.random.stateless_normal(tf.shape(y), seed=_seed(seed))
    ratio = tf.pow(10.0, tf.convert_to_tensor(snr_db, tf.float32) / 10.0)[..., None]
    scale = tf.sqrt(_mean_power(y) / (_mean_power(noise) * ratio))
    return y + scale * noise


def time_shift(y, max_shift: int, seed, min_shift: int | None = None) -> tf.Tensor:
    """Rotate each clip by a random whole number of samples in ``[min_shift, max_shift]``.

    A circular shift (``tf.roll``): samples pushed off one end come back at the other, so
    nothing is lost; for clips with silence at both ends it moves the word in time.
    ``min_shift`` defaults to ``-max_shift``; ``min_shift=0`` only delays (right for clips
    whose word starts at once and ends in padding).

    Examples
    --------
    >>> time_shift(np.arange(5.0), max_shift=2, seed=(0, 0)).shape
    TensorShape([5])

    Used in: 10_augmentation.
    """
    y = _waveforms(y)
    n = y.shape[-1]
    max_shift = _validate.integer(max_shift, "max_shift", what="a whole number of samples")
    min_shift = (
        -max_shift if min_shift is None else _validate.integer(min_shift, "min_shift", what="a whole number of samples")
    )
    for value, name in ((max_shift, "max_shift"), (min_shift, "min_shift")):
        if n is not None and abs(value) >= n:
            raise ValueError(
                f"{name}={value!r} must be smaller in size than the clip ({n} samples); "
                f"e.g. {name}={(n or 8000) // 10} (a tenth of it)"
            )
    if min_shift > max_shift:
        raise ValueError(f"min_shift={min_shift} is larger than max_shift={max_shift}; swap them")
    shift = tf.random.stateless_uniform(
        tf.shape(y)[:-1], _seed(seed), int(min_shift), int(max_shift) + 1, dtype=tf.int32
    )
    n = tf.shape(y)[-1]
    index = tf.math.floormod(tf.range(n) - shift[..., None], n)
    return tf.gather(y, index, batch_dims=len(y.shape) - 1)


def random_gain(y, min_db: float, max_db: float, seed) -> tf.Tensor:
    """Scale each clip by a random gain drawn uniformly between ``min_db`` and ``max_db`` dB.

    A gain of ``g`` dB multiplies the samples (and their RMS) by ``10 ** (g / 20)``.

    Examples
    --------
    >>> random_gain(np.ones(4), min_db=-6.0, max_db=-6.0, seed=(0, 0)).numpy().round(3)
    array([0.501, 0.501, 0.501, 0.501], dtype=float32)

    Used in: 10_augmentation.
    """
    min_db = _validate.number(min_db, "min_db", minimum=-200, maximum=200, what="a gain in dB, e.g. min_db=-6.0")
    max_db = _validate.number(max_db, "max_db", minimum=-200, maximum=200, what="a gain in dB, e.g. max_db=6.0")
    if min_db > max_db:
        raise ValueError(f"min_db={min_db} is larger than max_db={max_db}; swap them")
    y = _waveforms(y)
    gain_db = tf.random.stateless_uniform(tf.shape(y)[:-1], _seed(seed), min_db, max_db)
    return y * tf.pow(10.0, gain_db / 20.0)[..., None]


def pitch_shift(y, sr: int, n_steps, n_fft: int = 512) -> tf.Tensor:
    """Shift the pitch of ``y`` ``[..., samples]`` by ``n_steps`` semitones, same duration.

    librosa through ``tf.numpy_function``. ``n_steps`` is one number or one per clip, and may be
    a tensor (a random draw inside ``tf.data``). ``n_fft`` is the phase vocoder's frame: 512
    (64 ms at 8 kHz) suits speech; librosa's default, 2048, smears it. Runs on the CPU in Python,
    clip by clip: much slower than the TensorFlow ops above, and it holds the GIL, so parallel
    ``map`` calls help less. Used in: 10_augmentation.
    """
    _check_finite(n_steps, "n_steps", "e.g. n_steps=2.0 (two semitones up)")
    sr = _validate.sample_rate(sr, "sr")
    n_fft = _check_n_fft(n_fft)

    def fn(x, steps):
        with _quiet.librosa_own_deprecations():
            shifted = librosa.effects.pitch_shift(y=x, sr=sr, n_steps=float(steps), n_fft=n_fft, hop_length=n_fft // 4)
        return shifted.astype(np.float32)

    return _clip_op(fn, y, n_steps)


def time_stretch(y, rate, n_fft: int = 512) -> tf.Tensor:
    """Play ``y`` ``[..., samples]`` ``rate`` times faster (``rate > 1``) or slower, same pitch, same length.

    librosa's phase vocoder through ``tf.numpy_function``, clip by clip (``rate``: one number or
    one per clip); the result is cut or zero-padded
    back to the input's length so clips still batch together. ``n_fft`` as in :func:`pitch_shift`.
    Used in: 10_augmentation.
    """
    _check_finite(rate, "rate", "e.g. rate=1.1 (10 % faster)")
    n_fft = _check_n_fft(n_fft)
    if _known(rate) is not None and np.any(np.asarray(_known(rate)) <= 0):
        raise ValueError(f"rate={rate!r} must be > 0: 1.0 keeps the speed, 1.2 is 20 % faster")

    def fn(x, r):
        with _quiet.librosa_own_deprecations():
            stretched = librosa.effects.time_stretch(y=x, rate=float(r), n_fft=n_fft, hop_length=n_fft // 4)
        return fix_length(stretched.astype(np.float32), x.shape[-1])

    return _clip_op(fn, y, rate)


def freq_mask(S, width, seed, fill: float = 0.0) -> tf.Tensor:
    """SpecAugment frequency masking: set ``width`` adjacent bins (at a random place) to ``fill``.

    Parameters
    ----------
    S : array-like or tf.Tensor, shape [..., frames, bins]
        Spectrogram(s); a batch gets one mask per spectrogram.
    width : int or tf.Tensor, scalar or shape [...]
        Number of bins to mask, ``0 <= width <= bins``.
    seed : shape [2] ints
    fill : float
        Value written into the mask: 0 for a normalised spectrogram, its mean otherwise.

    Returns
    -------
    tf.Tensor, float32, same shape as ``S``

    Used in: helpers.augment.spec_augment (the augmentation notebook names it in its text).
    """
    S = _checked_spectrogram(S)
    mask = _band(tf.shape(S)[:-2], tf.shape(S)[-1], width, S.shape[-1], "width", seed)
    return tf.where(mask[..., None, :], tf.cast(fill, S.dtype), S)


def time_mask(S, width, seed, fill: float = 0.0) -> tf.Tensor:
    """SpecAugment time masking: set ``width`` adjacent frames (at a random place) to ``fill``.

    Same arguments as :func:`freq_mask`, with ``0 <= width <= frames``.
    Used in: helpers.augment.spec_augment.
    """
    S = _checked_spectrogram(S)
    mask = _band(tf.shape(S)[:-2], tf.shape(S)[-2], width, S.shape[-2], "width", seed)
    return tf.where(mask[..., :, None], tf.cast(fill, S.dtype), S)


def spec_augment(S, max_freq_width: int, max_time_width: int, n_masks: int, seed, fill: float = 0.0) -> tf.Tensor:
    """``n_masks`` frequency masks and ``n_masks`` time masks, each of random width up to its maximum.

    The recipe of Park et al. (2019), "SpecAugment", without time warping.

    Examples
    --------
    >>> spec_augment(np.ones((40, 64)), max_freq_width=8, max_time_width=5, n_masks=2, seed=(0, 0)).shape
    TensorShape([40, 64])

    Used in: 10_augmentation.
    """
    max_freq_width = _validate.non_negative_int(
        max_freq_width, "max_freq_width", maximum=2**16, what="the widest frequency mask in bins, e.g. 8"
    )
    max_time_width = _validate.non_negative_int(
        max_time_width, "max_time_width", maximum=2**20, what="the widest time mask in frames, e.g. 8"
    )
    n_masks = _validate.non_negative_int(n_masks, "n_masks", maximum=100, what="the number of masks of each kind")
    fill = _validate.number(fill, "fill", what="the value written into the masks, e.g. 0.0")
    S = _checked_spectrogram(S)
    seeds = tf.random.experimental.stateless_split(_seed(seed), 4 * max(n_masks, 1))
    lead = tf.shape(S)[:-2]
    for i in range(n_masks):
        f = tf.random.stateless_uniform(lead, seeds[4 * i], 0, max_freq_width + 1, dtype=tf.int32)
        t = tf.random.stateless_uniform(lead, seeds[4 * i + 1], 0, max_time_width + 1, dtype=tf.int32)
        S = freq_mask(S, tf.minimum(f, tf.shape(S)[-1]), seeds[4 * i + 2], fill)
        S = time_mask(S, tf.minimum(t, tf.shape(S)[-2]), seeds[4 * i + 3], fill)
    return S


def with_seeds(dataset: tf.data.Dataset, seed: int) -> tf.data.Dataset:
    """Pair every element of ``dataset`` with its own stateless seed: ``(element, seed[2])``.

    The seeds come from ``tf.data.Dataset.random(seed)`` and change every epoch
    (``rerandomize_each_iteration=True``) yet are the same on every run, so an augmented
    pipeline is random *and* reproducible.

    Examples
    --------
    >>> ds = with_seeds(tf.data.Dataset.range(3), seed=0)
    >>> ds = ds.map(lambda x, s: time_shift(tf.ones(8), 2, s))

    Used in: 10_augmentation.
    """
    seed = _validate.integer(seed, "seed", what="e.g. seed=0")
    seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2, drop_remainder=True)
    return tf.data.Dataset.zip((dataset, seeds))


@keras.saving.register_keras_serializable(package="helpers")
class SpecAugment(keras.layers.Layer):
    """:func:`spec_augment` as a Keras layer: masks while training, passes through otherwise.

    Put it after the spectrogram layer of a model; a saved model then still takes waveforms,
    and ``predict`` / ``evaluate`` see unmasked spectrograms. Input ``[batch, frames, bins]``
    or ``[batch, frames, bins, channels]``. Used in: helpers.augment.with_spec_augment.
    """

    def __init__(self, max_freq_width: int = 8, max_time_width: int = 8, n_masks: int = 2, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        spec_augment(tf.zeros([1, 1]), max_freq_width, max_time_width, n_masks, (0, 0))  # validates
        self.max_freq_width, self.max_time_width, self.n_masks = max_freq_width, max_time_width, n_masks
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        squeeze = len(inputs.shape) == 4
        S = tf.transpose(inputs, [0, 3, 1, 2]) if squeeze else inputs  # masks act on the last two axes
        S = spec_augment(S, self.max_freq_width, self.max_time_width, self.n_masks, self.seed_generator.next())
        return tf.transpose(S, [0, 2, 3, 1]) if squeeze else S

    def get_config(self):
        return {
            **super().get_config(),
            "max_freq_width": self.max_freq_width,
            "max_time_width": self.max_time_width,
            "n_masks": self.n_masks,
            "seed": self.seed,
        }


def with_spec_augment(model: keras.Model, after: str = "log_mel", **spec_augment_args) -> keras.Model:
    """The same model (same layers, same weights) with a :class:`SpecAugment` layer after ``after``.

    For models whose layers form one chain, like ``helpers.models.cnn`` and ``rnn``, whose
    spectrogram layer is called ``"log_mel"``. ``spec_augment_args`` go to :class:`SpecAugment`.

    Examples
    --------
    >>> model = with_spec_augment(helpers.models.cnn(names, sr=8000, clip_samples=8000), n_masks=2)  # doctest: +SKIP

    Used in: 10_augmentation.
    """
    names = [layer.name for layer in model.layers]
    if after not in names:
        raise ValueError(f"after={after!r} is not a layer of model {model.name!r}; choose one of {names}")
    first = model.layers[0]
    if not isinstance(first, keras.layers.InputLayer) or len(model.inputs) != 1:
        raise ValueError(f"model {model.name!r} does not start with one Input; build it as a chain of layers")
    x = inputs = keras.Input(shape=model.input_shape[1:], name=first.name)
    for layer in model.layers[1:]:
        x = layer(x)
        if layer.name == after:
            x = SpecAugment(**spec_augment_args, name="spec_augment")(x)
    return keras.Model(inputs, x, name=f"{model.name}_spec_augment")


def _band(lead, length, width, static_length, name, seed):
    """Boolean ``[*lead, length]``: True on ``width`` consecutive places starting at a random one."""
    if _known(width) is not None:
        w = np.asarray(_known(width))
        if np.any(w < 0) or (static_length is not None and np.any(w > static_length)):
            raise ValueError(
                f"{name}={width!r} must be between 0 and {static_length} (the axis it "
                f"masks); e.g. {name}={max((static_length or 10) // 10, 1)}"
            )
    width = tf.broadcast_to(tf.cast(width, tf.int32), lead)
    u = tf.random.stateless_uniform(lead, _seed(seed))
    start = tf.cast(u * tf.cast(length - width + 1, tf.float32), tf.int32)
    index = tf.range(length)
    return (index >= start[..., None]) & (index < (start + width)[..., None])


def _clip_op(fn, y, value):
    """Run ``fn(clip, value)`` (NumPy) on each clip of ``y`` ``[..., samples]`` through ``tf.numpy_function``."""
    y = _waveforms(y)
    if y.shape.rank == 0:
        raise ValueError("y is a single number; pass a waveform [samples] or a batch [..., samples]")

    def each(clips, values):
        rows = clips.reshape(-1, clips.shape[-1])
        values = np.broadcast_to(values, clips.shape[:-1]).ravel()
        return np.stack([fn(row, v) for row, v in zip(rows, values, strict=True)]).reshape(clips.shape)

    out = tf.numpy_function(each, [y, tf.cast(value, tf.float32)], tf.float32, stateful=False)
    return tf.ensure_shape(out, y.shape)


def _checked_spectrogram(S):
    S = _tensor(S, "S")
    if S.shape.rank is not None and S.shape.rank < 2:
        raise ValueError(f"S has shape {S.shape}; expected [frames, bins] or a batch [..., frames, bins]")
    return S


def _waveforms(y):
    """``y`` ``[..., samples]`` as float32; integer PCM scaled, NaN/complex/empty refused (eagerly)."""
    return _tensor(y, "y", pcm=True)


def _tensor(x, name: str, pcm: bool = False):
    if tf.is_tensor(x) and not tf.executing_eagerly():
        if x.dtype.is_complex:
            raise TypeError(f"{name} is complex ({x.dtype.name}); pass real values (take tf.abs of an STFT)")
        return tf.cast(x, tf.float32)
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    if pcm and x.dtype.kind in "iu":
        x = _validate.pcm_to_float(x, name)
    return tf.convert_to_tensor(_validate.real_array(x, name))


def _mean_power(x):
    return tf.reduce_mean(tf.square(x), axis=-1, keepdims=True)


def _seed(seed):
    seed = tf.convert_to_tensor(seed)
    if not seed.shape.is_compatible_with([2]):
        raise ValueError(
            f"seed={seed!r} must be two integers, e.g. seed=(0, 1) "
            "(with_seeds gives each element of a data set its own)"
        )
    return tf.cast(seed, tf.int64)


def _known(value):
    """The value of a Python number, NumPy array or eager tensor; ``None`` for a symbolic tensor."""
    if isinstance(value, tf.Tensor):
        return value.numpy() if tf.executing_eagerly() and hasattr(value, "numpy") else None
    return value


def _check_finite(value, name: str, hint: str) -> None:
    known = _known(value)
    if known is None:
        return
    if np.ndim(known) == 0:
        _validate.number(known.item() if isinstance(known, np.ndarray) else known, name, what=hint)
        return
    known = np.asarray(known)
    if known.dtype.kind not in "iuf" or not np.all(np.isfinite(known)):
        raise ValueError(f"{name}={_validate.show(known)} must hold finite real numbers; {hint}")


def _check_n_fft(n_fft) -> int:
    n_fft = _validate.positive_int(n_fft, "n_fft", maximum=2**16, what="the phase vocoder's frame, e.g. n_fft=512")
    if n_fft < 16:
        raise ValueError(f"n_fft={n_fft} is too small for a phase vocoder; use n_fft >= 16, e.g. n_fft=512")
    return n_fft
