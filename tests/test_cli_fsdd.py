"""The trainer on real recordings (FSDD): its validation predicts unseen speakers; noisy takes are found.

Slow (one training run of about a minute); skips when ../shared/test-data/fsdd is absent.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.signal
import soundfile

ROOT = Path(__file__).resolve().parents[1]
FSDD = ROOT.parent / "shared" / "test-data" / "fsdd"
TEST_SPEAKERS = ("theo", "yweweler")

pytestmark = pytest.mark.slow


def cli(module, *args):
    return subprocess.run(
        [sys.executable, "-m", f"helpers.{module}", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
    )


@pytest.fixture(scope="module")
def fsdd_run(tmp_path_factory):
    """Train with the CLI's defaults on four speakers; test on the two others."""
    if not FSDD.is_dir():
        pytest.skip(f"real recordings not found at {FSDD} (they live beside the project, not in it)")
    root = tmp_path_factory.mktemp("fsdd")
    for name in ("train", "test"):
        (root / name).mkdir()
    for wav in sorted(FSDD.glob("*.wav")):
        (root / ("test" if wav.stem.split("_")[1] in TEST_SPEAKERS else "train") / wav.name).symlink_to(wav)
    trained = cli("train", root / "train", "--out", root / "digits.keras")
    assert trained.returncode == 0, trained.stderr[-3000:]
    tested = cli("evaluate", root / "digits.keras", root / "test")
    assert tested.returncode == 0, tested.stderr[-3000:]
    return root, trained.stdout, tested.stdout


def test_validation_accuracy_predicts_unseen_speakers(fsdd_run):
    _, trained, tested = fsdd_run
    held = re.search(r"validating on 1 of 4 groups, held out whole: (\w+)", trained)
    assert held and held[1] not in TEST_SPEAKERS  # speakers, by default, from the FSDD names
    val = float(re.search(r"^validation accuracy: ([\d.]+) \(the validation run's", trained, re.MULTILINE)[1])
    test = float(re.search(r"^accuracy: ([\d.]+)$", tested, re.MULTILINE)[1])
    print(f"validation ({held[1]}) {val:.3f}, test ({', '.join(TEST_SPEAKERS)}) {test:.3f}")
    assert abs(val - test) <= 0.10
    assert test >= 0.75


def room_noise(seconds, rms, seed):
    """Low-pass (one-pole) Gaussian noise: the rumble of a room, at the given RMS."""
    rng = np.random.default_rng(seed)
    y = scipy.signal.lfilter([1.0], [1.0, -0.9], rng.standard_normal(int(seconds * 8000)))
    return (rms * y / np.sqrt(np.mean(y**2))).astype(np.float32)


def test_predict_file_finds_the_word_after_room_noise(fsdd_run, tmp_path):
    import keras

    from helpers import audio, inference, models

    root, _, _ = fsdd_run
    model = keras.models.load_model(root / "digits.keras")
    sr, clip_samples = models.input_format(model)
    plain = windowed = clean = 0
    for digit in range(10):
        y, _ = audio.load(FSDD / f"{digit}_{TEST_SPEAKERS[digit % 2]}_0.wav", sr=sr)
        noisy = np.r_[room_noise(0.8, 0.1 * np.sqrt(np.mean(y**2)), seed=digit), y]  # 20 dB below the word
        soundfile.write(tmp_path / f"{digit}.wav", noisy, sr, subtype="FLOAT")
        first_second = np.pad(noisy[:clip_samples], (0, max(0, clip_samples - len(noisy))))
        plain += int(np.argmax(model(first_second[None], training=False)[0])) == digit  # the old predict_file
        windowed += inference.predict_file(model, tmp_path / f"{digit}.wav")[0] == str(digit)
        clean += models.predict_file(model, FSDD / f"{digit}_{TEST_SPEAKERS[digit % 2]}_0.wav")[0] == str(digit)
    print(
        f"of 10 words after 0.8 s of room noise: first second {plain}/10 right, windowed {windowed}/10; "
        f"without the noise {clean}/10"
    )
    assert windowed >= clean - 1 and windowed > plain
