"""python -m helpers.train / helpers.evaluate on tiny folders: results, figures, export, and clear errors."""

import json
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
    return subprocess.run(
        [sys.executable, "-m", f"helpers.{module}", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def write_class(folder, freq_range, n, seed, seconds=0.5, name="{i}.wav"):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * SR)) / SR
    for i, f in enumerate(rng.uniform(*freq_range, n)):
        soundfile.write(
            folder / name.format(i=i),
            0.5 * np.sin(2 * np.pi * f * t) + 0.01 * rng.standard_normal(t.size),
            SR,
            subtype="PCM_16",
        )


def write_broken_files(folder):
    """An unreadable file, a 5 ms click, a WAV cut short and a float WAV holding NaN."""
    (folder / "broken.wav").write_bytes(b"not a wav file" * 20)
    soundfile.write(folder / "click.wav", np.ones(40), SR)  # shorter than a frame
    soundfile.write(folder / "cut.wav", 0.1 * np.ones(4000), SR, subtype="PCM_16")
    data = (folder / "cut.wav").read_bytes()
    (folder / "cut.wav").write_bytes(data[: len(data) // 2])
    y = 0.1 * np.ones(4000, np.float32)
    y[100] = np.nan
    soundfile.write(folder / "nan.wav", y, SR, subtype="FLOAT")


@pytest.fixture(scope="module")
def tones_dir(tmp_path_factory):
    """Two classes of tones, plus four broken files to be skipped by name."""
    root = tmp_path_factory.mktemp("tones")
    write_class(root / "high", (1500, 3000), 12, seed=1)
    write_class(root / "low", (200, 500), 12, seed=2)
    write_broken_files(root / "low")
    return root


@pytest.fixture(scope="module")
def trained(tones_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    out = folder / "tones.keras"
    result = run(
        "train",
        tones_dir,
        "--out",
        out,
        "--epochs",
        "6",
        "--seconds",
        "0.5",
        "--export",
        folder / "tones_savedmodel",
        "--augment",
        "noise,shift,specaugment,pitch",
    )
    return result, out


def test_train_saves_a_model_figures_and_reports_skipped_files(trained):
    result, out = trained
    assert result.returncode == 0, result.stderr
    assert out.is_file() and out.with_suffix(".curves.png").is_file() and out.with_suffix(".confusion.png").is_file()
    assert "high, low" in result.stdout and "saved the model" in result.stdout
    assert "adding pitch-shifted copies (-2, +2 semitones) of the 20 training clips" in result.stdout
    for name, why in [("broken", "unreadable"), ("click", "too short"), ("cut", "truncated"), ("nan", "NaN")]:
        assert re.search(rf"skipping .*{name}\.wav\b.*{why}", result.stderr, re.IGNORECASE), name
    assert "Traceback" not in result.stderr and "Graph execution" not in result.stderr
    assert not list(out.parent.glob(".*partial*"))  # atomic writes leave no temporary files


def test_train_prints_progress_and_why_it_stopped(trained):
    stdout = trained[0].stdout
    epochs = re.findall(
        r"^epoch (\d+)/6 .*val_accuracy \d\.\d{3}.* (\d+) s elapsed, at most (\d+) s left$", stdout, re.MULTILINE
    )
    assert [int(e[0]) for e in epochs] == list(range(1, len(epochs) + 1)) and epochs
    assert epochs[-1][2] == "0" or len(epochs) < 6
    kept = re.search(
        r"^validation run: kept epoch (\d+) of (\d+) \(highest val_accuracy .*\); stopped: (.*)$", stdout, re.MULTILINE
    )
    assert kept and int(kept[2]) == len(epochs) and 1 <= int(kept[1]) <= len(epochs)
    assert ("epoch limit" in kept[3]) == (len(epochs) == 6)
    assert "validating on 15% of each class at random" in stdout  # names like 0.wav carry no speaker


def test_train_refits_on_every_clip_for_the_epochs_validation_ran(trained):
    stdout = trained[0].stdout
    kept = re.search(r"^validation run: kept epoch (\d+) of (\d+)", stdout, re.MULTILINE)
    refit = re.search(
        r"^refitting: a new model trained on all (\d+) clips .* for the (\d+) epochs", stdout, re.MULTILINE
    )
    assert kept and refit and refit[1] == "24" and refit[2] == kept[2]  # 20 trained + 4 validated, 4 skipped
    assert len(re.findall(rf"^refit epoch +\d+/{kept[2]} ", stdout, re.MULTILINE)) == int(kept[2])
    assert "adding pitch-shifted copies (-2, +2 semitones) of the 24 training clips" in stdout  # the refit's own
    assert re.search(
        rf"^validation accuracy: \d\.\d{{3}} \(the validation run's epoch-{kept[1]} model, on 4 clips", stdout, re.M
    )
    assert (
        f"saved the validation run's curves and confusion matrix to {trained[1].with_suffix('.curves.png')}" in stdout
    )
    assert "saved the model (the refit) to" in stdout


@pytest.mark.parametrize("option", ["--no-refit", "--val-dir"])
def test_no_refit_when_asked_or_when_validation_is_another_folder(two_classes, capsys, option):
    write_class(two_classes / "val" / "a", (200, 300), 2, seed=5)
    write_class(two_classes / "val" / "b", (900, 1000), 2, seed=6)
    extra = ["--no-refit"] if option == "--no-refit" else ["--val-dir", str(two_classes / "val")]
    out = two_classes / "m.keras"
    train_cli.main([str(two_classes / "data"), "--out", str(out), "--epochs", "2", "--seconds", "0.5", *extra])
    stdout = capsys.readouterr().out
    assert "refitting" not in stdout and "refit epoch" not in stdout and "(the validation run's epoch" not in stdout
    assert re.search(r"^validation accuracy of the saved model \(epoch \d+\): \d\.\d{3}$", stdout, re.MULTILINE)
    assert ("no refit: with --val-dir" in stdout) == (option == "--val-dir")
    assert f"saved the model to {out}" in stdout and out.is_file()


def test_evaluate_prints_per_class_results_and_accuracy_last(trained, tones_dir):
    result = run("evaluate", trained[1], tones_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"accuracy: \d\.\d{3}", lines[-1])
    assert float(lines[-1].split()[1]) >= 0.9  # the training clips themselves: easily separable
    rows = {line.split()[0]: line.split()[1:] for line in lines if line.split()[0] in ("high", "low")}
    assert rows["high"][0] == "12" and rows["low"][0] == "12"  # the four bad files skipped
    assert "broken.wav" in result.stderr and "cut.wav" in result.stderr and "Traceback" not in result.stderr


def test_export_classifies_in_a_process_without_helpers(trained, tmp_path):
    import keras

    import helpers.models  # noqa: F401  (registers the layers for load_model)

    model = keras.models.load_model(trained[1])  # SpecAugment was removed before saving
    assert "spec_augment" not in [layer.name for layer in model.layers]
    rng = np.random.default_rng(5)
    t = np.arange(SR // 2) / SR
    x = np.stack([0.4 * np.sin(2 * np.pi * f * t) for f in (300, 2500)] + [0.1 * rng.standard_normal(SR // 2)])
    np.save(tmp_path / "x.npy", x.astype(np.float32))
    program = f"""
import sys, json, numpy as np, tensorflow as tf
loaded = tf.saved_model.load({str(trained[1].parent / "tones_savedmodel")!r})
info = loaded.info()
info = {{"class_names": [n.decode() for n in info["class_names"].numpy()], "sr": int(info["sr"]),
         "clip_samples": int(info["clip_samples"])}}
np.save({str(tmp_path / "p.npy")!r}, loaded.serve(np.load({str(tmp_path / "x.npy")!r})).numpy())
print(json.dumps({{"info": info, "helpers": any(m.split('.')[0] == 'helpers' for m in sys.modules)}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=""),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["helpers"] is False  # the SavedModel carries its own computation
    assert report["info"] == {"class_names": ["high", "low"], "sr": SR, "clip_samples": SR // 2}
    np.testing.assert_allclose(np.load(tmp_path / "p.npy"), model(x.astype(np.float32)).numpy(), atol=1e-5)


def test_help_imports_no_tensorflow():
    program = """
import runpy, sys
for module in ("helpers.train", "helpers.evaluate"):
    sys.argv = [module, "--help"]
    try:
        runpy.run_module(module, run_name="__main__")
    except SystemExit:
        pass
print(sorted(m for m in ("tensorflow", "keras", "librosa") if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "--group-by" in result.stdout and "--augment" in result.stdout and "MODEL DATA_DIR" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_two_clis_do_not_import_each_other():
    for module, other in (("train", "evaluate"), ("evaluate", "train")):
        source = (ROOT / "helpers" / f"{module}.py").read_text()
        assert not re.search(rf"(from helpers(\.| import ){other}\b|import helpers\.{other}\b)", source)


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
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "epoch" not in out  # refused before any training
    assert re.search(r"^usage: python -m helpers\.(train|evaluate)", err, re.MULTILINE)
    return err


@pytest.fixture
def two_classes(tmp_path):
    write_class(tmp_path / "data" / "a", (200, 300), 3, seed=0)
    write_class(tmp_path / "data" / "b", (900, 1000), 3, seed=1)
    (tmp_path / "afile").write_text("a file, not a folder")
    (tmp_path / "folder.keras").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    "out, message",
    [
        ("model.h5", "must end in .keras"),
        ("model", "must end in .keras"),
        ("folder.keras", "is a directory"),
        ("afile/m.keras", "which is a file, not a folder"),
        ("afile/deeper/m.keras", "which is a file, not a folder"),
        ("/proc/m.keras", "cannot be written"),
    ],
)
def test_out_is_checked_before_training(two_classes, capsys, out, message):
    target = out if out.startswith("/") else two_classes / out
    err = fails(train_cli.main, [two_classes / "data", "--out", target], capsys)
    assert "python -m helpers.train: error: --out=" in err and message in err


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--seconds", "inf", "argument --seconds: 'inf' is not a finite number > 0"),
        ("--seconds", "nan", "argument --seconds: 'nan' is not a finite number > 0"),
        ("--seconds", "0", "argument --seconds: '0' is not a finite number > 0"),
        ("--seconds", "-1", "argument --seconds: '-1' is not a finite number > 0"),
        ("--seconds", "one", "argument --seconds: 'one' is not a number"),
        ("--seconds", "0.001", "--seconds=0.001 is shorter than one frame"),
        ("--epochs", "0", "argument --epochs: '0' must be a whole number >= 1"),
        ("--epochs", "2.5", "argument --epochs: '2.5' is not a whole number"),
        ("--batch-size", "-4", "argument --batch-size: '-4' must be a whole number >= 1"),
        ("--patience", "0", "argument --patience: '0' must be a whole number >= 1"),
        ("--learning-rate", "nan", "argument --learning-rate: 'nan' is not a finite number > 0"),
        ("--learning-rate", "-0.1", "argument --learning-rate: '-0.1' is not a finite number > 0"),
        ("--label-smoothing", "1", "argument --label-smoothing: '1' is not between 0 and 1 (1 excluded)"),
        ("--label-smoothing", "-0.1", "argument --label-smoothing: '-0.1' is not between 0 and 1"),
        ("--label-smoothing", "nan", "argument --label-smoothing: 'nan' is not a finite number; e.g. 0.1"),
        ("--label-smoothing", "a lot", "argument --label-smoothing: 'a lot' is not a number"),
        ("--augment", "noise,echo", "argument --augment: 'noise,echo': choose from noise, shift, specaugment"),
        ("--augment", ",", "argument --augment: ',': choose from"),
        ("--sr", "100", "--sr=100 is too low for audio"),
        ("--model", "transformer", "argument --model: invalid choice: 'transformer'"),
        ("--group-by", "speaker", "--group-by speaker needs FSDD names"),
        ("--group-by", "folder:x", "the level must be a whole number"),
        ("--group-by", "folder:3", "lies only 1 folder(s) below DATA_DIR"),
        ("--group-by", "([a-z", "is not a regular expression"),
        ("--group-by", "^z", "does not match the name of"),
        ("--group-by", "^", "all 6 files belong to one group"),  # the empty match: one group
    ],
)
def test_bad_options_are_named(two_classes, capsys, option, value, message):
    err = fails(train_cli.main, [two_classes / "data", "--out", two_classes / "m.keras", option, value], capsys)
    assert message in err, err


def test_group_by_a_class_folder_level_with_two_groups_splits(two_classes):
    from helpers import cli_split

    paths = sorted((two_classes / "data").rglob("*.wav"))
    groups = cli_split.groups_of(paths, two_classes / "data", "folder:1")
    assert sorted(set(groups)) == ["a", "b"]  # (not one group: folder:1 is the class folder)


def test_export_folder_must_be_new_or_empty(two_classes, capsys):
    (two_classes / "used").mkdir()
    (two_classes / "used" / "precious.txt").write_text("keep me")
    err = fails(
        train_cli.main,
        [two_classes / "data", "--out", two_classes / "m.keras", "--export", two_classes / "used"],
        capsys,
    )
    assert "--export=" in err and "not an empty folder" in err
    assert (two_classes / "used" / "precious.txt").read_text() == "keep me"


def test_empty_folder(tmp_path, capsys):
    assert "holds no audio files" in fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras"], capsys)


@pytest.mark.parametrize("splits", [("train", "test"), ("Train", "val"), ("train", "validation", "test")])
def test_a_folder_of_splits_is_not_taken_for_classes(tmp_path, capsys, splits):
    for i, split in enumerate(splits):
        write_class(tmp_path / split / "a", (200, 300), 3, seed=i)
    err = fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras"], capsys)
    assert "those are the splits of a data set, not its classes" in err and f"{tmp_path / 'train'}" in err


def test_notes_for_an_existing_out_and_a_group_by_that_val_dir_overrides(two_classes, capsys):
    write_class(two_classes / "val" / "a", (200, 300), 2, seed=5)
    write_class(two_classes / "val" / "b", (900, 1000), 2, seed=6)
    out = two_classes / "m.keras"
    out.write_bytes(b"an older model")
    argv = [two_classes / "data", "--out", out, "--epochs", "1", "--seconds", "0.5", "--val-dir", two_classes / "val"]
    train_cli.main([str(a) for a in [*argv, "--group-by", "speaker"]])
    err = capsys.readouterr().err
    assert f"--out {out} exists; it is replaced when training ends" in err
    assert "--group-by speaker is ignored: --val-dir is the validation" in err


def test_a_validation_accuracy_at_chance_is_a_warning(capsys):
    from helpers import cli_fit, models

    at_chance = models.Evaluation(0.34, np.zeros((3, 3)), np.zeros(3), np.zeros(3), ["a", "b", "c"])
    cli_fit.warn_if_chance(at_chance, prog="p")
    assert "warning: validation accuracy 0.340 is about chance for 3 classes (0.333)" in capsys.readouterr().err
    cli_fit.warn_if_chance(at_chance._replace(accuracy=0.45), prog="p")
    assert capsys.readouterr().err == ""


def test_one_class_only(tmp_path, capsys):
    write_class(tmp_path / "only", (200, 300), 3, seed=0)
    err = fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras"], capsys)
    assert "only one class ('only')" in err


def test_one_file_per_class_is_explained_not_nan(tmp_path, capsys):
    for name, freqs in (("a", (200, 300)), ("b", (900, 1000))):
        write_class(tmp_path / name, freqs, 1, seed=0)
    err = fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras", "--group-by", "none"], capsys)
    assert "only one usable file per class" in err and "--val-dir" in err and "nan" not in err


def test_all_files_too_short(tmp_path, capsys):
    for name in ("a", "b"):
        write_class(tmp_path / name, (200, 300), 2, seed=0, seconds=0.01)
    err = fails(train_cli.main, [tmp_path, "--out", tmp_path / "m.keras"], capsys)
    assert err.count("too short") == 4 and "none of the 4 audio files" in err
    assert "a/0.wav" in err


def test_all_files_broken_are_each_named(tmp_path, capsys):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_broken_files(tmp_path / name)
    with pytest.raises(SystemExit):
        train_cli.main([str(tmp_path), "--out", str(tmp_path / "m.keras")])
    err = capsys.readouterr().err
    assert err.count("skipping") == 8 and "none of the 8 audio files" in err
    assert "Graph execution" not in err and "Traceback" not in err


def test_evaluate_rejects_classes_the_model_does_not_know(trained, tmp_path, capsys):
    write_class(tmp_path / "siren", (800, 900), 2, seed=3)
    write_class(tmp_path / "low", (200, 300), 2, seed=4)
    assert "does not know: ['siren']" in fails(evaluate_cli.main, [trained[1], tmp_path], capsys)


def test_evaluate_missing_directory_or_bad_model(trained, tmp_path, capsys):
    write_class(tmp_path / "a", (200, 300), 2, seed=0)
    assert "does not exist" in fails(evaluate_cli.main, [tmp_path / "none.keras", tmp_path], capsys)
    assert "is a directory" in fails(evaluate_cli.main, [tmp_path, tmp_path], capsys)
    assert "is a directory" in fails(evaluate_cli.main, [trained[1].parent / "tones_savedmodel", tmp_path], capsys)
    fake = tmp_path / "fake.keras"
    fake.write_text("not a model")
    assert "is not a Keras model" in fails(evaluate_cli.main, [fake, tmp_path], capsys)


# The split the trainer validates on, without training (cli_train.split is what run() calls).


def split(data_dir, capsys, **options):
    import argparse

    from helpers import cli_common, cli_train

    paths, labels, names, sr = cli_common.usable_files(str(data_dir), None, "test")
    args = argparse.Namespace(**(dict(data_dir=str(data_dir), val_dir=None, group_by="auto", seed=0) | options))
    (train_paths, _), (val_paths, val_labels) = cli_train.split(args, paths, labels, names, sr, "test")
    return train_paths, val_paths, [names[c] for c in val_labels], capsys.readouterr().out


@pytest.fixture
def fsdd_named(tmp_path):
    """Digits 0 and 1 (low and high tones) said by three 'speakers', four takes each: FSDD names."""
    for speaker_seed, speaker in enumerate(("ann", "bob", "cid")):
        write_class(tmp_path, (200, 300), 4, seed=speaker_seed, name=f"0_{speaker}_{{i}}.wav")
        write_class(tmp_path, (900, 1000), 4, seed=10 + speaker_seed, name=f"1_{speaker}_{{i}}.wav")
    return tmp_path


def test_speakers_validate_by_default_on_fsdd_names(fsdd_named, capsys):
    train, val, _, out = split(fsdd_named, capsys)
    held = re.search(r"validating on 1 of 3 groups, held out whole: (\w+)", out)[1]
    assert {p.name.split("_")[1] for p in val} == {held} and held not in {p.name.split("_")[1] for p in train}
    assert len(val) == 8 and len(train) == 16


def test_group_by_none_is_a_random_split_and_says_so(fsdd_named, capsys):
    train, val, _, out = split(fsdd_named, capsys, group_by="none")
    assert "at random" in out and len(val) == 4 and len(train) == 20  # 15 % of each class of 12


def test_group_by_regex_on_the_file_name(fsdd_named, capsys):
    train, val, _, out = split(fsdd_named, capsys, group_by=r"_(\d+)$")  # the take number as the group
    assert re.search(r"validating on 1 of 4 groups, held out whole: \d", out)
    assert len({p.stem.rsplit("_", 1)[1] for p in val}) == 1


def test_val_dir_validates_on_another_folder(two_classes, capsys):
    write_class(two_classes / "val" / "b", (900, 1000), 2, seed=5)
    train, val, val_classes, out = split(two_classes / "data", capsys, val_dir=str(two_classes / "val"))
    assert len(train) == 6 and len(val) == 2 and val_classes == ["b", "b"]
    assert "validating on the 2 clips of" in out


def test_val_dir_with_a_class_the_training_data_lacks(two_classes, capsys):
    write_class(two_classes / "val" / "c", (900, 1000), 2, seed=5)
    err = fails(
        train_cli.main,
        [two_classes / "data", "--out", two_classes / "m.keras", "--val-dir", two_classes / "val"],
        capsys,
    )
    assert "has classes DATA_DIR lacks: ['c']" in err


# Messy data: clashing outputs, interruptions, failed saves, optional groups, splits without a class.


@pytest.mark.parametrize(
    "out, export",
    [
        ("m.keras", "m.keras"),  # the same path
        ("exp/m.keras", "exp"),  # --out inside the export folder
        ("exp/deep/m.keras", "exp"),  # deeper inside
    ],
)
def test_export_clashing_with_out_is_refused_before_training(two_classes, capsys, out, export):
    err = fails(
        train_cli.main, [two_classes / "data", "--out", two_classes / out, "--export", two_classes / export], capsys
    )
    assert "--export=" in err and "clashes with --out=" in err and str(two_classes / out) in err
    assert not (two_classes / export).exists()


def test_export_into_a_folder_that_is_not_ours_is_refused(two_classes, capsys):
    (two_classes / "theirs").mkdir()
    (two_classes / "theirs" / "notes.txt").write_text("keep")
    err = fails(
        train_cli.main,
        [two_classes / "data", "--out", two_classes / "m.keras", "--export", two_classes / "theirs"],
        capsys,
    )
    assert "not an empty folder" in err and (two_classes / "theirs" / "notes.txt").read_text() == "keep"


def test_ctrl_c_during_training_is_one_line_and_exit_130(two_classes, capsys, monkeypatch):
    from helpers import cli_fit

    def interrupt(self, epoch, logs=None):
        self.done = epoch + 1
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_fit.Progress, "on_epoch_end", interrupt)
    out = two_classes / "m.keras"
    with pytest.raises(SystemExit) as exit_info:
        train_cli.main([str(two_classes / "data"), "--out", str(out), "--epochs", "5", "--seconds", "0.5"])
    assert exit_info.value.code == 130
    err = capsys.readouterr().err
    assert "python -m helpers.train: interrupted at epoch 2 of 5; nothing saved" in err
    assert "Traceback" not in err and not out.exists() and not list(two_classes.glob(".*partial*"))


@pytest.mark.parametrize("errno_, strerror", [(28, "No space left on device"), (13, "Permission denied")])
def test_a_failed_save_names_the_file_and_says_nothing_was_saved(tmp_path, errno_, strerror):
    from helpers.cli_common import save_or_explain

    def write(path):
        path.write_bytes(b"half a model")
        raise OSError(errno_, strerror)

    target = tmp_path / "m.keras"
    with pytest.raises(ValueError) as err:
        save_or_explain(write, target, "trained model", "--out")
    message = str(err.value)
    assert f"could not write --out {target} ({strerror})" in message and "was NOT saved" in message
    assert list(tmp_path.iterdir()) == []  # nothing partial left


@pytest.mark.parametrize("regex", ["(x)?", r"(q)?\d", "(zzz)|."])
def test_a_group_regex_that_matches_no_group_names_the_regex_and_a_file(two_classes, capsys, regex):
    err = fails(train_cli.main, [two_classes / "data", "--out", two_classes / "m.keras", "--group-by", regex], capsys)
    assert f"--group-by {regex!r}: its first group matched nothing in the name of" in err
    assert re.search(r"data/[ab]/\d\.wav", err)


@pytest.fixture
def one_speaker_class(tmp_path):
    """Digit 2 said only by 'cid': holding cid out leaves 2 untrained."""
    for speaker_seed, speaker in enumerate(("ann", "bob", "cid")):
        write_class(tmp_path, (200, 300), 4, seed=speaker_seed, name=f"0_{speaker}_{{i}}.wav")
    write_class(tmp_path, (900, 1000), 4, seed=9, name="2_cid_{i}.wav")
    return tmp_path


@pytest.mark.parametrize(
    "group_by, seed, message",
    [
        ("folder:1", 0, "--group-by folder:1 (validation holds out: "),  # a class folder held out whole
    ],
)
def test_a_split_that_leaves_a_class_untrained_is_refused(two_classes, capsys, group_by, seed, message):
    err = fails(
        train_cli.main,
        [two_classes / "data", "--out", two_classes / "m.keras", "--group-by", group_by, "--seed", seed],
        capsys,
    )
    assert message in err and "with no training clips" in err and re.search(r"class\(es\) \['[ab]'\]", err)


def test_a_speaker_split_that_leaves_a_class_untrained_is_refused(one_speaker_class, capsys):
    for seed in range(6):  # the seed whose held-out speaker is cid
        try:
            split(one_speaker_class, capsys, seed=seed)
        except ValueError as err:
            expected = "--group-by auto (validation holds out: cid) leaves class(es) ['2'] with no training clips"
            assert expected in str(err)
            return
    pytest.fail("no seed held out cid")


def split_stderr(data_dir, capsys, **options):
    """What :func:`split` printed to stderr (its notes and warnings) and to stdout."""
    import argparse

    from helpers import cli_common, cli_train

    paths, labels, names, sr = cli_common.usable_files(str(data_dir), None, "test")
    args = argparse.Namespace(**(dict(data_dir=str(data_dir), val_dir=None, group_by="auto", seed=0) | options))
    cli_train.split(args, paths, labels, names, sr, "test")
    captured = capsys.readouterr()
    return captured.err, captured.out


def test_a_single_file_class_in_a_random_split_is_noted(tmp_path, capsys):
    write_class(tmp_path / "a", (200, 300), 4, seed=0)
    write_class(tmp_path / "b", (900, 1000), 4, seed=1)
    write_class(tmp_path / "solo", (2000, 2100), 1, seed=2)
    err, out = split_stderr(tmp_path, capsys)
    assert "at random" in out and "validation has no clips of 'solo' (1 clip) (the random split)" in err
    assert "no speaker groups" not in err  # no name is FSDD-like: nothing to explain


def test_auto_grouping_names_the_files_that_block_speakers(tmp_path, capsys):
    for speaker_seed, speaker in enumerate(("ann", "bob", "cid")):
        write_class(tmp_path / "low", (200, 300), 2, seed=speaker_seed, name=f"0_{speaker}_{{i}}.wav")
        write_class(tmp_path / "high", (900, 1000), 2, seed=speaker_seed, name=f"1_{speaker}_{{i}}.wav")
    write_class(tmp_path / "low", (200, 300), 1, seed=7, name="take one.wav")
    err, out = split_stderr(tmp_path, capsys)
    assert "at random" in out and "no speaker groups because 1 of 13 names are not FSDD names" in err
    assert "e.g. take one.wav" in err


@pytest.mark.parametrize("val_dir", ["data", "data/a"])
def test_val_dir_equal_to_or_inside_data_dir_is_refused(two_classes, capsys, val_dir):
    err = fails(
        train_cli.main,
        [two_classes / "data", "--out", two_classes / "m.keras", "--val-dir", two_classes / val_dir],
        capsys,
    )
    assert "is DATA_DIR=" in err and "or lies inside it" in err
    assert "skipping" not in err  # refused before the files are scanned


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--seed", "-1", "argument --seed: '-1' must be a whole number >= 0"),
        ("--seed", "1.5", "argument --seed: '1.5' is not a whole number"),
        ("--epochs", "-2", "argument --epochs: '-2' must be a whole number >= 1"),
        ("--sr", "0", "argument --sr: '0' must be a whole number >= 1"),
    ],
)
def test_int_options_are_refused_before_tensorflow(two_classes, capsys, option, value, message):
    with pytest.raises(SystemExit) as exit_info:
        train_cli.parser().parse_args([str(two_classes / "data"), "--out", "m.keras", option, value])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize(
    "message, expected",
    [
        (
            "x.wav is not readable audio: it is truncated (44 bytes)",
            "x.wav: unreadable audio, it is truncated (44 bytes)",
        ),
        (
            "x.wav is empty (0 bytes), not readable audio; export it",
            "x.wav: unreadable audio, it is empty (0 bytes); export it",
        ),
        (
            "x.wav: unreadable audio (bad header); export it again",
            "x.wav: unreadable audio (bad header); export it again",
        ),
        (
            "x.wav holds NaN; or replace them with np.nan_to_num(x.wav)",
            "x.wav: holds NaN; or replace them with np.nan_to_num(y) on the samples y read from it",
        ),
    ],
)
def test_skip_lines_share_one_grammar(message, expected):
    from helpers.cli_common import skip_line

    assert skip_line(message, "x.wav") == expected


def test_training_warns_about_files_longer_than_the_clip(tmp_path, capsys):
    from helpers import cli_train

    write_class(tmp_path, (200, 300), 2, seed=0, seconds=0.5, name="short{i}.wav")
    write_class(tmp_path, (200, 300), 1, seed=0, seconds=2.0, name="long{i}.wav")
    cli_train.warn_long_files(sorted(tmp_path.glob("*.wav")), 1.0, "prog")
    err = capsys.readouterr().err
    assert "warning: 1 of 3 files are longer than --seconds 1; only their first 1 s is trained on" in err
    assert "long0.wav" in err
    cli_train.warn_long_files(sorted(tmp_path.glob("*.wav")), 1.0, "prog", "validated on", "--val-dir files")
    err = capsys.readouterr().err
    assert "1 of 3 --val-dir files are longer than --seconds 1; only their first 1 s is validated on" in err


def test_evaluate_finds_the_word_after_leading_silence(trained, tmp_path, capsys):
    """Tones after 1.5 s of quiet noise: the first 0.5 s holds nothing; evaluate must look further."""
    rng = np.random.default_rng(5)
    t = np.arange(int(0.4 * SR)) / SR
    for name, freqs in (("high", (1500, 3000)), ("low", (200, 500))):
        (tmp_path / name).mkdir()
        for i, f in enumerate(rng.uniform(*freqs, 3)):
            y = np.r_[0.003 * rng.standard_normal(int(1.5 * SR)), 0.5 * np.sin(2 * np.pi * f * t)]
            soundfile.write(tmp_path / name / f"{i}.wav", y, SR, subtype="PCM_16")
    evaluate_cli.main([str(trained[1]), str(tmp_path)])
    out = capsys.readouterr().out
    assert "6 of 6 files are longer than the model's 0.50 s clip" in out
    assert float(out.strip().splitlines()[-1].split()[-1]) >= 5 / 6, out
