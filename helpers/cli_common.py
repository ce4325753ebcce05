"""What ``python -m helpers.train`` and ``python -m helpers.evaluate`` share, without TensorFlow.

Argument types that name the option and the value, the check of ``--out`` before any work
is done, the files that are usable (broken ones named and skipped), and the wrapper that
turns every error the user must fix into argparse's ``error:`` line (exit 2).
Nothing here imports TensorFlow, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import sys
import tempfile
from pathlib import Path


def seconds(text: str) -> float:
    """argparse type: a finite number of seconds > 0 (``inf``, ``nan``, ``0``, ``-1`` refused).

    Used by ``python -m helpers.train``.
    """
    return _finite(text, minimum=0.0, example="1.0")


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0, e.g. a learning rate.

    Used by ``python -m helpers.train``.
    """
    return _finite(text, minimum=0.0, example="0.003")


def _finite(text: str, minimum: float | None, example: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; e.g. {example}") from None
    if not math.isfinite(value) or (minimum is not None and value <= minimum):
        above = "" if minimum is None else f" > {minimum:g}"
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number{above}; e.g. {example}")
    return value


def fraction(text: str) -> float:
    """argparse type: a number from 0 up to (not including) 1, e.g. a label smoothing.

    Used by ``python -m helpers.train``.
    """
    value = _finite(text, minimum=None, example="0.1")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1 (1 excluded); e.g. 0.1, or 0 for none")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1 (``0``, ``-3``, ``2.5`` refused with the value named).

    Used by ``python -m helpers.train``.
    """
    return _whole_number(text, minimum=1, example="16")


def non_negative_int(text: str) -> int:
    """argparse type: a whole number >= 0, e.g. a random seed (``-1``, ``2.5`` refused with the value named).

    Used by ``python -m helpers.train``.
    """
    return _whole_number(text, minimum=0, example="0")


def _whole_number(text: str, minimum: int, example: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; e.g. {example}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number >= {minimum}, e.g. {example}")
    return value


def check_out(path: str, suffix: str = ".keras", option: str = "--out") -> Path:
    """Check, before training, that a model can be written to ``path``; return it as a ``Path``.

    Refuses a wrong suffix, an existing directory, a path under a file and a folder that
    cannot be written (``/proc/m.keras``), by trying to create a temporary file beside it
    (removed at once: it is ours).

    Used by ``python -m helpers.train``.
    """
    out = Path(path)
    if out.suffix != suffix:
        raise ValueError(f"{option}={path!r} must end in {suffix}, e.g. {option} digits{suffix}")
    if out.is_dir():
        raise ValueError(
            f"{option}={path!r} is a directory; name a file inside it, e.g. {option} {out / 'model'}{suffix}"
        )
    folder = _nearest_existing(out.parent)
    if not folder.is_dir():
        raise ValueError(
            f"{option}={path!r} lies under {str(folder)!r}, which is a file, not a folder; choose another place"
        )
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as err:
        why = "no files can be created there" if err.errno == errno.ENOENT else err.strerror or type(err).__name__
        raise ValueError(
            f"{option}={path!r} cannot be written: folder {str(folder)!r} is not writable "
            f"({why}); choose a folder of yours"
        ) from None
    return out


def check_new_dir(path: str, option: str) -> Path:
    """Check that ``path`` can become a new folder (absent, or an empty folder); return it.

    A folder that holds anything is refused: nothing of the user's is ever replaced.
    Used by ``python -m helpers.train --export``.
    """
    target = Path(path)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ValueError(
            f"{option}={path!r} already exists and is not an empty folder; "
            "name a new folder (nothing there is replaced)"
        )
    check_out(str(target / "saved_model.pb"), suffix=".pb", option=option)
    return target


def _nearest_existing(folder: Path) -> Path:
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def usable_files(data_dir: str, sr: int | None, prog: str, option: str = "DATA_DIR"):
    """``(paths, labels, class_names, sr)`` of the usable files; problems reported on stderr.

    ``helpers.datasets.check_files`` names each file that is unreadable, cut short, holds NaN or
    Inf samples, or is shorter than one frame, before TensorFlow meets it. ``sr=None`` takes
    the most common rate of the files, between 4 and 16 kHz.
    Used by ``python -m helpers.train`` and ``python -m helpers.evaluate``.
    """
    from helpers import datasets

    paths, labels, class_names = datasets.from_folder(data_dir)
    if sr is None:
        sr = min(16000, max(_common_rate(paths) or 16000, 4000))
    good, problems = datasets.check_files(paths, min_seconds=frame_length_for(sr) / sr)  # decodes what could be bad
    kept = set(good)
    bad = [p for i, p in enumerate(paths) if i not in kept]
    for path, message in zip(bad, problems, strict=True):
        print(f"{prog}: skipping {skip_line(message, path)}", file=sys.stderr)
    if not good:
        raise ValueError(f"none of the {len(paths)} audio files in {option}={data_dir!r} is usable (see above)")
    return [paths[i] for i in good], labels[good], class_names, sr


def skip_line(message: str, path) -> str:
    """One grammar for every skipped file: ``PATH: what is wrong; what to do``.

    ``"x.wav is not readable audio: it is truncated"`` becomes ``"x.wav: unreadable audio, it is
    truncated"``; a NaN hint's ``np.nan_to_num(x.wav)`` (a path inside) becomes ``np.nan_to_num(y)``
    on the loaded samples. Used by ``python -m helpers.train`` and ``python -m helpers.evaluate``.
    """
    name = str(path)
    if message.startswith(name) and not message.startswith(name + ":"):
        rest = message[len(name) :].strip()
        rest = rest.removeprefix("is ")
        if rest.startswith("not readable audio: "):  # "x.wav is not readable audio: it is truncated ..."
            rest = "unreadable audio, " + rest.removeprefix("not readable audio: ")
        elif ", not readable audio" in rest:  # "x.wav is empty (0 bytes), not readable audio; ..."
            rest = "unreadable audio, it is " + rest.replace(", not readable audio", "", 1)
        message = f"{name}: {rest}"
    return message.replace(f"np.nan_to_num({name})", "np.nan_to_num(y) on the samples y read from it")


def files_longer_than(paths, seconds: float) -> list:
    """The files of ``paths`` that last longer than ``seconds`` (from their headers; unreadable ones left out).

    Used by ``python -m helpers.train`` (only the first ``--seconds`` of each is trained on).
    """
    import soundfile

    longer = []
    for p in paths:
        try:
            info = soundfile.info(str(p))
        except (soundfile.LibsndfileError, RuntimeError, TypeError, OSError):
            continue
        if info.frames > seconds * info.samplerate + 1:
            longer.append(p)
    return longer


def _common_rate(paths) -> int | None:
    import collections

    import soundfile

    rates = collections.Counter()
    for p in paths:
        try:
            rates[soundfile.info(str(p)).samplerate] += 1
        except (soundfile.LibsndfileError, RuntimeError, TypeError):
            pass
    return rates.most_common(1)[0][0] if rates else None


def frame_length_for(sr: int) -> int:
    """About 32 ms of samples, rounded to a power of two (256 at 8 kHz, 512 at 16 kHz).

    Used by ``python -m helpers.train`` and ``python -m helpers.evaluate``.
    """
    return 1 << int(round(math.log2(0.032 * sr)))


def run_reporting_errors(command, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Call ``command(args, parser.prog)``; what the user must fix becomes an argparse message (exit 2).

    Used by ``python -m helpers.train`` and ``python -m helpers.evaluate``.
    """
    try:
        command(args, parser.prog)
    except KeyboardInterrupt as err:  # Ctrl-C: one line, no traceback, the shell's status for SIGINT
        print(f"{parser.prog}: {err or 'interrupted; nothing saved'}", file=sys.stderr)
        raise SystemExit(130) from None
    except (FileNotFoundError, ValueError, TypeError, OSError) as err:
        parser.error(_first_line(err))
    except Exception as err:
        tf = sys.modules.get("tensorflow")
        if tf is not None and isinstance(err, tf.errors.OpError):
            parser.error(f"TensorFlow could not run: {_first_line(err)}")
        raise


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def save_or_explain(write, target: Path, what: str, option: str) -> None:
    """:func:`replace_atomically`, but a failed write (full disk, no permission) names the file and what to do.

    Raises ``ValueError`` saying that ``what`` was NOT saved; nothing partial is left behind.
    Used by ``python -m helpers.train``.
    """
    try:
        replace_atomically(write, target)
    except OSError as err:
        why = err.strerror or str(err) or type(err).__name__
        raise ValueError(
            f"could not write {option} {target} ({why}); the {what} was NOT saved: free some space or "
            f"choose a folder you can write with {option}, then train again"
        ) from None


def replace_atomically(write, target: Path) -> None:
    """``write(temporary_path)`` beside ``target``, then rename it onto ``target`` in one step.

    The temporary name keeps ``target``'s suffix (Keras insists on ``.keras``). An interrupted
    write leaves the old file as it was. Used by ``python -m helpers.train``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.stem}.{os.getpid()}.partial{target.suffix}")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        if temporary.is_dir():
            import shutil

            shutil.rmtree(temporary)  # ours: created just above
        elif temporary.exists():
            temporary.unlink()
