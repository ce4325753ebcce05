"""Precompute the STFT explorer's pictures for the course site, where no kernel runs.

``python scripts/make_static_explorer.py OUT_DIR`` (``make book`` calls it) drives the live
explorer, :func:`helpers.widgets.stft_explorer`, through a grid of settings (bundled clip ×
frame length × hop × scale) and saves each picture as a JPEG with its read-outs in
``OUT_DIR/manifest.json``. The site's few lines of JavaScript (``docs/_static/static-explorer.js``)
swap the pictures and read-outs when a reader moves a control. Using the live explorer's own
public API (``set``, ``png``, ``readouts``, ``message``) means the static pictures cannot drift
from what the notebook shows.

The output is deterministic (same helpers and clips, same bytes) and cached: the manifest records
a SHA-256 of every input (this script, the ``helpers`` modules the explorer imports, the clips, the
grid) and a second run with unchanged inputs does nothing.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The clips the notebooks' explorers show (02: speech, 04: birds, 05: tones + clicks, then drums):
# a bundled sample, or a signal a helper makes, with the zoomed view the notebook opens on.
CLIPS = {
    "speech": {"sample": "speech"},
    "birds": {"sample": "birds"},
    "tones + clicks": {
        "function": "trade_off_signal",
        "sr": 22050,
        "time_range": (0.8, 1.2),
        "freq_range": (800.0, 1250.0),
    },
    "drums": {"sample": "drums"},
}
FRAME_LENGTHS = (256, 512, 1024, 2048)
# Longer frames for a clip whose lesson needs them: 05's two close tones part into two lines only at 4096.
EXTRA_FRAME_LENGTHS = {"tones + clicks": (4096,)}
FRAME_STEPS = (64, 128, 256, 512)
SCALES = ("linear", "db", "mel")
SCALE_LABELS = {"linear": "linear", "db": "dB", "mel": "mel (dB)"}
READOUTS = ("time step", "frame duration", "bin spacing", "frames", "bins", "mel bands", "overlap")
JPEG = {"quality": 74, "optimize": True, "progressive": True}
MANIFEST = "manifest.json"


def grid() -> list[tuple[str, int, int, str]]:
    """Every (clip, frame_length, frame_step, scale) to precompute; a hop never exceeds its frame.

    Used in: 02_stft, 04_visualization, 05_stft_explorer (their static explorers on the site).
    """
    return [
        (clip, n, hop, scale)
        for clip in CLIPS
        for n in clip_frame_lengths(clip)
        for hop in FRAME_STEPS
        for scale in SCALES
        if hop <= n
    ]


def clip_frame_lengths(clip: str) -> list[int]:
    """The frame lengths precomputed for ``clip``: :data:`FRAME_LENGTHS` and its extra ones, ascending."""
    return sorted({*FRAME_LENGTHS, *EXTRA_FRAME_LENGTHS.get(clip, ())})


def slug(clip: str) -> str:
    """A clip's name as a folder name: ``"tones + clicks"`` → ``"tones-clicks"``."""
    return re.sub(r"[^a-z0-9]+", "-", clip.lower()).strip("-")


def image_key(clip: str, frame_length: int, frame_step: int, scale: str) -> str:
    """The manifest key and file stem of one picture, e.g. ``"speech/1024-256-db"``."""
    return f"{slug(clip)}/{frame_length}-{frame_step}-{scale}"


def load_clip(name: str):
    """``(samples, sr)`` of one clip of :data:`CLIPS`, made the way its notebook makes it."""
    import helpers.audio
    import helpers.checks

    spec = CLIPS[name]
    if "sample" in spec:
        return helpers.audio.load(helpers.audio.sample(spec["sample"]))
    return getattr(helpers.checks, spec["function"])(spec["sr"]), spec["sr"]


def _module_file(name: str) -> Path | None:
    """The source file of module ``helpers.x.y`` (a module or a package), or None outside helpers."""
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def helper_sources(module: str = "helpers.widgets") -> list[Path]:
    """Every ``helpers`` source file ``module`` imports, directly or not (read with ``ast``, not run)."""
    seen, todo = {}, [module, "helpers"]
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if path is None or name in seen:
            continue
        seen[name] = path
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                todo += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parent + ([base] if base else []))
                todo += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return sorted(seen.values())


