"""Train the course's spectrogram CNN on a folder of recordings: ``python -m helpers.train DATA_DIR --out MODEL``.

DATA_DIR holds one sub-folder per class (``DATA_DIR/dog/*.wav``, ``DATA_DIR/rain/*.wav``) or
FSDD-named files (``7_jackson_32.wav``). Clips are read at ``--sr`` (default: the files' own
rate, at most 16 kHz), cut or padded to ``--seconds``; 15 % of each class is held out to stop
training early. Unreadable and too-short files are reported by name and skipped. The model
(``.keras``, with its class names inside) takes raw waveforms; check it with
``python -m helpers.evaluate MODEL DATA_DIR``.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import helpers  # noqa: F401  (quiet TensorFlow import)
import keras
import numpy as np
import soundfile
import tensorflow as tf

from helpers import datasets, models


def parse_args(argv=None) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """The command line's parser and the parsed arguments.

    Used by ``python -m helpers.train``.
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers.train",
        description="Train the course's spectrogram CNN (or a GRU/LSTM) on a folder of recordings and save it "
                    "as a .keras model that takes raw waveforms and knows its class names.",
        epilog="example: python -m helpers.train my_recordings --out my_model.keras; then "
               "python -m helpers.evaluate my_model.keras my_test_recordings")
    parser.add_argument("data_dir", metavar="DATA_DIR", help="folder of class sub-folders or FSDD-named files")
    parser.add_argument("--out", required=True, metavar="MODEL", help="where to save the model (.keras)")
    parser.add_argument("--model", choices=("cnn", "gru", "lstm"), default="cnn", help="architecture (default cnn)")
    parser.add_argument("--epochs", type=int, default=15, help="most epochs to train (default 15)")
    parser.add_argument("--sr", type=int, default=None, help="sample rate in Hz (default: the files', at most 16000)")
    parser.add_argument("--seconds", type=float, default=1.0, help="clip length in seconds (default 1.0)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    return parser, parser.parse_args(argv)


def frame_length_for(sr: int) -> int:
    """About 32 ms of samples, rounded to a power of two (256 at 8 kHz, 512 at 16 kHz).

    Used by ``python -m helpers.train``.
    """
    return 1 << int(round(np.log2(0.032 * sr)))


def usable_files(data_dir: str, sr: int | None, prog: str):
    """``(paths, labels, class_names, sr)`` of the usable files; problems reported on stderr.

    Used by ``python -m helpers.train``.
    """
    paths, labels, class_names = datasets.from_folder(data_dir)
    if sr is None:
        rates = collections.Counter(_rate(p) for p in paths)
        sr = min(16000, max(rates.most_common(1)[0][0] or 16000, 4000))
    good, problems = datasets.check_files(paths, min_seconds=frame_length_for(sr) / sr)
    for message in problems:
        print(f"{prog}: skipping {message}", file=sys.stderr)
    if not good:
        raise ValueError(f"none of the {len(paths)} audio files in DATA_DIR={data_dir!r} is usable (see above)")
    return [paths[i] for i in good], labels[good], class_names, sr


def _rate(path) -> int | None:
    try:
        return soundfile.info(str(path)).samplerate
    except (soundfile.LibsndfileError, RuntimeError):
        return None


def validation_split(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, val)``: about ``fraction`` of each class (at least one clip, if it has two) held out.

    Used by ``python -m helpers.train``.
    """
    rng = np.random.default_rng(seed)
    val = []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        val.extend(members[: max(1, round(fraction * len(members)))] if len(members) > 1 else [])
    is_val = np.isin(np.arange(len(labels)), val)
    return np.flatnonzero(~is_val), np.flatnonzero(is_val)


def run(args, prog: str) -> None:
    """Check the arguments and the files, train, save; ``ValueError`` for anything the user must fix.

    Used by ``python -m helpers.train``.
    """
    if not args.out.endswith(".keras"):
        raise ValueError(f"--out={args.out!r} must end in .keras, e.g. --out digits.keras")
    if args.epochs < 1 or args.seconds <= 0 or (args.sr is not None and args.sr < 1000):
        raise ValueError("--epochs must be >= 1, --seconds > 0 and --sr >= 1000 Hz")
    paths, labels, class_names, sr = usable_files(args.data_dir, args.sr, prog)
    present = [class_names[c] for c in np.unique(labels)]
    if len(present) < 2:
        raise ValueError(f"DATA_DIR={args.data_dir!r} has only one class ({present[0]!r}); a classifier "
                         "needs at least two: add one sub-folder of recordings per class")
    keras.utils.set_random_seed(args.seed)
    clip_samples, frame_length = int(round(args.seconds * sr)), frame_length_for(sr)
    if clip_samples < frame_length:
        raise ValueError(f"--seconds={args.seconds} is shorter than one frame ({frame_length / sr:.3f} s)")
    train_idx, val_idx = validation_split(labels, 0.15, args.seed)
    ds = lambda idx, shuffle: datasets.to_dataset([paths[i] for i in idx], labels[idx], sr, clip_samples,
                                                  shuffle=shuffle, seed=args.seed)
    build = models.cnn if args.model == "cnn" else lambda *a, **k: models.rnn(*a, cell=args.model, **k)
    model = build(class_names, sr, clip_samples, frame_length=frame_length, frame_step=frame_length // 2,
                  n_mels=40 if sr <= 8000 else 64)
    print(f"training a {args.model} on {len(train_idx)} clips ({len(val_idx)} held out for validation), "
          f"{len(class_names)} classes: {', '.join(class_names)}; {sr} Hz, {clip_samples / sr:.2f} s clips")
    history = models.train(model, ds(train_idx, True), ds(val_idx, False) if len(val_idx) else None,
                           epochs=args.epochs, verbose=2)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    val_acc = history.history.get("val_accuracy", [float("nan")])
    print(f"best validation accuracy: {max(val_acc):.3f}\nsaved the model to {args.out}")


def main(argv=None) -> None:
    """Entry point: errors become argparse messages on stderr and exit status 2, never a traceback.

    Used by ``python -m helpers.train``.
    """
    parser, args = parse_args(argv)
    run_reporting_errors(run, parser, args)


def run_reporting_errors(command, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Call ``command(args, parser.prog)``; what the user must fix becomes an argparse message (exit 2).

    Used by ``python -m helpers.train`` and ``python -m helpers.evaluate``.
    """
    try:
        command(args, parser.prog)
    except (FileNotFoundError, ValueError, OSError, tf.errors.OpError) as err:
        parser.error(str(err).splitlines()[0] if str(err) else type(err).__name__)


if __name__ == "__main__":
    main()
