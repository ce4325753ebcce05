"""helpers.phase: Griffin-Lim converges (like librosa's), spectral convergence, bad arguments."""

import inspect

import librosa
import numpy as np
import pytest

from helpers import phase, spectral

SR = 8000
T = np.arange(SR) / SR
CHIRP = np.pad(0.5 * np.sin(2 * np.pi * (300 + 200 * T) * T) * np.exp(-2 * T), 800).astype(np.float32)
ARGS = dict(frame_length=512, frame_step=128)
S = spectral.stft(CHIRP, center=True, **ARGS).numpy()
MAG = np.abs(S)


def score(y):
    return phase.spectral_convergence(MAG, spectral.stft(y, center=True, **ARGS))


def test_griffin_lim_converges_and_keeps_length():
    scores = [score(phase.griffin_lim(MAG, n_iter=n, length=CHIRP.size, **ARGS)) for n in (0, 8, 32)]
    assert scores[0] > scores[1] > scores[2]
    assert scores[2] < 0.15
    assert phase.griffin_lim(MAG, n_iter=2, length=CHIRP.size, **ARGS).shape == CHIRP.shape


def test_griffin_lim_is_as_good_as_librosas():
    ours = score(phase.griffin_lim(MAG, n_iter=32, length=CHIRP.size, **ARGS))
    seed = {"rng" if "rng" in inspect.signature(librosa.griffinlim).parameters else "random_state": 0}  # 1.0: rng
    theirs = score(
        librosa.griffinlim(S=MAG.T, n_iter=32, hop_length=128, win_length=512, n_fft=512, length=CHIRP.size, **seed)
    )
    assert ours < 1.5 * theirs


def test_griffin_lim_is_reproducible_with_a_seed():
    a = phase.griffin_lim(MAG, n_iter=3, seed=1, **ARGS).numpy()
    assert a.shape == ((MAG.shape[0] - 1) * 128,)
    assert np.array_equal(a, phase.griffin_lim(MAG, n_iter=3, seed=1, **ARGS).numpy())
    assert not np.allclose(a, phase.griffin_lim(MAG, n_iter=3, seed=2, **ARGS).numpy())


def test_spectral_convergence_properties():
    assert phase.spectral_convergence(S, S) == 0.0
    assert phase.spectral_convergence(S, np.zeros_like(MAG)) == 1.0
    assert phase.spectral_convergence(S, MAG * np.exp(1j * 2.0)) < 1e-6  # phase does not count
    assert abs(phase.spectral_convergence(MAG, 1.1 * MAG) - 0.1) < 1e-6
    exact = spectral.istft(S, center=True, length=CHIRP.size, **ARGS)  # (silent edges: istft is exact)
    assert score(exact) < 1e-3  # the true phase gives the magnitude back


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: phase.spectral_convergence(MAG, MAG[:-1]), "shape"),
        (lambda: phase.spectral_convergence(np.zeros((3, 3)), np.ones((3, 3))), "silent"),
        (lambda: phase.griffin_lim(S, **ARGS), "complex"),
        (lambda: phase.griffin_lim(-MAG, **ARGS), "dB"),
        (lambda: phase.griffin_lim(MAG[0], **ARGS), "frames, bins"),
        (lambda: phase.griffin_lim(MAG, frame_length=1024, frame_step=128), "bins"),
        (lambda: phase.griffin_lim(MAG, frame_length=0, frame_step=128), "frame_length"),
        (lambda: phase.griffin_lim(MAG, n_iter=-1, **ARGS), "n_iter"),
        (lambda: phase.griffin_lim(MAG, momentum=1.0, **ARGS), "momentum"),
    ],
)
def test_bad_arguments_are_explained(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
