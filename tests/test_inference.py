"""helpers.inference: find the event in a long recording, slide windows, aggregate; and the CLI's splits."""

import keras
import numpy as np
import pytest
import soundfile

from helpers import cli_split, datasets, inference, models

SR = 8000
CLIP = SR // 2  # the test model hears half a second


def tone(freq, seconds, amplitude=0.5, sr=SR):
    t = np.arange(int(seconds * sr)) / sr
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def noise(seconds, rms, seed=0):
    return (rms * np.random.default_rng(seed).standard_normal(int(seconds * SR))).astype(np.float32)


@pytest.fixture(scope="module")
def tone_model():
    """Low (200-500 Hz) versus high (1500-3000 Hz) tones of 0.2-0.4 s at the start of a half-second clip."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    labels = np.repeat([0, 1], 24)
    freqs = np.where(labels == 0, rng.uniform(200, 500, 48), rng.uniform(1500, 3000, 48))
    x = np.stack(
        [
            np.r_[tone(f, rng.uniform(0.2, 0.4)), np.zeros(CLIP)][:CLIP] + noise(CLIP / SR, 0.005, seed=i)
            for i, f in enumerate(freqs)
        ]
    )
    model = models.cnn(["low", "high"], SR, CLIP, filters=(4, 8), frame_length=256, frame_step=128, n_mels=32)
    ds = datasets.to_dataset(x, labels, SR, CLIP, batch_size=8, shuffle=True)
    models.train(model, ds, datasets.to_dataset(x, labels, SR, CLIP), epochs=8)
    return model


# ------------------------------------------------------------------------------ event location


@pytest.mark.parametrize(
    "lead, word, background",
    [
        (0.8, 0.3, 0.0),  # digital silence before the event
        (0.8, 0.3, 0.01),  # room noise 34 dB below the tone
        (0.2, 0.5, 0.05),  # louder noise, short lead
        (2.0, 0.25, 0.02),  # a long lead
    ],
)
def test_event_bounds_find_the_tone_after_silence_or_noise(lead, word, background):
    y = np.r_[np.zeros(int(lead * SR)), tone(700, word), np.zeros(int(0.3 * SR))].astype(np.float32)
    y = y + noise(len(y) / SR, background)[: len(y)]
    start, end = inference.event_bounds(y, SR)
    assert abs(start / SR - lead) <= 0.03 and abs(end / SR - (lead + word)) <= 0.03


def test_event_bounds_bridge_a_short_pause_and_pick_the_loudest_region():
    word = np.r_[tone(500, 0.2), np.zeros(int(0.08 * SR)), tone(500, 0.2)]  # a stop consonant's closure
    y = np.r_[0.05 * tone(900, 0.3), np.zeros(SR), word, np.zeros(SR // 2)].astype(np.float32)  # a soft blip first
    start, end = inference.event_bounds(y, SR)
    assert start / SR == pytest.approx(1.3, abs=0.03) and end / SR == pytest.approx(1.78, abs=0.03)


def test_event_bounds_of_silence_or_steady_sound_is_everything():
    for y in (np.zeros(SR, np.float32), tone(440, 1.0)):
        start, end = inference.event_bounds(y, SR)
        assert (start, end) == (0, SR) or (start <= 0.03 * SR and end >= 0.97 * SR)


def test_locate_pads_short_clips_unchanged_and_cuts_long_ones_before_the_onset():
    short = tone(300, 0.3)
    np.testing.assert_array_equal(inference.locate(short, SR, CLIP), np.r_[short, np.zeros(CLIP - len(short))])
    y = np.r_[noise(0.8, 0.01), tone(300, 0.3), noise(0.5, 0.01, seed=1)]
    clip = inference.locate(y, SR, CLIP)
    assert clip.shape == (CLIP,)
    onset = int(np.argmax(np.abs(clip) > 0.1))
    assert 0.01 * SR <= onset <= 0.06 * SR  # the event starts just after the clip does


@pytest.mark.parametrize(
    "n, hop, starts", [(25, 5, [0, 5, 10, 15]), (10, 5, [0]), (3, None, [0]), (21, 10, [0, 10, 20])]
)
def test_windows_cover_the_signal(n, hop, starts):
    got_starts, frames = inference.windows(np.arange(1, n + 1, dtype=np.float32), clip_samples=10, hop=hop)
    assert got_starts.tolist() == starts and frames.shape == (len(starts), 10)
    assert set(np.unique(frames[frames > 0])) == set(range(1, n + 1))  # every sample is in some window


# ------------------------------------------------------------------------- predictions of files


@pytest.mark.parametrize("lead", [0.6, 0.8, 1.5])
@pytest.mark.parametrize("freq, name", [(350, "low"), (2200, "high")])
def test_predict_file_finds_a_tone_after_leading_noise(tone_model, tmp_path, lead, freq, name):
    y = np.r_[noise(lead, 0.01), tone(freq, 0.3), noise(0.2, 0.01, seed=2)]
    assert np.abs(y[:CLIP]).max() < 0.1  # the first half second, all a plain crop would see, holds no tone
    path = tmp_path / "take.wav"
    soundfile.write(path, y, SR, subtype="PCM_16")
    got, p = models.predict_file(tone_model, path)  # the public name in helpers.models is the same function
    assert got == name and p.shape == (2,) and p.sum() == pytest.approx(1, abs=1e-5)


def test_predict_file_on_a_long_recording_votes_over_windows(tone_model, tmp_path):
    rng = np.random.default_rng(3)
    parts = [np.r_[tone(rng.uniform(1600, 2800), 0.3), noise(rng.uniform(0.3, 1.5), 0.003, seed=k)] for k in range(12)]
    y = np.r_[noise(1.0, 0.003), *parts, np.zeros(3 * SR)].astype(np.float32)  # ~15 s, long silence at the end
    path = tmp_path / "long.flac"
    soundfile.write(path, y, SR)
    name, p = inference.predict_file(tone_model, path)
    assert name == "high" and p[1] > 0.8
    starts, per_window = inference.predict_windows(tone_model, y)
    assert per_window.shape == (len(starts), 2) and starts[1] == CLIP // 2
    assert inference.predict_file(tone_model, path, mode="event")[0] == "high"


def test_predict_file_bad_mode(tone_model, tmp_path):
    path = tmp_path / "t.wav"
    soundfile.write(path, tone(300, 0.3), SR)
    with pytest.raises(ValueError, match="mode='best'"):
        inference.predict_file(tone_model, path, mode="best")


# --------------------------------------------------------------------- the CLI's validation groups


@pytest.mark.parametrize(
    "names, group_by, expected",
    [
        (["0_ann_1.wav", "3_bob_7.wav"], "speaker", ["ann", "bob"]),
        (["0_ann_1.wav", "3_bob_7.wav"], "auto", ["ann", "bob"]),
        (["0_nyc-klatt_1.wav", "3_en_us_7.wav"], "auto", ["nyc-klatt", "en_us"]),
        (["dog/ann_001.wav", "dog/bob_002.wav"], r"^([a-z]+)_", ["ann", "bob"]),
        (["dog/ann_001.wav", "dog/bob_002.wav"], r"\d+", ["001", "002"]),
        (["dog/s1/a.wav", "rain/s2/b.wav"], "folder:2", ["dog/s1", "rain/s2"]),
        (["dog/s1/a.wav", "rain/s2/b.wav"], "folder:1", ["dog", "rain"]),
    ],
)
def test_groups_of(names, group_by, expected):
    assert cli_split.groups_of(names, ".", group_by).tolist() == expected


@pytest.mark.parametrize("names, group_by", [(["dog/a.wav", "0_ann_1.wav"], "auto"), (["0_ann_1.wav"], "none")])
def test_groups_of_random_split(names, group_by):
    assert cli_split.groups_of(names, ".", group_by) is None


@pytest.mark.parametrize("seed", range(5))
def test_grouped_split_holds_out_whole_groups(seed):
    groups = np.repeat(["ann", "bob", "cid", "dan", "eve", "fay"], 50)
    labels = np.tile(np.arange(10), 30)
    train, val, held = cli_split.grouped_split(labels, groups, 0.15, seed)
    assert not set(groups[train]) & set(groups[val]) and sorted(set(groups[val])) == held
    assert len(held) == 1 and len(train) + len(val) == len(groups) and sorted(np.r_[train, val]) == list(range(300))
    assert np.array_equal(cli_split.grouped_split(labels, groups, 0.15, seed)[1], val)  # seeded: the same again


def test_grouped_split_keeps_a_group_for_training_and_refuses_one_group():
    train, val, held = cli_split.grouped_split([0, 1, 0, 1], ["a", "a", "b", "b"], 0.99, seed=0)
    assert len(held) == 1 and len(train) == 2
    with pytest.raises(ValueError, match="one group"):
        cli_split.grouped_split([0, 1], ["a", "a"], 0.15, seed=0)


def test_random_split_per_class():
    labels = np.repeat([0, 1, 2], [20, 1, 7])
    train, val = cli_split.random_split(labels, 0.15, seed=0)
    assert np.bincount(labels[val], minlength=3).tolist() == [3, 0, 1]  # a single clip stays for training
    assert not set(train) & set(val)


def test_predict_file_refuses_a_recording_too_long_to_read_at_once(tone_model, tmp_path, monkeypatch):
    path = tmp_path / "long.wav"
    soundfile.write(path, noise(3.0, 0.01), SR)
    monkeypatch.setattr(inference, "MAX_SECONDS", 2)
    with pytest.raises(ValueError, match=r"long\.wav lasts .* cut it into parts"):
        inference.predict_file(tone_model, path)


@pytest.mark.parametrize(
    "make_model, message",
    [
        (lambda path: str(path), "is a path, not a model; load it first: model = keras.models.load_model"),
        (lambda path: path, "is a path, not a model"),
        (lambda path: {"layers": []}, "model is a dict, not a Keras model"),
    ],
)
def test_predict_file_needs_a_loaded_model(tmp_path, make_model, message):
    path = tmp_path / "t.wav"
    soundfile.write(path, tone(300, 0.3), SR)
    with pytest.raises(TypeError, match=message) as err:
        inference.predict_file(make_model(tmp_path / "m.keras"), path)
    assert "model" in str(err.value)


@pytest.mark.parametrize(
    "samples, message",
    [
        (np.full(10, 0.3, np.float32), r"too short: 10 samples at 8000 Hz, less than one spectrogram frame \(256"),
        (np.zeros(SR, np.float32), r"is silent \(every sample is 0\)"),
        (np.zeros(300, np.float32), r"is silent"),  # longer than a frame, still nothing there
    ],
)
def test_predict_file_refuses_unusable_recordings(tone_model, tmp_path, samples, message):
    path = tmp_path / "bad.wav"
    soundfile.write(path, samples, SR)
    with pytest.raises(ValueError, match=message) as err:
        inference.predict_file(tone_model, path)
    assert str(path) in str(err.value)


def test_predict_file_nan_hint_does_not_put_a_path_in_nan_to_num(tone_model, tmp_path):
    path = tmp_path / "nan.wav"
    y = tone(300, 0.5)
    y[10] = np.nan
    soundfile.write(path, y, SR, subtype="FLOAT")
    with pytest.raises(ValueError, match="NaN") as err:
        inference.predict_file(tone_model, path)
    assert f"nan_to_num({path})" not in str(err.value) and str(path) in str(err.value)
