"""helpers.checks: right answers pass, each usual mistake gets its own hint, placeholders never raise."""

import doctest

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from helpers import checks, spectral


def verdict(capsys, check, *args, **kwargs):
    """Run a check; return (its bool, the one line it printed)."""
    result = check(*args, **kwargs)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return result, lines[0]


def assert_hint(capsys, check, args, fragment, **kwargs):
    ok, line = verdict(capsys, check, *args, **kwargs)
    assert ok is False
    assert line.startswith("✗ Not yet: ")
    assert fragment in line, line


def test_docstring_examples_hold():
    assert doctest.testmod(checks).failed == 0


@pytest.mark.parametrize("check, args", [
    (checks.duration, (None, np.zeros(10), 10)),
    (checks.resampled, (None, np.zeros(10), 10)),
    (checks.mono_mix, (None, np.zeros((2, 10)))),
    (checks.frame_step, (None,)),
    (checks.bin_spacing, (None, 16000, 1024)),
    (checks.n_frames, (None, 16000, 1024, 256)),
    (checks.resolving_frame_length, (None,)),
    (checks.min_max, (None,)),
    (checks.train_statistics, (None, np.ones(3), np.ones(2))),
    (checks.to_db, (None, np.ones(3))),
    (checks.extent, (None, 10, 16000, 160)),
    (checks.orientation, (None, None, np.ones((3, 2)))),
    (checks.colorbar_label, (None,)),
])
def test_placeholder_gives_a_hint_not_an_error(capsys, check, args):
    ok, line = verdict(capsys, check, *args)
    assert ok is False
    assert line.startswith("… Not answered yet: ") and "Hint: " in line


# ---- 01 -----------------------------------------------------------------------------------------
Y = np.zeros(48000, np.float32)


def test_duration_right_and_mistakes(capsys):
    assert verdict(capsys, checks.duration, 3.0, Y, 16000)[0] is True
    assert verdict(capsys, checks.duration, np.float32(3.0), Y, 16000)[0] is True
    assert verdict(capsys, checks.duration, tf.constant(3.0), Y, 16000)[0] is True
    assert verdict(capsys, checks.duration, np.array(3.0), Y, 16000)[0] is True
    assert_hint(capsys, checks.duration, (np.array([3.0]), Y, 16000), "samples / sample rate")
    assert_hint(capsys, checks.duration, (48000, Y, 16000), "number of samples")
    assert_hint(capsys, checks.duration, (16000 / 48000, Y, 16000), "upside down")
    assert_hint(capsys, checks.duration, (3000.0, Y, 16000), "milliseconds")
    assert_hint(capsys, checks.duration, (48000 / 22050, Y, 16000), "22050")
    assert_hint(capsys, checks.duration, (2.5, Y, 16000), "samples / sample rate")
    assert_hint(capsys, checks.duration, ("3 s", Y, 16000), "samples / sample rate")


def test_resampled_right_and_mistakes(capsys):
    y = np.zeros(22050)
    assert verdict(capsys, checks.resampled, np.zeros(16000), y, 22050)[0] is True
    assert verdict(capsys, checks.resampled, 16001, y, 22050)[0] is True  # resamplers may round up
    assert_hint(capsys, checks.resampled, (np.zeros(22050), y, 22050), "not resampled")
    assert_hint(capsys, checks.resampled, (np.zeros(30387), y, 22050), "swapped")
    assert_hint(capsys, checks.resampled, (np.zeros((2, 16000)), y, 22050), "1-D")
    assert_hint(capsys, checks.resampled, (np.zeros(8000), y, 22050), "librosa.resample")


