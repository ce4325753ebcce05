"""Bad input to the core helpers, table-driven: each case names the call, the exception and a message
that must name the argument and its value. Every case runs under a time limit (SIGALRM), and the
memory-heavy ones prove the bound is enforced before anything is allocated. The second half lists
unusual but valid input that must work.
"""

from __future__ import annotations

import io
import os
import re
import signal
import struct
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import soundfile  # noqa: E402
import tensorflow as tf  # noqa: E402

from helpers import audio, augment, phase, plots, spectral  # noqa: E402

SECONDS_PER_CASE = 60
SR = 8000
Y = (0.5 * np.sin(2 * np.pi * 440 * np.arange(4000) / SR)).astype(np.float32)
S = spectral.stft(Y, 256, 64).numpy()  # [59, 129] complex
MAG = np.abs(S)


@pytest.fixture(autouse=True)
def time_limit():
    """Fail (instead of hanging the suite) when one case runs longer than SECONDS_PER_CASE."""

    def expired(signum, frame):
        raise TimeoutError(f"case ran longer than {SECONDS_PER_CASE} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(SECONDS_PER_CASE)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    plt.close("all")


@dataclass
class Case:
    id: str
    call: object
    kwargs: dict = field(default_factory=dict)
    error: type = ValueError
    match: str = ""
    args: tuple = ()


# ---- integer arguments: one table of bad values, applied to every integer parameter ----------------
BAD_INTS = [  # value, error, message fragment after "name="
    (0, ValueError, r"0 is not a positive integer"),
    (-1, ValueError, r"-1 is not a positive integer"),
    (1024.5, TypeError, r"1024\.5 is not a positive integer"),
    (512.0, TypeError, r"512\.0 is a float.*int\("),
    ("1024", TypeError, r"'1024' is not a positive integer"),
    (True, TypeError, r"True is a boolean"),
    (np.bool_(False), TypeError, r"False is a boolean"),
    (float("nan"), TypeError, r"nan is not a positive integer"),
    ([256], TypeError, r"\[256\] is not a positive integer"),
    (2**40, ValueError, r"1099511627776 is larger than the maximum"),
]
BAD_NON_NEGATIVE = [
    (v, e, m.replace("is not a positive integer", "is negative" if v == -1 else "is not a whole number >= 0"))
    for v, e, m in BAD_INTS
    if v != 0
]

INT_PARAMS = [  # function, fixed keyword arguments, parameter, None allowed?
    (spectral.stft, {"y": Y}, "frame_length", False),
    (spectral.stft, {"y": Y}, "frame_step", False),
    (spectral.stft, {"y": Y, "frame_length": 256}, "fft_length", True),
    (spectral.istft, {"S": S, "frame_length": 256, "frame_step": 64}, "frame_step", False),
    (spectral.istft, {"S": S, "frame_step": 64, "fft_length": 256}, "frame_length", False),
    (spectral.frame_times, {"n_frames": 10, "sr": SR}, "frame_step", False),
    (spectral.frame_times, {"n_frames": 10, "frame_step": 64}, "sr", False),
    (spectral.bin_frequencies, {"sr": SR}, "fft_length", False),
    (spectral.bin_frequencies, {"fft_length": 256}, "sr", False),
    (spectral.mel_filterbank, {"fft_length": 256}, "sr", False),
    (spectral.mel_filterbank, {"sr": SR}, "fft_length", False),
    (spectral.mel_filterbank, {"sr": SR, "fft_length": 256}, "n_mels", False),
    (spectral.mfcc, {"log_mel": np.zeros((5, 40))}, "n_mfcc", False),
    (phase.griffin_lim, {"magnitude": MAG, "frame_step": 64, "fft_length": 256}, "frame_length", False),
    (phase.griffin_lim, {"magnitude": MAG, "frame_length": 256, "n_iter": 1}, "frame_step", False),
    (audio.play, {"y": Y}, "sr", False),
    (audio.fix_length, {"y": Y}, "length", False),
    (plots.waveform, {"y": Y}, "sr", False),
    (plots.spectrogram, {"S": MAG, "sr": SR}, "frame_step", False),
    (plots.spectrogram, {"S": MAG, "frame_step": 64}, "sr", False),
    (augment.pitch_shift, {"y": Y, "sr": SR, "n_steps": 1.0}, "n_fft", False),
    (augment.pitch_shift, {"y": Y, "n_steps": 1.0}, "sr", False),
]
NON_NEGATIVE_PARAMS = [
    (spectral.frame_times, {"sr": SR, "frame_step": 64}, "n_frames"),
    (phase.griffin_lim, {"magnitude": MAG, "frame_length": 256, "frame_step": 64}, "n_iter"),
    (augment.spec_augment, {"S": MAG, "max_time_width": 2, "n_masks": 1, "seed": (0, 0)}, "max_freq_width"),
    (augment.spec_augment, {"S": MAG, "max_freq_width": 2, "n_masks": 1, "seed": (0, 0)}, "max_time_width"),
    (augment.spec_augment, {"S": MAG, "max_freq_width": 2, "max_time_width": 2, "seed": (0, 0)}, "n_masks"),
]


def int_cases():
    for fn, fixed, name, none_ok in INT_PARAMS:
        values = BAD_INTS + ([] if none_ok else [(None, TypeError, r"None is not a positive integer")])
        for value, error, fragment in values:
            if name == "sr" and value == 2**40:
                fragment = r"1099511627776 is larger than the maximum 768000"
            yield Case(
                f"{fn.__module__.split('.')[-1]}.{fn.__name__}-{name}={value!r}",
                fn,
                {**fixed, name: value},
                error,
                rf"{name}={fragment}",
            )
    for fn, fixed, name in NON_NEGATIVE_PARAMS:
        for value, error, fragment in BAD_NON_NEGATIVE:
            yield Case(
                f"{fn.__module__.split('.')[-1]}.{fn.__name__}-{name}={value!r}",
                fn,
                {**fixed, name: value},
                error,
                rf"{name}={fragment}",
            )


# ---- booleans, choices, real numbers -------------------------------------------------------------------
BOOL_PARAMS = [
    (spectral.stft, {"y": Y, "frame_length": 256}, "center"),
    (spectral.istft, {"S": S, "frame_length": 256, "frame_step": 64}, "center"),
    (spectral.mel_filterbank, {"sr": SR, "fft_length": 256}, "htk"),
    (audio.play, {"y": Y, "sr": SR}, "normalize"),
    (audio.check_signal, {"y": Y}, "mono"),
    (plots.spectrogram, {"S": MAG, "sr": SR, "frame_step": 64}, "colorbar"),
    (plots.spectrogram, {"S": MAG, "sr": SR, "frame_step": 64}, "center"),
]
BAD_BOOLS = ["yes", "no", "False", 1, 0, None, 1.0]

CHOICES = [
    (spectral.stft, {"y": Y, "frame_length": 256}, "window", ["hanning", "Hann", "", "blackman"], "hann"),
    (spectral.istft, {"S": S, "frame_length": 256, "frame_step": 64}, "window", ["hanning"], "hann"),
    (spectral.to_db, {"S": MAG}, "kind", ["energy", "Power", "db"], "amplitude"),
    (spectral.to_db, {"S": MAG}, "ref", ["maximum", "MAX", "peak"], "max"),
    (plots.spectrogram, {"S": MAG, "sr": SR, "frame_step": 64}, "y_axis", ["mels", "Mel", "logarithmic"], "mel"),
]

BAD_NUMBERS = [
    (float("nan"), ValueError, r"nan is not a finite number"),
    (float("inf"), ValueError, r"inf is not a finite number"),
    ("80", TypeError, r"'80' is not a real number"),
    (True, TypeError, r"True is not a real number"),
    (1j, TypeError, r"1j is not a real number"),
]
NUMBER_PARAMS = [
    (spectral.to_db, {"S": MAG}, "amin"),
    (spectral.to_db, {"S": MAG}, "top_db"),
    (spectral.normalize, {"S": MAG}, "eps"),
    (spectral.mel_filterbank, {"sr": SR, "fft_length": 256}, "fmin"),
    (spectral.mel_filterbank, {"sr": SR, "fft_length": 256}, "fmax"),
    (phase.griffin_lim, {"magnitude": MAG, "frame_length": 256, "frame_step": 64}, "momentum"),
    (augment.add_noise, {"y": Y, "seed": (0, 0)}, "snr_db"),
    (augment.random_gain, {"y": Y, "max_db": 0.0, "seed": (0, 0)}, "min_db"),
    (plots.spectrogram, {"S": MAG, "sr": SR, "frame_step": 64}, "vmin"),
]


def parameter_cases():
    for fn, fixed, name in BOOL_PARAMS:
        for value in BAD_BOOLS:
            yield Case(
                f"{fn.__name__}-{name}={value!r}",
                fn,
                {**fixed, name: value},
                TypeError,
                rf"{name}={re.escape(repr(value))} is not a boolean; pass True or False",
            )
    for fn, fixed, name, values, good in CHOICES:
        for value in [*values, 3, None]:
            error = ValueError if isinstance(value, str) else TypeError
            if fn is spectral.to_db and name == "ref" and not isinstance(value, str):
                continue  # numbers are valid references
            yield Case(
                f"{fn.__name__}-{name}={value!r}",
                fn,
                {**fixed, name: value},
                error,
                rf"{name}={re.escape(repr(value))} is not .*choose one of \[.*'{good}'",
            )
    for fn, fixed, name in NUMBER_PARAMS:
        for value, error, fragment in BAD_NUMBERS:
            if name in ("snr_db", "min_db") and isinstance(value, complex):
                continue
            yield Case(f"{fn.__name__}-{name}={value!r}", fn, {**fixed, name: value}, error, rf"{name}={fragment}")


# ---- signals and spectrograms that are not what they should be --------------------------------------------
def signal_cases():
    bad_y = [
        ((Y, SR), TypeError, r"y is a \(samples, sample rate\) pair.*y, sr = helpers\.audio\.load"),
        (None, TypeError, r"y is None"),
        ("speech.wav", TypeError, r"y='speech\.wav' is a path, not samples"),
        (Y.astype(np.complex64), TypeError, r"y is complex \(complex64\)"),
        (Y > 0, TypeError, r"y has dtype bool"),
        (np.arange(4000), TypeError, r"y has dtype int64, which is no PCM format"),
        (np.zeros(0, np.float32), ValueError, r"y is empty \(0 samples\)"),
        (
            np.where(np.arange(4000) == 7, np.nan, Y),
            ValueError,
            r"y contains 1 NaN or Inf samples \(first at flat index 7\)",
        ),
        (np.full(4000, np.inf), ValueError, r"y contains 4000 NaN or Inf"),
        (np.stack([Y, Y]), ValueError, r"y has shape \(2, 4000\) but a mono 1-D signal is expected"),
        (np.array(["a", "b"]), TypeError, r"y has dtype <U1"),
    ]
    mono = [(spectral.stft, {"frame_length": 256}), (plots.waveform, {"sr": SR}), (audio.check_signal, {})]
    multi = [(audio.play, {"sr": SR}), (audio.save, {"path": "x.wav", "sr": SR})]
    for fn, fixed in mono:
        for value, error, match in bad_y:
            yield Case(f"{fn.__name__}-y={_short(value)}", fn, {**fixed, "y": value}, error, match)
    for fn, fixed in multi:
        for value, error, match in bad_y:
            if "mono 1-D" in match:
                value, match = (
                    np.zeros((SR, 2), np.float32),
                    r"y has shape \(8000, 2\): that looks like \[samples, channels\].*pass y\.T",
                )
            yield Case(f"{fn.__name__}-y={_short(value)}", fn, {**fixed, "y": value}, error, match)
    yield from spectrogram_cases()


def spectrogram_cases():
    real = {"S": MAG}
    yield Case("to_db-complex", spectral.to_db, {"S": S}, TypeError, r"S is complex .*take its magnitude first")
    yield Case("to_db-nan", spectral.to_db, {"S": np.where(MAG > 1, np.nan, MAG)}, ValueError, r"S contains \d+ NaN")
    yield Case(
        "to_db-db-twice",
        spectral.to_db,
        {"S": spectral.to_db(MAG).numpy()},
        ValueError,
        r"S has negative values \(min -80\).*magnitude",
    )
    yield Case("to_db-empty", spectral.to_db, {"S": np.zeros((0, 129))}, ValueError, r"S is empty \(shape \(0, 129\)\)")
    yield Case("to_db-tuple", spectral.to_db, {"S": (Y, SR)}, TypeError, r"S is a \(samples, sample rate\) pair")
    yield Case("to_db-amin=0", spectral.to_db, {**real, "amin": 0}, ValueError, r"amin=0 must be > 0")
    yield Case("to_db-amin<0", spectral.to_db, {**real, "amin": -1e-5}, ValueError, r"amin=-1e-05 is smaller")
    yield Case("to_db-top_db<0", spectral.to_db, {**real, "top_db": -3}, ValueError, r"top_db=-3 is smaller")
    yield Case("to_db-ref=0", spectral.to_db, {**real, "ref": 0}, ValueError, r"ref=0 must be > 0")
    yield Case("to_db-ref=-1", spectral.to_db, {**real, "ref": -1.0}, ValueError, r"ref=-1 is smaller")
    yield Case("to_db-ref=nan", spectral.to_db, {**real, "ref": float("nan")}, ValueError, r"ref=nan is not a finite")
    yield Case(
        "to_db-ref-callable-bad",
        spectral.to_db,
        {**real, "ref": lambda s: -1.0},
        ValueError,
        r"ref=<function <lambda>> gave -1\.0, not a finite value >= 0",
    )
    yield Case("to_db-axis=5", spectral.to_db, {**real, "axis": 5}, ValueError, r"axis=5 is out of range for S with 2")
    yield Case("to_db-axis=1.5", spectral.to_db, {**real, "axis": 1.5}, TypeError, r"axis=1\.5 is not a whole number")
    yield Case("to_db-axis=()", spectral.to_db, {**real, "axis": ()}, ValueError, r"axis=\(\) names no axis")
    yield Case("normalize-complex", spectral.normalize, {"S": S}, TypeError, r"S is complex")
    yield Case("normalize-nan", spectral.normalize, {"S": np.array([1.0, np.nan])}, ValueError, r"S contains 1 NaN")
    yield Case("normalize-eps<0", spectral.normalize, {"S": MAG, "eps": -1.0}, ValueError, r"eps=-1 is smaller")
    yield Case(
        "magnitude-nan", spectral.magnitude, {"S": np.array([np.nan + 0j])}, ValueError, r"S is empty or holds NaN"
    )
    yield Case("magnitude-text", spectral.magnitude, {"S": np.array(["x"])}, TypeError, r"S has dtype <U1")
    ist = {"frame_length": 256, "frame_step": 64}
    yield Case("istft-real", spectral.istft, {"S": MAG, **ist}, TypeError, r"S is real .*griffin_lim")
    yield Case(
        "istft-librosa-layout",
        spectral.istft,
        {"S": S.T, **ist},
        ValueError,
        r"S has 59 bins \(shape \(129, 59\)\) but fft_length=256 gives 129; .*librosa's \[bins, frames\].*S\.T",
    )
    yield Case(
        "istft-bins",
        spectral.istft,
        {"S": S[:, :65], **ist},
        ValueError,
        r"S has 65 bins .* fft_length=256 gives 129; .*fft_length=128",
    )
    yield Case("istft-empty", spectral.istft, {"S": S[:0], **ist}, ValueError, r"S has 0 frames")
    yield Case(
        "istft-nan", spectral.istft, {"S": np.where(MAG > 1, np.nan, S), **ist}, ValueError, r"S contains \d+ NaN"
    )
    yield Case("istft-3d", spectral.istft, {"S": S[None], **ist}, ValueError, r"S has shape \(1, 59, 129\)")
    yield Case(
        "istft-length=-1",
        spectral.istft,
        {"S": S, **ist, "length": -1},
        ValueError,
        r"length=-1 is not a positive integer",
    )
    mel = {"sr": SR, "fft_length": 256}
    yield Case(
        "mel-complex",
        spectral.mel_spectrogram,
        {"S_power": S, **mel},
        TypeError,
        r"S_power is complex.*power spectrogram .*power\(S\)",
    )
    yield Case(
        "mel-negative",
        spectral.mel_spectrogram,
        {"S_power": -np.ones((3, 129)), **mel},
        ValueError,
        r"S_power has negative values \(min -1\)",
    )
    yield Case(
        "mel-bins",
        spectral.mel_spectrogram,
        {"S_power": np.ones((3, 100)), **mel},
        ValueError,
        r"S_power has 100 bins but fft_length=256 gives 129",
    )
    yield Case(
        "mel-fmax>nyquist",
        spectral.mel_filterbank,
        {**mel, "fmax": 5000.0},
        ValueError,
        r"fmax <= sr / 2, got fmin=0\.0, fmax=5000\.0, sr=8000",
    )
    yield Case(
        "mel-fmin>=fmax",
        spectral.mel_filterbank,
        {**mel, "fmin": 3000.0, "fmax": 2000.0},
        ValueError,
        r"fmin < fmax.*fmin=3000\.0, fmax=2000\.0",
    )
    yield Case(
        "mfcc-too-many",
        spectral.mfcc,
        {"log_mel": np.zeros((5, 40)), "n_mfcc": 41},
        ValueError,
        r"n_mfcc=41 is more than the 40 mel bands",
    )
    yield Case(
        "stft-fft<frame",
        spectral.stft,
        {"y": Y, "frame_length": 512, "fft_length": 256},
        ValueError,
        r"fft_length=256 is smaller than frame_length=512.*fft_length=512",
    )
    yield Case(
        "stft-short",
        spectral.stft,
        {"y": Y[:100], "frame_length": 256},
        ValueError,
        r"y has 100 samples, fewer than one frame \(frame_length=256\); use center=True",
    )
    yield Case("plot-complex", plots.spectrogram, {"S": S, "sr": SR, "frame_step": 64}, TypeError, r"S is complex")
    yield Case(
        "plot-3d",
        plots.spectrogram,
        {"S": MAG[None], "sr": SR, "frame_step": 64},
        ValueError,
        r"S has shape \(1, 59, 129\); expected \[frames, bins\]",
    )
    yield Case(
        "plot-cmap",
        plots.spectrogram,
        {"S": MAG, "sr": SR, "frame_step": 64, "cmap": "rainbowz"},
        ValueError,
        r"cmap='rainbowz' is not a matplotlib colormap",
    )
    yield Case(
        "plot-fft",
        plots.spectrogram,
        {"S": MAG, "sr": SR, "frame_step": 64, "fft_length": 512},
        ValueError,
        r"S has 129 bins but fft_length=512 gives 257",
    )
    yield Case("plot-ax", plots.waveform, {"y": Y, "sr": SR, "ax": 3}, TypeError, r"ax=3 is not a matplotlib Axes")
    yield Case(
        "griffin-complex",
        phase.griffin_lim,
        {"magnitude": S, "frame_length": 256, "frame_step": 64},
        TypeError,
        r"magnitude is complex",
    )
    yield Case(
        "griffin-db",
        phase.griffin_lim,
        {"magnitude": -MAG, "frame_length": 256, "frame_step": 64},
        ValueError,
        r"magnitude has negative values .*not dB",
    )
    yield Case(
        "griffin-momentum=1",
        phase.griffin_lim,
        {"magnitude": MAG, "frame_length": 256, "frame_step": 64, "momentum": 1.0},
        ValueError,
        r"momentum=1\.0 must be below 1",
    )
    yield Case(
        "convergence-nan",
        phase.spectral_convergence,
        {"reference": np.array([[np.nan]]), "estimate": np.ones((1, 1))},
        ValueError,
        r"reference contains 1 NaN",
    )
    yield Case(
        "snr-silent", audio.snr_db, {"signal": np.zeros(10), "noise": np.ones(10)}, ValueError, r"signal is silent"
    )
    yield Case(
        "augment-nan",
        augment.add_noise,
        {"y": np.array([np.nan, 0.0]), "snr_db": 10.0, "seed": (0, 0)},
        ValueError,
        r"y contains 1 NaN",
    )
    yield Case("augment-complex-S", augment.freq_mask, {"S": S, "width": 2, "seed": (0, 0)}, TypeError, r"S is complex")
    yield Case(
        "augment-shift-float",
        augment.time_shift,
        {"y": Y, "max_shift": 2.5, "seed": (0, 0)},
        TypeError,
        r"max_shift=2\.5 is not a whole number",
    )
    yield Case(
        "augment-seed-bool",
        augment.with_seeds,
        {"dataset": tf.data.Dataset.range(2), "seed": True},
        TypeError,
        r"seed=True is a boolean",
    )


def _short(value) -> str:
    if isinstance(value, np.ndarray):
        return f"array{value.shape}{value.dtype}"
    return type(value).__name__


# ---- files: every kind of bad file, made in tmp_path ---------------------------------------------------------
def wav_bytes(rate=SR, channels=1, bits=16, n=100, data_size=None, fmt_size=16):
    data = b"\0" * (n * channels * bits // 8)
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * bits // 8, channels * bits // 8, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", fmt_size) + fmt[:fmt_size]
    body += b"data" + struct.pack("<I", len(data) if data_size is None else data_size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


BAD_FILES = [  # name, content (bytes, or a function of the path), message
    ("missing.wav", None, FileNotFoundError, r"No such audio file: .*missing\.wav"),
    ("empty.wav", b"", ValueError, r"empty\.wav is empty \(0 bytes\)"),
    ("text.wav", b"this is not audio\n" * 20, ValueError, r"text\.wav is not readable audio"),
    (
        "rate0.wav",
        wav_bytes(rate=0),
        ValueError,
        r"rate0\.wav is not readable audio: its header declares a sample rate of 0 Hz",
    ),
    ("channels0.wav", wav_bytes(channels=0), ValueError, r"channels0\.wav .*declares 0 channels"),
    ("cut_header.wav", wav_bytes()[:30], ValueError, r"cut_header\.wav .*truncated"),
    (
        "short_fmt.wav",
        wav_bytes(fmt_size=8),
        ValueError,
        r"short_fmt\.wav .*header is truncated \(the 'fmt ' chunk holds 8",
    ),
    (
        "cut_data.wav",
        wav_bytes(n=1000)[:300],
        ValueError,
        r"cut_data\.wav .*is truncated \(300 bytes, but its data chunk declares 2000",
    ),
    ("no_samples.wav", wav_bytes(n=0), ValueError, r"no_samples\.wav contains no audio samples"),
    (
        "broken.mp3",
        b"\xff\xfb\x90\x00" + b"\x13" * 500,
        ValueError,
        r"broken\.mp3 is not readable audio: libsndfile could not decode it: it is damaged",
    ),
    (
        "id3only.mp3",
        b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00junk" * 100,
        ValueError,
        r"id3only\.mp3 is not readable audio",
    ),
    ("broken.flac", b"fLaC" + b"\x00" * 100, ValueError, r"broken\.flac is not readable audio: it is damaged"),
    ("broken.ogg", b"OggS" + b"\x00" * 100, ValueError, r"broken\.ogg is not readable audio"),
    (
        "renamed.wav",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
        ValueError,
        r"renamed\.wav is not readable audio: it is not in a format libsndfile recognises",
    ),
    ("loud_float.wav", "float4", ValueError, r"loud_float\.wav is a float file peaking at 2, beyond the \[-1, 1\]"),
    ("nan_float.wav", "float_nan", ValueError, r"nan_float\.wav contains 1 NaN or Inf samples"),
    ("truncated.flac", "flac_half", ValueError, r"truncated\.flac is not readable audio"),
    ("folder.wav", "dir", ValueError, r"folder\.wav is a directory"),
    ("fifo.wav", "fifo", ValueError, r"fifo\.wav is not a regular file \(a pipe or a device\)"),
]


def make_file(tmp_path, name, content):
    path = tmp_path / name
    if content is None:
        return path
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "float4":
        soundfile.write(path, 4 * Y, SR, subtype="FLOAT")
    elif content == "float_nan":
        soundfile.write(path, np.where(np.arange(Y.size) == 3, np.nan, Y), SR, subtype="FLOAT")
    elif content == "flac_half":
        soundfile.write(tmp_path / "whole.flac", np.random.default_rng(0).uniform(-1, 1, 40000), SR)
        path.write_bytes((tmp_path / "whole.flac").read_bytes()[:5000])
    elif content == "dir":
        path.mkdir()
    elif content == "fifo":
        os.mkfifo(path)
    return path


def path_cases():
    yield Case(
        "load-None", audio.load, {"path": None}, TypeError, r"path=None is not a path; pass a str or pathlib\.Path"
    )
    yield Case("load-int", audio.load, {"path": 123}, TypeError, r"path=123 is not a path")
    yield Case(
        "load-bytes",
        audio.load,
        {"path": b"clip.wav"},
        TypeError,
        r"path=b'clip\.wav' is bytes; pass the path as a str",
    )
    yield Case("load-empty-str", audio.load, {"path": ""}, ValueError, r"path='' is empty")
    yield Case(
        "load-tuple", audio.load, {"path": (Y, SR)}, TypeError, r"path is a \(samples, sample rate\) pair, not a path"
    )
    yield Case("load-list", audio.load, {"path": ["a.wav"]}, TypeError, r"path=\['a\.wav'\] is not a path")
    yield Case(
        "load-mono-str",
        audio.load,
        {"path": audio.sample("chirp"), "mono": "no"},
        TypeError,
        r"mono='no' is not a boolean",
    )
    yield Case(
        "load-sr-float",
        audio.load,
        {"path": audio.sample("chirp"), "sr": 16000.0},
        TypeError,
        r"sr=16000\.0 is a float",
    )
    yield Case(
        "load-sr-huge",
        audio.load,
        {"path": audio.sample("chirp"), "sr": 10**7},
        ValueError,
        r"sr=10000000 is larger than the maximum 768000",
    )
    yield Case(
        "load-fileobj-empty",
        audio.load,
        {"path": io.BytesIO(b"")},
        ValueError,
        r"file object BytesIO is not readable audio: it is not in a format libsndfile recognises",
    )
    yield Case(
        "load-fileobj-text",
        audio.load,
        {"path": io.BytesIO(b"hello" * 100)},
        ValueError,
        r"file object BytesIO is not readable audio",
    )
    yield Case(
        "sample-None", audio.sample, {"name": None}, TypeError, r"name=None is not a clip name; choose one of \["
    )
    yield Case(
        "sample-unknown",
        audio.sample,
        {"name": "nope"},
        ValueError,
        r"name='nope' is not a bundled clip; choose one of",
    )
    yield Case(
        "play-loud-unnormalized",
        audio.play,
        {"y": 4 * Y, "sr": SR, "normalize": False},
        ValueError,
        r"y peaks at 2 but normalize=False needs samples in \[-1, 1\]",
    )
    yield Case(
        "play-too-long",
        audio.play,
        {"y": np.zeros(SR * 1201, np.float32), "sr": SR},
        ValueError,
        r"y lasts 1201 s, longer than the 1200 s",
    )


SAVE_CASES = [  # relative name (under tmp_path), error, message
    (
        "no/such/folder/x.wav",
        FileNotFoundError,
        r"cannot save .*x\.wav: the folder .*folder does not exist; create it first",
    ),
    ("x.mp3", ValueError, r"path='.*x\.mp3' has suffix '\.mp3'; save writes 16-bit WAV or FLAC.*'x\.wav'"),
    ("x.txt", ValueError, r"has suffix '\.txt'"),
    ("noext", ValueError, r"has suffix ''"),
    (".", ValueError, r"is a directory; pass a file name inside it"),
    ("afile.wav/x.wav", FileNotFoundError, r"the folder .*afile\.wav is a file, not a folder"),
]


CASES = [*int_cases(), *parameter_cases(), *signal_cases(), *path_cases()]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_error(case):
    with pytest.raises(case.error, match=case.match):
        case.call(*case.args, **case.kwargs)


@pytest.mark.parametrize("name, content, error, match", BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_bad_files_get_a_clear_error(tmp_path, name, content, error, match):
    path = make_file(tmp_path, name, content)
    with pytest.raises(error, match=match):
        audio.load(path)
    with pytest.raises(error, match=match):
        audio.load(str(path))


@pytest.mark.parametrize("name, error, match", SAVE_CASES, ids=[c[0] for c in SAVE_CASES])
def test_save_refuses_bad_destinations_and_writes_nothing(tmp_path, name, error, match):
    (tmp_path / "afile.wav").write_bytes(b"mine")
    (tmp_path / "precious.txt").write_text("keep me")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(error, match=match):
        audio.save(tmp_path / name, Y, SR)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "precious.txt").read_text() == "keep me" and (tmp_path / "afile.wav").read_bytes() == b"mine"


def test_case_count():
    assert len(CASES) + len(BAD_FILES) + len(SAVE_CASES) >= 200


# ---- memory: the bound is enforced before anything large is allocated -------------------------------------
def refuse_to_allocate(*args, **kwargs):
    raise AssertionError("the expensive call was reached: the size bound came too late")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"frame_length": 2**24, "center": True}, r"frame_length=16777216 is larger than the maximum 65536"),
        ({"frame_length": 1024, "fft_length": 2**22}, r"fft_length=4194304 is larger than the maximum 65536"),
        (
            {"frame_length": 1024, "frame_step": 1, "y": np.zeros(10**7, np.float32)},
            r"would hold 9998977 frames x 513 bins, more than the 134217728 values allowed \(~38\.2 GiB\)",
        ),
    ],
)
def test_stft_size_bound_comes_before_allocation(monkeypatch, kwargs, match):
    for name in ("stft", "frame"):
        monkeypatch.setattr(tf.signal, name, refuse_to_allocate)
    monkeypatch.setattr(tf, "pad", refuse_to_allocate)
    with pytest.raises(ValueError, match=match):
        spectral.stft(**{"y": Y, **kwargs})


