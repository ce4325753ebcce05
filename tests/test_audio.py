"""helpers.audio: loading real and bundled files, and a clear error for every kind of bad input."""

import numpy as np
import pytest
import soundfile

from helpers import audio


def write_wav(path, y, sr=8000, subtype="PCM_16"):
    soundfile.write(path, y, sr, subtype=subtype)
    return path


def tone(sr=8000, seconds=0.5, freq=440.0):
    t = np.arange(int(sr * seconds)) / sr
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_load_keeps_native_rate_and_returns_float32_mono(tmp_path):
    path = write_wav(tmp_path / "a.wav", tone(sr=8000), sr=8000)
    y, sr = audio.load(path)
    assert sr == 8000 and y.dtype == np.float32 and y.ndim == 1 and y.shape[0] == 4000
    assert np.allclose(y, tone(sr=8000), atol=1e-4)


def test_load_resamples_when_asked(tmp_path):
    path = write_wav(tmp_path / "a.wav", tone(sr=8000), sr=8000)
    y, sr = audio.load(path, sr=16000)
    assert sr == 16000 and y.shape[0] == 8000


def test_load_stereo_mono_and_multichannel(tmp_path):
    left, right = tone(freq=300), tone(freq=500)
    path = write_wav(tmp_path / "s.wav", np.stack([left, right], axis=1))
    y, _ = audio.load(path)
    assert y.ndim == 1 and np.allclose(y, (left + right) / 2, atol=1e-4)
    y2, _ = audio.load(path, mono=False)
    assert y2.shape == (2, left.shape[0])


def test_load_real_recording(test_data):
    path = sorted((test_data / "fsdd").glob("*.wav"))[0]
    y, sr = audio.load(path)
    assert sr == 8000 and 0 < np.abs(y).max() <= 1.0


def test_missing_path_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.wav"):
        audio.load(tmp_path / "nope.wav")


@pytest.mark.parametrize(
    "make, why",
    [
        (lambda p: p.mkdir(), "directory"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_text("this is not audio\n"), "not readable audio"),
        (lambda p: p.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\xff" * 16), "not readable audio"),
    ],
)
def test_unreadable_inputs_raise_value_error_naming_the_path(tmp_path, make, why):
    path = tmp_path / "bad.wav"
    make(path)
    with pytest.raises(ValueError, match=why) as err:
        audio.load(path)
    assert str(path) in str(err.value)


def test_truncated_wav_is_refused(tmp_path):
    path = write_wav(tmp_path / "t.wav", tone())
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(ValueError, match="truncated"):
        audio.load(path)


def test_zero_length_wav_is_refused(tmp_path):
    path = write_wav(tmp_path / "z.wav", np.zeros(0, np.float32))
    with pytest.raises(ValueError, match="no audio samples"):
        audio.load(path)


def test_nan_samples_in_a_float_wav_are_refused(tmp_path):
    y = tone()
    y[10] = np.nan
    path = write_wav(tmp_path / "n.wav", y, subtype="FLOAT")
    with pytest.raises(ValueError, match="NaN or Inf"):
        audio.load(path)


@pytest.mark.parametrize("sr", [0, -8000, 8000.5, True])
def test_bad_target_rate(tmp_path, sr):
    path = write_wav(tmp_path / "a.wav", tone())
    with pytest.raises((ValueError, TypeError), match="sr="):
        audio.load(path, sr=sr)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros(0), "empty"),
        (np.array([0.0, np.inf]), "NaN or Inf"),
        (np.zeros((2, 100)), "mono 1-D"),
        (np.array(["a", "b"]), "dtype"),
    ],
)
def test_check_signal(y, match):
    with pytest.raises((ValueError, TypeError), match=match):
        audio.check_signal(y)


def test_save_round_trip(tmp_path):
    y = tone()
    path = audio.save(tmp_path / "out.wav", y, 8000)
    back, sr = audio.load(path)
    assert sr == 8000 and np.allclose(back, y, atol=1e-4)


def test_play_returns_an_audio_widget():
    html = audio.play(tone(), 8000)._repr_html_()
    assert "<audio" in html and "audio/wav" in html


def test_bundled_samples_are_listed_and_load():
    names = audio.samples()
    assert names, "no bundled clips in helpers/data"
    for name in names:
        y, sr = audio.load(audio.sample(name))
        assert y.size > sr // 2 and np.abs(y).max() > 0.01


def test_unknown_sample_lists_the_choices():
    with pytest.raises(ValueError, match="choose one of"):
        audio.sample("no-such-clip")


def test_overlapping_silenced_blocks_in_threads_give_stderr_back():
    """Two decoding threads whose silencing overlaps (A enters, B enters, A leaves, B leaves): the
    descriptor is /dev/null while either is inside and the original again after both, so the
    trainer's later warnings still reach the terminal."""
    import os
    import threading

    from helpers._quiet import silenced_fd

    def where(fd=2):
        st = os.fstat(fd)
        return st.st_dev, st.st_ino

    devnull, original = os.stat(os.devnull), where()
    steps = [threading.Event() for _ in range(3)]
    seen = []

    def a():
        with silenced_fd(2):
            steps[0].set()
            steps[1].wait(5)
        seen.append(where())  # B is still inside
        steps[2].set()

    def b():
        steps[0].wait(5)
        with silenced_fd(2):
            steps[1].set()
            steps[2].wait(5)

    threads = [threading.Thread(target=f) for f in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [(devnull.st_dev, devnull.st_ino)] and where() == original
