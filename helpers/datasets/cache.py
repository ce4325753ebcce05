"""The cache folder, and the rule for every folder this package writes: change only what it made.

A folder made here holds a manifest (:data:`MANIFEST`) listing every file written, with its
SHA-256, and where the data came from. Only such a folder is ever changed again, only the files
its manifest lists are ever removed, and every build happens in a temporary sibling folder that
is renamed into place at the end, so a failed or interrupted build leaves nothing half-made.
A later call checks the folder against its manifest and says what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path, PurePosixPath

from helpers.audio import AUDIO_SUFFIXES

MANIFEST = ".spectrogram-lab.json"


def cache_dir() -> Path:
    """The folder where extracted and downloaded data are kept (created on first use).

    ``$SPECTROGRAM_LAB_CACHE`` when set, else ``~/.cache/spectrogram-lab``.
    Used in: helpers.datasets (spoken_digits, download_fsdd).
    """
    path = Path(os.environ.get("SPECTROGRAM_LAB_CACHE") or Path.home() / ".cache" / "spectrogram-lab")
    if path.exists() and not path.is_dir():
        raise ValueError(
            f"SPECTROGRAM_LAB_CACHE={str(path)!r} is a file, not a folder; "
            "point it at a folder (it is created if missing)"
        )
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks.

    Used in: helpers.datasets (cache manifests, archive checksums).
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict | None:
    """The manifest this module wrote into ``folder``, or None when it did not make the folder.

    Used in: helpers.datasets (cache checks).
    """
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text())
        if isinstance(manifest.get("files"), dict) and isinstance(manifest.get("source"), dict):
            return manifest
    except (ValueError, OSError, AttributeError):
        pass
    raise ValueError(
        f"{path} is damaged, so {folder} cannot be checked; delete the folder {folder} "
        "yourself and call again to rebuild it"
    )


def cache_problems(folder: Path, manifest: dict) -> list[str]:
    """What differs between ``folder`` and its manifest: missing, changed or extra audio files.

    Used in: helpers.datasets (cache checks).
    """
    problems = []
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif file_sha256(path) != digest:
            problems.append(f"{name} has changed since it was written (its SHA-256 differs)")
    extra = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES]
    problems += [f"{name} was not part of it" for name in sorted(set(extra) - set(manifest["files"]))]
    return problems


def foreign_files(folder: Path, manifest: dict) -> list[str]:
    """Files and folders inside ``folder`` that its manifest does not list (someone else's).

    Used in: helpers.datasets (cache checks).
    """
    ours = set(manifest["files"]) | {MANIFEST}
    ours |= {parent.as_posix() for name in manifest["files"] for parent in PurePosixPath(name).parents}
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.relative_to(folder).as_posix() not in ours
    )


def owned_folder(folder: Path, request: dict, fill, made_by: str, hint: str) -> Path:
    """``folder`` holding the data ``fill`` makes, built once, verified on every later call.

    ``fill(staging, work)`` writes the data into the empty folder ``staging`` (``work`` is scratch
    space) and returns a dict describing its source; ``request`` holds the values of that
    description the caller insists on (None: any). A folder this module did not make is used only
    when it is absent or empty (else the error ends with ``hint``); a folder it made that fails its
    checks is rebuilt with a warning, unless it also holds someone else's files, which are never
    touched: then it says so.

    Used in: helpers.datasets.download_fsdd, helpers.datasets.spoken_digits.
    """
    folder = folder.resolve() if folder.is_symlink() else folder  # build beside the real folder, not the link
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None:
        _check_unowned(folder, made_by, hint)
        return _build(folder, fill, request, None)
    problems = _source_mismatch(manifest["source"], request) + cache_problems(folder, manifest)
    if not problems:
        return folder
    foreign = foreign_files(folder, manifest)
    if foreign:
        raise ValueError(
            f"{folder} (made by {made_by}) needs rebuilding: {problems[0]}; but it also holds "
            f"files it did not write ({', '.join(foreign[:3])}), so nothing was changed: "
            "move those out of it and call again"
        )
    warnings.warn(f"{folder} (made by {made_by}) is rebuilt: {'; '.join(problems[:3])}", stacklevel=3)
    return _build(folder, fill, request, manifest)


def _check_unowned(folder: Path, made_by: str, hint: str) -> None:
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{str(folder)!r} is a file, not a folder, so {made_by} cannot use it; {hint}")
    entries = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    if entries:
        shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
        raise FileExistsError(
            f"{str(folder)!r} already holds files ({shown}) and was not made by {made_by}, so nothing "
            f"in it is changed; {hint}"
        )


def _source_mismatch(source: dict, request: dict) -> list[str]:
    return [
        f"it was made from {key}={source.get(key)!r}, but {key}={wanted!r} was asked for"
        for key, wanted in request.items()
        if wanted is not None and source.get(key) != wanted
    ]


def _build(folder: Path, fill, request: dict, old_manifest: dict | None) -> Path:
    """Fill a temporary sibling of ``folder``, write its manifest, then rename it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    sibling = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=folder.parent))
    try:
        staging, work = sibling / "new", sibling / "work"
        staging.mkdir(), work.mkdir()
        source = fill(staging, work)
        mismatch = _source_mismatch(source, request)
        if mismatch:
            raise ValueError(
                f"checksum mismatch: {mismatch[0].replace('it was made from', 'the data has')}; "
                "the download is corrupt or changed: try again, or check the url and checksums"
            )
        files = {p.relative_to(staging).as_posix(): file_sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()}
        (staging / MANIFEST).write_text(
            json.dumps({"written_by": "helpers.datasets", "source": source, "files": files}, indent=1)
        )
        try:
            _swap(staging, folder, sibling / "old" if old_manifest else None)
        except OSError:
            if old_manifest is None and _built_meanwhile(folder, request):
                return folder  # another process (a notebook beside this one) got there first
            raise
        if old_manifest:
            remove_owned(sibling / "old", old_manifest)
    finally:
        _remove_sibling(sibling)
    return folder


