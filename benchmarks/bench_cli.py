"""Leave-one-speaker-out accuracy of ``python -m helpers.train`` on the Free Spoken Digit Dataset.

For each of FSDD's six speakers: train with the CLI's own code and settings on the other five
(by default its validation run holds out one of them whole, then the refit trains on all five),
then test the saved model on the speaker left out, who was never heard. Prints, per speaker,
the validation accuracy the trainer reported, the test accuracy and the epochs run, then the
mean, min and max test accuracy. About 8 minutes on two CPU cores (each fold trains twice);
skips with a message when the recordings are absent. Run it with ``--seed 1``, ``--seed 2``
for the spread over seeds.

Run: .venv/bin/python benchmarks/bench_cli.py [extra helpers.train options, e.g. --augment specaugment]
"""

import contextlib
import io
import re
import sys
import tempfile
import time
from pathlib import Path

FSDD = Path(__file__).resolve().parents[1].parent / "shared" / "test-data" / "fsdd"


def folders(root: Path, held_out: str) -> tuple[Path, Path]:
    """Symbolic links to the recordings: ``root/train`` (five speakers) and ``root/test`` (one)."""
    train, test = root / "train", root / "test"
    train.mkdir()
    test.mkdir()
    for wav in sorted(FSDD.glob("*.wav")):
        ((test if wav.stem.split("_")[1] == held_out else train) / wav.name).symlink_to(wav)
    return train, test


def fold(speaker: str, options: list[str]) -> dict:
    """Train without ``speaker``, test on them; the numbers the CLI printed and the test accuracy."""
    import keras

    from helpers import cli_common, datasets, models, train

    with tempfile.TemporaryDirectory() as tmp:
        train_dir, test_dir = folders(Path(tmp), speaker)
        out = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(out):
            train.main([str(train_dir), "--out", f"{tmp}/model.keras", *options])
        seconds = time.perf_counter() - start
        model = keras.models.load_model(f"{tmp}/model.keras")
        sr, clip_samples = models.input_format(model)
        paths, labels, _, _ = cli_common.usable_files(str(test_dir), sr, "bench_cli")
        test = models.evaluate(model, datasets.to_dataset(paths, labels, sr, clip_samples)).accuracy
    text = out.getvalue()
    kept = re.search(r"kept epoch (\d+) of (\d+)", text)
    val = float(re.search(r"^validation accuracy[^:]*: ([\d.]+)", text, re.MULTILINE)[1])
    held = re.search(r"held out whole: (.*)", text)
    return dict(
        speaker=speaker,
        val=val,
        test=test,
        kept=int(kept[1]),
        epochs=int(kept[2]),
        seconds=seconds,
        val_on=held[1] if held else "random 15 %",
    )


def main() -> None:
    if not FSDD.is_dir():
        print(f"bench_cli: skipped, the FSDD recordings are not at {FSDD}")
        return
    options = sys.argv[1:]
    speakers = sorted({wav.stem.split("_")[1] for wav in FSDD.glob("*.wav")})
    print(f"leave-one-speaker-out, python -m helpers.train {' '.join(options) or '(default settings)'}")
    results = []
    for speaker in speakers:
        r = fold(speaker, options)
        results.append(r)
        print(
            f"  {r['speaker']:<9} test {r['test']:.3f}  (validation {r['val']:.3f} on {r['val_on']}; "
            f"kept epoch {r['kept']} of {r['epochs']}, {r['seconds']:.0f} s)",
            flush=True,
        )
    tests = [r["test"] for r in results]
    gaps = [abs(r["val"] - r["test"]) for r in results]
    print(
        f"test accuracy over {len(tests)} speakers: mean {sum(tests) / len(tests):.3f}, min {min(tests):.3f}, "
        f"max {max(tests):.3f}; |validation - test| mean {sum(gaps) / len(gaps):.3f}"
    )


if __name__ == "__main__":
    main()
