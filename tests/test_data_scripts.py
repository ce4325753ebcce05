"""The bundled data and the scripts that generate it (scripts/make_samples.py, scripts/make_digits.py).

Nothing here regenerates data or needs espeak-ng: the tests read the committed files and call the
scripts' pure NumPy functions.
"""

import importlib.util
import io
import json
import re
import tarfile
from pathlib import Path

import numpy as np
import pytest
import soundfile

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "helpers" / "data"
ARCHIVE = DATA / "spoken_digits.tar.xz"
CLIPS = json.loads((DATA / "clips.json").read_text())
SYNTHESISED = ["music", "chirp", "birds", "drums", "stereo"]  # every clip but speech (espeak-ng)
DIGIT_NAME = re.compile(r"^(\d)_([a-z0-9-]+)_(\d+)\.wav$")


def _script(name):
    """Import scripts/{name}.py as a module (the scripts folder is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_samples():
    return _script("make_samples")


@pytest.fixture(scope="module")
def make_digits():
    return _script("make_digits")


@pytest.fixture(scope="module")
def digits():
    """The archive's members: ``{name relative to spoken_digits/: bytes}``."""
    with tarfile.open(ARCHIVE, "r:xz") as tar:
        return {
            m.name.removeprefix("spoken_digits/"): tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()
        }


# --- the bundled clips -----------------------------------------------------------------------


def test_clips_json_lists_every_bundled_wav():
    assert sorted(c["file"] for c in CLIPS) == sorted(p.name for p in DATA.glob("*.wav"))
    assert {c["name"] for c in CLIPS} >= {"speech", "music", "chirp", "birds", "drums", "stereo"}
    for clip in CLIPS:
        assert clip["file"] == f"{clip['name']}.wav"
        assert clip["description"] and clip["licence"].startswith("CC0-1.0")


@pytest.mark.parametrize("clip", CLIPS, ids=[c["name"] for c in CLIPS])
def test_clip_matches_its_declaration(clip):
    info = soundfile.info(DATA / clip["file"])
    declared = (clip["sample_rate"], clip["channels"], clip["frames"])
    assert (info.samplerate, info.channels, info.frames) == declared
    assert info.subtype == "PCM_16"
    assert info.duration == pytest.approx(clip["duration_s"], abs=1e-3)
    assert 2.5 <= info.duration <= 7.0


@pytest.mark.parametrize("clip", CLIPS, ids=[c["name"] for c in CLIPS])
def test_clip_is_audible_and_not_clipped(clip):
    y, _ = soundfile.read(DATA / clip["file"], dtype="float32", always_2d=True)
    peak = np.max(np.abs(y))
    assert 0.85 <= peak <= 0.95, f"peak {peak:.3f}, expected about 0.9"
    assert np.mean(np.abs(y) >= 0.999) == 0.0
    rms_db = 20 * np.log10(np.sqrt(np.mean(y**2)))
    assert rms_db > -35, f"RMS {rms_db:.1f} dBFS: nearly silent"


def test_rates_and_channels_worth_teaching():
    by_name = {c["name"]: c for c in CLIPS}
    assert by_name["speech"]["sample_rate"] == 16000  # resampling to librosa's 22050 Hz default
    assert (by_name["stereo"]["sample_rate"], by_name["stereo"]["channels"]) == (44100, 2)
    left, right = soundfile.read(DATA / "stereo.wav", dtype="float32")[0].T
    assert not np.allclose(left, right), "the two channels of stereo.wav should differ"


def test_bundled_data_is_small():
    assert sum((DATA / c["file"]).stat().st_size for c in CLIPS) < 2.5e6
    assert ARCHIVE.stat().st_size <= 6 * 2**20


# --- make_samples.py -------------------------------------------------------------------------


