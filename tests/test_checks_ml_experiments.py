"""Table tests of the 08-12 experiment checkers: plausible wrong answers get their hint, right ones pass."""

import math

import numpy as np
import pytest

import helpers.checks as checks
from helpers import spectral


def run(checker, answer, *args):
    return checker(answer, *args)


def assert_rejected(capsys, feedback, hint):
    out = capsys.readouterr().out
    assert not feedback and out.startswith("✗ Not yet"), out
    assert hint in out, out


def assert_placeholder(capsys, feedback, answer_text):
    out = capsys.readouterr().out
    assert not feedback and out.startswith("… Not answered yet"), out
    assert answer_text not in out, out


# ---- 08: bars in a clip ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "function",
    [
        lambda bpm, seconds: seconds * bpm / 240,
        lambda bpm, seconds: seconds / (4 * 60 / bpm),
        lambda bpm, seconds: np.float32(seconds) * np.float32(bpm) / np.float32(240.0),
        lambda bpm, seconds: seconds * bpm / 60 / 4,
    ],
)
def test_bars_in_clip_accepts(function, capsys):
    assert checks.bars_in_clip(function)


@pytest.mark.parametrize(
    "function, hint",
    [
        (lambda bpm, seconds: seconds * bpm / 60, "counts beats"),
        (lambda bpm, seconds: seconds * bpm / 15, "sixteenth notes"),
        (lambda bpm, seconds: 240 / bpm, "how long one bar lasts"),
        (lambda bpm, seconds: 240 / (bpm * seconds), "upside down"),
        (lambda bpm, seconds: math.floor(seconds * bpm / 240), "whole bars only"),
        (lambda bpm, seconds: 2.0 * bpm / 240, "use `seconds`"),
        (lambda bpm, seconds: "0.5", "one number"),
        (0.5, "a function"),
    ],
)
def test_bars_in_clip_rejects(function, hint, capsys):
    assert_rejected(capsys, checks.bars_in_clip(function), hint)


def test_bars_in_clip_placeholder(capsys):
    assert_placeholder(capsys, checks.bars_in_clip(None), "/ 240")


# ---- 08: mel band spacing -------------------------------------------------------------------------------
SR, FFT = 16000, 1024
CENTRES = np.asarray(__import__("librosa").mel_frequencies(n_mels=66, fmin=0.0, fmax=SR / 2)[1:-1])
NEAR = 330.0
SPACING = float(np.diff(CENTRES)[np.searchsorted(CENTRES, NEAR) - 1])


@pytest.mark.parametrize("answer", [SPACING, np.float32(SPACING), round(SPACING, 1), SPACING * 1.01])
def test_mel_spacing_accepts(answer, capsys):
    assert checks.mel_spacing(answer, CENTRES, NEAR, SR, FFT)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (NEAR * (2 ** (1 / 12) - 1), "semitone"),
        (SR / 2 / 64, "evenly over 0…sr/2"),
        (SR / FFT, "bin spacing"),
        (2 * SPACING, "two steps"),
        (39.9, "HTK"),
        ("46", "one number"),
        (10.0, "More help"),
    ],
)
def test_mel_spacing_rejects(answer, hint, capsys):
    assert_rejected(capsys, checks.mel_spacing(answer, CENTRES, NEAR, SR, FFT), hint)


def test_mel_spacing_placeholder(capsys):
    assert_placeholder(capsys, checks.mel_spacing(None, CENTRES, NEAR, SR, FFT), f"{SPACING:.1f}")


def test_mel_spacing_refuses_bad_data():
    with pytest.raises(ValueError, match="near_hz"):
        checks.mel_spacing(1.0, CENTRES, 9000.0, SR, FFT)


# ---- 09: mel inversion ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mel_case():
    import librosa

    rng = np.random.default_rng(0)
    t = np.arange(8000) / 8000
    y = (np.sin(2 * np.pi * 440 * t) + 0.3 * rng.standard_normal(t.size)).astype(np.float32)
    power = spectral.power(spectral.stft(y, 256, 128, center=True)).numpy()
    bank = spectral.mel_filterbank(8000, 256, n_mels=20).numpy()
    mel = power @ bank
    rebuilt = librosa.feature.inverse.mel_to_stft(M=mel.T, sr=8000, n_fft=256, power=2.0).T
    return power, mel, bank, rebuilt