def test_load_size_bound_comes_before_decoding(tmp_path, monkeypatch):
    n = audio.MAX_SAMPLES + 1  # int16 mono: a sparse file of 512 MiB, nothing written to disk
    path = tmp_path / "huge.wav"
    with open(path, "wb") as f:
        f.write(wav_bytes(n=0, data_size=2 * n)[:44])
        f.truncate(44 + 2 * n)
    monkeypatch.setattr(soundfile.SoundFile, "read", refuse_to_allocate)
    with pytest.raises(ValueError, match=rf"huge\.wav holds {n} samples, more than the {audio.MAX_SAMPLES}"):
        audio.load(path)


# ---- inside tf.function: graph-safe assertions --------------------------------------------------------------
def test_graph_mode_stft_catches_nan_and_short_clips():
    stft = tf.function(lambda y: spectral.stft(y, 256, 64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="y contains NaN or Inf values"):
        stft(tf.constant(np.where(np.arange(4000) == 5, np.nan, Y).astype(np.float32)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="y is shorter than frame_length=256"):
        stft(tf.zeros([100]))
    assert stft(tf.constant(Y)).shape == (59, 129)


def test_graph_mode_to_db_refuses_complex_when_traced_and_matches_eager():
    with pytest.raises(TypeError, match="S is complex"):
        tf.function(lambda s: spectral.to_db(s))(tf.constant(S))
    batch = np.stack([MAG, 10 * MAG]).astype(np.float32)
    graph = tf.function(lambda s: spectral.to_db(s, axis=(-2, -1)))(tf.constant(batch)).numpy()
    np.testing.assert_allclose(graph, spectral.to_db(batch, axis=(-2, -1)).numpy(), atol=1e-5)
    np.testing.assert_allclose(graph[0], graph[1], atol=1e-4)  # each clip against its own peak


# ---- unusual but valid: must work -----------------------------------------------------------------------------
def test_integer_pcm_is_scaled_everywhere():
    pcm = np.round(Y * 32767).astype(np.int16)
    np.testing.assert_allclose(spectral.stft(pcm, 256, 64).numpy(), S, atol=1e-3)
    u8 = np.round(Y * 127 + 128).astype(np.uint8)
    np.testing.assert_allclose(audio.check_signal(u8), Y, atol=1e-2)
    np.testing.assert_allclose(audio.check_signal(pcm.astype(np.int32) << 16), Y, atol=1e-4)


def test_save_int16_sine_is_not_a_square_wave(tmp_path):
    pcm = np.round(Y * 32767).astype(np.int16)
    back, _ = audio.load(audio.save(tmp_path / "s.wav", pcm, SR))
    assert abs(np.abs(back).max() - 0.5) < 1e-3 and np.allclose(back, Y, atol=1e-3)


def test_float64_and_tensors_and_numpy_sizes():
    sizes = 2 ** np.arange(8, 10)  # NumPy int64 sizes, as from a sweep
    for n in sizes:
        assert spectral.stft(Y.astype(np.float64), frame_length=n, frame_step=n // 4).shape[1] == n // 2 + 1
    assert spectral.stft(tf.constant(Y), np.int32(256), np.uint16(64), fft_length=np.int64(512)).shape == (59, 257)
    assert spectral.frame_times(np.int64(3), np.int64(SR), np.int16(80)).tolist() == [0.0, 0.01, 0.02]
    assert spectral.frame_times(0, SR, 64).size == 0


@pytest.mark.parametrize(
    "subtype, fmt, atol",
    [
        ("PCM_24", "WAV", 1e-6),
        ("PCM_32", "WAV", 1e-6),
        ("PCM_U8", "WAV", 1e-2),
        ("FLOAT", "WAV", 0),
        ("DOUBLE", "WAV", 1e-7),
        ("PCM_16", "FLAC", 1e-4),
        ("VORBIS", "OGG", 0.05),
    ],
)
def test_formats_load_in_unit_range(tmp_path, subtype, fmt, atol):
    path = tmp_path / f"clip.{fmt.lower()}"
    soundfile.write(path, Y, SR, subtype=subtype, format=fmt)
    y, sr = audio.load(path)
    assert sr == SR and y.dtype == np.float32 and np.abs(y).max() <= 1.0
    if fmt != "OGG":
        np.testing.assert_allclose(y, Y, atol=atol + 1e-7)


def test_float_file_peaking_at_exactly_one_loads(tmp_path):
    soundfile.write(tmp_path / "one.wav", Y / np.abs(Y).max(), SR, subtype="FLOAT")
    assert np.abs(audio.load(tmp_path / "one.wav")[0]).max() == pytest.approx(1.0)


def test_stereo_and_file_objects(tmp_path):
    stereo = np.stack([Y, -Y], axis=1)
    path = tmp_path / "stereo.wav"
    soundfile.write(path, stereo, SR)
    y2, _ = audio.load(path, mono=False)
    assert y2.shape == (2, Y.size)
    assert np.abs(audio.load(path)[0]).max() < 1e-4  # the mix of a signal and its inverse
    with open(path, "rb") as f:
        assert audio.load(f, mono=False)[0].shape == (2, Y.size)
    assert audio.load(io.BytesIO(path.read_bytes()), sr=np.int64(16000))[1] == 16000
    assert "<audio" in audio.play(y2, SR)._repr_html_()


def test_silence_plays_without_nan(recwarn):
    html = audio.play(np.zeros(800, np.float32), SR)._repr_html_()
    assert "<audio" in html and not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_to_db_references_like_librosa():
    import librosa

    np.testing.assert_allclose(
        spectral.to_db(MAG, ref=np.max).numpy(), librosa.amplitude_to_db(MAG, ref=np.max), atol=1e-3
    )
    np.testing.assert_allclose(
        spectral.to_db(MAG, ref=np.median, top_db=None).numpy(),
        librosa.amplitude_to_db(MAG, ref=np.median, top_db=None),
        atol=1e-3,
    )
    np.testing.assert_allclose(
        spectral.to_db(MAG**2, kind="power", ref=np.float32(2.0)).numpy(),
        librosa.power_to_db(MAG**2, ref=2.0),
        atol=1e-3,
    )


def test_normalize_constant_with_eps_zero_gives_zeros():
    assert np.all(spectral.normalize(np.full((3, 4), 7.0), eps=0).numpy() == 0)


def test_fix_length_numpy_tensor_and_tf_data():
    assert audio.fix_length(np.arange(5.0), 3).tolist() == [0.0, 1.0, 2.0]
    assert audio.fix_length(tf.ones([2, 3]), 5).numpy().tolist() == [[1, 1, 1, 0, 0]] * 2
    ds = tf.data.Dataset.from_tensor_slices(tf.ones([2, 3])).map(lambda y: audio.fix_length(y, 4))
    assert [x.shape for x in ds] == [(4,), (4,)]


def test_one_snr_definition():
    noisy = augment.add_noise(Y, 12.0, seed=(0, 1)).numpy()
    assert audio.snr_db(Y, noisy - Y) == pytest.approx(12.0, abs=1e-3)
    assert audio.snr_db(Y, np.zeros_like(Y)) == float("inf")
