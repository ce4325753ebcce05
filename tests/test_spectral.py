"""helpers.spectral: agreement with librosa, invariants (hypothesis) and bad-parameter errors."""

import librosa
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import audio, spectral

RNG = np.random.default_rng(0)
NOISE = (0.1 * RNG.standard_normal(8000)).astype(np.float32)
signals = arrays(
    np.float32, st.integers(2048, 6000), elements=st.floats(-1, 1, width=32, allow_nan=False, allow_infinity=False)
)
frame_lengths = st.sampled_from([64, 128, 256, 400, 512])


def librosa_stft(y, frame_length, frame_step, fft_length, center):
    return librosa.stft(
        y,
        n_fft=fft_length,
        hop_length=frame_step,
        win_length=frame_length,
        window="hann",
        center=center,
        pad_mode="constant",
    ).T


@pytest.mark.parametrize("center", [True, False])
def test_matches_librosa_on_real_music(center):
    y, _ = audio.load(audio.sample("music"))
    S = spectral.stft(y, 1024, 256, 1024, center=center).numpy()
    L = librosa_stft(y, 1024, 256, 1024, center)
    assert S.shape == L.shape
    np.testing.assert_allclose(S, L, atol=2e-5 * np.abs(L).max())


@pytest.mark.parametrize("name", ["sorohanro_-_solo-trumpet-06.ogg", "198-209-0000.ogg"])
def test_matches_librosa_on_real_recordings(test_data, name):
    y, _ = audio.load(test_data / "librosa-ex" / name)
    for center in (True, False):
        S = spectral.stft(y, 512, 128, 512, center=center).numpy()
        np.testing.assert_allclose(S, librosa_stft(y, 512, 128, 512, center), atol=2e-5 * np.abs(S).max())


