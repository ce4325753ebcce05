"""Bad input to helpers.datasets, table-driven: every case either raises a clear ValueError / TypeError /
FileNotFoundError naming what is wrong (never a TensorFlow, NumPy or pathlib error, never a hang), or,
for unusual-but-valid input, works and gives the right result. Each case runs under a time limit.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile
from datasets_support import SR, time_limit, wav_bytes

from helpers import datasets
from helpers.datasets import files as files_module

LIMIT = 30  # seconds per case: each takes well under one; a hang fails instead of blocking the suite
CLEAR = (ValueError, TypeError, FileNotFoundError)


def sine(seconds=0.5, sr=SR, freq=440.0):
    return (0.5 * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)).astype(np.float32)


def write(path, y, sr=SR, subtype="PCM_16", format=None):
    soundfile.write(path, y, sr, subtype=subtype, format=format)
    return path


def wav_with_rate_zero(path):
    data = bytearray(wav_bytes())
    data[24:28] = struct.pack("<I", 0)  # the fmt chunk's sample rate
    path.write_bytes(bytes(data))
    return path


def float_wav_with(value, at, path, n=SR):
    y = sine(n / SR)
    y[at] = value
    return write(path, y, subtype="FLOAT")


@pytest.fixture(scope="module")
def kinds(tmp_path_factory):
    """One file of every kind, good and bad, made once: ``{kind: path}``."""
    d = tmp_path_factory.mktemp("kinds")
    made = {
        "pcm16": write(d / "pcm16.wav", sine()),
        "pcm24": write(d / "pcm24.wav", sine(), subtype="PCM_24"),
        "u8": write(d / "u8.wav", sine(), subtype="PCM_U8"),
        "float": write(d / "float.wav", sine(), subtype="FLOAT"),
        "stereo": write(d / "stereo.wav", np.stack([sine(), sine(freq=880)], axis=1)),
        "flac": write(d / "clip.flac", sine(), format="FLAC"),
        "ogg": write(d / "clip.ogg", sine(), subtype="VORBIS", format="OGG"),
        "upper": write(d / "LOUD.WAV", sine()),
        "odd name": write(d / "mix_$100_ é 1.wav", sine()),
        "96k": write(d / "hi.wav", sine(sr=96000), sr=96000),
        "short": write(d / "short.wav", sine(0.01)),
        "nan": float_wav_with(np.nan, 100, d / "nan.wav"),
        "inf": float_wav_with(np.inf, 100, d / "inf.wav"),
        "nan late": float_wav_with(np.nan, 70_000, d / "nanlate.wav", n=80_000),
        "rate 0": wav_with_rate_zero(d / "rate0.wav"),
    }
    (d / "empty.wav").write_bytes(b"")
    (d / "garbage.wav").write_bytes(b"this is not audio at all" * 10)
    (d / "text.flac").write_text("a text file renamed")
    (d / "bad.mp3").write_bytes(b"\xff\xfb" + os.urandom(300))
    full = wav_bytes(seconds=0.5)
    (d / "truncated.wav").write_bytes(full[: len(full) // 2])
    (d / "header.wav").write_bytes(full[:30])
    flac = (d / "clip.flac").read_bytes()
    (d / "truncated.flac").write_bytes(flac[: len(flac) // 3])
    (d / "folder.wav").mkdir()
    if hasattr(os, "mkfifo"):  # POSIX only
        os.mkfifo(d / "fifo.wav")
        (d / "link_fifo.wav").symlink_to(d / "fifo.wav")
        (d / "dangling.wav").symlink_to(d / "gone.wav")
    names = [
        "empty",
        "garbage",
        "text",
        "bad",
        "truncated",
        "header",
        "truncated_flac",
        "folder",
        "fifo",
        "link_fifo",
        "dangling",
    ]
    files = [
        "empty.wav",
        "garbage.wav",
        "text.flac",
        "bad.mp3",
        "truncated.wav",
        "header.wav",
        "truncated.flac",
        "folder.wav",
        "fifo.wav",
        "link_fifo.wav",
        "dangling.wav",
    ]
    made |= {name: d / f for name, f in zip(names, files, strict=True)}
    made["missing"] = d / "missing.wav"
    return made


# ------------------------------------------------------------------------- check_files: files

BAD_FILES = {  # kind: what the problem must say
    "fifo": "pipe, socket or device",
    "link_fifo": "pipe, socket or device",
    "folder": "it is a folder",
    "missing": "does not exist",
    "dangling": "does not exist",
    "empty": "empty \\(0 bytes\\)",
    "truncated": "truncated",
    "header": "truncated",
    "rate 0": "0 Hz",
    "nan": "NaN or Inf",
    "inf": "NaN or Inf",
    "nan late": "NaN or Inf samples \\(the first at 8.750 s\\)",
    "garbage": "unreadable",
    "text": "unreadable",
    "bad": "unreadable",
    "truncated_flac": "unreadable|truncated|damaged",
    "short": "too short",
}
GOOD_FILES = ["pcm16", "pcm24", "u8", "float", "stereo", "flac", "ogg", "upper", "odd name", "96k"]


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_check_files_names_each_bad_file_and_says_why(kinds, kind):
    if not kinds[kind].exists() and not kinds[kind].is_symlink() and kind != "missing":
        pytest.skip("pipes and symbolic links need a POSIX system")
    with time_limit(LIMIT):
        good, problems = datasets.check_files([kinds["pcm16"], kinds[kind]], min_seconds=0.032)
    assert good == [0] and len(problems) == 1
    assert problems[0].startswith(str(kinds[kind])) or str(kinds[kind]) in problems[0]
    assert re.search(BAD_FILES[kind], problems[0]), problems[0]
    assert "Traceback" not in problems[0] and len(problems[0]) < 400


@pytest.mark.parametrize("kind", GOOD_FILES)
def test_check_files_accepts_unusual_but_valid_files(kinds, kind):
    with time_limit(LIMIT):
        assert datasets.check_files([kinds[kind]], min_seconds=0.032) == ([0], [])


def test_check_files_decodes_in_blocks_and_only_the_first_minutes(kinds, monkeypatch):
    monkeypatch.setattr(files_module, "BLOCK_FRAMES", 1000)
    assert datasets.check_files([kinds["nan late"]])[0] == []  # found in block 71 of 80
    monkeypatch.setattr(files_module, "MAX_CHECK_SECONDS", 8.0)  # the NaN lies at 8.75 s: not read
    assert datasets.check_files([kinds["nan late"]])[0] == [0]


# -------------------------------------------------------------------------- argument tables


def _fifo_clip(kinds):
    if not hasattr(os, "mkfifo"):
        pytest.skip("pipes need a POSIX system")
    return datasets.to_dataset([kinds["pcm16"], kinds["fifo"]], [0, 1], SR, SR)


ERRORS = {  # case: (call taking the kinds fixture, exception type, message pattern)
    # check_files arguments
    "check_files None": (lambda k: datasets.check_files(None), TypeError, "paths=None is not a list of paths"),
    "check_files number": (lambda k: datasets.check_files(123), TypeError, "paths=123"),
    "check_files bytes": (lambda k: datasets.check_files(b"x.wav"), TypeError, "not a list of paths"),
    "check_files None item": (lambda k: datasets.check_files([k["pcm16"], None]), TypeError, r"paths\[1\]=None"),
    "check_files bytes item": (lambda k: datasets.check_files([b"x.wav"]), TypeError, r"paths\[0\]=b'x.wav' is bytes"),
    "check_files min_seconds < 0": (lambda k: datasets.check_files([k["pcm16"]], -1), ValueError, "min_seconds=-1"),
    "check_files min_seconds nan": (
        lambda k: datasets.check_files([k["pcm16"]], float("nan")),
        ValueError,
        "min_seconds=nan is not a finite",
    ),
    "check_files min_seconds text": (lambda k: datasets.check_files([k["pcm16"]], "0.1"), TypeError, "min_seconds"),
    # to_dataset sizes and flags
    "batch_size 0": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, batch_size=0),
        ValueError,
        "batch_size=0 is not a positive integer",
    ),
    "batch_size -1": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, batch_size=-1),
        ValueError,
        "batch_size=-1",
    ),
    "batch_size 2.5": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, batch_size=2.5),
        TypeError,
        "batch_size=2.5",
    ),
    "batch_size True": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, batch_size=True),
        TypeError,
        "batch_size=True is a boolean",
    ),
    "batch_size text": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, batch_size="32"),
        TypeError,
        "batch_size='32'",
    ),
    "batch_size huge": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, batch_size=10**9),
        ValueError,
        "larger than the maximum",
    ),
    "clip_samples 0": (lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 0), ValueError, "clip_samples=0"),
    "clip_samples float": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4.0),
        TypeError,
        "clip_samples=4.0 is a float",
    ),
    "clip_samples over 10 min": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 601 * SR),
        ValueError,
        "clip_samples=4808000 is larger than the maximum 4800000",
    ),
    "cache over 8 GiB": (
        lambda k: datasets.to_dataset(np.zeros((300, 4)), np.zeros(300, int), 768000, 500 * 768000),
        ValueError,
        "GiB in memory, more than the 8 GiB",
    ),
    "sr 0": (lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], 0, 4), ValueError, "sr=0"),
    "sr float": (lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], 8000.0, 4), TypeError, "sr=8000.0"),
    "shuffle yes": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, shuffle="yes"),
        TypeError,
        "shuffle='yes' is not a boolean",
    ),
    "seed -1": (lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, seed=-1), ValueError, "seed=-1"),
    # to_dataset clips
    "clips 1-D": (
        lambda k: datasets.to_dataset(np.zeros(8), [0], SR, 4),
        ValueError,
        r"clips has shape \(8,\).*x\[np.newaxis\]",
    ),
    "clips 3-D": (
        lambda k: datasets.to_dataset(np.zeros((2, 8, 2)), [0, 1], SR, 4),
        ValueError,
        r"clips has shape \(2, 8, 2\).*mix channels down",
    ),
    "clips no rows": (lambda k: datasets.to_dataset(np.zeros((0, 8)), [], SR, 4), ValueError, "at least one clip"),
    "clips no samples": (
        lambda k: datasets.to_dataset(np.zeros((2, 0)), [0, 1], SR, 4),
        ValueError,
        "at least one sample",
    ),
    "clips complex": (
        lambda k: datasets.to_dataset(np.zeros((2, 4), complex), [0, 1], SR, 4),
        TypeError,
        "dtype complex128",
    ),
    "clips text": (lambda k: datasets.to_dataset(np.array([["a", "b"]]), [0], SR, 4), TypeError, "dtype <U1"),
    "clips NaN": (
        lambda k: datasets.to_dataset(np.array([[0, 0], [0, np.nan]]), [0, 1], SR, 2),
        ValueError,
        "1 NaN or Inf samples \\(the first in clip 1, sample 1\\)",
    ),
    "clips int64": (
        lambda k: datasets.to_dataset(np.zeros((2, 4), np.int64), [0, 1], SR, 4),
        TypeError,
        "no PCM format",
    ),
    "clips ragged list": (
        lambda k: datasets.to_dataset([np.zeros(3), np.zeros(5)], [0, 1], SR, 4),
        ValueError,
        "different shapes.*fix_length",
    ),
    "clips empty list": (lambda k: datasets.to_dataset([], [], SR, 4), ValueError, "clips is empty"),
    "clips number": (lambda k: datasets.to_dataset(5, [0], SR, 4), TypeError, "clips=5 is neither"),
    "clips None": (lambda k: datasets.to_dataset(None, [0], SR, 4), TypeError, "clips=None"),
    "clips None in paths": (
        lambda k: datasets.to_dataset([k["pcm16"], None], [0, 1], SR, 4),
        TypeError,
        r"clips\[1\]=None is not a path",
    ),
    "clips broken file": (
        lambda k: datasets.to_dataset([k["pcm16"], k["garbage"]], [0, 1], SR, SR),
        ValueError,
        "1 of the 2 files cannot be used, e.g. .*garbage.wav: unreadable",
    ),
    "clips fifo": (_fifo_clip, ValueError, "fifo.wav: unreadable audio, it is a pipe"),
    "clips NaN file": (lambda k: datasets.to_dataset([k["nan"]], [0], SR, SR), ValueError, "nan.wav: holds NaN"),
    "clips truncated file": (lambda k: datasets.to_dataset([k["truncated"]], [0], SR, SR), ValueError, "truncated"),
    "clips missing file": (
        lambda k: datasets.to_dataset([k["missing"]], [0], SR, SR),
        ValueError,
        "missing.wav: does not exist",
    ),
    # to_dataset labels and class names
    "labels -1": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, -1], SR, 4),
        ValueError,
        r"labels\[1\]=-1 is negative",
    ),
    "labels 0.7": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 0.7], SR, 4),
        TypeError,
        r"labels has dtype float64 \(e.g. 0.7\); labels are class indices",
    ),
    "labels whole floats": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0.0, 1.0], SR, 4),
        TypeError,
        r"labels.astype\(int\)",
    ),
    "labels bool": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [True, False], SR, 4),
        TypeError,
        "labels has dtype bool",
    ),
    "labels text": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), ["dog", "rain"], SR, 4),
        TypeError,
        "labels has dtype <U4",
    ),
    "labels 2-D": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [[0], [1]], SR, 4),
        ValueError,
        r"labels has shape \(2, 1\)",
    ),
    "labels too few": (lambda k: datasets.to_dataset(np.zeros((2, 4)), [0], SR, 4), ValueError, "one label per clip"),
    "labels >= classes": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 2], SR, 4, class_names=["a", "b"]),
        ValueError,
        r"labels\[1\]=2 is not a class index: class_names has 2 names",
    ),
    "labels over int32": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 2**40], SR, 4),
        ValueError,
        "stored as int32",
    ),
    "class_names repeated": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, class_names=["dog", "dog"]),
        ValueError,
        "class_names names 'dog' more than once",
    ),
    "class_names a string": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, class_names="ab"),
        TypeError,
        "class_names='ab' is not a list of names",
    ),
    "class_names empty": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, class_names=[]),
        ValueError,
        "non-empty list",
    ),
    "class_names numbers": (
        lambda k: datasets.to_dataset(np.zeros((2, 4)), [0, 1], SR, 4, class_names=[0, 1]),
        ValueError,
        "non-empty strings",
    ),
    # from_folder
    "from_folder missing": (
        lambda k: datasets.from_folder(k["missing"].parent / "nope"),
        FileNotFoundError,
        "does not exist, so it is not a folder",
    ),
    "from_folder a file": (lambda k: datasets.from_folder(k["pcm16"]), ValueError, "is a file, not a folder"),
    "from_folder None": (lambda k: datasets.from_folder(None), TypeError, "root=None is not a path"),
    "from_folder number": (lambda k: datasets.from_folder(3), TypeError, "root=3 is not a path"),
    # fsdd_split, spoken_digits
    "fsdd_split one path": (lambda k: datasets.fsdd_split("3_theo_4.wav"), TypeError, "is one path"),
    "fsdd_split None item": (lambda k: datasets.fsdd_split(["3_theo_4.wav", None]), TypeError, r"paths\[1\]=None"),
    "fsdd_fields None": (lambda k: datasets.fsdd_fields(None), TypeError, "path=None"),
    "spoken_digits None": (lambda k: datasets.spoken_digits(None), TypeError, "split=None is not a string"),
    "spoken_digits Train": (lambda k: datasets.spoken_digits("Train"), ValueError, "split='Train' is not supported"),
    # synthetic sets
    "n_per_class 1.5": (lambda k: datasets.environmental_sounds(1.5), TypeError, "n_per_class=1.5"),
    "n_per_class huge": (lambda k: datasets.environmental_sounds(10_000, duration=30), ValueError, "would take .* GiB"),
    "synthetic seed -1": (lambda k: datasets.environmental_sounds(1, seed=-1), ValueError, "seed=-1"),
    "synthetic sr float": (lambda k: datasets.music_genres(1, sr=16000.5), TypeError, "sr=16000.5"),
    "synthetic duration inf": (
        lambda k: datasets.environmental_sounds(1, duration=float("inf")),
        ValueError,
        "duration=inf",
    ),
    "snr_db reversed": (lambda k: datasets.environmental_sounds(1, snr_db=(5, -5)), ValueError, "low > high"),
    "snr_db number": (lambda k: datasets.environmental_sounds(1, snr_db=5), TypeError, "not a \\(low, high\\) pair"),
    "snr_db nan": (lambda k: datasets.environmental_sounds(1, snr_db=(float("nan"), 1)), ValueError, "snr_db=nan"),
    "drop 1": (lambda k: datasets.music_genres(1, drop=1.0), ValueError, "drop=1 would leave every part out"),
    "drop -0.1": (lambda k: datasets.music_genres(1, drop=-0.1), ValueError, "drop=-0.1"),
    "drop text": (lambda k: datasets.music_genres(1, drop="0.3"), TypeError, "drop='0.3'"),
    # download_fsdd arguments (nothing is fetched: each is refused first)
    "sha256 short": (
        lambda k: datasets.download_fsdd(k["missing"].parent / "f", url="x.zip", sha256="abc"),
        ValueError,
        "sha256='abc' is not a SHA-256",
    ),
    "recordings_sha256 number": (
        lambda k: datasets.download_fsdd(k["missing"].parent / "f", url="x.zip", recordings_sha256=5),
        ValueError,
        "recordings_sha256=5",
    ),
    "url None": (lambda k: datasets.download_fsdd(k["missing"].parent / "f", url=None), TypeError, "url=None"),
    "folder number": (lambda k: datasets.download_fsdd(123), TypeError, "folder=123 is not a path"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_bad_arguments_get_a_clear_error(kinds, case):
    call, error, pattern = ERRORS[case]
    with time_limit(LIMIT), pytest.raises(CLEAR) as info:
        call(kinds)
    assert info.type is error or issubclass(info.type, error), f"{case}: {info.type.__name__}: {info.value}"
    assert re.search(pattern, str(info.value)), f"{case}: {info.value}"
    assert "Traceback" not in str(info.value) and len(str(info.value)) < 500


# ------------------------------------------------------------------ unusual but valid input


def _arrays(ds):
    return datasets.to_arrays(ds)


VALID = {  # case: (call, check of its result)
    "check_files one str": (lambda k: datasets.check_files(str(k["pcm16"])), lambda r: r == ([0], [])),
    "check_files one Path": (lambda k: datasets.check_files(k["pcm16"]), lambda r: r == ([0], [])),
    "check_files a tuple": (lambda k: datasets.check_files((k["pcm16"], k["flac"])), lambda r: r == ([0, 1], [])),
    "check_files empty list": (lambda k: datasets.check_files([]), lambda r: r == ([], [])),
    "batch_size np.int64": (
        lambda k: _arrays(datasets.to_dataset(np.ones((3, 4)), [0, 1, 0], SR, 4, batch_size=np.int64(2))),
        lambda r: r[0].shape == (3, 4) and r[1].tolist() == [0, 1, 0],
    ),
    "clip_samples np.int64": (
        lambda k: _arrays(datasets.to_dataset(np.ones((2, 4)), [0, 1], SR, np.int64(6))),
        lambda r: r[0].shape == (2, 6) and np.all(r[0][:, 4:] == 0),
    ),
    "labels np.int64 array": (
        lambda k: _arrays(datasets.to_dataset(np.ones((2, 4)), np.array([1, 0]), SR, 4)),
        lambda r: r[1].dtype == np.int32 and r[1].tolist() == [1, 0],
    ),
    "labels uint8": (
        lambda k: _arrays(datasets.to_dataset(np.ones((2, 4)), np.array([1, 0], np.uint8), SR, 4)),
        lambda r: r[1].tolist() == [1, 0],
    ),
    "int16 clips scaled": (
        lambda k: _arrays(datasets.to_dataset(np.full((2, 4), 16384, np.int16), [0, 1], SR, 4)),
        lambda r: np.allclose(r[0], 0.5),
    ),
    "list of equal arrays": (
        lambda k: _arrays(datasets.to_dataset([np.ones(4), np.zeros(4)], [0, 1], SR, 4)),
        lambda r: r[0].tolist() == [[1] * 4, [0] * 4],
    ),
    "one path as clips": (
        lambda k: _arrays(datasets.to_dataset(k["pcm16"], [0], SR, SR)),
        lambda r: r[0].shape == (1, SR),
    ),
    "class_names right": (
        lambda k: _arrays(datasets.to_dataset(np.ones((2, 4)), [0, 1], SR, 4, class_names=["a", "b"])),
        lambda r: r[1].tolist() == [0, 1],
    ),
    "stereo 96 kHz flac ogg u8": (
        lambda k: _arrays(
            datasets.to_dataset([k[n] for n in ["stereo", "96k", "flac", "ogg", "u8"]], [0, 1, 2, 3, 4], SR, SR)
        ),
        lambda r: r[0].shape == (5, SR) and np.all(np.abs(r[0]).max(axis=1) > 0.3),
    ),
    "n_per_class np.int64": (lambda k: datasets.environmental_sounds(np.int64(1)), lambda r: r[0].shape == (7, 16000)),
    "snr_db list": (lambda k: datasets.environmental_sounds(1, snr_db=[0, 0]), lambda r: r[0].shape[0] == 7),
}


@pytest.mark.parametrize("case", list(VALID))
def test_unusual_but_valid_input_works(kinds, case):
    call, check = VALID[case]
    with time_limit(LIMIT):
        result = call(kinds)
    assert check(result), f"{case}: {result}"


# ------------------------------------------------------------------------------ from_folder


def _layout(root: Path, files: list[str]) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if name.endswith("/"):
            continue
        (root / name).write_bytes(wav_bytes() if name.endswith(".wav") else b"text")
    return root


FOLDERS = {  # case: (files to make, expected class names or (error, pattern))
    "empty folder": ([], (ValueError, "holds no audio files")),
    "only text files": (["a.txt", "dog/readme.md"], (ValueError, "holds no audio files")),
    "only skipped folders": (["_background_noise_/n.wav", ".git/x.wav"], (ValueError, "holds no audio files")),
    "flat, not FSDD-named": (["rain.wav"], (ValueError, "rain.wav is not named like FSDD")),
    "loose files beside class folders": (["dog/1.wav", "stray.wav"], (ValueError, "stray.wav.* beside class")),
    "single class": (["dog/1.wav", "dog/2.wav"], ["dog"]),
    "class folder without audio is not a class": (["dog/1.wav", "cat/notes.txt", "empty/"], ["dog"]),
    "hidden files ignored": (["dog/1.wav", "dog/._1.wav", "cat/2.wav"], ["cat", "dog"]),
    "nested recordings keep the top folder's label": (["dog/day1/1.wav", "cat/2.wav"], ["cat", "dog"]),
    "fsdd names": (["3_theo_0.wav", "5_lucas_9.wav", "notes.txt"], ["3", "5"]),
}


@pytest.mark.parametrize("case", list(FOLDERS))
def test_from_folder_layouts(tmp_path, case):
    names, expected = FOLDERS[case]
    root = _layout(tmp_path / "data", names)
    root.mkdir(exist_ok=True)
    with time_limit(LIMIT):
        if isinstance(expected, tuple):
            with pytest.raises(expected[0], match=expected[1]):
                datasets.from_folder(root)
            return
        paths, labels, class_names = datasets.from_folder(root)
    assert class_names == expected
    assert all(not p.name.startswith(".") for p in paths)
    assert [class_names[c] for c in labels] == [
        datasets.fsdd_fields(p)[0] if datasets.fsdd_fields(p) else p.relative_to(root).parts[0] for p in paths
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="pipes need a POSIX system")
def test_from_folder_skips_a_pipe_without_hanging(tmp_path):
    _layout(tmp_path, ["dog/1.wav", "cat/2.wav"])
    os.mkfifo(tmp_path / "dog" / "stuck.wav")
    with time_limit(LIMIT):
        paths, _, _ = datasets.from_folder(tmp_path)
        assert datasets.check_files(paths) == ([0, 1], [])
    assert [p.name for p in paths] == ["2.wav", "1.wav"]