def test_mono_mix_right_and_mistakes(capsys):
    stereo = np.stack([np.linspace(-1, 1, 50), np.linspace(1, -1, 50) * 0.5])
    assert verdict(capsys, checks.mono_mix, stereo.mean(axis=0), stereo)[0] is True
    assert verdict(capsys, checks.mono_mix, tf.constant(stereo.mean(axis=0)), stereo)[0] is True
    assert_hint(capsys, checks.mono_mix, (stereo, stereo), "axis=0")
    assert_hint(capsys, checks.mono_mix, (stereo.T, stereo), "transpose")
    assert_hint(capsys, checks.mono_mix, (stereo.mean(axis=1), stereo), "over time")
    assert_hint(capsys, checks.mono_mix, (stereo.sum(axis=0), stereo), "added the channels")
    assert_hint(capsys, checks.mono_mix, (stereo[1], stereo), "one channel")
    assert_hint(capsys, checks.mono_mix, (np.zeros(50), stereo), "mean of the channels")


# ---- 02 -----------------------------------------------------------------------------------------
def test_frame_step_right_and_mistakes(capsys):
    ok, line = verdict(capsys, checks.frame_step, 160)
    assert ok is True and "10.0 ms" in line
    assert verdict(capsys, checks.frame_step, np.int64(160))[0] is True
    assert_hint(capsys, checks.frame_step, (0.01,), "in seconds")
    assert_hint(capsys, checks.frame_step, (10,), "milliseconds")
    assert_hint(capsys, checks.frame_step, (160.0,), "integer")
    assert_hint(capsys, checks.frame_step, (1_600_000,), "sr / seconds")
    assert_hint(capsys, checks.frame_step, (441,), "another sample rate")
    assert_hint(capsys, checks.frame_step, (100,), "frame_step / sr")
    assert_hint(capsys, checks.frame_step, (True,), "frame_step / sr")


def test_bin_spacing_right_and_mistakes(capsys):
    ok, line = verdict(capsys, checks.bin_spacing, 16000 / 1024, 16000, 1024)
    assert ok is True and "513 bins" in line
    assert_hint(capsys, checks.bin_spacing, (1024 / 16000, 16000, 1024), "upside down")
    assert_hint(capsys, checks.bin_spacing, (8000 / 1024, 16000, 1024), "Nyquist")
    assert_hint(capsys, checks.bin_spacing, (16000 / 513, 16000, 1024), "number of bins")
    assert_hint(capsys, checks.bin_spacing, (1024 / 16000 + 1, 16000, 1024), "bin_frequencies")


def test_n_frames_right_and_mistakes(capsys):
    args = (16000, 1024, 256)
    assert verdict(capsys, checks.n_frames, 59, *args)[0] is True
    assert verdict(capsys, checks.n_frames, 59, *args)[0] == (
        tf.signal.stft(tf.zeros(16000), 1024, 256).shape[0] == 59)
    assert_hint(capsys, checks.n_frames, (58, *args), "one short")
    assert_hint(capsys, checks.n_frames, (62, *args), "center=True")
    assert_hint(capsys, checks.n_frames, (63, *args), "center=True")
    assert_hint(capsys, checks.n_frames, (60, *args), "rounds up")
    assert_hint(capsys, checks.n_frames, (59.0, *args), "whole number")
    assert_hint(capsys, checks.n_frames, (40, *args), "first frame covers")


def test_n_frames_says_when_the_frames_fit_exactly(capsys):
    ok, line = verdict(capsys, checks.n_frames, 286, 73984, 1024, 256)
    assert ok is True and "ends exactly at the last sample" in line


def test_tone_dip_measures_merging_and_separation():
    assert checks.tone_dip_db(256) == 0.0  # one merged peak
    assert checks.tone_dip_db(512) < 6.0 <= checks.tone_dip_db(1024) < checks.tone_dip_db(2048)


def test_resolving_frame_length_right_and_mistakes(capsys):
    ok, line = verdict(capsys, checks.resolving_frame_length, 1024)
    assert ok is True and "dips" in line
    assert_hint(capsys, checks.resolving_frame_length, (512,), "too short")
    assert_hint(capsys, checks.resolving_frame_length, (4096,), "not the smallest")
    assert_hint(capsys, checks.resolving_frame_length, (1000,), "power of two")
    assert_hint(capsys, checks.resolving_frame_length, (1024.0,), "power of two")


