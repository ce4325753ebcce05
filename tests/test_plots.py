"""helpers.plots: physical axes, labelled colorbars, returned artists, no plt.show()."""

import matplotlib

matplotlib.use("Agg")
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
    assert ax.get_ylabel() == "Frequency (Hz)" and fig.axes[-1].get_ylabel() == "Magnitude (dB)"
    plt.close(fig)


def test_spectrogram_rejects_batches():
    with pytest.raises(ValueError, match=r"\[frames, bins\]"):
        plots.spectrogram(np.zeros((2, 10, 5)), 8000, 128)
