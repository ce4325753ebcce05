"""Build the course site: ``python scripts/make_book.py`` (``make book``) → ``build/html/``.

Steps, all offline and without running a notebook:

1. gather one Sphinx source tree in ``build/book-src/``: ``docs/`` (configuration, extension,
   styles, scripts) and the committed notebooks, copied only when they changed so that Sphinx
   rebuilds only the pages whose notebook changed;
2. make the static explorer's pictures with ``scripts/make_static_explorer.py`` (cached in
   ``build/static-explorer/`` until the helpers or clips change) and copy them in;
3. run Sphinx (MyST-NB, the book theme); the front page is made from README.md on the way.

Open ``build/html/index.html``, or serve it with ``python -m http.server -d build/html``.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_static_explorer  # noqa: E402  (the script beside this one)


def sync(sources: dict[Path, Path], target: Path) -> int:
    """Make ``target`` hold exactly ``sources`` ({relative path: file}); copy only changed files.

    Unchanged files keep their times, so Sphinx's incremental build skips them. Returns the
    number of files copied.
    """
    copied = 0
    for rel, src in sources.items():
        dest = target / rel
        if dest.is_file() and filecmp.cmp(src, dest, shallow=False):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp")
        shutil.copy2(src, tmp)
        tmp.replace(dest)
        copied += 1
    for path in sorted(target.rglob("*"), reverse=True):  # files no source has any more (a removed notebook)
        rel = path.relative_to(target)
        if rel.parts[0] == ".doctrees" or rel in sources:
            continue
        if path.is_file():
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return copied


def gather(work: Path, explorer: Path) -> dict[Path, Path]:
    """{relative path in the source tree: file}: docs/, the notebooks, the explorer's pictures."""
    docs = ROOT / "docs"
    sources = {p.relative_to(docs): p for p in docs.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks found in {ROOT / 'notebooks'}")
    sources.update({Path(p.name): p for p in notebooks})
    sources.update({Path("_static/explorer") / p.relative_to(explorer): p for p in explorer.rglob("*") if p.is_file()})
    return sources


def sphinx(work: Path, out: Path, *, quiet: bool = True) -> int:
    """Run Sphinx's HTML builder on ``work`` into ``out``; returns its exit status."""
    from sphinx.cmd.build import build_main

    args = [
        "-b",
        "html",
        "-d",
        str(work / ".doctrees"),
        "-D",
        f"course_readme={ROOT / 'README.md'}",
        "--keep-going",
        str(work),
        str(out),
    ]
    return build_main((["-q"] if quiet else []) + args)


def replace_site(new: Path, out: Path) -> None:
    """Put the freshly built ``new`` where ``out`` was, so no page or image of an older build lingers.

    Refuses to remove an ``out`` that is not a site this script built (no Sphinx ``.buildinfo``).
    """
    if out.exists():
        if not (out / ".buildinfo").is_file() and any(out.iterdir()):
            raise FileExistsError(
                f"--out {out} exists and is not a site built by make_book.py; choose an empty or new folder"
            )
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        new.rename(out)
        shutil.rmtree(old)
    else:
        new.rename(out)


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html", help="site folder (build/html)")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "book-src",
        help="Sphinx source tree gathered from docs/ and notebooks/ (build/book-src)",
    )
    parser.add_argument(
        "--explorer",
        type=Path,
        default=ROOT / "build" / "static-explorer",
        help="cache of the static explorer's pictures (build/static-explorer)",
    )
    parser.add_argument(
        "--reuse-explorer",
        action="store_true",
        help="use the pictures in --explorer as they are, without checking that they are current "
        "(quick rebuilds while editing docs/)",
    )
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.reuse_explorer and (args.explorer / make_static_explorer.MANIFEST).is_file():
        summary = make_static_explorer.summary(args.explorer, cached=True)
    else:
        summary = make_static_explorer.build(args.explorer)
    state = "cached" if summary["cached"] else f"made in {summary['seconds']:.1f} s"
    print(f"static explorer: {summary['images']} JPEGs, {summary['bytes'] / 1e6:.2f} MB ({state})")
    copied = sync(gather(args.work, args.explorer), args.work)
    print(f"sources: {copied} files updated in {args.work}")
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    new = out.with_name(f".{out.name}.new")
    shutil.rmtree(new, ignore_errors=True)
    status = sphinx(args.work, new, quiet=not args.verbose)
    if status:
        shutil.rmtree(new, ignore_errors=True)
        print(f"Sphinx failed (exit status {status}); see the messages above", file=sys.stderr)
        return status
    replace_site(new, out)
    print(f"site: {out / 'index.html'} ({size(out) / 1e6:.1f} MB) built in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
