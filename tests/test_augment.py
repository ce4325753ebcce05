"""helpers.augment: the properties each augmentation promises, graph mode, and bad arguments."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from helpers import augment

RNG = np.random.default_rng(0)
SR = 8000
TONE = (0.3 * np.sin(2 * np.pi * 440 * np.arange(SR) / SR)).astype(np.float32)
WORDLIKE = np.concatenate([np.zeros(2000), TONE[:4000], np.zeros(2000)]).astype(np.float32)
seeds = st.tuples(st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1))


def snr_db(clean, noisy):
    return 10 * np.log10(np.mean(clean.astype(np.float64) ** 2) / np.mean((noisy - clean).astype(np.float64) ** 2))


# --- noise -----------------------------------------------------------------------------------


@given(snr=st.floats(-10, 40), seed=seeds)
def test_add_noise_reaches_the_requested_snr(snr, seed):
    noisy = augment.add_noise(TONE, snr, seed).numpy()
    assert noisy.shape == TONE.shape and noisy.dtype == np.float32
    assert abs(snr_db(TONE, noisy) - snr) < 0.5


def test_add_noise_gives_each_clip_of_a_batch_its_own_snr():
    batch = np.stack([TONE, 0.1 * TONE, WORDLIKE])
    wanted = np.array([0.0, 10.0, 30.0], np.float32)
    noisy = augment.add_noise(batch, wanted, (1, 2)).numpy()
    measured = [snr_db(c, n) for c, n in zip(batch, noisy, strict=True)]
    np.testing.assert_allclose(measured, wanted, atol=0.5)


def test_add_noise_is_reproducible_and_seed_dependent():
    a, b = augment.add_noise(TONE, 5.0, (0, 1)), augment.add_noise(TONE, 5.0, (0, 1))
    c = augment.add_noise(TONE, 5.0, (0, 2))
    assert np.array_equal(a, b) and not np.allclose(a, c)


def test_add_noise_leaves_silence_silent():
    assert np.array_equal(augment.add_noise(np.zeros(100), 10.0, (0, 0)).numpy(), np.zeros(100))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "loud"])
def test_add_noise_rejects_non_finite_snr(bad):
    with pytest.raises((ValueError, TypeError), match="snr_db"):
        augment.add_noise(TONE, bad, (0, 0))


@pytest.mark.parametrize("bad_seed", [(0,), (0, 1, 2), 7])
def test_seed_must_be_two_integers(bad_seed):
    with pytest.raises((ValueError, TypeError), match="seed"):
        augment.add_noise(TONE, 10.0, bad_seed)


# --- time shift ------------------------------------------------------------------------------


@given(max_shift=st.integers(0, 7999), seed=seeds)
def test_time_shift_is_a_roll_within_the_bound(max_shift, seed):
    shifted = augment.time_shift(WORDLIKE, max_shift, seed).numpy()
    matches = [k for k in range(-max_shift, max_shift + 1) if np.array_equal(shifted, np.roll(WORDLIKE, k))]
    assert matches, "the output is not a circular shift of the input by at most max_shift samples"


def test_time_shift_rolls_each_clip_of_a_batch_independently():
    batch = np.tile(np.arange(50, dtype=np.float32), (8, 1))
    shifted = augment.time_shift(batch, 20, (3, 4)).numpy()
    shifts = {int((-row[0]) % 50) for row in shifted}
    for row in shifted:
        assert np.array_equal(row, np.roll(batch[0], -int(row[0])))
    assert len(shifts) > 1


def test_time_shift_with_min_shift_zero_only_delays():
    batch = np.tile(np.arange(50, dtype=np.float32), (16, 1))
    shifted = augment.time_shift(batch, 10, (1, 1), min_shift=0).numpy()
    delays = [int(row.argmin()) for row in shifted]  # where sample 0 went
    assert min(delays) >= 0 and max(delays) <= 10 and len(set(delays)) > 1


@pytest.mark.parametrize("bad", [-1, 8000, 9000, 2.5, True])
def test_time_shift_rejects_bad_max_shift(bad):
    with pytest.raises((ValueError, TypeError), match="max_shift"):
        augment.time_shift(TONE, bad, (0, 0))


@pytest.mark.parametrize("bad", [5, -8000, 0.5])
def test_time_shift_rejects_bad_min_shift(bad):
    with pytest.raises((ValueError, TypeError), match="min_shift"):
        augment.time_shift(TONE, 4, (0, 0), min_shift=bad)


# --- gain ------------------------------------------------------------------------------------


@given(lo=st.floats(-20, 20), span=st.floats(0, 10), seed=seeds)
def test_random_gain_scales_rms_within_the_range(lo, span, seed):
    out = augment.random_gain(TONE, lo, lo + span, seed).numpy()
    gain = 20 * np.log10(np.sqrt(np.mean(out.astype(np.float64) ** 2) / np.mean(TONE.astype(np.float64) ** 2)))
    assert lo - 1e-3 <= gain <= lo + span + 1e-3
    np.testing.assert_allclose(out, TONE * 10 ** (gain / 20), atol=1e-5)  # one factor for the whole clip


@pytest.mark.parametrize(
    "lo, hi, name", [(6.0, -6.0, "min_db"), (float("nan"), 0.0, "min_db"), (0.0, float("inf"), "max_db")]
)
def test_random_gain_rejects_bad_ranges(lo, hi, name):
    with pytest.raises((ValueError, TypeError), match=name):
        augment.random_gain(TONE, lo, hi, (0, 0))


# --- librosa-based ops -----------------------------------------------------------------------


def dominant_hz(y):
    spectrum = np.abs(np.fft.rfft(y * np.hanning(y.size)))
    return np.argmax(spectrum) * SR / y.size


def test_pitch_shift_moves_a_tone_by_the_semitones_asked():
    shifted = augment.pitch_shift(TONE, SR, 12.0).numpy()
    assert shifted.shape == TONE.shape
    assert abs(dominant_hz(shifted[1000:-1000]) - 880) < 10


def test_pitch_shift_gives_each_clip_of_a_batch_its_own_steps():
    shifted = augment.pitch_shift(np.stack([TONE, TONE]), SR, np.array([0.0, -12.0])).numpy()
    assert shifted.shape == (2, SR)
    assert abs(dominant_hz(shifted[0, 1000:-1000]) - 440) < 10
    assert abs(dominant_hz(shifted[1, 1000:-1000]) - 220) < 10


def test_time_stretch_keeps_length_and_pitch_and_shortens_the_word():
    stretched = augment.time_stretch(WORDLIKE, 2.0).numpy()
    assert stretched.shape == WORDLIKE.shape
    loud = lambda y: np.sum(np.abs(y) > 0.1)  # noqa: E731
    assert 0.4 < loud(stretched) / loud(WORDLIKE) < 0.6
    assert abs(dominant_hz(stretched) - 440) < 10


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: augment.pitch_shift(TONE, SR, float("nan")), "n_steps"),
        (lambda: augment.pitch_shift(TONE, 0, 2.0), "sr"),
        (lambda: augment.time_stretch(TONE, 0.0), "rate"),
        (lambda: augment.time_stretch(TONE, -1.0), "rate"),
        (lambda: augment.time_stretch(np.float32(1.0), 1.1), "y"),
        (lambda: augment.time_stretch(TONE, 1.1, n_fft=0), "n_fft"),
        (lambda: augment.pitch_shift(TONE, SR, 1.0, n_fft=100.5), "n_fft"),
    ],
)
def test_librosa_ops_reject_bad_arguments(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


# --- SpecAugment -----------------------------------------------------------------------------

S = (1.0 + RNG.random((40, 64))).astype(np.float32)  # no zeros, so zeros mark the masks


@given(width=st.integers(0, 64), seed=seeds)
def test_freq_mask_zeros_exactly_width_adjacent_bins(width, seed):
    out = augment.freq_mask(S, width, seed).numpy()
    masked = np.flatnonzero((out == 0).all(axis=0))
    assert masked.size == width and (out == 0).sum() == width * S.shape[0]
    if width:
        assert masked[-1] - masked[0] == width - 1
    np.testing.assert_array_equal(np.delete(out, masked, axis=1), np.delete(S, masked, axis=1))


@given(width=st.integers(0, 40), seed=seeds)
def test_time_mask_zeros_exactly_width_adjacent_frames(width, seed):
    out = augment.time_mask(S, width, seed, fill=-80.0).numpy()
    masked = np.flatnonzero((out == -80.0).all(axis=1))
    assert masked.size == width and (out == -80.0).sum() == width * S.shape[1]
    if width:
        assert masked[-1] - masked[0] == width - 1


def test_spec_augment_bounds_the_masked_area_and_masks_a_batch_independently():
    batch = np.stack([S] * 6)
    out = augment.spec_augment(batch, max_freq_width=8, max_time_width=5, n_masks=2, seed=(5, 6)).numpy()
    assert out.shape == batch.shape
    for clip in out:
        assert (clip == 0).all(axis=0).sum() <= 2 * 8 and (clip == 0).all(axis=1).sum() <= 2 * 5
    assert len({(clip == 0).sum() for clip in out}) > 1


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: augment.freq_mask(S, -1, (0, 0)), "width"),
        (lambda: augment.freq_mask(S, 65, (0, 0)), "width"),
        (lambda: augment.time_mask(S, 41, (0, 0)), "width"),
        (lambda: augment.spec_augment(S, -2, 5, 1, (0, 0)), "max_freq_width"),
        (lambda: augment.spec_augment(S, 2, 5, -1, (0, 0)), "n_masks"),
        (lambda: augment.freq_mask(np.ones(10), 1, (0, 0)), "S"),
    ],
)
def test_masks_reject_bad_arguments(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_spec_augment_layer_masks_only_while_training():
    layer = augment.SpecAugment(max_freq_width=6, max_time_width=6, n_masks=2, seed=1)
    x = np.stack([S[..., None]] * 3)  # [batch, frames, bins, channels]
    assert np.array_equal(layer(x, training=False), x)
    trained = layer(x, training=True).numpy()
    assert trained.shape == x.shape and (trained == 0).any()
    assert augment.SpecAugment.from_config(layer.get_config()).n_masks == 2


# --- inside tf.data --------------------------------------------------------------------------


def augmented(seed, parallel):
    def fn(y, s):
        s1, s2, s3 = tf.unstack(tf.random.experimental.stateless_split(s, 3))
        y = augment.random_gain(augment.time_shift(augment.add_noise(y, 10.0, s1), 500, s2), -6.0, 6.0, s3)
        return augment.pitch_shift(y, SR, 1.0)

    ds = augment.with_seeds(tf.data.Dataset.from_tensor_slices(np.stack([TONE, WORDLIKE] * 3)), seed)
    if parallel:
        return ds.map(fn, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return ds.map(fn)


def test_pipeline_runs_in_graph_mode_reproducibly_with_new_draws_each_epoch():
    first = np.stack(list(augmented(0, parallel=True).as_numpy_iterator()))
    again = np.stack(list(augmented(0, parallel=False).as_numpy_iterator()))
    assert first.shape == (6, SR) and np.isfinite(first).all()
    np.testing.assert_allclose(first, again, atol=1e-6)  # same seed, same clips, parallel or not
    ds = augmented(0, parallel=True)
    epoch1, epoch2 = (np.stack(list(ds.as_numpy_iterator())) for _ in range(2))
    assert not np.allclose(epoch1, epoch2)
    assert not np.allclose(first, np.stack(list(augmented(1, parallel=True).as_numpy_iterator())))


def test_with_seeds_rejects_a_non_integer_seed():
    with pytest.raises((ValueError, TypeError), match="seed"):
        augment.with_seeds(tf.data.Dataset.range(3), seed=0.5)