def inputs_digest() -> str:
    """SHA-256 over everything the pictures depend on: this script, the helpers the explorer imports,
    the clips and the grid (other helpers may change without remaking the pictures)."""
    digest = hashlib.sha256()
    modules = ["helpers.widgets"]
    if any("function" in c for c in CLIPS.values()):  # helpers.checks loads its modules by name: take them all
        modules += [f"helpers.checks.{p.stem}" for p in sorted((ROOT / "helpers" / "checks").glob("*.py"))]
    files = [Path(__file__).resolve(), *sorted({p for m in modules for p in helper_sources(m)})]
    files += [ROOT / "helpers" / "data" / f"{c['sample']}.wav" for c in CLIPS.values() if "sample" in c]
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps([grid(), CLIPS, JPEG, READOUTS]).encode())
    return digest.hexdigest()


def is_current(out_dir: Path, digest: str) -> bool:
    """True when ``out_dir`` holds a complete grid made from the same inputs."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    images = manifest.get("images", {})
    return (
        manifest.get("inputs_sha256") == digest
        and all((out_dir / entry["src"]).is_file() for entry in images.values())
        and len(images) == len(grid())
    )


def _jpeg(png: bytes) -> bytes:
    """The picture the explorer shows (its PNG) as JPEG bytes: no metadata, so deterministic."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(buffer, format="jpeg", **JPEG)
    return buffer.getvalue()


def render(out_dir: Path) -> dict:
    """Write every picture of :func:`grid` under ``out_dir`` and return the manifest (not yet saved)."""
    import helpers.widgets  # imported here: TensorFlow loads only when pictures are really made

    images, rates, explorers = {}, {}, {}
    for clip, frame_length, frame_step, scale in grid():
        if clip not in explorers:  # one live explorer per clip, as each notebook makes it
            explorers[clip] = helpers.widgets.stft_explorer(*load_clip(clip), name=clip)
        explorer, view = explorers[clip], {k: v for k, v in CLIPS[clip].items() if k.endswith("_range")}
        explorer.set(
            frame_length=frame_length,
            frame_step=frame_step,
            fft_length=frame_length,
            window="hann",
            scale=scale,
            top_db=80.0,
            cmap="magma",
            **view,
        )
        if explorer.message:
            raise RuntimeError(
                f"the explorer adjusted {clip} {frame_length}/{frame_step}/{scale}: "
                f"{explorer.message}; change the grid in {Path(__file__).name}"
            )
        key = image_key(clip, frame_length, frame_step, scale)
        path = out_dir / f"{key}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_jpeg(explorer.png))
        images[key] = {"src": f"{key}.jpg", "readouts": {k: v for k, v in explorer.readouts.items() if k in READOUTS}}
        rates[clip] = explorer.readouts.get("sample rate", "")
    from PIL import Image

    width, height = Image.open(io.BytesIO(explorer.png)).size
    return {
        "clips": {clip: slug(clip) for clip in CLIPS},
        "sample_rates": rates,
        "frame_lengths": list(FRAME_LENGTHS),
        "frame_steps": list(FRAME_STEPS),
        "clip_frame_lengths": {clip: clip_frame_lengths(clip) for clip in CLIPS},
        "scales": {s: SCALE_LABELS[s] for s in SCALES},
        "width": width,
        "height": height,
        "images": images,
    }


def build(out_dir: Path, *, force: bool = False) -> dict:
    """Make (or keep, when current) the static explorer in ``out_dir``; return a summary.

    The pictures are written into a temporary sibling folder that replaces ``out_dir`` only once
    complete, so an interrupted run never leaves half a grid behind.

    Returns
    -------
    dict
        ``{"images": n, "bytes": total size, "seconds": time taken, "cached": bool}``.

    Used in: the course site (``make book``).
    """
    out_dir = Path(out_dir)
    digest = inputs_digest()
    start = time.perf_counter()
    cached = not force and is_current(out_dir, digest)
    if not cached:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
        try:
            manifest = render(tmp)
            manifest["inputs_sha256"] = digest
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
            if out_dir.exists():
                shutil.rmtree(out_dir)
            tmp.rename(out_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return summary(out_dir, cached=cached, seconds=time.perf_counter() - start)


def summary(out_dir: Path, *, cached: bool, seconds: float = 0.0) -> dict:
    """``{"images": n, "bytes": total size, "seconds": seconds, "cached": cached}`` of ``out_dir``."""
    files = list(Path(out_dir).rglob("*.jpg"))
    return {"images": len(files), "bytes": sum(p.stat().st_size for p in files), "seconds": seconds, "cached": cached}


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or (len(argv) == 2 and argv[1] != "--force"):
        print(f"usage: python {Path(__file__).name} OUT_DIR [--force]", file=sys.stderr)
        return 2
    summary = build(Path(argv[0]), force="--force" in argv)
    state = "up to date" if summary["cached"] else f"made in {summary['seconds']:.1f} s"
    print(f"static explorer: {summary['images']} JPEGs, {summary['bytes'] / 1e6:.2f} MB, {state} ({argv[0]})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