def test_mel_inversion_accepts(mel_case, capsys):
    power, mel, bank, rebuilt = mel_case
    for answer in (rebuilt, rebuilt.astype(np.float32), __import__("tensorflow").constant(rebuilt)):
        assert checks.mel_inversion(answer, power, mel, bank)


@pytest.mark.parametrize(
    "mistake, hint",
    [
        (lambda p, m, b, r: r.T, "transpose"),
        (lambda p, m, b, r: r**2, "power spectrogram"),
        (lambda p, m, b, r: np.sqrt(p), "original magnitude itself"),
        (lambda p, m, b, r: m @ np.linalg.pinv(b), "never negative"),
        (lambda p, m, b, r: r[:-1], "shape"),
        (lambda p, m, b, r: "rebuilt", "array"),
        (lambda p, m, b, r: np.zeros_like(r), "More help"),
    ],
)
def test_mel_inversion_rejects(mel_case, mistake, hint, capsys):
    power, mel, bank, rebuilt = mel_case
    assert_rejected(capsys, checks.mel_inversion(mistake(power, mel, bank, rebuilt), power, mel, bank), hint)


def test_mel_inversion_placeholder(mel_case, capsys):
    power, mel, bank, _ = mel_case
    assert_placeholder(capsys, checks.mel_inversion(None, power, mel, bank), "power=2.0).T")


# ---- 10: frequency mask ---------------------------------------------------------------------------------
def mask_tf(S, start, width):
    import tensorflow as tf

    bands = tf.range(tf.shape(S)[-1])
    return tf.where((bands >= start) & (bands < start + width), tf.zeros_like(S), S)


def mask_numpy(S, start, width):
    out = np.array(S, copy=True)
    out[:, start : start + width] = 0
    return out


@pytest.mark.parametrize(
    "function", [mask_tf, mask_numpy, lambda S, s, w: np.where((np.arange(S.shape[1]) - s) % 99 < w, 0.0, S)]
)
def test_freq_mask_accepts(function, capsys):
    assert checks.freq_mask_function(function)


def shifted(delta):
    return lambda S, s, w: mask_numpy(S, s, max(w + delta, 0))


@pytest.mark.parametrize(
    "function, hint",
    [
        (lambda S, s, w: np.vstack([S[:s], np.zeros_like(S[s : s + w]), S[s + w :]]), "masks frames"),
        (shifted(+1), "one band too many"),
        (shifted(-1), "one band too few"),
        (lambda S, s, w: mask_numpy(S, s, S.shape[1]) if w else S, "runs to the last band"),
        (lambda S, s, w: np.where((np.arange(S.shape[1]) >= s) & (np.arange(S.shape[1]) < s + w), S.mean(), S), "fill"),
        (lambda S, s, w: (np.arange(S.shape[1]) >= s) & (np.arange(S.shape[1]) < s + w), "shape of S"),
        ("mask", "a function"),
    ],
)
def test_freq_mask_rejects(function, hint, capsys):
    assert_rejected(capsys, checks.freq_mask_function(function), hint)


def test_freq_mask_placeholder(capsys):
    assert_placeholder(capsys, checks.freq_mask_function(None), "tf.zeros_like")


# ---- 10 and 11: mean and range over seeds ---------------------------------------------------------------
PER_SEED = {"none": [0.9, 0.8, 0.85], "noise + shift": [0.7, 0.75, 0.6]}
RIGHT = {k: (float(np.mean(v)), float(np.max(v) - np.min(v))) for k, v in PER_SEED.items()}


@pytest.mark.parametrize(
    "answer",
    [
        RIGHT,
        {k: list(v) for k, v in RIGHT.items()},
        {k: np.array(v, dtype=np.float32) for k, v in RIGHT.items()},
        {k: (round(m, 4), round(s, 4)) for k, (m, s) in RIGHT.items()},
    ],
)
def test_recipe_spread_accepts(answer, capsys):
    assert checks.recipe_spread(answer, PER_SEED)


