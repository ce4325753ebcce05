"""The work behind ``python -m helpers.train``: split, augment, train and refit (see cli_fit), save, plot, export.

Imported only after the command line has been parsed (it imports TensorFlow).
"""

from __future__ import annotations

import sys
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from helpers import cli_fit, cli_split, datasets, models
from helpers.cli_common import (
    check_new_dir,
    check_out,
    files_longer_than,
    frame_length_for,
    save_or_explain,
    usable_files,
)

VAL_FRACTION = 0.15


def run(args, prog: str) -> None:
    """Check the arguments and the files, train, save; ``ValueError`` for anything the user must fix.

    Used by ``python -m helpers.train``.
    """
    out = check_out(args.out)
    export = check_export(args.export, out) if args.export else None
    check_val_dir(args)
    if args.sr is not None and args.sr < 1000:
        raise ValueError(f"--sr={args.sr} is too low for audio; use at least 1000 Hz, e.g. --sr 8000")
    paths, labels, class_names, sr = usable_files(args.data_dir, args.sr, prog)
    check_not_splits(args.data_dir, class_names)
    if out.exists():
        print(f"{prog}: note: --out {out} exists; it is replaced when training ends", file=sys.stderr)
    present = [class_names[c] for c in np.unique(labels)]
    if len(present) < 2:
        raise ValueError(
            f"DATA_DIR={args.data_dir!r} has only one class ({present[0]!r}); a classifier "
            "needs at least two: add one sub-folder of recordings per class"
        )
    clip_samples, frame_length = int(round(args.seconds * sr)), frame_length_for(sr)
    if clip_samples < frame_length:
        raise ValueError(f"--seconds={args.seconds} is shorter than one frame ({frame_length / sr:.3f} s)")
    train_set, val_set = split(args, paths, labels, class_names, sr, prog)
    warn_long_files(paths, clip_samples / sr, prog)
    if args.val_dir:
        also = "; python -m helpers.evaluate scores their loudest part instead, so its accuracy can differ"
        warn_long_files(val_set[0], clip_samples / sr, prog, "validated on", "--val-dir files", also)
    model, history, result, refitted = train_and_refit(
        args, train_set, val_set, class_names, sr, clip_samples, out, prog
    )
    save_all(model, history, result, out, export, prog, refitted)


def check_not_splits(data_dir: str, class_names) -> None:
    """Refuse class folders named like a data set's splits (``train``, ``test``): DATA_DIR is one level too high.

    Used by ``python -m helpers.train``.
    """
    names = {str(c).lower() for c in class_names}
    if "train" in names and names & {"test", "val", "valid", "validation", "dev", "eval"}:
        raise ValueError(
            f"DATA_DIR={data_dir!r} has the classes {list(class_names)}: those are the splits of a data set, "
            f"not its classes; pass the training folder, e.g. {str(Path(data_dir) / 'train')!r}"
        )


def train_and_refit(args, train_set, val_set, class_names, sr, clip_samples, out: Path, prog: str):
    """The validation run, then (unless ``--no-refit`` or ``--val-dir``) the refit on every clip.

    Returns the model to save, the validation run's history, its :class:`models.Evaluation`
    on the validation clips (measured before the refit, which learns from them), and whether it refitted.
    Used by ``python -m helpers.train``.
    """
    history, model, val_ds = fitted(args, train_set, val_set, class_names, sr, clip_samples, out)
    print(cli_fit.stop_reason(history.history, args.epochs, args.patience), flush=True)
    result = models.evaluate(model, val_ds, class_names)
    cli_fit.warn_if_chance(result, prog)
    refit = args.refit and not args.val_dir
    if args.refit and args.val_dir:
        print("no refit: with --val-dir, every clip of DATA_DIR was trained on already; saving that model")
    elif refit:
        everything = ([*train_set[0], *val_set[0]], np.concatenate([train_set[1], val_set[1]]))
        epochs = len(history.history["loss"])
        print(
            f"refitting: a new model trained on all {len(everything[0])} clips (the validation ones too) for the "
            f"{epochs} epoch{'s' * (epochs != 1)} the validation run ran, its learning rate falling to 0 over them; "
            f"this is the model saved (--no-refit saves the validation run's "
            f"epoch-{cli_fit.kept_epoch(history.history)} model instead)",
            flush=True,
        )
        model = fitted(args, everything, None, class_names, sr, clip_samples, out, epochs)[1]
    return without_layer(model, "spec_augment"), history, result, refit


