"""The shared validation layer: what each check accepts, converts and refuses (and how it says so)."""

import doctest
import functools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import _validate as v

MAX_1024 = functools.partial(v.positive_int, maximum=1024)

ACCEPT = [
    (v.positive_int, (np.int64(1024), "n"), 1024),
    (v.positive_int, (np.array(7), "n"), 7),
    (v.positive_int, (1, "n"), 1),
    (v.non_negative_int, (0, "n"), 0),
    (v.non_negative_int, (np.uint8(3), "n"), 3),
    (v.number, (np.float32(0.5), "x"), 0.5),
    (v.number, (3, "x"), 3.0),
    (v.number, (np.array(2.5), "x"), 2.5),
    (v.boolean, (np.bool_(True), "center"), True),
    (v.boolean, (False, "center"), False),
    (v.choice, ("hann", "window", ["hann", "hamming"]), "hann"),
    (v.sample_rate, (np.int32(22050),), 22050),
    (v.next_power_of_two, (1000,), 1024),
    (v.next_power_of_two, (1,), 1),
    (v.fft_length, (None, 1000), 1024),
    (v.fft_length, (np.int64(2048), 1024), 2048),
]


@pytest.mark.parametrize("fn, args, expected", ACCEPT)
def test_accepts_and_converts(fn, args, expected):
    result = fn(*args)
    assert result == expected and type(result) is type(expected)


REFUSE = [
    (v.positive_int, (0, "frame_length"), ValueError, r"frame_length=0 is not a positive integer"),
    (v.positive_int, (-3, "n"), ValueError, r"n=-3 is not a positive integer"),
    (v.positive_int, (True, "n"), TypeError, r"n=True is a boolean"),
    (v.positive_int, (np.bool_(True), "n"), TypeError, r"n=True is a boolean"),
    (v.positive_int, (1024.5, "n"), TypeError, r"n=1024\.5 is not a positive integer"),
    (v.positive_int, (1024.0, "n"), TypeError, r"n=1024\.0 is a float.*int\(n\) = 1024"),
    (v.positive_int, ("1024", "n"), TypeError, r"n='1024' is not a positive integer"),
    (v.positive_int, (None, "n"), TypeError, r"n=None is not a positive integer"),
    (v.positive_int, (float("nan"), "n"), TypeError, r"n=nan is not"),
    (MAX_1024, (2**30, "n"), ValueError, r"n=1073741824 is larger than the max.* 1024"),
    (v.non_negative_int, (-1, "n_iter"), ValueError, r"n_iter=-1 is negative"),
    (v.non_negative_int, (0.5, "n_iter"), TypeError, r"n_iter=0\.5"),
    (v.number, (float("nan"), "amin"), ValueError, r"amin=nan is not a finite number"),
    (v.number, (float("inf"), "top_db"), ValueError, r"top_db=inf is not a finite"),
    (v.number, ("80", "top_db"), TypeError, r"top_db='80' is not a real number"),
    (v.number, (None, "top_db"), TypeError, r"top_db=None is not a real number"),
    (v.number, (True, "x"), TypeError, r"x=True is not a real number"),
    (v.number, (1j, "x"), TypeError, r"x=1j is not a real number"),
    (v.boolean, ("yes", "center"), TypeError, r"center='yes' is not a boolean; pass True or False"),
    (v.boolean, (1, "mono"), TypeError, r"mono=1 is not a boolean"),
    (v.boolean, (None, "mono"), TypeError, r"mono=None is not a boolean"),
    (v.choice, ("hanning", "window", ["hann"]), ValueError, r"window='hanning' is not supported; choose one of .'hann"),
    (v.choice, (None, "window", ["hann"]), TypeError, r"window=None is not a string; choose one of"),
    (v.sample_rate, (0,), ValueError, r"sr=0 is not a positive integer; it is the sample rate in Hz"),
    (v.sample_rate, (10**7,), ValueError, r"sr=10000000 is larger than the maximum 768000"),
    (v.sample_rate, (22050.0,), TypeError, r"sr=22050\.0 is a float"),
    (v.fft_length, (512, 1024), ValueError, r"fft_length=512 is smaller than frame_length=1024"),
    (v.fft_length, (2**22, 1024), ValueError, r"fft_length=4194304 is larger than the maximum 65536"),
    (v.fft_length, (None, 2**24), ValueError, r"frame_length=16777216 is larger than the maximum"),
    (v.path, (None, "path"), TypeError, r"path=None is not a path; pass a str or pathlib\.Path"),
    (v.path, (123, "path"), TypeError, r"path=123 is not a path"),
    (v.path, (b"a.wav", "path"), TypeError, r"path=b'a\.wav' is bytes; pass the path as a str"),
    (v.path, ("", "path"), ValueError, r"path='' is empty"),
    (v.path, ((np.zeros(3), 8000), "path"), TypeError, r"path is a \(samples, sample rate\) pair"),
    (v.signal, ((np.zeros(3), 8000),), TypeError, r"y is a \(samples, sample rate\) pair.*y, sr = helpers\.audio"),
    (v.signal, (None,), TypeError, r"y is None"),
    (v.signal, ("clip.wav",), TypeError, r"y='clip\.wav' is a path, not samples"),
    (v.signal, (np.zeros(3, complex),), TypeError, r"y is complex \(complex128\)"),
    (v.signal, (np.zeros(3, bool),), TypeError, r"y has dtype bool"),
    (v.signal, (np.array(["a"]),), TypeError, r"y has dtype <U1"),
    (v.signal, (np.arange(3),), TypeError, r"y has dtype int64, which is no PCM format"),
    (v.signal, (np.zeros(0),), ValueError, r"y is empty \(0 samples\)"),
    (v.signal, (np.array([0.0, np.nan, np.inf]),), ValueError, r"y contains 2 NaN or Inf samples \(first at flat.*1"),
    (v.signal, (np.zeros((2, 10)),), ValueError, r"y has shape \(2, 10\) but a mono 1-D signal is expected"),
    (v.signal, (np.zeros((2, 2, 2)), "clip"), ValueError, r"clip has shape \(2, 2, 2\) but a mono"),
]


