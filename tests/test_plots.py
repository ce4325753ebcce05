"""helpers.plots: physical axes, labelled colorbars, returned artists, no plt.show()."""

import matplotlib

matplotlib.use("Agg")
import librosa  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots, spectral  # noqa: E402


def test_waveform_axes_in_seconds():
    fig, ax = plt.subplots()
    line = plots.waveform(np.zeros(8000), sr=4000, ax=ax, title="t")
    assert line.get_xdata()[-1] == pytest.approx(7999 / 4000)
    assert ax.get_xlabel() == "Time (s)" and ax.get_title() == "t"
    plt.close(fig)


def test_spectrogram_extent_colorbar_and_orientation():
    S = spectral.to_db(spectral.magnitude(spectral.stft(np.random.default_rng(0).standard_normal(22050), 1024, 256)))
    fig, ax = plt.subplots()
    img = plots.spectrogram(S, 22050, 256, ax=ax, title="noise")
    left, right, bottom, top = img.get_extent()
    assert right - left == pytest.approx(S.shape[0] * 256 / 22050)
    assert (bottom + top) / 2 == pytest.approx(11025 / 2)
    assert img.origin == "lower" and img.get_array().shape == (513, S.shape[0])
    assert ax.get_ylabel() == "Frequency (Hz)" and fig.axes[-1].get_ylabel() == "Magnitude (dB re peak)"
    plt.close(fig)


def test_spectrogram_rejects_batches():
    with pytest.raises(ValueError, match=r"\[frames, bins\]"):
        plots.spectrogram(np.zeros((2, 10, 5)), 8000, 128)


def test_mel_axis_puts_each_band_at_its_centre_and_ticks_in_hertz():
    n_mels, sr = 40, 16000
    fig, ax = plt.subplots()
    mesh = plots.spectrogram(np.random.default_rng(0).random((20, n_mels)), sr, 128, ax=ax, y_axis="mel")
    edges_hz = mesh.get_coordinates()[:, 0, 1]
    centres_mel = (librosa.hz_to_mel(edges_hz[:-1]) + librosa.hz_to_mel(edges_hz[1:])) / 2
    expected = librosa.hz_to_mel(librosa.mel_frequencies(n_mels=n_mels + 2, fmin=0.0, fmax=sr / 2)[1:-1])
    np.testing.assert_allclose(centres_mel, expected, rtol=1e-6)
    ticks = ax.get_yticks()
    lo, hi = ax.get_ylim()
    assert list(ticks) and all(lo <= t <= hi for t in ticks) and 1000 in ticks
    gaps = np.diff(librosa.hz_to_mel(np.asarray(ticks, float)))
    assert gaps.min() >= 0.07 * (librosa.hz_to_mel(hi) - librosa.hz_to_mel(lo)) - 1e-9  # no colliding labels
    assert ax.get_yscale() == "function" and ax.get_ylabel() == "Frequency (Hz)"
    plt.close(fig)


def test_log_axis_keeps_every_bin_and_ticks_round_hertz():
    fig, ax = plt.subplots()
    mesh = plots.spectrogram(np.ones((5, 257)), 16000, 128, ax=ax, y_axis="log")
    assert mesh.get_array().size == 5 * 257 and ax.get_yscale() == "symlog"
    assert set(ax.get_yticks()) <= {0, 125, 250, 500, 1000, 2000, 4000, 8000}
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"S": np.zeros((4, 5), complex)}, TypeError, r"S is complex .*magnitude"),
        ({"S": np.array([[0.0, np.nan], [0.0, 0.0]])}, ValueError, r"S contains 1 NaN"),
        ({"y_axis": "mels"}, ValueError, r"y_axis='mels' is not supported; choose one of \['linear', 'log', 'mel'\]"),
        ({"cmap": "magmaa"}, ValueError, r"cmap='magmaa' is not a matplotlib colormap"),
        ({"ax": "left"}, TypeError, r"ax='left' is not a matplotlib Axes"),
        ({"fft_length": 1024}, ValueError, r"S has 5 bins but fft_length=1024 gives 513"),
        ({"center": "yes"}, TypeError, r"center='yes' is not a boolean"),
        ({"y_axis": "mel", "fmax": 9000.0}, ValueError, r"fmax <= sr / 2, got fmin=0.0, fmax=9000.0"),
    ],
)
def test_spectrogram_refuses_bad_input_clearly(kwargs, error, match):
    args = {"S": np.zeros((4, 5)), "sr": 16000, "frame_step": 128} | kwargs
    with pytest.raises(error, match=match):
        plots.spectrogram(**args)
    plt.close("all")
