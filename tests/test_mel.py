"""helpers.spectral mel / MFCC: agreement with librosa and with tf.signal, and bad arguments."""

import librosa
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from helpers import spectral

RNG = np.random.default_rng(0)
SR, N_FFT = 16000, 512
NOISE = (0.1 * RNG.standard_normal(SR)).astype(np.float32)
POWER = spectral.power(spectral.stft(NOISE, N_FFT, 128, N_FFT, center=True)).numpy()


@given(
    n_mels=st.integers(8, 64),
    htk=st.booleans(),
    fmin=st.sampled_from([0.0, 60.0]),
    fmax=st.sampled_from([None, 6000.0]),
)
def test_filterbank_is_librosas_transposed(n_mels, htk, fmin, fmax):
    bank = spectral.mel_filterbank(SR, N_FFT, n_mels, fmin, fmax, htk).numpy()
    ref = librosa.filters.mel(
        sr=SR, n_fft=N_FFT, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=None if htk else "slaney"
    )
    assert bank.shape == (N_FFT // 2 + 1, n_mels)
    np.testing.assert_allclose(bank, ref.T, rtol=1e-6)


def test_htk_bank_is_close_to_but_not_tensorflows():
    """Same scale and peaks, but TensorFlow draws its triangles on the mel axis: not identical."""
    ours = spectral.mel_filterbank(SR, N_FFT, 40, htk=True).numpy()
    tfs = tf.signal.linear_to_mel_weight_matrix(40, N_FFT // 2 + 1, SR, 0.0, SR / 2).numpy()
    diff = np.abs(ours - tfs).max()
    assert 1e-4 < diff < 0.05
    assert np.abs(ours.argmax(axis=0) - tfs.argmax(axis=0)).max() <= 1  # same centres, give or take a bin


def test_slaney_bank_has_unit_area_triangles():
    bank = spectral.mel_filterbank(SR, N_FFT, 40).numpy()
    hz = np.linspace(0, SR / 2, N_FFT // 2 + 1)
    areas = (bank * (hz[1] - hz[0])).sum(axis=0)
    np.testing.assert_allclose(areas, 1.0, rtol=0.15)  # triangle area = 1 (sampled on the bin grid)


@pytest.mark.parametrize("htk", [False, True])
def test_mel_spectrogram_matches_librosa(htk):
    mel = spectral.mel_spectrogram(POWER, SR, N_FFT, n_mels=40, htk=htk).numpy()
    ref = librosa.feature.melspectrogram(
        S=POWER.T, sr=SR, n_fft=N_FFT, n_mels=40, htk=htk, norm=None if htk else "slaney"
    ).T
    np.testing.assert_allclose(mel, ref, rtol=1e-5, atol=1e-6 * ref.max())


def test_mel_spectrogram_of_a_batch_is_the_batch_of_mel_spectrograms():
    batch = np.stack([POWER, 2 * POWER])
    mel = spectral.mel_spectrogram(batch, SR, N_FFT, n_mels=40).numpy()
    np.testing.assert_allclose(mel[1], 2 * mel[0], rtol=1e-6)


def test_mfcc_matches_librosa():
    mel = spectral.mel_spectrogram(POWER, SR, N_FFT, n_mels=40)
    log_mel = spectral.to_db(mel, kind="power", ref=1.0, top_db=None)
    ours = spectral.mfcc(log_mel, n_mfcc=20).numpy()
    ref = librosa.feature.mfcc(S=log_mel.numpy().T, n_mfcc=20).T
    np.testing.assert_allclose(ours, ref, atol=1e-4 * np.abs(ref).max())


def test_mfcc_relation_to_tensorflows():
    """librosa (dB, orthonormal DCT) = 10/ln 10 × tf.signal (natural log), with c0 divided by √2."""
    mel = spectral.mel_spectrogram(POWER, SR, N_FFT, n_mels=40).numpy()
    ours = spectral.mfcc(librosa.power_to_db(S=mel, ref=1.0, top_db=None), 13).numpy()
    tfs = tf.signal.mfccs_from_log_mel_spectrograms(np.log(mel))[..., :13].numpy()
    expected = 10 / np.log(10) * tfs
    expected[:, 0] /= np.sqrt(2)
    np.testing.assert_allclose(ours, expected, atol=1e-4 * np.abs(ours).max())


def test_c0_is_scaled_mean_log_energy():
    log_mel = RNG.normal(-30, 10, (7, 40)).astype(np.float32)
    c0 = spectral.mfcc(log_mel, 13).numpy()[:, 0]
    np.testing.assert_allclose(c0, np.sqrt(40) * log_mel.mean(axis=1), rtol=1e-5)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: spectral.mel_filterbank(0, 512), "sr"),
        (lambda: spectral.mel_filterbank(16000, 0), "fft_length"),
        (lambda: spectral.mel_filterbank(16000, 512, n_mels=0), "n_mels"),
        (lambda: spectral.mel_filterbank(16000, 512, fmax=9000.0), "fmax"),
        (lambda: spectral.mel_filterbank(16000, 512, fmin=5000.0, fmax=4000.0), "fmin"),
        (lambda: spectral.mel_spectrogram(POWER, SR, 1024), "fft_length"),
        (lambda: spectral.mfcc(np.zeros((4, 10)), n_mfcc=13), "n_mfcc"),
        (lambda: spectral.mfcc(np.zeros((4, 10)), n_mfcc=0), "n_mfcc"),
    ],
)
def test_bad_arguments_name_themselves(call, name):
    with pytest.raises(ValueError, match=name):
        call()