def test_resolving_frame_length_follows_the_gap(capsys):
    """A wider gap needs a shorter frame: the expected answer is computed, not stored."""
    assert verdict(capsys, checks.resolving_frame_length, 512, f1=1000.0, f2=1100.0)[0] is True


# ---- 03 -----------------------------------------------------------------------------------------
def test_min_max_right_and_mistakes(capsys):
    assert verdict(capsys, checks.min_max, lambda S: (S - S.min()) / (S.max() - S.min() + 1e-8))[0] is True
    assert verdict(capsys, checks.min_max, lambda S: tf.constant(S) * 0 + (S - S.min()) / (np.ptp(S) + 1e-8))[0]
    assert_hint(capsys, checks.min_max, ("not a function",), "should be a function")
    assert_hint(capsys, checks.min_max, (lambda S: S.max(axis=0),), "same shape")
    assert_hint(capsys, checks.min_max, (lambda S: (S - S.min()) / (S.max() - S.min()),), "eps")
    assert_hint(capsys, checks.min_max, (lambda S: S / (S.max() + 1e-8),), "subtract the minimum")
    assert_hint(capsys, checks.min_max, (lambda S: S / 10,), "smallest value")
    assert_hint(capsys, checks.min_max, (lambda S: (S - S.min()) / (2 * (S.max() - S.min()) + 1e-8),), "largest")


def test_min_max_function_that_raises_gets_the_general_hint(capsys):
    def broken(S):
        raise KeyError("oops")

    ok, line = verdict(capsys, checks.min_max, broken)
    assert ok is False and line.startswith("✗ Not yet: ")


def test_train_statistics_right_and_mistakes(capsys):
    rng = np.random.default_rng(1)
    train, test = rng.normal(-40, 10, (4, 5, 6)), rng.normal(-20, 5, (2, 5, 6))
    everything = np.concatenate([train.ravel(), test.ravel()])
    assert verdict(capsys, checks.train_statistics, (train.mean(), train.std()), train, test)[0] is True
    assert_hint(capsys, checks.train_statistics, ((1.0, 2.0, 3.0), train, test), "two numbers")
    assert_hint(capsys, checks.train_statistics, ((everything.mean(), everything.std()), train, test), "leaks")
    assert_hint(capsys, checks.train_statistics, ((test.mean(), test.std()), train, test), "test clips' statistics")
    assert_hint(capsys, checks.train_statistics, ((train.mean(), train.var()), train, test), "variance")
    assert_hint(capsys, checks.train_statistics, ((train.mean(), 1.0), train, test), "std is not")
    assert_hint(capsys, checks.train_statistics, ((0.0, 1.0), train, test), "train.mean()")
    assert_hint(capsys, checks.train_statistics, (5.0, train, test), "train.mean()")


def test_to_db_right_and_mistakes(capsys):
    S = np.array([[2.0, 0.2], [0.02, 0.0]])
    right = 20 * np.log10(np.maximum(S, 1e-5 * 2.0) / 2.0)
    ok, line = verdict(capsys, checks.to_db, right, S)
    assert ok is True and "-100.0 dB" in line
    with np.errstate(divide="ignore"):
        assert_hint(capsys, checks.to_db, (20 * np.log10(S / 2.0), S), "-inf")
    assert_hint(capsys, checks.to_db, (right / 2, S), "20·log10")
    assert_hint(capsys, checks.to_db, (right * np.log(10), S), "natural logarithm")
    assert_hint(capsys, checks.to_db, (right + 20 * np.log10(2.0), S), "0 dB")
    assert_hint(capsys, checks.to_db, (right[0], S), "same shape")
    assert_hint(capsys, checks.to_db, (right - 3, S), "np.log10(np.maximum")


