"""Small Keras models that classify raw waveforms, and the helpers to train and judge them.

The spectrogram is a layer of the model (:class:`LogMelSpectrogram`, from ``helpers.layers``),
so a model takes waveforms ``[batch, samples]`` at its sample rate and a saved ``.keras`` file
needs nothing else. Its last layer (:class:`LabelledDense`) carries the class names, so a
reloaded model still knows what it predicts::

    model = cnn(class_names, sr=8000, clip_samples=8000)
    history = train(model, train_ds, val_ds, epochs=15)
    result = evaluate(model, test_ds)            # result.accuracy, result.confusion
    model.save("digits.keras")
    model = keras.models.load_model("digits.keras")   # after `import helpers.models`
    predict_file(model, "7_jackson_0.wav")        # ('7', probabilities); any length, see helpers.inference
    export(model, "digits_savedmodel")            # loads with tf.saved_model.load, no helpers needed
"""

from __future__ import annotations

import os
from typing import NamedTuple

import keras
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import tensorflow as tf

from helpers import _validate, audio
from helpers.inference import predict_file  # noqa: F401  (public here too: notebooks call models.predict_file)
from helpers.layers import LabelledDense, LogMelSpectrogram  # public here too, and registered with Keras


def cnn(
    class_names, sr: int, clip_samples: int, filters=(16, 32, 64), dropout: float = 0.3, **spectrogram
) -> keras.Model:
    """A small CNN on log-mel spectrograms: Conv2D-BatchNorm-ReLU-MaxPool blocks, mean over time.

    After the convolutions the feature maps are averaged over time (a sound may start anywhere)
    but not over frequency (where in the spectrum a pattern sits matters: vowel formants, pitch).

    Parameters
    ----------
    class_names : list of str
        What the model tells apart; its output has one probability per name.
    sr : int
        Sample rate of the input waveforms in Hz.
    clip_samples : int
        Samples per input clip (pad or crop with ``helpers.datasets.to_dataset``).
    filters : tuple of int
        Channels of each convolution block.
    dropout : float
        Dropout before the output layer.
    **spectrogram
        Passed to :class:`LogMelSpectrogram` (``frame_length``, ``frame_step``, ``n_mels`` …).

    Returns
    -------
    keras.Model, input ``[batch, clip_samples]``, output ``[batch, len(class_names)]`` probabilities.

    Examples
    --------
    >>> model = cnn(["no", "yes"], sr=8000, clip_samples=8000, frame_length=256, frame_step=128)

    Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres, python -m helpers.train.
    """
    inputs, x = _spectrogram_input(class_names, sr, clip_samples, spectrogram)
    x = keras.layers.Reshape((*x.shape[1:], 1))(x)
    for n in filters:
        x = keras.layers.Conv2D(n, 3, padding="same", use_bias=False)(x)
        x = keras.layers.BatchNormalization(momentum=0.9)(x)  # fast-adapting statistics: few steps per epoch
        x = keras.layers.Activation("relu")(x)
        x = keras.layers.MaxPooling2D(2, padding="same")(x)
    x = keras.layers.AveragePooling2D(pool_size=(x.shape[1], 1), name="mean_over_time")(x)
    x = keras.layers.Flatten()(x)  # keep *where* in frequency each pattern is
    x = keras.layers.Dropout(dropout)(x)
    return keras.Model(inputs, LabelledDense(class_names, name="classes")(x), name="cnn")


def rnn(
    class_names, sr: int, clip_samples: int, units: int = 64, cell: str = "gru", dropout: float = 0.3, **spectrogram
) -> keras.Model:
    """A recurrent classifier: a GRU (or LSTM) reads the log-mel frames in time order.

    The spectrogram's frames are the time steps and its mel bands the features; the last state
    summarises the clip. Same arguments as :func:`cnn`, with ``units`` (state size) and
    ``cell`` (``"gru"`` or ``"lstm"``).

    Examples
    --------
    >>> model = rnn(["no", "yes"], sr=8000, clip_samples=8000, cell="lstm")

    Used in: 06_speech_digits.
    """
    if cell not in ("gru", "lstm"):
        raise ValueError(f"cell={cell!r}; use 'gru' or 'lstm'")
    inputs, x = _spectrogram_input(class_names, sr, clip_samples, spectrogram)
    layer = keras.layers.GRU if cell == "gru" else keras.layers.LSTM
    x = layer(units, return_sequences=True)(x)
    x = layer(units)(x)
    x = keras.layers.Dropout(dropout)(x)
    return keras.Model(inputs, LabelledDense(class_names, name="classes")(x), name=cell)