@given(y=signals, frame_length=frame_lengths, pad=st.sampled_from([0, 24, 512]))
def test_magnitude_matches_librosa_with_zero_padding(y, frame_length, pad):
    """With fft_length > frame_length the phases differ by a linear term; magnitudes agree."""
    fft_length = frame_length + pad
    S = spectral.magnitude(spectral.stft(y, frame_length, frame_length // 4, fft_length, center=True)).numpy()
    L = np.abs(librosa_stft(y, frame_length, frame_length // 4, fft_length, True))
    np.testing.assert_allclose(S, L, atol=1e-4 * max(1.0, L.max()))


@given(y=signals, frame_length=frame_lengths, step=st.integers(1, 300), center=st.booleans())
def test_output_shape(y, frame_length, step, center):
    S = spectral.stft(y, frame_length, step, center=center)
    n = y.shape[0] + (2 * (frame_length // 2) if center else 0)
    assert S.dtype == tf.complex64
    assert tuple(S.shape) == (1 + (n - frame_length) // step, (1 << (frame_length - 1).bit_length()) // 2 + 1)


@given(y=signals, frame_length=frame_lengths)
def test_parseval_per_frame(y, frame_length):
    """Energy of each windowed frame equals the one-sided spectrum's energy divided by N."""
    S = spectral.stft(y, frame_length, frame_length, frame_length, window="hann").numpy()
    frames = tf.signal.frame(y, frame_length, frame_length).numpy() * tf.signal.hann_window(frame_length).numpy()
    P = np.abs(S) ** 2
    spectrum_energy = (P[:, 0] + P[:, -1] + 2 * P[:, 1:-1].sum(axis=1)) / frame_length
    np.testing.assert_allclose(spectrum_energy, (frames**2).sum(axis=1), rtol=1e-3, atol=1e-4)


@given(S=arrays(np.float32, st.tuples(st.integers(1, 20), st.integers(1, 20)), elements=st.floats(-1e4, 1e4, width=32)))
def test_normalize_bounds(S):
    N = spectral.normalize(S).numpy()
    assert np.all(np.isfinite(N)) and N.min() >= 0.0 and N.max() <= 1.0
    if S.max() - S.min() > 1e-2:
        assert N.min() == 0.0 and N.max() > 0.99


def test_normalize_constant_gives_zeros_not_nan():
    assert np.array_equal(spectral.normalize(np.full((5, 3), 7.0)).numpy(), np.zeros((5, 3)))


def test_normalize_refuses_nan():
    with pytest.raises(ValueError, match="S contains 1 NaN or Inf"):
        spectral.normalize(np.array([1.0, np.nan]))


def test_to_db_matches_librosa():
    M = np.abs(librosa_stft(NOISE, 512, 128, 512, True))
    np.testing.assert_allclose(spectral.to_db(M).numpy(), librosa.amplitude_to_db(M, ref=np.max), atol=1e-3)
    P = M**2
    np.testing.assert_allclose(
        spectral.to_db(P, kind="power", ref=1.0, top_db=None).numpy(),
        librosa.power_to_db(P, ref=1.0, top_db=None),
        atol=1e-3,
    )
    db = spectral.to_db(M, top_db=40).numpy()
    assert db.max() == 0.0 and db.min() >= -40.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kind": "energy"}, "kind="),
        ({"amin": 0}, "amin="),
        ({"top_db": -3}, "top_db="),
    ],
)
def test_to_db_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        spectral.to_db(np.ones(4), **kwargs)


def test_istft_reconstructs_the_interior():
    for center in (True, False):
        S = spectral.stft(NOISE, 512, 128, center=center)
        y = spectral.istft(S, 512, 128, center=center, length=NOISE.shape[0]).numpy()
        assert y.shape == NOISE.shape
        np.testing.assert_allclose(y[512:-512], NOISE[512:-512], atol=1e-5)


@given(y=signals, frame_length=frame_lengths, window=st.sampled_from(["hann", "hamming", "vorbis"]))
def test_istft_with_center_is_exact_to_the_edges_like_librosa(y, frame_length, window):
    S = spectral.stft(y, frame_length, frame_length // 4, window=window, center=True)
    back = spectral.istft(S, frame_length, frame_length // 4, window=window, center=True, length=y.shape[0])
    np.testing.assert_allclose(back.numpy(), y, atol=1e-5)


def test_frame_times_and_bin_frequencies_match_librosa():
    np.testing.assert_allclose(
        spectral.frame_times(10, 22050, 256), librosa.frames_to_time(np.arange(10), sr=22050, hop_length=256)
    )
    np.testing.assert_allclose(spectral.bin_frequencies(1024, 22050), librosa.fft_frequencies(sr=22050, n_fft=1024))


def test_mel_and_mfcc_match_librosa():
    P = np.abs(librosa_stft(NOISE, 512, 128, 512, True)) ** 2
    mel = spectral.mel_spectrogram(P, 8000, 512, n_mels=40).numpy()
    ref = librosa.feature.melspectrogram(S=P.T, sr=8000, n_fft=512, n_mels=40).T
    np.testing.assert_allclose(mel, ref, rtol=1e-4, atol=1e-6 * ref.max())
    log_mel = spectral.to_db(mel, kind="power", ref=1.0, top_db=None)
    ref_mfcc = librosa.feature.mfcc(S=librosa.power_to_db(ref.T, top_db=None), n_mfcc=13).T
    np.testing.assert_allclose(spectral.mfcc(log_mel, 13).numpy(), ref_mfcc, atol=1e-3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"frame_length": 0}, "frame_length=0 is not a positive integer"),
        ({"frame_length": 256.0}, "frame_length=256.0"),
        ({"frame_step": -1}, "frame_step=-1"),
        ({"frame_step": True}, "frame_step=True"),
        ({"fft_length": 0}, "fft_length=0 is not a positive integer"),
        ({"fft_length": 512, "frame_length": 1024}, "fft_length=512 is smaller than frame_length=1024"),
        ({"window": "triangle"}, "window='triangle'"),
    ],
)
def test_bad_stft_parameters(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        spectral.stft(NOISE, **kwargs)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros(100, np.float32), "fewer than one frame.*center=True"),
        (np.zeros(0, np.float32), "empty"),
        (np.array([0.0, np.nan] * 2000), "NaN or Inf"),
        (np.zeros((2, 4000)), "mono 1-D"),
    ],
)
def test_bad_signals(y, match):
    with pytest.raises(ValueError, match=match):
        spectral.stft(y, frame_length=1024)


def test_short_signal_works_with_center():
    assert spectral.stft(np.zeros(100, np.float32), 1024, 256, center=True).shape[0] == 1


def test_stft_inside_tf_function():
    fn = tf.function(lambda y: spectral.stft(y, 256, 64))
    assert fn(tf.constant(NOISE)).shape == spectral.stft(NOISE, 256, 64).shape


def test_float64_inputs_are_accepted():
    S64 = tf.abs(tf.signal.stft(NOISE.astype(np.float64), 256, 64))
    assert spectral.to_db(S64).dtype == tf.float32 and spectral.normalize(S64).dtype == tf.float32
    np.testing.assert_allclose(spectral.to_db(S64).numpy(), spectral.to_db(tf.cast(S64, tf.float32)).numpy(), atol=1e-4)
