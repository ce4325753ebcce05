"""Test a model from ``helpers.train`` on a folder: ``python -m helpers.evaluate MODEL DATA_DIR``.

DATA_DIR has the same layout as for training (class sub-folders or FSDD-named files) and
its class names must be among the model's. Prints clips, correct predictions and accuracy
per class, and as its last line ``accuracy: 0.xxx``. Broken and too-short files are
reported by name and skipped.

The arguments are parsed before TensorFlow is imported, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from helpers.cli_common import run_reporting_errors, usable_files


def parser() -> argparse.ArgumentParser:
    """The command line's parser (no TensorFlow needed).

    Used by ``python -m helpers.evaluate``.
    """
    p = argparse.ArgumentParser(
        prog="python -m helpers.evaluate",
        description="Test a model saved by helpers.train on a folder of recordings (same layout as for "
        "training): per-class results, then 'accuracy: 0.xxx' as the last line.",
    )
    p.add_argument("model", metavar="MODEL", help="a .keras file written by python -m helpers.train")
    p.add_argument("data_dir", metavar="DATA_DIR", help="folder of class sub-folders or FSDD-named files")
    return p


def load_model(path: str):
    """Load a ``.keras`` model saved by ``helpers.train``; ``ValueError`` with a hint otherwise.

    Used by ``python -m helpers.evaluate``.
    """
    if Path(path).is_dir():
        raise ValueError(
            f"MODEL={path!r} is a directory; pass the .keras file that python -m helpers.train "
            "wrote (a SavedModel folder from --export loads with tf.saved_model.load)"
        )
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"MODEL={path!r} does not exist; train one with python -m helpers.train DATA_DIR --out {path}"
        )
    import keras

    from helpers import models

    try:
        model = keras.models.load_model(path)
    except Exception as err:  # Keras raises many kinds for a file that is not a model
        raise ValueError(
            f"MODEL={path!r} is not a Keras model saved by helpers.train, or it is damaged or cut short "
            f"({type(err).__name__}); copy it again or train a new one"
        ) from None
    models.class_names_of(model), models.input_format(model)  # both must be known
    return model


def run(args, prog: str) -> None:
    """Load the model, read the folder with the model's class names, print the results.

    Files longer than the model's clip are classified as ``helpers.inference.predict_file`` does
    (the clip around the loudest sound, or the mean over windows beyond twice the clip), not
    cut to their first clip, which may hold only silence. Used by ``python -m helpers.evaluate``.
    """
    import numpy as np

    from helpers import models

    model = load_model(args.model)
    model_names = models.class_names_of(model)
    sr, clip_samples = models.input_format(model)
    paths, labels, folder_names, _ = usable_files(args.data_dir, sr, prog)
    unknown = sorted(set(folder_names[c] for c in labels) - set(model_names))
    if unknown:
        raise ValueError(
            f"DATA_DIR={args.data_dir!r} has classes the model does not know: {unknown}; the model knows {model_names}"
        )
    remap = np.array([model_names.index(n) if n in model_names else -1 for n in folder_names])
    y_true, y_pred, longer = predictions(model, paths, remap[labels], prog)
    if not len(y_true):
        raise ValueError(f"none of the audio files in DATA_DIR={args.data_dir!r} is usable (see above)")
    n = len(model_names)
    confusion = np.zeros((n, n), dtype=int)
    np.add.at(confusion, (y_true, y_pred), 1)
    result = models.Evaluation(float(np.mean(y_true == y_pred)), confusion, y_true, y_pred, model_names)
    print(f"{len(y_true)} clips from {args.data_dir}, model {args.model} ({sr} Hz, {clip_samples / sr:.2f} s clips)")
    if longer:
        print(
            f"{longer} of {len(y_true)} files are longer than the model's {clip_samples / sr:.2f} s clip: a file "
            f"up to {2 * clip_samples / sr:.2f} s was classified on the {clip_samples / sr:.2f} s from just before "
            "its loudest sound, a longer one by averaging the model's scores over windows sliding along it "
            "(helpers.models.predict_file)"
        )
    print(models.per_class_report(result))
    print(f"accuracy: {result.accuracy:.3f}")


def predictions(model, paths, labels, prog: str, batch_size: int = 64):
    """``(y_true, y_pred, n_longer)``: each usable file classified; silent or too-short ones named and skipped.

    Used by ``python -m helpers.evaluate``.
    """
    import sys

    import numpy as np

    from helpers import audio, inference, models

    sr, clip_samples = models.input_format(model)
    clips, clip_labels, y_true, y_pred, longer = [], [], [], [], 0
    for path, label in zip(paths, labels, strict=True):
        y, _ = audio.load(path, sr=sr)
        try:
            inference.check_usable(y, model, path)
        except ValueError as err:
            print(f"{prog}: skipping {err}", file=sys.stderr)
            continue
        if y.shape[0] > clip_samples:
            longer += 1
            y_true.append(int(label))
            y_pred.append(int(np.argmax(inference.probabilities_of(model, y))))
        else:
            clips.append(audio.fix_length(y, clip_samples))
            clip_labels.append(int(label))
    for i in range(0, len(clips), batch_size):
        y_pred.extend(
            np.argmax(np.asarray(model(np.stack(clips[i : i + batch_size]), training=False)), axis=-1).tolist()
        )
    return np.array(y_true + clip_labels, dtype=int), np.array(y_pred, dtype=int), longer


def main(argv=None) -> None:
    """Entry point: errors become argparse messages on stderr and exit status 2, never a traceback.

    Used by ``python -m helpers.evaluate``.
    """
    p = parser()
    run_reporting_errors(run, p, p.parse_args(argv))


if __name__ == "__main__":
    main()