def _spectrogram_input(class_names, sr, clip_samples, spectrogram_args):
    """Check the shared arguments; return the model's input and its spectrogram tensor."""
    if isinstance(class_names, (str, int)) or len(class_names) < 2:
        raise ValueError(f"class_names={class_names!r}; pass a list of at least two class names")
    if isinstance(clip_samples, bool) or not isinstance(clip_samples, (int, np.integer)) or clip_samples <= 0:
        raise ValueError(f"clip_samples={clip_samples!r} must be a positive integer, e.g. clip_samples=sr")
    layer = LogMelSpectrogram(sr=sr, name="log_mel", **spectrogram_args)
    if clip_samples < layer.frame_length:
        raise ValueError(
            f"clip_samples={clip_samples} is shorter than one frame (frame_length="
            f"{layer.frame_length}); use longer clips or a smaller frame_length"
        )
    inputs = keras.Input(shape=(int(clip_samples),), name="waveform")
    return inputs, layer(inputs)


def class_names_of(model: keras.Model) -> list[str]:
    """The class names stored in a model's :class:`LabelledDense` output layer.

    Used in: predict_file, evaluate, python -m helpers.evaluate.
    """
    head = model.layers[-1]
    if not isinstance(head, LabelledDense):
        raise ValueError(
            f"model {model.name!r} has no class names (its last layer is "
            f"{type(head).__name__}); build it with helpers.models.cnn or rnn"
        )
    return list(head.class_names)


def input_format(model: keras.Model) -> tuple[int, int]:
    """``(sr, clip_samples)``: the sample rate and clip length a model's input expects.

    Used in: predict_file, python -m helpers.evaluate.
    """
    layers = [layer for layer in model.layers if isinstance(layer, LogMelSpectrogram)]
    if not layers:
        raise ValueError(f"model {model.name!r} has no LogMelSpectrogram layer, so its sample rate is unknown")
    return layers[0].sr, int(model.input_shape[1])


