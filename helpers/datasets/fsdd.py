"""The Free Spoken Digit Dataset, downloaded on request (the one function here that uses the network).

:func:`download_fsdd` writes only into a folder it makes itself (see :mod:`helpers.datasets.cache`)
and checks the archive, every recording and, on later calls, the cached copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.parse
import urllib.request
from pathlib import Path

from helpers import _validate
from helpers.datasets.archives import extract
from helpers.datasets.cache import MANIFEST, cache_dir, file_sha256, owned_folder
from helpers.datasets.folders import fsdd_fields

FSDD_URL = "https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/v1.0.10.zip"
# SHA-256 of the 3000 recordings of FSDD v1.0.10 (see recordings_digest), not of the zip, which
# GitHub may repack: the check holds for any archive that carries the same recordings.
FSDD_RECORDINGS_SHA256 = "a2e8a660492f28d9eed6270b290d26cbc5c81d6077ce87d3c0ad5adf4d4ee696"
MAX_DOWNLOAD_BYTES = 1 << 30


def download_fsdd(
    folder: str | os.PathLike | None = None,
    url: str = FSDD_URL,
    sha256: str | None = None,
    recordings_sha256: str | None = FSDD_RECORDINGS_SHA256,
) -> Path:
    """Download the Free Spoken Digit Dataset once (opt-in: needs internet) and return its folder.

    The archive (zip or tar; ``url`` may also be a local path or ``file://`` URL) is checked
    against ``sha256`` when given, its FSDD-named WAVs are extracted into ``folder`` (default
    ``cache_dir() / "fsdd"``), and the recordings are checked against ``recordings_sha256``
    (see :func:`recordings_digest`; ``None`` skips it).

    ``folder`` must be new or empty: a folder that already holds files this function did not
    write is refused and left as it is. The folder it makes holds a manifest of every file with
    its SHA-256 and the url and checksums used; a later call checks all of it, and rebuilds the
    folder (with a warning) when a file was deleted or changed or another url or checksum is
    asked for. Building happens in a temporary sibling folder renamed into place at the end, so
    a failed download or checksum mismatch (``ValueError``) leaves nothing behind.

    Examples
    --------
    >>> fsdd = download_fsdd()  # doctest: +SKIP
    >>> paths, labels, class_names = from_folder(fsdd)  # doctest: +SKIP

    Used in: 06_speech_digits (optional; 10 points to it).
    """
    folder = _validate.path(folder, "folder") if folder is not None else cache_dir() / "fsdd"
    url = _normal_url(url)
    sha256, recordings_sha256 = _checksum(sha256, "sha256"), _checksum(recordings_sha256, "recordings_sha256")
    request = {"url": url, "sha256": sha256, "recordings_sha256": recordings_sha256}
    if folder.exists() and not folder.is_dir():
        beside = folder.parent / ("fsdd" if folder.name != "fsdd" else "fsdd_recordings")
        raise FileExistsError(
            f"folder={str(folder)!r} is a file, not a folder; pass a new folder, e.g. folder={str(beside)!r}"
        )
    _adopt_legacy_cache(folder, recordings_sha256)
    hint = (
        f"pass a new or empty folder, e.g. folder={str(folder / 'fsdd')!r} (recordings you already "
        f"have there are read with from_folder({str(folder)!r}))"
    )
    return owned_folder(folder, request, lambda staging, work: _fill_fsdd(staging, work, url), "download_fsdd", hint)


def _fill_fsdd(staging: Path, work: Path, url: str) -> dict:
    """Fetch and unpack the archive into ``work``; move its FSDD-named WAVs into ``staging``."""
    archive = fetch(url, work / "archive")
    extract(archive, work / "x", label=f"the archive from {url}")
    wavs = [p for p in sorted((work / "x").rglob("*.wav")) if p.is_file() and fsdd_fields(p)]
    if not wavs:
        raise ValueError(f"the archive from {url} holds no FSDD-named WAV files; check url")
    for wav in wavs:
        if (staging / wav.name).exists():
            raise ValueError(f"the archive from {url} holds two files named {wav.name}; check url")
        os.rename(wav, staging / wav.name)
    return {"url": url, "sha256": file_sha256(archive), "recordings_sha256": recordings_digest(staging)}


def _adopt_legacy_cache(folder: Path, recordings_sha256: str | None) -> None:
    """Give a folder made by an older version of this function (marker ``.complete``) a manifest.

    Only when it holds nothing but that marker and FSDD recordings that match ``recordings_sha256``.
    """
    if not (folder / ".complete").is_file() or (folder / MANIFEST).exists() or recordings_sha256 is None:
        return
    entries = list(folder.iterdir())
    if any(p.name != ".complete" and not (p.is_file() and p.suffix == ".wav" and fsdd_fields(p)) for p in entries):
        return
    if recordings_digest(folder) != recordings_sha256:
        return
    source = {
        "url": _normal_url((folder / ".complete").read_text().strip()),
        "sha256": None,
        "recordings_sha256": recordings_sha256,
    }
    files = {p.name: file_sha256(p) for p in sorted(entries)}
    tmp = folder / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps({"written_by": "helpers.datasets", "source": source, "files": files}, indent=1))
    os.replace(tmp, folder / MANIFEST)


def recordings_digest(folder: str | os.PathLike) -> str:
    """SHA-256 over the sorted names and contents of the WAV files in ``folder``.

    Used in: helpers.datasets.download_fsdd.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.wav")):
        digest.update(path.name.encode() + b"\0" + bytes.fromhex(file_sha256(path)))
    return digest.hexdigest()


def _checksum(value, name: str) -> str | None:
    """A SHA-256 as 64 lower-case hex digits, or None."""
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        raise ValueError(
            f"{name}={_validate.show(value)} is not a SHA-256 (64 hex digits); pass the checksum "
            "published with the archive, or None to skip the check"
        )
    return value.lower()


def _normal_url(url) -> str:
    """``url`` with a local path written as an absolute ``file://`` URL (the form a manifest records)."""
    if not isinstance(url, (str, os.PathLike)):
        raise TypeError(f"url={url!r} is not a string; pass an https URL, a file:// URL or a local path")
    url = os.fspath(url)
    if url.startswith("file://"):
        return Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path)).resolve().as_uri()
    return url if "://" in url else Path(url).resolve().as_uri()


def fetch(url: str, target: Path) -> Path:
    """Copy ``url`` (http(s) or file://) to ``target``, at most :data:`MAX_DOWNLOAD_BYTES` bytes.

    Used in: helpers.datasets.download_fsdd.
    """
    if url.startswith("file://"):
        local = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
        if local.is_dir():
            raise IsADirectoryError(
                f"url={url!r} is a directory, not an archive; pass the .zip or .tar file "
                f"(recordings already unpacked there are read with from_folder({str(local)!r}))"
            )
        if not local.is_file():
            raise FileNotFoundError(f"url={url!r}: no such file; pass an existing archive or an https URL")
        url = local.as_uri()
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
            for block in iter(lambda: response.read(2**20), b""):
                if out.tell() + len(block) > MAX_DOWNLOAD_BYTES:
                    raise ValueError(
                        f"{url} is larger than {MAX_DOWNLOAD_BYTES / 2**30:g} GiB; "
                        "that is not the FSDD archive: check url"
                    )
                out.write(block)
    except OSError as err:
        raise OSError(f"could not download {url} ({err}); check your internet connection and the url") from None
    return target
