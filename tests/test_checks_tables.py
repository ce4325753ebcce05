"""Table tests of every checker of notebooks 01-12: right variants accepted, plausible wrong answers
rejected each with its own specific hint, the placeholder given a nudge that never holds the answer.

Each TABLE row: checker name -> (answer -> Feedback, right variants, [(wrong answer, words its hint must hold)]).
"""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import scipy.signal
import tensorflow as tf

from helpers import audio, checks

# ---- the data the notebooks pass ---------------------------------------------------------------
MUSIC, SR_MUSIC = librosa.load(audio.sample("music"), sr=None)  # 01's clip: 22050 Hz
MUSIC_16K = librosa.resample(MUSIC, orig_sr=SR_MUSIC, target_sr=16000)
_POS = np.arange(len(MUSIC_16K)) * SR_MUSIC / 16000
SR_48K = 48000  # an integer ratio, with 11 kHz content
TONES = np.sin(2 * np.pi * 440 * np.arange(SR_48K) / SR_48K) + 0.3 * np.sin(
    2 * np.pi * 11000 * np.arange(SR_48K) / SR_48K
)
Y = np.zeros(73984, np.float32)  # 01/02's speech clip length at 16 kHz
STEREO = np.stack([np.linspace(-1, 1, 50), np.linspace(1, -1, 50) * 0.5])
S_SPEC = np.arange(12.0).reshape(4, 3)  # 4 frames, 3 bins
S_MAG = np.array([[2.0, 0.2, 2e-4], [0.02, 0.0, 1e-3]])
S_DB = 20 * np.log10(np.maximum(S_MAG, 1e-5 * 2.0) / 2.0)
_RNG = np.random.default_rng(1)
TRAIN, TEST = _RNG.normal(-40, 10, (4, 5, 6)), _RNG.normal(-20, 5, (2, 5, 6))
EVERYTHING = np.concatenate([TRAIN.ravel(), TEST.ravel()])
CHANGE = np.zeros((5, 13))
CHANGE[:, 0] = np.sqrt(40) * -20.0
CLIP, NOISE = 0.05 * np.random.default_rng(0).standard_normal(4000), np.random.default_rng(0).standard_normal(4000)
P_S, P_N = np.mean(CLIP**2), np.mean(NOISE**2)
K = np.sqrt(P_S / (P_N * 10**0.5))
SLOW, FAST = [0.5, 0.4, 0.3, 0.19, 0.1], [0.3, 0.15]


def _broken(*args):
    raise KeyError("oops")


def _snr(signal, noise):
    return 10 * np.log10(np.mean(signal**2) / np.mean(noise**2))


def _colorbar(label):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    bar = fig.colorbar(ax.imshow(np.zeros((2, 2))), ax=ax, label=label)
    plt.close(fig)
    return bar