def train(
    model: keras.Model,
    train_ds: tf.data.Dataset,
    val_ds: tf.data.Dataset,
    epochs: int = 15,
    patience: int = 4,
    learning_rate: float = 3e-3,
    verbose: int = 0,
    callbacks=(),
    monitor: str = "val_loss",
    label_smoothing: float = 0.0,
) -> keras.callbacks.History:
    """Fit ``model`` with Adam and early stopping; keep the weights of the best validation epoch.

    The model is compiled here (sparse categorical cross-entropy, accuracy) unless it already
    is. Training stops when the validation loss (the training loss when ``val_ds`` is None)
    has not improved for ``patience`` epochs; ``monitor="val_accuracy"`` watches the validation
    accuracy instead (``python -m helpers.train`` does). ``learning_rate`` may be a Keras
    schedule. ``callbacks`` are added to the early stopping (the trainer passes its progress display).
    ``label_smoothing`` S > 0 trains towards softened targets, ``(1 - S) * one_hot + S / K``
    for K classes (S = 0.1, K = 10: 0.91 for the right digit, 0.01 for each other), with Keras'
    categorical cross-entropy on one-hot labels, so a saved model loads without custom code;
    ``python -m helpers.train`` uses 0.1.

    Returns
    -------
    keras.callbacks.History
        ``history.history["val_accuracy"]`` etc., one value per epoch run.

    Examples
    --------
    >>> history = train(model, train_ds, val_ds, epochs=10)  # doctest: +SKIP

    Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres, python -m helpers.train.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs={epochs!r} must be a positive integer, e.g. epochs=15")
    if monitor not in ("val_loss", "val_accuracy"):
        raise ValueError(f"monitor={monitor!r}; use 'val_loss' or 'val_accuracy'")
    smoothing = _validate.number(label_smoothing, "label_smoothing", minimum=0, maximum=0.99, what="e.g. 0.1")
    if not model.compiled:
        smoothed = keras.losses.CategoricalCrossentropy(label_smoothing=smoothing)
        loss = smoothed if smoothing else "sparse_categorical_crossentropy"
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=["accuracy"])
    elif smoothing:
        raise ValueError(
            f"label_smoothing={smoothing:g} needs an uncompiled model (train compiles it); got a compiled one"
        )
    if smoothing:
        train_ds, val_ds = (_one_hot(ds, model.output_shape[-1]) for ds in (train_ds, val_ds))
    monitor = monitor if val_ds is not None else "loss"  # no validation data: watch the training loss
    mode = "max" if monitor == "val_accuracy" else "min"
    stop = keras.callbacks.EarlyStopping(monitor=monitor, mode=mode, patience=patience, restore_best_weights=True)
    return model.fit(
        train_ds,
        validation_data=val_ds,
        epochs=int(epochs),
        callbacks=[stop, *callbacks],
        verbose=verbose,
        shuffle=False,
    )  # the data set shuffles itself (to_dataset(shuffle=True))


def _one_hot(ds: tf.data.Dataset | None, n_classes: int) -> tf.data.Dataset | None:
    """``(x, label)`` batches as ``(x, one-hot label)``, for the label-smoothed loss of :func:`train`."""
    return None if ds is None else ds.map(lambda x, y: (x, tf.one_hot(tf.cast(y, tf.int32), n_classes)))


class Evaluation(NamedTuple):
    """What :func:`evaluate` found: accuracy, confusion matrix (rows true, columns predicted), labels.

    Used in: helpers.models.evaluate returns it (notebooks 06, 07 and 08 read its fields).
    """

    accuracy: float
    confusion: np.ndarray
    y_true: np.ndarray
    y_pred: np.ndarray
    class_names: list[str]


def evaluate(model: keras.Model, ds: tf.data.Dataset, class_names=None) -> Evaluation:
    """Accuracy and confusion matrix of ``model`` on a batched ``(waveforms, labels)`` data set.

    ``class_names`` defaults to the names stored in the model (:func:`class_names_of`).

    Examples
    --------
    >>> result = evaluate(model, test_ds)  # doctest: +SKIP
    >>> print(f"{result.accuracy:.3f}")  # doctest: +SKIP

    Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres, python -m helpers.evaluate.
    """
    class_names = list(class_names) if class_names is not None else class_names_of(model)
    y_true = np.concatenate([y.numpy() for _, y in ds]).astype(int)
    y_pred = np.argmax(model.predict(ds, verbose=0), axis=-1)
    n = len(class_names)
    confusion = np.zeros((n, n), dtype=int)
    np.add.at(confusion, (y_true, y_pred), 1)
    return Evaluation(float(np.mean(y_true == y_pred)), confusion, y_true, y_pred, class_names)


def confusion_matrix_plot(confusion, class_names, ax=None, title: str = "Confusion matrix"):
    """Draw a confusion matrix (rows: true class, columns: predicted) with counts in the cells.

    Returns the ``AxesImage``. Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres.
    """
    confusion = np.asarray(confusion)
    n = len(class_names)
    if confusion.shape != (n, n):
        raise ValueError(
            f"confusion has shape {confusion.shape} but there are {n} class_names; "
            "pass the matrix and the names from the same evaluate() result"
        )
    ax = ax if ax is not None else plt.subplots(figsize=(1.0 + 0.55 * n, 0.6 + 0.5 * n))[1]
    img = ax.imshow(confusion, cmap="Blues")
    for (i, j), count in np.ndenumerate(confusion):
        if count:
            ax.text(
                j,
                i,
                str(count),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if count > confusion.max() / 2 else "black",
            )
    ax.set(xticks=range(n), yticks=range(n), xlabel="Predicted", ylabel="True", title=title)
    ax.set_xticklabels(class_names, rotation=45 if max(map(len, class_names)) > 2 else 0, ha="right")
    ax.set_yticklabels(class_names)
    colorbar = ax.figure.colorbar(img, ax=ax, label="Clips")
    colorbar.ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    return img


def per_class_report(result: Evaluation) -> str:
    """A text table of clips, correct predictions and accuracy per class.

    Used in: python -m helpers.evaluate, 07_environmental_sounds.
    """
    width = max(8, *map(len, result.class_names))
    lines = [f"{'class':<{width}}  clips  correct  accuracy"]
    for i, name in enumerate(result.class_names):
        clips, correct = int(result.confusion[i].sum()), int(result.confusion[i, i])
        acc = f"{correct / clips:.3f}" if clips else "  -"
        lines.append(f"{name:<{width}}  {clips:5d}  {correct:7d}  {acc:>8}")
    return "\n".join(lines)


def log_mel_plot(model: keras.Model, y, ax=None, title: str | None = None, colorbar: bool = True):
    """Draw what ``model`` sees of waveform ``y``: its :class:`LogMelSpectrogram` output.

    Time runs across in seconds; mel bands go up, ticked with their centre frequencies in Hz.
    ``y`` is padded or cut to the model's clip length first. Returns the ``AxesImage``.

    Examples
    --------
    >>> img = log_mel_plot(model, clips[0], title="A dog bark")  # doctest: +SKIP

    Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres.
    """
    import librosa

    layer = next((la for la in model.layers if isinstance(la, LogMelSpectrogram)), None)
    if layer is None:
        raise ValueError(f"model {model.name!r} has no LogMelSpectrogram layer to show")
    _, clip_samples = input_format(model)
    y = audio.fix_length(np.asarray(y, np.float32), clip_samples)
    S = layer(y[None, :]).numpy()[0]
    ax = ax if ax is not None else plt.subplots(figsize=(6, 3))[1]
    seconds = layer.frame_step / layer.sr
    img = ax.imshow(
        S.T,
        aspect="auto",
        origin="lower",
        cmap="magma",
        interpolation="nearest",
        extent=(0, S.shape[0] * seconds, -0.5, S.shape[1] - 0.5),
    )
    centres = librosa.mel_frequencies(n_mels=layer.n_mels + 2, fmin=layer.fmin, fmax=layer.fmax or layer.sr / 2)[1:-1]
    ticks = np.linspace(0, layer.n_mels - 1, 5).round().astype(int)
    ax.set(
        yticks=ticks, yticklabels=[f"{centres[t]:.0f}" for t in ticks], xlabel="Time (s)", ylabel="Mel band centre (Hz)"
    )
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(img, ax=ax, label="Log-mel (standardised)")
    return img


def export(model: keras.Model, folder: str | os.PathLike) -> None:
    """Write ``model`` as a TensorFlow SavedModel that loads and runs without ``helpers``.

    A ``.keras`` file stores the settings of the course's layers, not their code: loading it
    needs ``import helpers.models``, and another version of ``helpers`` would compute other
    features. ``model.export`` instead saves the computation itself (STFT, mel bank, CNN) as a
    TensorFlow graph. Endpoints: ``serve(waveforms [batch, clip_samples])`` → probabilities,
    and ``info()`` → ``class_names``, ``sr``, ``clip_samples``.

    Examples
    --------
    >>> export(model, "digits_savedmodel")  # doctest: +SKIP
    >>> loaded = tf.saved_model.load("digits_savedmodel")  # doctest: +SKIP
    >>> loaded.serve(waveforms)  # doctest: +SKIP

    Used in: python -m helpers.train --export.
    """
    names, (sr, clip_samples) = class_names_of(model), input_format(model)
    info = {"class_names": tf.constant(names), "sr": tf.constant(sr), "clip_samples": tf.constant(clip_samples)}
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "serve",
        lambda waveforms: model(waveforms, training=False),
        input_signature=[tf.TensorSpec([None, clip_samples], tf.float32, name="waveforms")],
    )
    archive.add_endpoint("info", lambda: info, input_signature=[])
    archive.write_out(str(folder), verbose=False)