@pytest.mark.parametrize("name", SYNTHESISED)
def test_synthesis_is_deterministic(make_samples, name):
    make, sr, _ = make_samples.CLIPS[name]
    first, second = make(sr=sr), make(sr=sr)
    assert first.dtype == np.float32
    np.testing.assert_array_equal(first, second)
    assert np.max(np.abs(first)) == pytest.approx(0.9, abs=1e-6)


@pytest.mark.parametrize("name", SYNTHESISED)
def test_bundled_clip_is_what_the_script_makes(make_samples, name):
    """The committed WAV is the script's output (up to 16-bit rounding): rerun it after editing."""
    make, sr, _ = make_samples.CLIPS[name]
    stored, stored_sr = soundfile.read(DATA / f"{name}.wav", dtype="float32", always_2d=True)
    y = np.atleast_2d(make(sr=sr)).T
    assert stored_sr == sr and stored.shape == y.shape
    assert np.max(np.abs(stored - y)) < 3e-4, f"helpers/data/{name}.wav is stale; run python scripts/make_samples.py"


def test_building_blocks(make_samples):
    sr = 8000
    env = make_samples.adsr(800, sr)
    assert env.shape == (800,) and env[0] == 0 and env.max() == pytest.approx(1.0) and env[-1] == 0
    assert make_samples.midi_to_hz(69) == 440.0 and make_samples.midi_to_hz(81) == 880.0
    note = make_samples.harmonic_note(440.0, 0.5, sr)
    spectrum = np.abs(np.fft.rfft(note))
    assert np.argmax(spectrum) * sr / note.size == pytest.approx(440.0, abs=4)
    with pytest.raises(ValueError, match="silent"):
        make_samples.peak_normalize(np.zeros(10))


# --- the spoken digits -----------------------------------------------------------------------


def test_digit_archive_layout(digits):
    assert {"README.md", "voices.json", "split.json"} <= set(digits)
    recordings = [n for n in digits if n.startswith("recordings/")]
    assert len(recordings) == 1200 and len(digits) == 1203
    for name in recordings:
        assert DIGIT_NAME.match(name.removeprefix("recordings/")), name


def test_every_voice_says_every_digit(digits):
    voices = json.loads(digits["voices.json"])
    assert len(voices) == 24
    counts = {}
    for name in digits:
        if name.startswith("recordings/"):
            digit, speaker, take = DIGIT_NAME.match(name.removeprefix("recordings/")).groups()
            counts.setdefault(speaker, set()).add((int(digit), int(take)))
    assert set(counts) == set(voices)
    for speaker, takes in counts.items():
        assert takes == {(d, t) for d in range(10) for t in range(5)}, speaker
        assert "_" not in speaker and voices[speaker]["voice"].startswith("en")


def test_digit_recordings_are_8khz_mono_16bit(digits):
    for name, data in digits.items():
        if name.startswith("recordings/"):
            info = soundfile.info(io.BytesIO(data))
            assert (info.samplerate, info.channels, info.subtype) == (8000, 1, "PCM_16"), name
            assert 0.2 <= info.duration <= 1.5, name


def test_split_is_by_voice(digits):
    voices = json.loads(digits["voices.json"])
    split = json.loads(digits["split.json"])
    train, test = set(split["train"]), set(split["test"])
    assert not train & test
    assert train | test == set(voices)
    assert len(test) == 6 and len(train) == 18
    assert split["test"] == list(voices)[3::4]


def test_digit_settings_are_deterministic(make_digits):
    assert make_digits.take_settings(3, 7, 2) == make_digits.take_settings(3, 7, 2)
    assert make_digits.take_settings(3, 7, 2) != make_digits.take_settings(3, 7, 3)
    speakers = list(make_digits.voices())
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in speakers)
    assert make_digits.split(speakers) == make_digits.split(speakers)


def test_missing_espeak_is_explained(monkeypatch):
    tts = _script("tts")
    monkeypatch.setattr(tts.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install espeak-ng"):
        tts.speak("seven")