def _built_meanwhile(folder: Path, request: dict) -> bool:
    """Whether ``folder`` now holds a sound build of ``request`` that another process renamed in."""
    manifest = read_manifest(folder) if folder.is_dir() else None
    return manifest is not None and not (
        _source_mismatch(manifest["source"], request) + cache_problems(folder, manifest)
    )


def _swap(staging: Path, folder: Path, old: Path | None) -> None:
    """Rename ``staging`` to ``folder``; an owned ``folder`` first moves to ``old``, an empty one goes."""
    if old is not None:
        os.rename(folder, old)
    elif folder.is_dir():
        folder.rmdir()  # empty (checked); rmdir refuses anything else
    try:
        os.rename(staging, folder)
    except OSError:
        if old is not None:
            os.rename(old, folder)
        raise


def remove_owned(folder: Path, manifest: dict, only_unchanged: bool = False) -> bool:
    """Remove the files the manifest lists (unchanged ones only, if asked), then the emptied folders.

    Anything else in ``folder`` stays, and so does the manifest while anything is left beside it.
    Returns whether ``folder`` is gone. Used in: helpers.datasets (replacing a cache it made).
    """
    for name, digest in manifest["files"].items():
        path = folder / name
        if path.is_file() and not path.is_symlink() and not (only_unchanged and file_sha256(path) != digest):
            path.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), key=lambda p: -len(p.parts)):
        if not any(sub.iterdir()):
            sub.rmdir()
    if [p.name for p in folder.iterdir()] == [MANIFEST]:
        (folder / MANIFEST).unlink()
        folder.rmdir()
    return not folder.exists()


def _remove_sibling(sibling: Path) -> None:
    """Remove the temporary sibling, which holds only what ``_build`` put there."""
    if (sibling / "old").exists():
        warnings.warn(f"{sibling / 'old'} holds files this module did not write; it is left in place", stacklevel=4)
        return
    shutil.rmtree(sibling, ignore_errors=True)