@pytest.mark.parametrize(
    "answer, hint",
    [
        ({k: (s, m) for k, (m, s) in RIGHT.items()}, "swapped"),
        ({k: (100 * m, 100 * s) for k, (m, s) in RIGHT.items()}, "percentages"),
        ({k: (float(np.mean(v)), float(np.std(v))) for k, v in PER_SEED.items()}, "standard deviation"),
        ({k: (float(np.mean(v)), float(np.max(v))) for k, v in PER_SEED.items()}, "a difference"),
        ({k: (float(np.median(v)), float(np.ptp(v))) for k, v in PER_SEED.items()}, "median"),
        ({k: (v[0], float(np.ptp(v))) for k, v in PER_SEED.items()}, "one seed"),
        ({"none": RIGHT["none"]}, "as keys"),
        ([RIGHT["none"], RIGHT["noise + shift"]], "a dict"),
        ({k: m for k, (m, s) in RIGHT.items()}, "two numbers"),
    ],
)
def test_recipe_spread_rejects(answer, hint, capsys):
    assert_rejected(capsys, checks.recipe_spread(answer, PER_SEED), hint)


def test_recipe_spread_placeholder(capsys):
    assert_placeholder(capsys, checks.recipe_spread(None, PER_SEED), "0.850")


SCORES = [0.069, 0.071, 0.074]
M, R = float(np.mean(SCORES)), max(SCORES) - min(SCORES)


@pytest.mark.parametrize("answer", [(M, R), [M, R], np.array([M, R]), (np.float32(M), np.float32(R))])
def test_mean_and_range_accepts(answer, capsys):
    assert checks.mean_and_range(answer, SCORES)


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((R, M), "swapped"),
        ((100 * M, 100 * R), "percentages"),
        ((M, float(np.std(SCORES))), "standard deviation"),
        ((M, max(SCORES)), "a difference"),
        ((float(np.median(SCORES)), R), "median"),
        ((SCORES[0], R), "one seed"),
        (M, "two numbers"),
    ],
)
def test_mean_and_range_rejects(answer, hint, capsys):
    assert_rejected(capsys, checks.mean_and_range(answer, SCORES), hint)


# ---- 11: spectral convergence ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "function",
    [
        lambda t, r: np.linalg.norm(t - np.abs(r)) / np.linalg.norm(t),
        lambda t, r: np.sqrt(np.sum((t - np.abs(r)) ** 2) / np.sum(t**2)),
        lambda t, r: float(__import__("helpers").phase.spectral_convergence(t, r)),
    ],
)
def test_sc_function_accepts(function, capsys):
    assert checks.sc_function(function)


@pytest.mark.parametrize(
    "function, hint",
    [
        (lambda t, r: np.linalg.norm(t - r) / np.linalg.norm(t), "complex STFT"),
        (lambda t, r: (np.linalg.norm(t - np.abs(r)) / np.linalg.norm(t)) ** 2, "squared"),
        (lambda t, r: np.linalg.norm(t - np.abs(r)) / np.linalg.norm(np.abs(r)), "not of the rebuilt"),
        (lambda t, r: np.linalg.norm(t - np.abs(r)), "relative"),
        (lambda t, r: np.linalg.norm(t**2 - np.abs(r) ** 2) / np.linalg.norm(t**2), "power"),
        (lambda t, r: np.abs(t - np.abs(r)), "one number"),
        (3.0, "a function"),
    ],
)
def test_sc_function_rejects(function, hint, capsys):
    assert_rejected(capsys, checks.sc_function(function), hint)


def test_sc_function_placeholder(capsys):
    assert_placeholder(capsys, checks.sc_function(None), "np.abs(rebuilt)")


# ---- 12: TFLite agreement and a pipeline in series ------------------------------------------------------
KERAS = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
LITE = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 0])
TRUTH = np.array([0, 1, 2, 3, 0, 0, 6, 7, 8, 9])


@pytest.mark.parametrize("answer", [0.9, np.float64(0.9), np.mean(LITE == KERAS), 0.9000001])
def test_tflite_agreement_accepts(answer, capsys):
    assert checks.tflite_agreement(answer, KERAS, LITE, TRUTH)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (9, "a count"),
        (90.0, "percentage"),
        (0.1, "disagree"),
        (0.7, "true labels"),
        (0.8, "true labels"),
        ("0.9", "one number"),
        (0.5, "More help"),
    ],
)
def test_tflite_agreement_rejects(answer, hint, capsys):
    assert_rejected(capsys, checks.tflite_agreement(answer, KERAS, LITE, TRUTH), hint)


