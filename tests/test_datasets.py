"""helpers.datasets: loaders, FSDD naming and split, tf.data pipeline, synthetic sets, FSDD download."""

import hashlib
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile

from helpers import datasets

SR = 8000


def tone(freq, seconds=0.5, sr=SR):
    return (0.5 * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)).astype(np.float32)


def write(path, y, sr=SR, subtype="PCM_16"):
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, y, sr, subtype=subtype)
    return path


# -------------------------------------------------------------------------- naming and split


def test_fsdd_fields_parses_digit_speaker_and_index():
    assert datasets.fsdd_fields("7_jackson_32.wav") == ("7", "jackson", 32)
    assert datasets.fsdd_fields(Path("x") / "0_us-m1_4.wav") == ("0", "us-m1", 4)
    assert datasets.fsdd_fields("dog_bark.wav") is None


def test_fsdd_split_puts_indices_0_to_4_in_test():
    names = [f"{d}_theo_{i}.wav" for d in range(2) for i in range(8)]
    train, test = datasets.fsdd_split(names)
    assert sorted(datasets.fsdd_fields(names[i])[2] for i in test) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert set(train) | set(test) == set(range(len(names))) and not set(train) & set(test)


def test_fsdd_split_rejects_other_names():
    with pytest.raises(ValueError, match="not named like FSDD"):
        datasets.fsdd_split(["3_theo_1.wav", "rain.wav"])


# ---------------------------------------------------------------------------------- from_folder


def test_from_folder_reads_class_per_folder_layout(tmp_path):
    for name, freq in [("low", 200), ("high", 1500)]:
        for i in range(3):
            write(tmp_path / name / f"{i}.wav", tone(freq))
    write(tmp_path / "_background_noise_" / "noise.wav", tone(50))
    (tmp_path / "low" / "README.txt").write_text("not audio")
    paths, labels, names = datasets.from_folder(tmp_path)
    assert names == ["high", "low"]
    assert len(paths) == 6 and all(p.suffix == ".wav" for p in paths)
    assert [names[c] for c in labels] == [p.parent.name for p in paths]


def test_from_folder_reads_fsdd_names(tmp_path):
    for name in ["3_theo_0.wav", "3_theo_1.wav", "5_lucas_9.wav"]:
        write(tmp_path / name, tone(300))
    paths, labels, names = datasets.from_folder(tmp_path)
    assert names == ["3", "5"]
    assert [names[c] for c in labels] == ["3", "3", "5"]


@pytest.mark.parametrize(
    "setup, error, match",
    [
        (lambda p: p / "missing", FileNotFoundError, "not a folder"),
        (lambda p: p, ValueError, "no audio files"),
        (lambda p: write(p / "rain.wav", tone(100)).parent, ValueError, "rain.wav is not named like FSDD"),
    ],
)
def test_from_folder_bad_input(tmp_path, setup, error, match):
    with pytest.raises(error, match=match):
        datasets.from_folder(setup(tmp_path))


def test_check_files_names_unreadable_and_short_files(tmp_path):
    good = write(tmp_path / "good.wav", tone(300))
    short = write(tmp_path / "short.wav", tone(300, seconds=0.01))
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"this is not audio at all" * 10)
    ok, problems = datasets.check_files([good, short, broken], min_seconds=0.032)
    assert ok == [0]
    assert len(problems) == 2
    assert "short.wav" in problems[0] and "too short" in problems[0]
    assert "broken.wav" in problems[1] and "unreadable" in problems[1]


# ---------------------------------------------------------------------------------- to_dataset


def test_to_dataset_from_arrays_pads_crops_and_batches():
    clips = np.arange(5 * 10, dtype=np.float32).reshape(5, 10)
    ds = datasets.to_dataset(clips, [0, 1, 0, 1, 1], sr=SR, clip_samples=12, batch_size=2)
    x, y = datasets.to_arrays(ds)
    assert x.shape == (5, 12) and y.tolist() == [0, 1, 0, 1, 1]
    np.testing.assert_array_equal(x[:, :10], clips)
    assert np.all(x[:, 10:] == 0)
    x, _ = datasets.to_arrays(datasets.to_dataset(clips, [0] * 5, sr=SR, clip_samples=4))
    np.testing.assert_array_equal(x, clips[:, :4])


