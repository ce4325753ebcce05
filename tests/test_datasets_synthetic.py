"""The synthetic environmental sounds have the properties their names promise, measured from spectra:
a bird chirp sweeps kilohertz within its own 40-120 ms (not across the whole clip), and a dog bark
starts at its drawn pitch (250-600 Hz) however late in the clip it starts."""

import numpy as np
import pytest
import scipy.signal
from datasets_support import time_limit
from synth_measures import bark_onset_pitch, chirp_sweeps, peak_track

from helpers import datasets

SR = 16000
LIMIT = 60


@pytest.fixture(scope="module")
def clean_sounds():
    """40 clips per class, noise 60 dB down, so the measurements see the sound itself."""
    with time_limit(LIMIT):
        return datasets.environmental_sounds(40, seed=0, snr_db=(60.0, 60.0))


def of_class(sounds, name):
    x, y, names = sounds
    return x[y == names.index(name)]


# ------------------------------------------------------------- the measurements can tell


def gated(y, start, length):
    out = np.zeros_like(y)
    out[start : start + length] = y[start : start + length]
    return out


def test_the_sweep_measure_sees_a_fast_chirp_and_a_slow_one():
    t = np.arange(SR) / SR
    fast = gated(scipy.signal.chirp(t - 0.3, 5000, 0.08, 2500), int(0.3 * SR), int(0.08 * SR))  # 2.5 kHz in 80 ms
    slow = gated(scipy.signal.chirp(t, 5000, 1.0, 2500), int(0.3 * SR), int(0.08 * SR))  # the same over 1 s
    assert chirp_sweeps(fast, SR) == pytest.approx([2500 * 0.064 / 0.08], rel=0.15)  # 8 ms trimmed at each end
    assert chirp_sweeps(slow, SR)[0] < 300


def test_the_onset_pitch_measure_finds_a_late_400_hz_bark():
    t = np.arange(SR) / SR
    bark = gated(np.sin(2 * np.pi * 400 * t) + 0.5 * np.sin(2 * np.pi * 800 * t), int(0.8 * SR), int(0.1 * SR))
    onset, pitch = bark_onset_pitch(bark, SR)
    assert onset == pytest.approx(0.8, abs=0.002) and pitch == pytest.approx(400, abs=10)


# ------------------------------------------------------------------------ the generators


def test_each_bird_chirp_sweeps_kilohertz_within_itself(clean_sounds):
    sweeps = np.concatenate([chirp_sweeps(clip, SR) for clip in of_class(clean_sounds, "bird_chirp")])
    assert len(sweeps) >= 80  # 2-5 chirps per clip, some overlapping
    assert np.median(sweeps) >= 1500, f"median sweep {np.median(sweeps):.0f} Hz"
    assert np.mean(sweeps >= 800) >= 0.9


def test_bird_chirps_stay_in_their_band(clean_sounds):
    for clip in of_class(clean_sounds, "bird_chirp")[:10]:
        _, peak, energy = peak_track(clip, SR, (100.0, SR / 2))
        loud = peak[energy > 0.1 * energy.max()]
        assert 1800 <= loud.min() and loud.max() <= 6200


def test_bird_chirps_stay_below_nyquist_at_8_khz():
    x, y, names = datasets.environmental_sounds(5, seed=1, sr=8000, snr_db=(60.0, 60.0))
    sweeps = np.concatenate([chirp_sweeps(c, 8000, band=(500.0, 3900.0)) for c in x[y == 0]])
    assert np.median(sweeps) >= 500
    _, peak, energy = peak_track(x[y == 0][0], 8000, (100.0, 4000.0))
    assert peak[energy > 0.1 * energy.max()].max() <= 3700


def test_a_dog_bark_starts_at_its_pitch_however_late_it_starts(clean_sounds):
    onsets, pitches = np.array([bark_onset_pitch(clip, SR) for clip in of_class(clean_sounds, "dog_bark")]).T
    assert np.all((pitches >= 0.85 * 250) & (pitches <= 620)), pitches.round()
    late = onsets > 0.4
    assert late.sum() >= 3 and np.all(pitches[late] >= 0.85 * 250)  # before the fix these began near 30 Hz
