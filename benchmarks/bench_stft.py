"""How much does helpers.spectral.stft cost over the raw call? Target: <= 1.10x tf.signal.stft.

Times four STFTs of the same 30 s, 22.05 kHz clip in one run, interleaved in a shuffled order so
that machine noise hits all of them alike, and prints the median of each and its ratio to tf.signal.stft.
Run: .venv/bin/python benchmarks/bench_stft.py
"""

import statistics
import time

import librosa
import numpy as np
import tensorflow as tf

import helpers

SR, SECONDS, FRAME, HOP, REPEATS = 22050, 30, 1024, 256, 30


def numpy_stft(y):
    frames = np.lib.stride_tricks.sliding_window_view(y, FRAME)[::HOP]
    return np.fft.rfft(frames * np.hanning(FRAME + 1)[:-1].astype(np.float32), n=FRAME)


CANDIDATES = {
    "tf.signal.stft (raw)": lambda y: tf.signal.stft(y, frame_length=FRAME, frame_step=HOP, fft_length=FRAME),
    "helpers.spectral.stft": lambda y: helpers.spectral.stft(y, frame_length=FRAME, frame_step=HOP, fft_length=FRAME),
    "librosa.stft": lambda y: librosa.stft(y, n_fft=FRAME, hop_length=HOP, center=False),
    "NumPy rfft STFT": numpy_stft,
}


def clip():
    """30 s of the bundled music, looped (a real clip, not silence)."""
    y, sr = helpers.audio.load(helpers.audio.sample("music"), sr=SR)
    return np.resize(y, SR * SECONDS)


def main():
    y = clip()
    times = {name: [] for name in CANDIDATES}
    for fn in CANDIDATES.values():
        fn(y)  # warm up (tracing, FFT plans)
    order = list(CANDIDATES.items())
    rng = np.random.default_rng(0)
    for _ in range(REPEATS):
        rng.shuffle(order)  # no candidate always runs first (or right after another)
        for name, fn in order:
            start = time.perf_counter()
            fn(y)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["tf.signal.stft (raw)"])
    print(f"STFT of a {SECONDS} s clip at {SR} Hz, frame {FRAME}, hop {HOP}; median of {REPEATS} runs")
    for name, ts in times.items():
        print(f"  {name:<24} {statistics.median(ts) * 1000:7.1f} ms   {statistics.median(ts) / base:5.2f}x raw")
    ratio = statistics.median(times["helpers.spectral.stft"]) / base
    print(f"helper / raw = {ratio:.2f}x (target <= 1.10x): {'PASS' if ratio <= 1.10 else 'FAIL'}")


if __name__ == "__main__":
    main()