def test_to_dataset_decodes_pcm16_files_like_soundfile(tmp_path):
    paths = [write(tmp_path / f"{i}.wav", tone(200 * (i + 1), seconds=0.3)) for i in range(3)]
    x, y = datasets.to_arrays(datasets.to_dataset(paths, [0, 1, 2], sr=SR, clip_samples=SR // 2))
    for i, path in enumerate(paths):
        expected, _ = soundfile.read(path, dtype="float32")
        np.testing.assert_allclose(x[i, : expected.size], expected, atol=1e-6)
        assert np.all(x[i, expected.size :] == 0)


def test_to_dataset_resamples_and_reads_other_formats(tmp_path):
    path = write(tmp_path / "a.flac", tone(440, seconds=0.5, sr=16000), sr=16000)
    x, _ = datasets.to_arrays(datasets.to_dataset([path], [0], sr=SR, clip_samples=SR))
    assert np.count_nonzero(x[0]) == pytest.approx(SR // 2, abs=20)  # 0.5 s at 8 kHz, then zeros
    spectrum = np.abs(np.fft.rfft(x[0, : SR // 2]))
    assert np.argmax(spectrum) * SR / (SR // 2) == pytest.approx(440, abs=4)


def test_to_dataset_shuffles_reproducibly():
    clips = np.eye(20, dtype=np.float32)
    first = [
        datasets.to_arrays(datasets.to_dataset(clips, np.arange(20), SR, 20, shuffle=True, seed=3))[1] for _ in range(2)
    ]
    np.testing.assert_array_equal(first[0], first[1])
    assert sorted(first[0]) == list(range(20)) and list(first[0]) != list(range(20))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(clips=np.zeros((2, 4)), labels=[0]), "one label per clip"),
        (dict(clips=np.zeros((2, 4)), labels=[0, 1], clip_samples=0), "clip_samples=0"),
    ],
)
def test_to_dataset_bad_input(kwargs, match):
    args = dict(sr=SR, clip_samples=4) | kwargs
    with pytest.raises(ValueError, match=match):
        datasets.to_dataset(**args)


def test_to_dataset_refuses_unreadable_files(tmp_path):
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"\0" * 100)
    with pytest.raises(ValueError, match="broken.wav"):
        datasets.to_dataset([broken], [0], SR, SR)


# ------------------------------------------------------------------------------ bundled digits


def test_spoken_digits_split_by_voice_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTROGRAM_LAB_CACHE", str(tmp_path))
    train, train_labels, names = datasets.spoken_digits("train")
    test, test_labels, _ = datasets.spoken_digits("test")
    assert names == [str(d) for d in range(10)]
    assert all(p.is_file() and tmp_path in p.parents for p in train + test)

    def voices(paths):
        return {datasets.fsdd_fields(p)[1] for p in paths}

    assert voices(train) and voices(test) and not voices(train) & voices(test)
    assert [names[c] for c in test_labels] == [datasets.fsdd_fields(p)[0] for p in test]
    assert set(np.bincount(train_labels)) == {len(train) // 10}  # balanced
    assert len(datasets.spoken_digits("all")[0]) == len(train) + len(test)
    info = soundfile.info(str(train[0]))
    assert (info.samplerate, info.subtype, info.channels) == (8000, "PCM_16", 1)


def test_spoken_digits_bad_split():
    with pytest.raises(ValueError, match="split='validation'"):
        datasets.spoken_digits("validation")


# ------------------------------------------------------------------------------- synthetic sets


@pytest.mark.parametrize(
    "make, n_classes, samples", [(datasets.environmental_sounds, 7, 16000), (datasets.music_genres, 6, 32000)]
)
def test_synthetic_sets_are_deterministic_balanced_and_bounded(make, n_classes, samples):
    x, y, names = make(3, seed=5)
    x2, y2, _ = make(3, seed=5)
    assert x.shape == (3 * n_classes, samples) and x.dtype == np.float32
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert np.bincount(y).tolist() == [3] * n_classes and len(names) == n_classes
    assert np.all(np.isfinite(x)) and np.max(np.abs(x)) <= 0.9 + 1e-6
    assert np.all(np.std(x, axis=1) > 0.01)  # no silent clip
    assert not np.allclose(x, make(3, seed=6)[0])


@pytest.mark.parametrize(
    "kwargs, match",
    [(dict(n_per_class=0), "n_per_class=0"), (dict(sr=100), "sr=100"), (dict(duration=0.01), "duration=0.01")],
)
def test_synthetic_sets_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.environmental_sounds(**kwargs)


def test_music_genres_bad_drop():
    with pytest.raises(ValueError, match="drop=1.5"):
        datasets.music_genres(2, drop=1.5)


# --------------------------------------------------------------------------------- download_fsdd


@pytest.fixture
def fsdd_zip(test_data, tmp_path):
    """A local zip laid out like GitHub's FSDD archive, holding four real recordings."""
    names = ["0_george_0.wav", "1_jackson_7.wav", "5_theo_3.wav", "9_lucas_49.wav"]
    archive = tmp_path / "fsdd.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("free-spoken-digit-dataset-1.0.10/README.md", "readme")
        for name in names:
            z.write(test_data / "fsdd" / name, f"free-spoken-digit-dataset-1.0.10/recordings/{name}")
    return archive, names


def test_download_fsdd_verifies_extracts_and_caches(fsdd_zip, tmp_path, test_data):
    archive, names = fsdd_zip
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    folder = datasets.download_fsdd(
        tmp_path / "cache", url=archive.as_uri(), sha256=sha, recordings_sha256=None
    )  # a subset: skip the full-set digest
    assert sorted(p.name for p in folder.glob("*.wav")) == sorted(names)
    assert (folder / "0_george_0.wav").read_bytes() == (test_data / "fsdd" / "0_george_0.wav").read_bytes()
    archive.unlink()  # a second call must not need the archive: it finds the cache
    again = datasets.download_fsdd(tmp_path / "cache", url=archive.as_uri(), sha256=sha, recordings_sha256=None)
    assert again == folder


def test_download_fsdd_rejects_a_wrong_checksum(fsdd_zip, tmp_path):
    archive, _ = fsdd_zip
    with pytest.raises(ValueError, match="checksum mismatch"):
        datasets.download_fsdd(tmp_path / "cache", url=str(archive), sha256="0" * 64)
    assert not (tmp_path / "cache").exists()


def test_download_fsdd_checks_the_recordings(fsdd_zip, tmp_path):
    archive, _ = fsdd_zip  # four files are not FSDD v1.0.10's 3000 recordings
    with pytest.raises(ValueError, match="recordings_sha256"):
        datasets.download_fsdd(tmp_path / "cache", url=str(archive))


def test_download_fsdd_missing_archive(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        datasets.download_fsdd(tmp_path / "cache", url=str(tmp_path / "nothing.zip"))


def test_recordings_digest_matches_fsdd_v1_0_10(test_data):
    assert datasets.recordings_digest(test_data / "fsdd") == datasets.FSDD_RECORDINGS_SHA256