@pytest.mark.parametrize("fn, args, error, match", REFUSE)
def test_refuses_with_a_message_naming_the_argument(fn, args, error, match):
    with pytest.raises(error, match=match):
        fn(*args)


def test_signal_refuses_samples_by_channels_and_says_transpose():
    with pytest.raises(ValueError, match=r"looks like \[samples, channels\].*pass y\.T"):
        v.signal(np.zeros((1000, 2)), mono=False)
    assert v.signal(np.zeros((2, 1000)), mono=False).shape == (2, 1000)


@pytest.mark.parametrize(
    "dtype, full_scale, expected",
    [
        ("int16", np.iinfo(np.int16).min, -1.0),
        ("int32", np.iinfo(np.int32).min, -1.0),
        ("uint8", 0, -1.0),
        ("uint8", 128, 0.0),
        ("int8", -128, -1.0),
    ],
)
def test_integer_pcm_is_scaled_to_unit_range(dtype, full_scale, expected):
    y = v.signal(np.array([full_scale, full_scale], dtype=dtype))
    assert y.dtype == np.float32 and np.all(y == expected)


def test_float64_becomes_float32_contiguous():
    y = v.signal(np.zeros((2, 50))[:, ::2].T.T[0])
    assert y.dtype == np.float32 and y.flags.c_contiguous


def test_path_returns_a_path():
    assert v.path("a/b.wav", "path") == Path("a/b.wav")


def test_messages_complete_what_naturally():
    with pytest.raises(ValueError, match=r"n=0 is not a positive integer; use n=4$"):
        v.positive_int(0, "n", what="use n=4")


def test_doctests_pass():
    assert doctest.testmod(v, optionflags=doctest.ELLIPSIS).failed == 0


def test_importing_it_does_not_import_tensorflow():
    code = "import helpers._validate, sys; assert 'tensorflow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
