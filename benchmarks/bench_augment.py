"""What does each augmentation cost? TensorFlow ops against the librosa ones (tf.numpy_function).

Times every op of helpers.augment on a batch of 32 one-second clips at 8 kHz (median of 15 runs,
interleaved in a shuffled order so machine noise hits all alike), then the throughput of a tf.data
pipeline with the TensorFlow ops and with pitch shift added, sequential and with parallel map.
Run: .venv/bin/python benchmarks/bench_augment.py
"""

import random
import statistics
import time

import numpy as np
import tensorflow as tf

import helpers  # noqa: F401  (imports TensorFlow quietly)
from helpers import augment

SR, BATCH, REPEATS = 8000, 32, 15
rng = np.random.default_rng(0)
clips = (0.1 * rng.standard_normal((BATCH, SR))).astype(np.float32)
log_mel = rng.standard_normal((BATCH, 61, 40)).astype(np.float32)

OPS = {
    "add_noise": lambda: augment.add_noise(clips, 10.0, (0, 0)),
    "time_shift": lambda: augment.time_shift(clips, 2000, (0, 0), min_shift=0),
    "random_gain": lambda: augment.random_gain(clips, -6.0, 6.0, (0, 0)),
    "spec_augment": lambda: augment.spec_augment(log_mel, 6, 8, 2, (0, 0)),
    "pitch_shift (librosa)": lambda: augment.pitch_shift(clips, SR, 2.0),
    "time_stretch (librosa)": lambda: augment.time_stretch(clips, 1.1),
}


def per_clip_ms():
    times = {name: [] for name in OPS}
    for name in OPS:
        OPS[name]()  # warm up
    for _ in range(REPEATS):
        for name in random.sample(list(OPS), len(OPS)):
            start = time.perf_counter()
            OPS[name]()
            times[name].append((time.perf_counter() - start) / BATCH * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def pipeline(with_pitch: bool, parallel: bool) -> tf.data.Dataset:
    def fn(y, seed):
        a, b = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
        y = augment.add_noise(augment.time_shift(y, 2000, a, min_shift=0), 20.0, b)
        return augment.pitch_shift(y, SR, 2.0) if with_pitch else y

    ds = augment.with_seeds(tf.data.Dataset.from_tensor_slices(np.tile(clips, (8, 1))), 0)
    return ds.map(fn, num_parallel_calls=tf.data.AUTOTUNE if parallel else None).batch(BATCH)


def clips_per_second(ds) -> float:
    for _ in ds:
        pass
    start = time.perf_counter()
    n = sum(int(x.shape[0]) for x in ds)
    return n / (time.perf_counter() - start)


def main():
    print(f"{'op (batch of 32, 1 s at 8 kHz)':<32} {'ms per clip':>11}")
    for name, ms in per_clip_ms().items():
        print(f"{name:<32} {ms:11.3f}")
    print(f"\n{'tf.data pipeline (256 clips)':<32} {'sequential':>11} {'parallel':>9}  (clips/s)")
    for with_pitch in (False, True):
        label = "noise + shift" + (" + pitch_shift" if with_pitch else "")
        rates = [clips_per_second(pipeline(with_pitch, parallel)) for parallel in (False, True)]
        print(f"{label:<32} {rates[0]:11.0f} {rates[1]:9.0f}")


if __name__ == "__main__":
    main()
