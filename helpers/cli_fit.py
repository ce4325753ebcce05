"""How ``python -m helpers.train`` fits a model and reports it: a cosine-decayed learning rate, one
progress line per epoch, the line saying which epoch was kept and why training stopped, a warning
when validation is at chance, and the figures saved beside the model.

The trainer fits twice by default. The validation run trains on DATA_DIR without the held-out
groups, stopping early when the validation accuracy no longer improves; it gives the accuracy
to expect on new groups (new speakers). The refit then trains a fresh model on every clip, the
validation groups included, for as many epochs as the validation run ran, its learning rate
falling to 0 over them: one more speaker heard. ``benchmarks/bench_cli.py`` measures what this
buys, leaving one FSDD speaker out at a time.
Imported only after the command line has been parsed (it imports TensorFlow).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import keras
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers import models
from helpers.cli_common import replace_atomically


class Progress(keras.callbacks.Callback):
    """One line per epoch: losses, accuracies, elapsed time and an upper bound of the time left.

    ``label`` starts each line (``"epoch"``; ``"refit epoch"`` for the refit). Used by ``python -m helpers.train``.
    """

    def __init__(self, epochs: int, stream=None, label: str = "epoch"):
        super().__init__()
        self.epochs, self.stream, self.label, self.done = epochs, stream or sys.stdout, label, 0

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.done = epoch + 1
        elapsed = time.perf_counter() - self.start
        left = elapsed / (epoch + 1) * (self.epochs - epoch - 1)
        values = "  ".join(f"{k} {v:.3f}" for k, v in (logs or {}).items() if k != "learning_rate")
        print(
            f"{self.label} {epoch + 1:>{len(str(self.epochs))}}/{self.epochs}  {values}  "
            f"{elapsed:.0f} s elapsed, at most {left:.0f} s left",
            file=self.stream,
            flush=True,
        )


def cosine_rate(learning_rate: float, epochs: int, n_clips: int, batch_size: int):
    """Adam's step size falling from ``learning_rate`` to 0 along a half cosine over ``epochs`` epochs.

    Big steps first, small ones at the end, so the last epochs settle instead of jumping.
    Used by ``python -m helpers.train``.
    """
    steps = epochs * math.ceil(n_clips / batch_size)
    return keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=max(1, steps))


def fit(model, train_ds, val_ds, args, out, n_clips: int, epochs: int | None = None, label: str = "epoch"):
    """``models.train`` with the cosine rate and the progress lines; Ctrl-C becomes one line saying
    the epoch and that nothing was saved. The rate falls to 0 over ``epochs`` (default ``--epochs``).

    Used by ``python -m helpers.train``.
    """
    epochs = epochs or args.epochs
    progress = Progress(epochs, label=label)
    try:
        history = models.train(
            model,
            train_ds,
            val_ds,
            epochs=epochs,
            patience=args.patience if val_ds is not None else epochs,  # the refit runs every epoch
            learning_rate=cosine_rate(args.learning_rate, epochs, n_clips, args.batch_size),
            callbacks=[progress],
            monitor="val_accuracy",
            label_smoothing=args.label_smoothing,
        )
    except KeyboardInterrupt:
        raise KeyboardInterrupt(
            f"interrupted at {label} {progress.done + 1} of {epochs}; nothing saved (no file written to {out})"
        ) from None
    return history


def kept_epoch(history: dict) -> int:
    """The epoch (from 1) whose weights early stopping kept: the first of the highest validation accuracy.

    Used by ``python -m helpers.train``.
    """
    if "val_accuracy" in history:
        return int(np.argmax(history["val_accuracy"])) + 1
    return int(np.argmin(history["loss"])) + 1


def stop_reason(history: dict, epochs: int, patience: int) -> str:
    """The line saying which epoch's weights the validation run kept and why it stopped.

    Used by ``python -m helpers.train``.
    """
    validated = "val_accuracy" in history
    best, ran = kept_epoch(history) - 1, len(history["loss"])
    watched = "val_accuracy" if validated else "loss"
    why = (
        f"{watched} had not improved for {patience} epochs (--patience {patience})"
        if ran < epochs
        else f"reached the epoch limit (--epochs {epochs})"
    )
    if validated:
        best_is = f"highest val_accuracy {history['val_accuracy'][best]:.3f}, val_loss {history['val_loss'][best]:.3f}"
    else:
        best_is = f"lowest loss {history['loss'][best]:.3f}, accuracy {history['accuracy'][best]:.3f}"
    return f"validation run: kept epoch {best + 1} of {ran} ({best_is}); stopped: {why}"


def warn_if_chance(result, prog: str) -> None:
    """Warn on stderr when the validation accuracy is within a tenth of the way from chance to perfect.

    Used by ``python -m helpers.train``.
    """
    chance = 1 / len(result.class_names)
    if result.accuracy < chance + 0.1 * (1 - chance):
        print(
            f"{prog}: warning: validation accuracy {result.accuracy:.3f} is about chance for "
            f"{len(result.class_names)} classes ({chance:.3f}): the model has not learnt to tell them apart "
            "on the validation clips; check that each folder is one class, train longer (--epochs), "
            "or add recordings",
            file=sys.stderr,
        )


def save_figures(history: dict, result, out: Path, kept: int, refitted: bool) -> tuple[Path, Path]:
    """Write ``MODEL.curves.png`` (the validation run's loss and accuracy per epoch, its kept epoch
    marked) and ``MODEL.confusion.png`` (its kept model on the validation clips) beside ``out``.

    Used by ``python -m helpers.train``.
    """
    curves, confusion = out.with_suffix(".curves.png"), out.with_suffix(".confusion.png")
    run = "validation run" + (" (before the refit)" if refitted else "")
    fig = Figure(figsize=(9, 3.4), layout="constrained")
    fig.suptitle(f"Training curves of the {run}")
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, metric in zip(fig.subplots(1, 2), ("loss", "accuracy"), strict=True):
        ax.plot(epochs, history[metric], "o-", label="training")
        if f"val_{metric}" in history:
            ax.plot(epochs, history[f"val_{metric}"], "o-", label="validation")
        ax.axvline(kept, color="0.4", linestyle="--", linewidth=1, label=f"kept (epoch {kept})")
        ax.set(xlabel="Epoch", ylabel=metric.capitalize(), title=f"{metric.capitalize()} per epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
    replace_atomically(lambda p: fig.savefig(p, dpi=100), curves)
    n = len(result.class_names)
    fig = Figure(figsize=(max(4.2, 1.6 + 0.55 * n), max(3.4, 1.2 + 0.5 * n)), layout="constrained")
    models.confusion_matrix_plot(
        result.confusion,
        result.class_names,
        ax=fig.subplots(),
        title="\n".join(
            [f"Validation clips: accuracy {result.accuracy:.3f}", f"epoch {kept} of the validation run"]
            + (["(before the refit)"] if refitted else [])
        ),
    )
    replace_atomically(lambda p: fig.savefig(p, dpi=100), confusion)
    return curves, confusion
