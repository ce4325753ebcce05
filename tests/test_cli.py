"""python -m helpers.train / helpers.evaluate on tiny folders: results, and clear errors for bad input."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from helpers import evaluate as evaluate_cli
from helpers import train as train_cli

ROOT = Path(__file__).resolve().parents[1]
SR = 8000


def run(module, *args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([sys.executable, "-m", f"helpers.{module}", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def write_class(folder, freq_range, n, seed, seconds=0.5):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * SR)) / SR
    for i, f in enumerate(rng.uniform(*freq_range, n)):
        soundfile.write(folder / f"{i}.wav", 0.5 * np.sin(2 * np.pi * f * t) + 0.01 * rng.standard_normal(t.size),
                        SR, subtype="PCM_16")


@pytest.fixture(scope="module")
def tones_dir(tmp_path_factory):
    """Two classes of tones, plus one unreadable and one too-short file to be skipped by name."""
    root = tmp_path_factory.mktemp("tones")
    write_class(root / "high", (1500, 3000), 12, seed=1)
    write_class(root / "low", (200, 500), 12, seed=2)
    (root / "low" / "broken.wav").write_bytes(b"not a wav file" * 20)
    soundfile.write(root / "high" / "click.wav", np.ones(40), SR)  # 5 ms: shorter than a frame
    return root


@pytest.fixture(scope="module")
def trained(tones_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "tones.keras"
    return run("train", tones_dir, "--out", out, "--epochs", "6", "--seconds", "0.5"), out


def test_train_saves_a_model_and_reports_skipped_files(trained):
    result, out = trained
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert "high, low" in result.stdout and "saved the model" in result.stdout
    assert re.search(r"skipping .*broken\.wav: unreadable", result.stderr)
    assert re.search(r"skipping .*click\.wav: too short", result.stderr)
    assert "Traceback" not in result.stderr


def test_evaluate_prints_per_class_results_and_accuracy_last(trained, tones_dir):
    result = run("evaluate", trained[1], tones_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"accuracy: \d\.\d{3}", lines[-1])
    assert float(lines[-1].split()[1]) >= 0.9  # the training clips themselves: easily separable
    rows = {line.split()[0]: line.split()[1:] for line in lines if line.split()[0] in ("high", "low")}
    assert rows["high"][0] == "12" and rows["low"][0] == "12"  # the two bad files skipped
    assert "broken.wav" in result.stderr


def test_bad_data_dir_is_a_clear_error_without_traceback(tmp_path):
    result = run("train", tmp_path / "nope", "--out", tmp_path / "m.keras")
    assert result.returncode == 2
    assert "is not a folder" in result.stderr and "Traceback" not in result.stderr


# The remaining bad inputs go through the same main() in-process (a subprocess each would only
# add TensorFlow's start-up time): argparse's error() prints to stderr and exits with status 2.

def fails(main, argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in argv])
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_empty_folder(tmp_path, capsys):
    assert "holds no audio files" in fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras"], capsys)


def test_one_class_only(tmp_path, capsys):
    write_class(tmp_path / "only", (200, 300), 3, seed=0)
    err = fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras"], capsys)
    assert "only one class ('only')" in err


def test_all_files_too_short(tmp_path, capsys):
    for name in ("a", "b"):
        write_class(tmp_path / name, (200, 300), 2, seed=0, seconds=0.01)
    err = fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras"], capsys)
    assert err.count("too short") == 4 and "none of the 4 audio files" in err
    assert "a/0.wav" in err


def test_out_must_be_keras(tmp_path, capsys):
    write_class(tmp_path / "a", (200, 300), 2, seed=0)
    assert "must end in .keras" in fails(train_cli.main, [tmp_path, "--out", tmp_path / "model.h5"], capsys)


def test_evaluate_rejects_classes_the_model_does_not_know(trained, tmp_path, capsys):
    write_class(tmp_path / "siren", (800, 900), 2, seed=3)
    write_class(tmp_path / "low", (200, 300), 2, seed=4)
    assert "does not know: ['siren']" in fails(evaluate_cli.main, [trained[1], tmp_path], capsys)


def test_evaluate_missing_or_bad_model(tmp_path, capsys):
    write_class(tmp_path / "a", (200, 300), 2, seed=0)
    assert "does not exist" in fails(evaluate_cli.main, [tmp_path / "none.keras", tmp_path], capsys)
    fake = tmp_path / "fake.keras"
    fake.write_text("not a model")
    assert "is not a Keras model" in fails(evaluate_cli.main, [fake, tmp_path], capsys)