def fitted(args, train_set, val_set, class_names, sr, clip_samples, out: Path, epochs=None):
    """``(history, model, val_ds)``: a new model built and fitted on ``train_set`` (``val_set`` None: no validation).

    Used by ``python -m helpers.train``.
    """
    keras.utils.set_random_seed(args.seed)
    model = build(args, class_names, sr, clip_samples, frame_length_for(sr))
    if epochs is None:
        print(
            f"training a {args.model} on {len(train_set[0])} clips, validating on {len(val_set[0])} others; "
            f"{len(class_names)} classes: {', '.join(class_names)}; {sr} Hz, {clip_samples / sr:.2f} s clips",
            flush=True,
        )
    if "pitch" in args.augment:
        train_set = pitch_copies(*train_set, sr, clip_samples, args)
    train_ds = augmented(pipeline(*train_set, sr, clip_samples, args, shuffle=True), args, clip_samples)
    val_ds = pipeline(*val_set, sr, clip_samples, args, shuffle=False) if val_set is not None else None
    label = "epoch" if epochs is None else "refit epoch"
    history = cli_fit.fit(model, train_ds, val_ds, args, out, len(train_set[0]), epochs, label)
    return history, model, val_ds


def save_all(model, history, result, out: Path, export: Path | None, prog: str, refitted: bool) -> None:
    """Save the model, then its figures and the SavedModel; a failed write says what was and was not saved.

    ``history`` and ``result`` are the validation run's (its curves, its confusion matrix).
    Used by ``python -m helpers.train``.
    """
    save_or_explain(model.save, out, "trained model", "--out")
    kept = cli_fit.kept_epoch(history.history)
    try:
        figures = cli_fit.save_figures(history.history, result, out, kept, refitted)
        print(f"saved the validation run's curves and confusion matrix to {figures[0]} and {figures[1]}")
    except OSError as err:
        print(
            f"{prog}: warning: the model was saved to {out}, but its figures could not be written beside it "
            f"({err.strerror or err}); free some space to get them from a new run",
            file=sys.stderr,
        )
    if export is not None:
        save_or_explain(
            lambda folder: models.export(model, folder),
            export,
            f"SavedModel (the .keras model at {out} was saved)",
            "--export",
        )
        print(f"exported a SavedModel (no helpers needed to load it) to {export}")
    if refitted:
        print(
            f"validation accuracy: {result.accuracy:.3f} (the validation run's epoch-{kept} model, on "
            f"{len(result.y_true)} clips it never heard; the saved refit also learnt from them, so test it on "
            f"new recordings: python -m helpers.evaluate {out} NEW_FOLDER)"
        )
    else:
        print(f"validation accuracy of the saved model (epoch {kept}): {result.accuracy:.3f}")
    print(f"saved the model{' (the refit)' if refitted else ''} to {out}")


def check_export(export: str, out: Path) -> Path:
    """``--export`` checked before training: a new (or empty) folder that neither is ``--out`` nor holds it.

    Used by ``python -m helpers.train``.
    """
    target = Path(export)
    if target.absolute() == out.absolute() or target.absolute() in out.absolute().parents:
        raise ValueError(
            f"--export={export!r} clashes with --out={str(out)!r}: the SavedModel folder must not be "
            "the .keras file or a folder holding it; name another folder, e.g. "
            f"--export {out.with_suffix('')}_savedmodel"
        )
    return check_new_dir(export, "--export")


def warn_long_files(paths, seconds: float, prog: str, use: str = "trained on", which: str = "files", also="") -> None:
    """Say how many files are longer than the clip: only their first ``seconds`` are ``use``-d.

    Used by ``python -m helpers.train`` (DATA_DIR, and ``--val-dir``: "validated on").
    """
    longer = files_longer_than(paths, seconds)
    if longer:
        print(
            f"{prog}: warning: {len(longer)} of {len(paths)} {which} are longer than --seconds {seconds:g}; only "
            f"their first {seconds:g} s is {use} (a sound after leading silence is cut off{also}), e.g. "
            f"{longer[0]}; trim them or raise --seconds",
            file=sys.stderr,
        )