TABLE = {
    "duration": (
        lambda a: checks.duration(a, Y, 16000),
        [4.624, np.float32(4.624), tf.constant(4.624), np.array(4.624), 73984 / 16000, np.float64(4.624)],
        [
            (73984, "number of samples"),
            (16000 / 73984, "upside down"),
            (4624.0, "milliseconds"),
            (4.624 / 60, "minutes"),
            (4, "integer division"),
            (4.62, "rounded"),
            (4.6, "rounded"),
            (5.0, "rounded"),
            (73984 / 22050, "22050"),
            ("4.624 s", "one number"),
            (np.array([4.624]), "one number"),
        ],
    ),
    "resampled": (
        lambda a: checks.resampled(a, MUSIC, SR_MUSIC, target_sr=16000),
        [
            MUSIC_16K,
            tf.constant(MUSIC_16K),
            MUSIC_16K.astype(np.float64),
            list(MUSIC_16K),
            librosa.resample(MUSIC, orig_sr=SR_MUSIC, target_sr=16000, res_type="soxr_lq"),
            librosa.resample(MUSIC, orig_sr=SR_MUSIC, target_sr=16000, res_type="polyphase"),
            scipy.signal.resample_poly(MUSIC, 320, 441),
            scipy.signal.resample(MUSIC, len(MUSIC_16K)),
            librosa.load(audio.sample("music"), sr=16000)[0],
        ],
        [
            (len(MUSIC_16K), "pass the resampled array itself"),
            ((MUSIC_16K, 16000), "(signal, rate) pair"),
            (np.stack([MUSIC_16K, MUSIC_16K]), "1-D array"),
            (np.zeros(len(MUSIC_16K)), "all zeros"),
            (MUSIC, "not resampled"),
            (librosa.resample(MUSIC, orig_sr=16000, target_sr=SR_MUSIC), "swapped"),
            (MUSIC[::2], "11025 Hz"),
            (librosa.resample(MUSIC, orig_sr=SR_MUSIC, target_sr=8000), "8000 Hz"),
            (MUSIC[: len(MUSIC_16K)], "cut, not resampled"),
            (np.interp(_POS, np.arange(len(MUSIC)), MUSIC), "without a low-pass filter"),
            (MUSIC[np.minimum(np.round(_POS).astype(int), len(MUSIC) - 1)], "aliasing"),
            (MUSIC_16K / np.abs(MUSIC_16K).max(), "do not normalise"),
            (0.5 * MUSIC_16K, "different level"),
            (np.full(len(MUSIC_16K), np.nan), "NaN"),
        ],
    ),
    "resampled_48k": (
        lambda a: checks.resampled(a, TONES, SR_48K, target_sr=16000),
        [
            librosa.resample(TONES, orig_sr=SR_48K, target_sr=16000),
            scipy.signal.resample_poly(TONES, 1, 3),
            scipy.signal.decimate(TONES, 3),
        ],
        [
            (TONES[::3], "aliasing"),
            (TONES[::2], "24000 Hz"),
            (TONES[:16000], "cut"),
            (TONES, "not resampled"),
            (np.zeros(16000), "all zeros"),
        ],
    ),
    "mono_mix": (
        lambda a: checks.mono_mix(a, STEREO),
        [
            STEREO.mean(axis=0),
            tf.constant(STEREO.mean(axis=0)),
            librosa.to_mono(STEREO.astype(np.float32)),
            (STEREO[0] + STEREO[1]) / 2,
            list(STEREO.mean(axis=0)),
        ],
        [
            (STEREO, "axis=0"),
            (STEREO.T, "transpose"),
            (STEREO.mean(axis=1), "over time"),
            (STEREO.sum(axis=0), "added the channels"),
            (STEREO[1], "one channel"),
            (STEREO.mean(), "one number"),
            (STEREO.max(axis=0), "loudest channel"),
            (STEREO[0] + STEREO[1] / 2, "binds tighter"),
        ],
    ),
    "frame_step": (
        lambda a: checks.frame_step(a, sr=16000, step_seconds=0.010),
        [160, np.int64(160), np.int32(160), int(round(0.010 * 16000)), 16000 // 100, tf.constant(160)],
        [
            (0.01, "in seconds"),
            (10, "milliseconds"),
            (160.0, "integer"),
            (1_600_000, "sr / seconds"),
            (441, "another sample rate"),
            (256, "usual hop"),
            (0.16, "divided by 1000"),
            ("160", "whole number"),
        ],
    ),
    "frame_step_22k": (
        lambda a: checks.frame_step(a, sr=22050, step_seconds=0.0125),
        [276, np.int64(276)],
        [
            (275, "int() cuts off"),
            (275.625, "integer"),
            (12.5, "milliseconds"),
        ],
    ),
    "bin_spacing": (
        lambda a: checks.bin_spacing(a, sr=22050, fft_length=2048),
        [22050 / 2048, np.float32(22050 / 2048), tf.constant(22050 / 2048), 10.7666, np.float64(10.766602)],
        [
            (2048 / 22050, "upside down"),
            (10, "integer division"),
            (10.77, "rounded"),
            (10.8, "rounded"),
            (11025 / 2048, "Nyquist"),
            (22050 / 1025, "number of bins"),
            (1000 * 2048 / 22050, "duration in ms"),
            (1025, "not the spacing"),
            ([10.77], "one number"),
        ],
    ),
    "n_frames": (
        lambda a: checks.n_frames(a, n_samples=16000, frame_length=1024, frame_step=256),
        [59, np.int64(59), 59.0, tf.constant(59), np.floor(1 + (16000 - 1024) / 256)],
        [
            (58, "one short"),
            (62, "divides the signal by the hop"),
            (63, "center=True"),
            (60, "rounds up"),
            (1 + (16000 - 1024) / 256, "integer division //"),
            (15, "side by side"),
            ("59", "whole number"),
        ],
    ),
    "resolving_frame_length": (
        lambda a: checks.resolving_frame_length(a),
        [1024, np.int64(1024), 2**10],
        [
            (512, "too short"),
            (256, "too short"),
            (4096, "not the smallest"),
            (2048, "not the smallest"),
            (1000, "power of two"),
            (1024.0, "must be an int"),
            (0.064, "seconds"),
            ("1024", "power of two"),
        ],
    ),
    "min_max": (
        lambda a: checks.min_max(a),
        [
            lambda S: (S - S.min()) / (S.max() - S.min() + 1e-8),
            lambda S: tf.constant((S - S.min()) / (np.ptp(S) + 1e-8)),
            lambda S, eps=1e-8: (S - np.min(S)) / (np.max(S) - np.min(S) + eps),
            lambda S: (S - S.min()) / (S.max() - S.min() + 1e-10),
        ],
        [
            ("not a function", "should be a function"),
            (lambda S: None, "returns None"),
            (lambda S: S.max(axis=0), "same shape"),
            (lambda S: (S - S.min()) / (S.max() - S.min()), "eps"),
            (lambda S: (S - S.min(axis=0)) / (S.max(axis=0) - S.min(axis=0) + 1e-8), "scaled on its own"),
            (
                lambda S: (S - S.min(axis=1, keepdims=True)) / (np.ptp(S, axis=1, keepdims=True) + 1e-8),
                "scaled on its own",
            ),
            (lambda S: (S - S.mean()) / (S.std() + 1e-8), "standardisation"),
            (lambda S: S / (S.max() + 1e-8), "subtract the minimum"),
            (lambda S: (S - S.min()) / S.max(), "range"),
            (lambda S: S / 10, "smallest value"),
            (lambda S: (S - S.min()) / (2 * (S.max() - S.min()) + 1e-8), "largest"),
        ],
    ),
    "train_statistics": (
        lambda a: checks.train_statistics(a, TRAIN, TEST),
        [
            (TRAIN.mean(), TRAIN.std()),
            [TRAIN.mean(), TRAIN.std()],
            np.array([TRAIN.mean(), TRAIN.std()]),
            (np.float32(TRAIN.mean()), np.float32(TRAIN.std())),
            (tf.constant(TRAIN.mean()), tf.constant(TRAIN.std())),
            (TRAIN.mean(), TRAIN.std(ddof=1)),
        ],
        [
            ((1.0, 2.0, 3.0), "two numbers"),
            (TRAIN.mean(), "not one"),
            ((EVERYTHING.mean(), EVERYTHING.std()), "leaks"),
            ((TEST.mean(), TEST.std()), "test clips' statistics"),
            ((TRAIN.std(), TRAIN.mean()), "swapped"),
            ((TRAIN.mean(), TRAIN.var()), "variance"),
            ((TRAIN.mean(), TRAIN.std(axis=(1, 2)).mean()), "each clip's own std"),
            ((TRAIN.mean(), 1.0), "std is not"),
        ],
    ),
    "to_db": (
        lambda a: checks.to_db(a, S_MAG),
        [
            S_DB,
            tf.constant(S_DB),
            S_DB.astype(np.float32),
            librosa.amplitude_to_db(S_MAG, ref=np.max, top_db=None),
            librosa.power_to_db(S_MAG**2, ref=np.max, top_db=None),
            20 * np.log10(np.maximum(S_MAG, 1e-5) / S_MAG.max()),
        ],
        [  # the notebook's absolute floor
            (S_DB / 2, "20·log10"),
            (2 * S_DB, "twice"),
            (S_DB * np.log(10), "natural logarithm"),
            (S_DB + 20 * np.log10(2.0), "0 dB"),
            (S_DB[0], "same shape"),
            (S_DB.T, "same shape"),
            (np.where(S_MAG > 0, S_DB, -np.inf), "-inf"),
            (np.maximum(S_DB, -60), "top_db"),
            (librosa.amplitude_to_db(S_MAG, ref=np.max, top_db=40), "top_db"),
        ],
    ),
    "extent": (
        lambda a: checks.extent(a, n_frames=100, sr=16000, frame_step=160),
        [
            (0, 1.0, 0, 8000),
            [0, 1.0, 0, 8000],
            np.array([0, 1.0, 0, 8000]),
            (-0.005, 0.995, -7.8, 8007.8),
            (0, 100 * 160 / 16000, 0, 16000 / 2),
            tf.constant([0.0, 1.0, 0.0, 8000.0]),
        ],
        [
            ((0, 1.0, 0), "four numbers"),
            ((0, 100, 0, 8000), "frames to seconds"),
            ((0, 8000, 0, 1.0), "time comes first"),
            ((0, 1.0, 0, 16000), "Nyquist"),
            ((0, 1.0, 0, 8), "kHz"),
            ((0, 1000, 0, 8000), "milliseconds"),
            ((0, 3.0, 0, 8000), "n_frames × frame_step / sr"),
            ((0, 1.0, 8000, 0), "bottom must be"),
            ("0, 1, 0, 8000", "four numbers"),
        ],
    ),
    "orientation": (
        lambda p: checks.orientation(*(p if isinstance(p, tuple) and len(p) == 2 else (p, p)), S_SPEC),
        [
            (S_SPEC.T, "lower"),
            (np.transpose(S_SPEC), "lower"),
            (tf.transpose(S_SPEC), "lower"),
            (S_SPEC.T[::-1], "upper"),
            (S_SPEC.T.tolist(), "lower"),
        ],
        [
            ((S_SPEC.T, "bottom"), "'lower' or 'upper'"),
            ((S_SPEC.T, "Lower"), "lower case"),
            ((S_SPEC, "lower"), "Pass S.T"),
            ((S_SPEC, "upper"), "Pass S.T"),
            ((S_SPEC.T, "upper"), "origin='lower'"),
            ((S_SPEC.T[::-1], "lower"), "flipped"),
            ((S_SPEC.T[:, ::-1], "lower"), "backwards"),
        ],
    ),
    "colorbar_label": (
        lambda a: checks.colorbar_label(a),
        [
            "Magnitude (dB)",
            "Magnitude (decibels)",
            "Power (dB re max)",
            "Level [dB]",
            "Magnitude (dB re peak)",
            "Amplitude (dBFS)",
            "magnitude in dB",
            "Power spectral density (dB/Hz)",
            "Energy (decibel)",
            _colorbar("Level (dB)"),
        ],
        [
            ("Frequency (dB)", "frequency and time are on the axes"),
            ("Time (dB)", "frequency and time are on the axes"),
            ("asdf (dB)", "not a quantity"),
            ("Hz", "units of the axes"),
            ("Frequency (Hz)", "units of the axes"),
            ("Magnitude", "name the unit too"),
            ("(dB)", "unit alone"),
            ("dB", "unit alone"),
            ("dB re peak", "unit alone"),
            ("Spectrogram (dB)", "not a quantity"),
            ("Magnitude (linear)", "name the unit too"),
            ("Loudness (dB)", "perceive"),
            ("   ", "no label"),
            (_colorbar(None), "no label"),
            ("Intensity", "name the unit too"),
        ],
    ),
    "n_frames_of_clip": (
        lambda a: checks.n_frames_of_clip(a, 16000, 400, 256),
        [61, np.int64(61), 61.0, tf.constant(61), tf.signal.stft(tf.zeros(16000), 400, 256).shape[0]],
        [
            (61.5, "integer division"),
            (60, "one short"),
            (62, "padded"),
            (63, "padded"),
            (40, "side by side"),
            ("61", "whole number"),
        ],
    ),
    "snr_db": (
        lambda f: checks.snr_db(f),
        [
            _snr,
            lambda s, n: tf.constant(_snr(s, n)),
            lambda s, n: 20 * np.log10(np.sqrt(np.mean(s**2) / np.mean(n**2))),
            lambda s, n: 10 * np.log10(np.sum(s**2) / np.sum(n**2)),
            lambda s, n: 10 * np.log10(np.var(s) / np.var(n)),
        ],
        [
            (3.0, "should be a function"),
            (lambda s, n: 2 * _snr(s, n), "20 log10 is for amplitudes"),
            (lambda s, n: 10 * np.log10(np.std(s) / np.std(n)), "half the right value"),
            (lambda s, n: -_snr(s, n), "sign"),
            (lambda s, n: np.log(np.mean(s**2) / np.mean(n**2)), "natural logarithm"),
            (lambda s, n: np.mean(s**2) / np.mean(n**2), "power ratio itself"),
            (lambda s, n: 20 * np.log10(np.mean(np.abs(s)) / np.mean(np.abs(n))), "square first"),
            (lambda s, n: "17 dB", "one number"),
        ],
    ),
    "beat_seconds": (
        lambda f: checks.beat_seconds(f),
        [
            lambda bpm: 60 / bpm,
            lambda bpm: 1 / (bpm / 60),
            lambda bpm: np.float64(60) / bpm,
            lambda bpm: tf.constant(60.0) / bpm,
        ],
        [
            (0.5, "should be a function"),
            (lambda bpm: bpm / 60, "beats per second"),
            (lambda bpm: 0.5, "fixed number"),
            (lambda bpm: 60000 / bpm, "milliseconds"),
            (lambda bpm: 60 // bpm, "integer division"),
            (lambda bpm: 60 * bpm, "beats per hour"),
            (lambda bpm: None, "one number"),
            (lambda bpm: 240 / bpm, "a bar"),
        ],
    ),
    "c0_change": (
        lambda a: checks.c0_change(a, CHANGE, 40),
        [np.sqrt(40) * -20.0, -126.5, -126.3, np.float32(-126.49), tf.constant(-126.5)],
        [
            (-20.0, "not the mean"),
            (126.5, "wrong sign"),
            (-800.0, "not N"),
            (-20 / np.sqrt(40), "multiply"),
            (-63.2, "not -10 dB"),
            (0.0, "does change"),
            ("-126.5", "one number"),
        ],
    ),
    "noise_scale": (
        lambda a: checks.noise_scale(a, CLIP, NOISE),
        [K, np.float32(K), tf.constant(K), float(K)],
        [
            ("k", "one number"),
            (np.sqrt(P_S * 10**0.5 / P_N), "louder than the signal"),
            (np.sqrt(P_S / P_N) / 10**0.5, "square root"),
            (P_S / (P_N * 10**0.5), "square root"),
            (10 ** (-5 / 20), "ignores how loud"),
            (-K, "positive"),
            ([K], "one number"),
        ],
    ),
    "iterations": (
        lambda a: checks.iterations(a, SLOW, FAST),
        [4, np.int64(4), 4.0, tf.constant(4)],
        [
            (4.5, "whole number"),
            (3, "off by one"),
            (2, "momentum 0.99"),
            (5, "first score under it"),
            ("4", "whole number"),
            ([4], "whole number"),
        ],
    ),
    "cache_position": (
        lambda a: checks.cache_position(a, observed_same=True),
        [True, np.bool_(True)],
        [
            ("yes", "not a string"),
            ("True", "not a string"),
            (False, "np.array_equal"),
            (1, "True or False"),
            ([True], "True or False"),
            (np.bool_(False), "np.array_equal"),
        ],
    ),
    "cache_position_fresh": (
        lambda a: checks.cache_position(a, observed_same=False),
        [False, np.bool_(False)],
        [
            (True, "noise map runs again"),
            ("False", "not a string"),
            (0, "True or False"),
        ],
    ),
}
VARIANTS = {"resampled_48k": "resampled", "frame_step_22k": "frame_step", "cache_position_fresh": "cache_position"}
RIGHT = [(name, i) for name, (_, right, _) in TABLE.items() for i in range(len(right))]
WRONG = [(name, i) for name, (_, _, wrong) in TABLE.items() for i in range(len(wrong))]


@pytest.mark.parametrize("name, i", RIGHT, ids=[f"{n}-{i}" for n, i in RIGHT])
def test_right_variants_are_accepted(name, i):
    check, right, _ = TABLE[name]
    feedback = check(right[i])
    assert feedback and feedback.message.startswith("✓ Correct: "), feedback.message


@pytest.mark.parametrize("name, i", WRONG, ids=[f"{n}-{i}" for n, i in WRONG])
def test_wrong_answers_get_their_specific_hint(name, i):
    check, _, wrong = TABLE[name]
    answer, words = wrong[i]
    feedback = check(answer)
    assert not feedback and feedback.message.startswith("✗ Not yet: "), feedback.message
    assert words in feedback.message, feedback.message
    assert "hint(" not in feedback.message, feedback.message  # a specific hint, not the general fallback


@pytest.mark.parametrize("name", TABLE)
def test_every_checker_has_five_wrong_and_several_right_answers_tabled(name):
    _, right, wrong = TABLE[name]
    variant = name in VARIANTS  # a second data set for a checker tabled above
    assert len(wrong) >= (3 if variant else 5) and len(right) >= 2


def test_every_public_checker_is_tabled():
    """The checkers of the notebook-group modules tabled here (predictions and experiments have their own tables)."""
    import importlib

    tabled = {VARIANTS.get(name, name) for name in TABLE}
    not_checkers = {"tone_dip_db", "COLOUR_QUANTITIES"}
    ours = {
        name
        for module in ("loading", "stft", "normalization", "visualization", "ml", "next_steps")
        for name in importlib.import_module(f"helpers.checks.{module}").__all__
    } - not_checkers
    assert ours <= tabled, ours - tabled


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3])  # peak below, at and above the absolute floor's scale
@pytest.mark.parametrize("relative", [True, False])
def test_to_db_accepts_either_floor_and_praises_the_students_own_lowest_value(scale, relative):
    S = S_MAG * scale
    floor = 1e-5 * S.max() if relative else 1e-5
    answer = 20 * np.log10(np.maximum(S, floor) / S.max())
    feedback = checks.to_db(answer, S)
    assert feedback and f"your lowest value: {answer.min():.1f} dB" in feedback.message, feedback.message