@pytest.mark.parametrize("answer", [400.0, 401.0, np.float32(400.0), 2000 * 500 / 2500])
def test_series_rate_accepts(answer, capsys):
    assert checks.series_rate(answer, 2000.0, 500.0)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (500.0, "perfect overlap"),
        (2500.0, "do not add"),
        (1250.0, "average"),
        (1 / 2000 + 1 / 500, "time per clip"),
        (1e6, "A × B"),
        ("400", "one number"),
    ],
)
def test_series_rate_rejects(answer, hint, capsys):
    assert_rejected(capsys, checks.series_rate(answer, 2000.0, 500.0), hint)


def test_series_rate_placeholder(capsys):
    assert_placeholder(capsys, checks.series_rate(None, 2000.0, 500.0), "400")


# ---- 09: HTK against Slaney band centres ----------------------------------------------------------------
HTK = np.asarray(__import__("librosa").mel_frequencies(n_mels=42, fmin=0.0, fmax=8000.0, htk=True)[1:-1])
SLANEY = np.asarray(__import__("librosa").mel_frequencies(n_mels=42, fmin=0.0, fmax=8000.0)[1:-1])
GAP = float(np.max(np.abs(HTK - SLANEY)))


@pytest.mark.parametrize("answer", [GAP, np.float32(GAP), round(GAP), float(np.max(np.abs(SLANEY - HTK)))])
def test_scale_gap_accepts(answer, capsys):
    assert checks.scale_gap(answer, HTK, SLANEY)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (float(np.min(HTK - SLANEY)), "negative"),
        (float(np.mean(np.abs(HTK - SLANEY))), "average"),
        (float(np.max(np.abs(HTK - SLANEY) / SLANEY)), "relative"),
        (int(np.argmax(np.abs(HTK - SLANEY))), "band's number"),
        ("262", "one number"),
        (1000.0, "More help"),
    ],
)
def test_scale_gap_rejects(answer, hint, capsys):
    assert_rejected(capsys, checks.scale_gap(answer, HTK, SLANEY), hint)


def test_scale_gap_placeholder(capsys):
    assert_placeholder(capsys, checks.scale_gap(None, HTK, SLANEY), f"{GAP:.0f}")


# ---- every checker: garbage never raises and is never praised -------------------------------------------
GARBAGE = [
    "abc",
    b"raw",
    float("nan"),
    float("inf"),
    -1,
    0,
    10**30,
    np.zeros((3, 3, 3)),
    np.array([np.nan]),
    [],
    {},
    object(),
    (1, 2, 3, 4, 5),
    [None, None],
    1 + 2j,
    lambda *a, **k: 1 / 0,
    lambda *a, **k: "text",
    lambda *a, **k: None,
    lambda *a, **k: 1.0,
    print,
    Ellipsis,
    np.ones(10**5),
]


def calls(mel_case):
    power, mel, bank, _ = mel_case
    return {
        "bars_in_clip": checks.bars_in_clip,
        "mel_spacing": lambda a: checks.mel_spacing(a, CENTRES, NEAR, SR, FFT),
        "scale_gap": lambda a: checks.scale_gap(a, HTK, SLANEY),
        "mel_inversion": lambda a: checks.mel_inversion(a, power, mel, bank),
        "freq_mask_function": checks.freq_mask_function,
        "recipe_spread": lambda a: checks.recipe_spread(a, PER_SEED),
        "mean_and_range": lambda a: checks.mean_and_range(a, SCORES),
        "sc_function": checks.sc_function,
        "tflite_agreement": lambda a: checks.tflite_agreement(a, KERAS, LITE, TRUTH),
        "series_rate": lambda a: checks.series_rate(a, 2000.0, 500.0),
    }


@pytest.mark.parametrize(
    "name",
    [
        "bars_in_clip",
        "mel_spacing",
        "scale_gap",
        "mel_inversion",
        "freq_mask_function",
        "recipe_spread",
        "mean_and_range",
        "sc_function",
        "tflite_agreement",
        "series_rate",
    ],
)
def test_garbage_is_never_praised_and_never_raises(mel_case, name, capsys):
    check = calls(mel_case)[name]
    for answer in GARBAGE:
        feedback = check(answer)
        lines = capsys.readouterr().out.splitlines()
        assert not feedback and len(lines) == 1 and lines[0].startswith("✗ Not yet: "), (answer, lines)