def split(args, paths, labels, class_names, sr, prog):
    """``((train_paths, train_labels), (val_paths, val_labels))``, printing what validates.

    Refuses a split that leaves a class with no training clips, naming the class and the split.
    Used by ``python -m helpers.train``.
    """
    if args.val_dir:
        if args.group_by not in (None, "auto"):
            print(f"{prog}: note: --group-by {args.group_by} is ignored: --val-dir is the validation", file=sys.stderr)
        return (paths, labels), val_dir_set(args, class_names, sr, prog)
    groups = cli_split.groups_of(paths, args.data_dir, args.group_by)
    if groups is None:
        train_idx, val_idx = cli_split.random_split(labels, VAL_FRACTION, args.seed)
        print(
            f"validating on {VAL_FRACTION:.0%} of each class at random (no groups: the same speakers may be on "
            "both sides, so validation may flatter the model; see --group-by)"
        )
        not_fsdd = [Path(p).name for p in paths if not cli_split.FSDD_NAME.match(Path(p).stem)]
        if args.group_by in (None, "auto") and len(not_fsdd) < len(paths):
            print(
                f"{prog}: note: no speaker groups because {len(not_fsdd)} of {len(paths)} names are not FSDD "
                f"names ({{digit}}_{{speaker}}_{{index}}), e.g. {', '.join(not_fsdd[:3])}",
                file=sys.stderr,
            )
        split_name = "the random split"
    else:
        train_idx, val_idx, held = cli_split.grouped_split(labels, groups, VAL_FRACTION, args.seed)
        print(f"validating on {len(held)} of {len(set(groups))} groups, held out whole: {', '.join(held)}")
        split_name = f"--group-by {args.group_by} (validation holds out: {', '.join(held)})"
    check_classes(labels[train_idx], labels[val_idx], class_names, split_name, prog)
    if len(val_idx) == 0:
        raise ValueError(
            f"DATA_DIR={args.data_dir!r} has only one usable file per class, so none can be held "
            "out for validation; add recordings (at least 2 per class) or pass --val-dir DIR"
        )
    return ([paths[i] for i in train_idx], labels[train_idx]), ([paths[i] for i in val_idx], labels[val_idx])


def check_classes(train_labels, val_labels, class_names, split_name: str, prog: str) -> None:
    """Refuse a split whose training side lacks a class; note the classes validation lacks.

    Used by ``python -m helpers.train``.
    """
    untrained = [class_names[c] for c in sorted(set(val_labels.tolist()) - set(train_labels.tolist()))]
    if untrained:
        raise ValueError(
            f"{split_name} leaves class(es) {untrained} with no training clips (all of their files "
            "are in validation), so the model could never learn them; use another --group-by "
            "(e.g. none, a random split), add recordings of them by other speakers, or pass --val-dir DIR"
        )
    unvalidated = sorted(set(train_labels.tolist()) - set(val_labels.tolist()))
    if unvalidated and len(val_labels):
        n = {c: int(np.count_nonzero(train_labels == c)) for c in unvalidated}
        counts = [f"{class_names[c]!r} ({n[c]} clip{'s' * (n[c] != 1)})" for c in unvalidated]
        print(
            f"{prog}: note: validation has no clips of {', '.join(counts)} ({split_name}), so its accuracy says "
            "nothing about them; a class needs at least 2 clips, or another group's, to be validated",
            file=sys.stderr,
        )


def check_val_dir(args) -> None:
    """Refuse a ``--val-dir`` that is DATA_DIR or lies inside it (validation on the training files).

    Used by ``python -m helpers.train``.
    """
    if not args.val_dir:
        return
    val, data = Path(args.val_dir).resolve(), Path(args.data_dir).resolve()
    if val == data or data in val.parents:
        raise ValueError(
            f"--val-dir={args.val_dir!r} is DATA_DIR={args.data_dir!r} or lies inside it, so the "
            "model would be validated on files it trains on; pass a separate folder of recordings"
        )


def val_dir_set(args, class_names, sr, prog):
    """``(paths, labels)`` of ``--val-dir`` (checked by :func:`check_val_dir`), with DATA_DIR's class numbers.

    Used by ``python -m helpers.train``.
    """
    v_paths, v_labels, v_names, _ = usable_files(args.val_dir, sr, prog, option="--val-dir")
    unknown = sorted(set(v_names[c] for c in v_labels) - set(class_names))
    if unknown:
        raise ValueError(
            f"--val-dir={args.val_dir!r} has classes DATA_DIR lacks: {unknown}; DATA_DIR has {class_names}"
        )
    remap = np.array([class_names.index(n) if n in class_names else -1 for n in v_names])
    print(f"validating on the {len(v_paths)} clips of {args.val_dir}")
    return v_paths, remap[v_labels]


