"""helpers.models: the log-mel layer, CNN/RNN builders, save/reload, training, evaluation, plots."""

import re

import keras
import matplotlib
import numpy as np
import pytest
import soundfile

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers import datasets, models  # noqa: E402

SR = 8000
SPEC = dict(frame_length=256, frame_step=128, n_mels=32)


def tones(freqs, n=SR // 2, sr=SR, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    return np.stack([0.5 * np.sin(2 * np.pi * f * t) + 0.01 * rng.standard_normal(n) for f in freqs]).astype(np.float32)


@pytest.fixture(scope="module")
def tone_task():
    """Two classes, low and high tones at varied pitch: separable in a few epochs."""
    rng = np.random.default_rng(1)
    labels = np.repeat([0, 1], 24)
    freqs = np.where(labels == 0, rng.uniform(200, 500, 48), rng.uniform(1500, 3000, 48))
    return tones(freqs, seed=2), labels, ["low", "high"]


@pytest.fixture(scope="module")
def trained(tone_task):
    keras.utils.set_random_seed(0)
    x, y, names = tone_task
    model = models.cnn(names, SR, x.shape[1], filters=(4, 8), **SPEC)
    ds = datasets.to_dataset(x, y, SR, x.shape[1], batch_size=8, shuffle=True)
    history = models.train(model, ds, datasets.to_dataset(x, y, SR, x.shape[1]), epochs=8)
    return model, history


# ------------------------------------------------------------------------------- LogMelSpectrogram


def test_log_mel_shape_and_standardisation():
    layer = models.LogMelSpectrogram(sr=SR, **SPEC)
    S = layer(tones([300, 1200])).numpy()
    assert S.shape == (2, layer.n_frames(SR // 2), 32)
    np.testing.assert_allclose(S.mean(axis=(1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(S.std(axis=(1, 2)), 1, atol=1e-3)


def test_log_mel_ignores_loudness():
    layer = models.LogMelSpectrogram(sr=SR, **SPEC)
    y = tones([700])
    np.testing.assert_allclose(layer(y).numpy(), layer(0.05 * y).numpy(), atol=2e-3)


@pytest.mark.parametrize("freq", [250.0, 1000.0, 3000.0])
def test_log_mel_peak_band_sits_at_the_tone(freq):
    import librosa

    layer = models.LogMelSpectrogram(sr=SR, frame_length=512, frame_step=256, n_mels=64)
    band = int(np.argmax(layer(tones([freq])).numpy()[0].mean(axis=0)))
    centres = librosa.mel_frequencies(n_mels=64 + 2, fmin=0.0, fmax=SR / 2)[1:-1]
    assert centres[band] == pytest.approx(freq, rel=0.1)


def test_log_mel_config_round_trip():
    layer = models.LogMelSpectrogram(sr=SR, frame_length=200, frame_step=80, n_mels=20, fmin=50.0, top_db=60.0)
    clone = models.LogMelSpectrogram.from_config(layer.get_config())
    assert clone.fft_length == 256 and clone.fmin == 50.0
    y = tones([440, 880])
    np.testing.assert_allclose(clone(y).numpy(), layer(y).numpy())


# ---------------------------------------------------------------------------------- builders


@pytest.mark.parametrize("build", [models.cnn, lambda *a, **k: models.rnn(*a, units=8, cell="lstm", **k)])
def test_models_map_waveforms_to_probabilities(build):
    model = build(["a", "b", "c"], SR, SR // 2, **SPEC)
    p = model(tones([300, 900])).numpy()
    assert p.shape == (2, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    assert models.class_names_of(model) == ["a", "b", "c"]
    assert models.input_format(model) == (SR, SR // 2)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(class_names=["only"]), "at least two"),
        (dict(class_names="ab"), "at least two"),
        (dict(clip_samples=100), "shorter than one frame"),
        (dict(clip_samples=0), "clip_samples=0"),
    ],
)
def test_builders_bad_input(kwargs, match):
    args = dict(class_names=["a", "b"], sr=SR, clip_samples=SR) | kwargs
    with pytest.raises(ValueError, match=match):
        models.cnn(**args, **SPEC)


def test_rnn_bad_cell():
    with pytest.raises(ValueError, match="cell='rnn'"):
        models.rnn(["a", "b"], SR, SR, cell="rnn")


def test_plain_keras_model_has_no_class_names():
    inputs = keras.Input((10,))
    with pytest.raises(ValueError, match="no class names"):
        models.class_names_of(keras.Model(inputs, keras.layers.Dense(2)(inputs)))
    with pytest.raises(ValueError, match="sample rate is unknown"):
        models.input_format(keras.Model(inputs, keras.layers.Dense(2)(inputs)))


# ----------------------------------------------------------------------- train, evaluate, save


def test_training_learns_a_separable_task(trained, tone_task):
    model, history = trained
    x, y, names = tone_task
    unseen = tones([300, 400, 2000, 2500], seed=9)
    result = models.evaluate(model, datasets.to_dataset(unseen, [0, 0, 1, 1], SR, x.shape[1]))
    assert result.accuracy == 1.0
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert result.confusion.tolist() == [[2, 0], [0, 2]] and result.class_names == names


def test_evaluate_accuracy_is_the_confusion_diagonal(trained, tone_task):
    model, _ = trained
    x, y, _ = tone_task
    flipped = 1 - y  # every label wrong on purpose
    result = models.evaluate(model, datasets.to_dataset(x, flipped, SR, x.shape[1]))
    assert result.confusion.sum() == len(y)
    assert result.accuracy == pytest.approx(np.trace(result.confusion) / len(y))
    assert result.accuracy <= 0.1
    report = models.per_class_report(result).splitlines()
    assert report[0].split() == ["class", "clips", "correct", "accuracy"] and len(report) == 3


def test_saved_model_reloads_with_names_and_predicts_a_file(trained, tmp_path):
    model, _ = trained
    path = tmp_path / "tones.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = tones([350, 2200])
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), atol=1e-6)
    assert models.class_names_of(loaded) == ["low", "high"]
    wav = tmp_path / "high.wav"
    soundfile.write(wav, tones([2400], n=3 * SR, sr=2 * SR)[0], 2 * SR)  # longer, other rate
    name, p = models.predict_file(loaded, wav)
    assert name == "high" and p.shape == (2,) and p[1] > 0.5


def test_train_bad_epochs(trained, tone_task):
    with pytest.raises(ValueError, match="epochs=0"):
        models.train(trained[0], None, None, epochs=0)


def saved(model, folder):
    model.save(folder / "m.keras")
    return folder / "m.keras"


@pytest.mark.parametrize("smoothing", [0.0, 0.1, np.float32(0.3)])
def test_label_smoothed_loss_is_the_hand_computed_cross_entropy(tone_task, smoothing, tmp_path):
    """The loss train compiles is -sum(target * log p) with target (1 - S) * one_hot + S / K,
    computed here by hand on the untrained model's first batch, and the saved model loads
    with plain Keras (no custom loss)."""
    x, y, names = tone_task
    model = models.cnn(names, SR, x.shape[1], filters=(4,), **SPEC)
    ds = datasets.to_dataset(x[:8], y[:8], SR, x.shape[1], batch_size=8)
    models.train(model, ds, None, epochs=1, learning_rate=0.0, label_smoothing=smoothing)
    p = model.predict(x[:8], verbose=0)
    target = (1 - smoothing) * np.eye(2)[y[:8]] + smoothing / 2
    by_hand = -np.mean(np.sum(target * np.log(np.clip(p, 1e-7, 1)), axis=1))
    labels = ds.map(lambda a, b: (a, keras.ops.one_hot(b, 2))) if smoothing else ds  # as train gives them
    found = model.evaluate(labels, verbose=0, return_dict=True)
    assert found["loss"] == pytest.approx(by_hand, rel=1e-4)
    assert found["accuracy"] == pytest.approx(np.mean(p.argmax(1) == y[:8]))
    loss = keras.models.load_model(saved(model, tmp_path)).loss  # plain Keras: no custom objects needed
    assert (loss.get_config()["label_smoothing"] if smoothing else loss) == (
        smoothing or "sparse_categorical_crossentropy"
    )


@pytest.mark.parametrize(
    "smoothing, error, message",
    [
        (1.0, ValueError, "label_smoothing=1 is larger than the maximum 0.99; e.g. 0.1"),
        (-0.1, ValueError, "label_smoothing=-0.1 is smaller than the minimum 0"),
        (float("nan"), ValueError, "label_smoothing=nan is not a finite number"),
        ("0.1", TypeError, "label_smoothing='0.1' is not a real number"),
        (True, TypeError, "label_smoothing=True is not a real number"),
    ],
)
def test_train_bad_label_smoothing(tone_task, smoothing, error, message):
    x, y, names = tone_task
    model = models.cnn(names, SR, x.shape[1], filters=(4,), **SPEC)
    with pytest.raises(error, match=re.escape(message)):
        models.train(model, None, None, label_smoothing=smoothing)
    assert not model.compiled  # refused before compiling


def test_label_smoothing_needs_an_uncompiled_model(trained):
    with pytest.raises(ValueError, match="needs an uncompiled model"):
        models.train(trained[0], None, None, label_smoothing=0.1)


# -------------------------------------------------------------------------------------- plot


def test_confusion_matrix_plot_is_labelled():
    img = models.confusion_matrix_plot(np.array([[5, 1], [0, 6]]), ["cat", "dog"])
    ax = img.axes
    assert ax.get_xlabel() == "Predicted" and ax.get_ylabel() == "True" and ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    assert ax.figure.axes[-1].get_ylabel() == "Clips"
    assert sorted(t.get_text() for t in ax.texts) == ["1", "5", "6"]  # zeros left blank
    plt.close(ax.figure)


def test_confusion_matrix_plot_bad_shape():
    with pytest.raises(ValueError, match="3 class_names"):
        models.confusion_matrix_plot(np.eye(2), ["a", "b", "c"])


def test_log_mel_plot_axes_in_seconds_and_hertz():
    model = models.cnn(["a", "b"], SR, SR, **SPEC)
    img = models.log_mel_plot(model, tones([1000], n=SR // 2)[0], title="A tone")
    ax = img.axes
    assert ax.get_xlabel() == "Time (s)" and "Hz" in ax.get_ylabel() and ax.get_title() == "A tone"
    assert ax.get_xlim()[1] == pytest.approx(models.LogMelSpectrogram(sr=SR, **SPEC).n_frames(SR) * 128 / SR)
    assert img.get_array().shape == (32, models.LogMelSpectrogram(sr=SR, **SPEC).n_frames(SR))
    assert ax.figure.axes[-1].get_ylabel() == "Log-mel (standardised)"
    plt.close(ax.figure)


def test_log_mel_plot_needs_the_layer():
    inputs = keras.Input((10,))
    with pytest.raises(ValueError, match="no LogMelSpectrogram"):
        models.log_mel_plot(keras.Model(inputs, keras.layers.Dense(2)(inputs)), np.zeros(10))


def test_log_mel_layer_is_the_raw_tensorflow_recipe():
    """The layer (a shell over helpers.spectral) computes what the raw calls do, quiet clips included,
    so models saved before it used helpers.spectral keep their features."""
    import librosa
    import tensorflow as tf

    layer = models.LogMelSpectrogram(sr=SR, **SPEC)
    y = np.concatenate([tones([300, 1800]), 1e-4 * tones([700])])  # the last one at -80 dBFS
    S = tf.signal.stft(y, frame_length=256, frame_step=128, fft_length=256, window_fn=tf.signal.hann_window)
    bank = librosa.filters.mel(sr=SR, n_fft=256, n_mels=32, fmin=0.0, fmax=None, norm="slaney").T
    db = 10 * np.log10(np.square(np.abs(S.numpy())) @ bank + 1e-10)
    db = np.maximum(db, db.max(axis=(1, 2), keepdims=True) - 80.0)
    expected = (db - db.mean(axis=(1, 2), keepdims=True)) / np.sqrt(db.var(axis=(1, 2), keepdims=True) + 1e-6)
    np.testing.assert_allclose(layer(y).numpy(), expected, atol=2e-3)


def test_predict_file_is_the_windowed_one():
    from helpers import inference

    assert models.predict_file is inference.predict_file
