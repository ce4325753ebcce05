"""Train the course's spectrogram CNN on a folder of recordings: ``python -m helpers.train DATA_DIR --out MODEL``.

DATA_DIR holds one sub-folder per class (``DATA_DIR/dog/*.wav``, ``DATA_DIR/rain/*.wav``) or
FSDD-named files (``7_jackson_32.wav``). Clips are read at ``--sr`` (default: the files' own
rate, at most 16 kHz), cut or padded to ``--seconds``. Validation holds out whole groups
(speakers, when the names carry them; ``--group-by``) or a folder of its own (``--val-dir``),
so its accuracy predicts new voices, and stops training early. Then a new model is trained on
every clip, the validation ones too, for as many epochs (``--no-refit`` skips this), and saved.
Broken and too-short files are reported by name and skipped. ``--augment`` adds random delays
(``shift``), noise at 10-30 dB SNR (``noise``), SpecAugment masks (``specaugment``) and
pitch-shifted copies (``pitch``, two semitones down and up), all from ``helpers.augment``. The model
(``.keras``, with its class names inside) takes raw waveforms; training curves and a
confusion matrix are saved beside it. Check it with ``python -m helpers.evaluate MODEL DATA_DIR``.

The arguments are parsed before TensorFlow is imported, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse

from helpers.cli_common import fraction, non_negative_int, positive_float, positive_int, run_reporting_errors, seconds

AUGMENTATIONS = ("noise", "shift", "specaugment", "pitch")


def parser() -> argparse.ArgumentParser:
    """The command line's parser (no TensorFlow needed).

    Used by ``python -m helpers.train``.
    """
    p = argparse.ArgumentParser(
        prog="python -m helpers.train",
        description="Train the course's spectrogram CNN (or a GRU/LSTM) on a folder of recordings and save it\n"
        "as a .keras model that takes raw waveforms and knows its class names.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  python -m helpers.train my_recordings --out my_model.keras\n"
        "  python -m helpers.evaluate my_model.keras my_test_recordings\n"
        "  # ESC-50 files are named {fold}-{clip}-{take}-{class}: validate on whole folds\n"
        "  python -m helpers.train esc50_by_class --out esc50.keras --seconds 5 --group-by '^(\\d)-'",
    )
    p.add_argument("data_dir", metavar="DATA_DIR", help="folder of class sub-folders or FSDD-named files")
    p.add_argument(
        "--out",
        required=True,
        metavar="MODEL",
        help="where to save the model (.keras); MODEL.curves.png and MODEL.confusion.png are written beside it",
    )
    add_training_options(p)
    add_data_options(p)
    return p


def add_training_options(p: argparse.ArgumentParser) -> None:
    """The model and how it learns: ``--model``, ``--epochs``, ``--patience``, ``--batch-size`` … ``--augment``.

    Used by ``python -m helpers.train``.
    """
    p.add_argument("--model", choices=("cnn", "gru", "lstm"), default="cnn", help="architecture (default cnn)")
    p.add_argument(
        "--epochs",
        type=positive_int,
        default=20,
        help="most epochs to train; the learning rate falls to 0 along a cosine over them (default 20)",
    )
    p.add_argument(
        "--patience",
        type=positive_int,
        default=10,
        help="stop when the validation accuracy has not improved for this many epochs (default 10: "
        "the accuracy on held-out speakers jumps from epoch to epoch)",
    )
    p.add_argument("--batch-size", type=positive_int, default=32, help="clips per training step (default 32)")
    p.add_argument("--learning-rate", type=positive_float, default=3e-3, help="Adam's first step size (default 0.003)")
    p.add_argument(
        "--label-smoothing",
        type=fraction,
        default=0.1,
        metavar="S",
        help="train towards targets softened by S: the right class 1-S+S/K, each of the K classes "
        "at least S/K, so the model is less sure of itself (default 0.1; 0 for plain cross-entropy)",
    )
    p.add_argument(
        "--no-refit",
        dest="refit",
        action="store_false",
        help="save the validation run's model; by default a new model is then trained on every clip "
        "(validation ones too) for as many epochs as the validation run ran",
    )
    p.add_argument(
        "--augment",
        type=augmentations,
        default=(),
        metavar="LIST",
        help=f"comma-separated, any of {','.join(AUGMENTATIONS)} (default none)",
    )


def add_data_options(p: argparse.ArgumentParser) -> None:
    """What is read and held out, and what is written: ``--sr``, ``--seconds``, ``--group-by`` … ``--seed``.

    Used by ``python -m helpers.train``.
    """
    p.add_argument(
        "--sr", type=positive_int, default=None, help="sample rate in Hz (default: the files', at most 16000)"
    )
    p.add_argument("--seconds", type=seconds, default=1.0, help="clip length in seconds (default 1.0)")
    p.add_argument(
        "--group-by",
        default="auto",
        metavar="HOW",
        help="what validation holds out whole: 'speaker' (FSDD names), 'folder:N' (the N-th folder "
        "level below DATA_DIR), a regular expression on the file name (its first group), or "
        "'none' (15%% of each class at random); default 'auto': speakers when the names carry them",
    )
    p.add_argument(
        "--val-dir",
        metavar="DIR",
        default=None,
        help="validate on this folder (same layout) instead of holding out part of DATA_DIR",
    )
    p.add_argument(
        "--export",
        metavar="DIR",
        default=None,
        help="also write a TensorFlow SavedModel to this new folder (loads without helpers)",
    )
    p.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default 0)")


def augmentations(text: str) -> tuple[str, ...]:
    """argparse type: ``"noise,shift"`` → ``("noise", "shift")``; unknown names refused, listing the choices.

    Used by ``python -m helpers.train``.
    """
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in AUGMENTATIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{text!r}: choose from {', '.join(AUGMENTATIONS)}, comma-separated, e.g. --augment noise,shift"
        )
    return names


def main(argv=None) -> None:
    """Entry point: errors become argparse messages on stderr and exit status 2, never a traceback.

    Used by ``python -m helpers.train``.
    """
    p = parser()
    args = p.parse_args(argv)
    from helpers import cli_train  # TensorFlow only now, after --help and bad options have answered

    run_reporting_errors(cli_train.run, p, args)


if __name__ == "__main__":
    main()