# ---- 04 -----------------------------------------------------------------------------------------
def test_extent_right_and_mistakes(capsys):
    args = (100, 16000, 160)  # 100 frames of 10 ms, Nyquist 8000 Hz
    ok, line = verdict(capsys, checks.extent, (0, 1.0, 0, 8000), *args)
    assert ok is True and "1.000 s" in line and "8000 Hz" in line
    assert verdict(capsys, checks.extent, (-0.005, 0.995, -7.8, 8007.8), *args)[0] is True  # half-pixel edges
    assert_hint(capsys, checks.extent, ((0, 1.0, 0), *args), "four numbers")
    assert_hint(capsys, checks.extent, ((0, 100, 0, 8000), *args), "frames to seconds")
    assert_hint(capsys, checks.extent, ((0, 8000, 0, 1.0), *args), "time comes first")
    assert_hint(capsys, checks.extent, ((0, 1.0, 0, 16000), *args), "Nyquist")
    assert_hint(capsys, checks.extent, ((0, 3.0, 0, 8000), *args), "n_frames × frame_step / sr")
    assert_hint(capsys, checks.extent, ((0, 1.0, 8000, 0), *args), "bottom must be")
    assert_hint(capsys, checks.extent, ((0.5, 1.0, 0, 8000), *args), "first and last frame")


def test_orientation_right_and_mistakes(capsys):
    S = np.arange(12.0).reshape(4, 3)  # 4 frames, 3 bins
    assert verdict(capsys, checks.orientation, S.T, "lower", S)[0] is True
    assert verdict(capsys, checks.orientation, S.T[::-1], "upper", S)[0] is True
    assert_hint(capsys, checks.orientation, (S.T, "bottom", S), "'lower' or 'upper'")
    assert_hint(capsys, checks.orientation, (S, "lower", S), "Pass S.T")
    assert_hint(capsys, checks.orientation, (S.T, "upper", S), "Use origin='lower'")
    assert_hint(capsys, checks.orientation, (S.T[::-1], "lower", S), "flipped")
    assert_hint(capsys, checks.orientation, (S.T * 2, "lower", S), "[rows = frequencies")


def test_orientation_half_answered_is_a_placeholder(capsys):
    ok, line = verdict(capsys, checks.orientation, np.ones((2, 3)), None, np.ones((3, 2)))
    assert ok is False and line.startswith("… Not answered yet")


