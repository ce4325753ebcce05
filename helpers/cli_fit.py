"""How ``python -m helpers.train`` fits a model: a cosine-decayed learning rate, one progress line per
epoch, the line saying which epoch was kept and why training stopped.

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

import keras
import numpy as np

from helpers import models


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
        )
    except KeyboardInterrupt:
        raise KeyboardInterrupt(
            f"interrupted at {label} {progress.done + 1} of {epochs}; nothing saved (no file written to {out})"
        ) from None
    return history


def stop_reason(history: dict, epochs: int, patience: int) -> str:
    """The line saying which epoch's weights were kept and why training stopped.

    Used by ``python -m helpers.train``.
    """
    validated = "val_accuracy" in history
    ran = len(history["loss"])
    best = int(np.argmax(history["val_accuracy"]) if validated else np.argmin(history["loss"]))  # what Keras kept
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
    return f"kept epoch {best + 1} of {ran} ({best_is}); stopped: {why}"