def pipeline(paths, labels, sr, clip_samples, args, shuffle):
    """The batched ``tf.data`` pipeline of these files (``helpers.datasets.to_dataset``).

    Used by ``python -m helpers.train``.
    """
    return datasets.to_dataset(
        paths, labels, sr, clip_samples, batch_size=args.batch_size, shuffle=shuffle, seed=args.seed
    )


def build(args, class_names, sr, clip_samples, frame_length) -> keras.Model:
    """The model of ``--model``, with a SpecAugment layer when ``--augment`` asks for it.

    Used by ``python -m helpers.train``.
    """
    spectrogram = dict(frame_length=frame_length, frame_step=frame_length // 2, n_mels=40 if sr <= 8000 else 64)
    if args.model == "cnn":
        model = models.cnn(class_names, sr, clip_samples, **spectrogram)
    else:
        model = models.rnn(class_names, sr, clip_samples, cell=args.model, **spectrogram)
    if "specaugment" in args.augment:
        from helpers import augment

        frames = models.LogMelSpectrogram(sr=sr, **spectrogram).n_frames(clip_samples)
        model = augment.with_spec_augment(
            model,
            max_freq_width=spectrogram["n_mels"] // 8,
            max_time_width=max(1, frames // 10),
            n_masks=2,
            seed=args.seed,
        )
    return model


def augmented(ds: tf.data.Dataset, args, clip_samples: int) -> tf.data.Dataset:
    """``ds`` with the waveform augmentations of ``--augment`` (random delay, noise at 10–30 dB SNR).

    Each clip gets its own draw, new every epoch, the same on every run (stateless seeds).
    Used by ``python -m helpers.train``.
    """
    wanted = set(args.augment) & {"noise", "shift"}
    if not wanted:
        return ds
    from helpers import augment

    def apply(example, seed):
        x, y = example
        seeds = tf.random.experimental.stateless_split(seed, 3)
        if "shift" in wanted:
            x = augment.time_shift(x, clip_samples // 5, seeds[0], min_shift=0)
        if "noise" in wanted:
            x = augment.add_noise(x, tf.random.stateless_uniform(tf.shape(x)[:1], seeds[1], 10.0, 30.0), seeds[2])
        return x, y

    return augment.with_seeds(ds, args.seed).map(apply, num_parallel_calls=tf.data.AUTOTUNE)


def pitch_copies(paths, labels, sr: int, clip_samples: int, args, steps=(-2.0, 2.0)):
    """``(waveforms, labels)``: the training clips and, for each step, a pitch-shifted copy of them.

    Computed once before training (librosa's phase vocoder is too slow to run every epoch):
    other voices are higher or lower, and two semitones either way move formants and pitch
    as a new speaker would. Used by ``python -m helpers.train --augment pitch``.
    """
    from helpers import augment

    x, y = datasets.to_arrays(datasets.to_dataset(paths, labels, sr, clip_samples, batch_size=256))
    print(
        f"adding pitch-shifted copies ({', '.join(f'{s:+g}' for s in steps)} semitones) of the {len(x)} training clips",
        flush=True,
    )
    copies = [x] + [augment.pitch_shift(x, sr, step, n_fft=frame_length_for(sr) * 2).numpy() for step in steps]
    return np.concatenate(copies), np.tile(y, len(copies))


def without_layer(model: keras.Model, name: str) -> keras.Model:
    """The same chain of layers (same weights) without layer ``name``; ``model`` itself if it has none.

    Used by ``python -m helpers.train`` (SpecAugment only acts while training; the saved model
    needs nothing but the course's own layers).
    """
    if name not in [layer.name for layer in model.layers]:
        return model
    x = inputs = keras.Input(shape=model.input_shape[1:], name=model.layers[0].name)
    for layer in model.layers[1:]:
        x = x if layer.name == name else layer(x)
    return keras.Model(inputs, x, name=model.name.removesuffix("_spec_augment"))