def test_colorbar_label_right_and_mistakes(capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert verdict(capsys, checks.colorbar_label, "Magnitude (dB)")[0] is True
    assert verdict(capsys, checks.colorbar_label, "Power (dB re peak)")[0] is True
    fig, ax = plt.subplots()
    cbar = fig.colorbar(ax.imshow(np.zeros((2, 2))), ax=ax, label="Level (dB)")
    ok, line = verdict(capsys, checks.colorbar_label, cbar)
    assert ok is True and "'Level (dB)'" in line
    assert_hint(capsys, checks.colorbar_label, (fig.colorbar(ax.images[0], ax=ax),), "no label")
    plt.close(fig)
    assert_hint(capsys, checks.colorbar_label, ("   ",), "no label")
    assert_hint(capsys, checks.colorbar_label, ("Magnitude",), "name the unit")
    assert_hint(capsys, checks.colorbar_label, ("(dB)",), "quantity")
    assert_hint(capsys, checks.colorbar_label, ("Magnitude in dB",), "parentheses")
    assert_hint(capsys, checks.colorbar_label, (42,), "Quantity (unit)")


# ---- properties: the checkers agree with the libraries they teach -----------------------------------
@given(n=st.integers(1100, 6000), frame_length=st.sampled_from([256, 400, 512, 1024]),
       frame_step=st.sampled_from([64, 100, 128, 256]))
def test_n_frames_accepts_exactly_what_tf_signal_stft_makes(n, frame_length, frame_step):
    made = tf.signal.stft(tf.zeros(n), frame_length, frame_step).shape[0]
    assert checks.n_frames(made, n, frame_length, frame_step) is True
    assert checks.n_frames(made + 1, n, frame_length, frame_step) is False


@given(sr=st.sampled_from([8000, 16000, 22050, 44100, 48000]), fft_length=st.sampled_from([256, 512, 1000, 2048]))
def test_bin_spacing_accepts_the_spacing_of_bin_frequencies(sr, fft_length):
    assert checks.bin_spacing(float(np.diff(spectral.bin_frequencies(fft_length, sr))[0]), sr, fft_length) is True


@given(sr=st.sampled_from([8000, 16000, 22050, 44100]), ms=st.sampled_from([5, 10, 20, 25]))
def test_frame_step_accepts_the_rounded_hop_and_nothing_else(sr, ms):
    hop = round(ms / 1000 * sr)
    assert checks.frame_step(hop, sr, ms / 1000) is True
    assert checks.frame_step(hop + 1, sr, ms / 1000) is False


@given(gap=st.sampled_from([20.0, 40.0, 80.0, 160.0]))
def test_resolving_frame_length_is_the_first_that_dips_6_db(gap):
    answer = next(2**k for k in range(5, 16) if checks.tone_dip_db(2**k, f2=1000.0 + gap) >= 6.0)
    assert checks.resolving_frame_length(answer, f2=1000.0 + gap) is True
    assert checks.tone_dip_db(answer // 2, f2=1000.0 + gap) < 6.0


# ---- 06-12: the exercises of the later notebooks -------------------------------------------------
@pytest.mark.parametrize("check, args", [
    (checks.n_frames_of_clip, (None, 16000, 400, 256)),
    (checks.snr_db, (None,)),
    (checks.beat_seconds, (None,)),
    (checks.c0_change, (None, np.zeros((3, 13)), 40)),
    (checks.noise_scale, (None, np.ones(4), np.ones(4))),
    (checks.iterations, (None, [0.5, 0.1])),
    (checks.cache_position, (None, True)),
])
def test_later_placeholders_give_a_hint_not_an_error(capsys, check, args):
    ok, line = verdict(capsys, check, *args)
    assert ok is False
    assert line.startswith("… Not answered yet: ") and "Hint: " in line


def test_n_frames_of_clip_right_and_mistakes(capsys):
    args = (16000, 400, 256)
    ok, line = verdict(capsys, checks.n_frames_of_clip, 61, *args)
    assert ok is True and "= 61 frames" in line
    assert_hint(capsys, checks.n_frames_of_clip, (61.0, *args), "integer division")
    assert_hint(capsys, checks.n_frames_of_clip, (60, *args), "one short")
    assert_hint(capsys, checks.n_frames_of_clip, (62, *args), "padded")
    assert_hint(capsys, checks.n_frames_of_clip, (63, *args), "padded")
    assert_hint(capsys, checks.n_frames_of_clip, (40, *args), "fit whole")
    made = tf.signal.stft(tf.zeros(16000), 400, 256).shape[0]
    assert checks.n_frames_of_clip(made, *args) is True


def test_snr_db_right_and_mistakes(capsys):
    ok, line = verdict(capsys, checks.snr_db, lambda s, n: 10 * np.log10(np.mean(s**2) / np.mean(n**2)))
    assert ok is True and "17.02 dB" in line
    assert_hint(capsys, checks.snr_db, (3.0,), "should be a function")
    assert_hint(capsys, checks.snr_db, (lambda s, n: 20 * np.log10(np.mean(s**2) / np.mean(n**2)),),
                "20 log10 is for amplitudes")
    assert_hint(capsys, checks.snr_db, (lambda s, n: 10 * np.log10(np.mean(n**2) / np.mean(s**2)),), "sign")
    assert_hint(capsys, checks.snr_db, (lambda s, n: np.log(np.mean(s**2) / np.mean(n**2)),), "natural logarithm")
    assert_hint(capsys, checks.snr_db, (lambda s, n: 10 * np.log10(np.mean(np.abs(s)) / np.mean(np.abs(n))),),
                "mean *powers*")
    assert_hint(capsys, checks.snr_db, (lambda s, n: 1 / 0,), "mean *powers*")


def test_beat_seconds_right_and_mistakes(capsys):
    ok, line = verdict(capsys, checks.beat_seconds, lambda bpm: 60 / bpm)
    assert ok is True and "0.50 s at 120 BPM" in line
    assert_hint(capsys, checks.beat_seconds, (0.5,), "should be a function")
    assert_hint(capsys, checks.beat_seconds, (lambda bpm: bpm / 60,), "beats per second")
    assert_hint(capsys, checks.beat_seconds, (lambda bpm: 0.5,), "fixed number")
    assert_hint(capsys, checks.beat_seconds, (lambda bpm: 1 / bpm,), "beats per minute")


def test_c0_change_right_and_mistakes(capsys):
    change = np.zeros((5, 13))
    change[:, 0] = np.sqrt(40) * -20.0
    ok, line = verdict(capsys, checks.c0_change, np.sqrt(40) * -20.0, change, 40)
    assert ok is True and "-126.5 in all 5 unclamped frames" in line
    assert verdict(capsys, checks.c0_change, -126.3, change, 40)[0] is True
    assert_hint(capsys, checks.c0_change, (-20.0, change, 40), "not the mean")
    assert_hint(capsys, checks.c0_change, (126.5, change, 40), "wrong sign")
    assert_hint(capsys, checks.c0_change, (-2.0, change, 40), "sqrt(N) × their mean")
    assert_hint(capsys, checks.c0_change, ("-126.5", change, 40), "sqrt(N) × their mean")


def test_noise_scale_right_and_mistakes(capsys):
    rng = np.random.default_rng(0)
    clip, noise = 0.05 * rng.standard_normal(4000), rng.standard_normal(4000)
    ps, pn = np.mean(clip**2), np.mean(noise**2)
    k = np.sqrt(ps / (pn * 10 ** 0.5))
    ok, line = verdict(capsys, checks.noise_scale, k, clip, noise)
    assert ok is True and "gives 5.00 dB" in line
    assert_hint(capsys, checks.noise_scale, ("k", clip, noise), "one number")
    assert_hint(capsys, checks.noise_scale, (np.sqrt(ps * 10 ** 0.5 / pn), clip, noise), "louder than the signal")
    assert_hint(capsys, checks.noise_scale, (np.sqrt(ps / pn) / 10 ** 0.5, clip, noise), "square root")
    assert_hint(capsys, checks.noise_scale, (1.0, clip, noise), "solve for k")


def test_iterations_right_and_mistakes(capsys):
    slow, fast = [0.5, 0.4, 0.3, 0.19, 0.1], [0.3, 0.15]
    ok, line = verdict(capsys, checks.iterations, 4, slow, fast)
    assert ok is True and "4 iterations without momentum, 2 with momentum 0.99" in line
    assert_hint(capsys, checks.iterations, (4.5, slow, fast), "whole number")
    assert_hint(capsys, checks.iterations, (3, slow, fast), "off by one")
    assert_hint(capsys, checks.iterations, (1, slow, fast), "add 1")
    assert_hint(capsys, checks.iterations, (2, [0.5, 0.4]), "never reaches")
    assert verdict(capsys, checks.iterations, 3, [0.5, 0.4])[0] is True


def test_cache_position_right_and_mistakes(capsys):
    ok, line = verdict(capsys, checks.cache_position, True, True)
    assert ok is True and "no augmentation at all" in line
    assert verdict(capsys, checks.cache_position, np.bool_(True), True)[0] is True
    assert_hint(capsys, checks.cache_position, ("yes", True), "True or False")
    assert_hint(capsys, checks.cache_position, (False, True), "np.array_equal")
