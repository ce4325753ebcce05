"""Extracting zip and tar archives safely.

Every member is checked before anything of it is written: no absolute paths, no ``..``, no
links, devices or pipes (a data set needs none, and a relative link that stays inside the
extraction folder can still point outside once its file is moved), and bounded totals, so an
archive bomb (a 1 MB zip that unpacks to 1 GiB) is refused before it fills the disk. Damaged
archives raise ``ValueError`` naming the archive, never a raw ``tarfile``/``zipfile`` error.
"""

from __future__ import annotations

import lzma
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath

MAX_EXTRACT_BYTES = 256 << 20  # 256 MiB: FSDD v1.0.10 unpacks to about 25 MB
MAX_MEMBERS = 20_000  # FSDD v1.0.10 has about 3100
_ARCHIVE_ERRORS = (tarfile.TarError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, RuntimeError)


def extract(archive: Path, target: Path, label: str | None = None) -> None:
    """Extract a zip or tar archive into the folder ``target``, refusing unsafe or oversized members.

    ``label`` names the archive in messages (default: its path). Raises ``ValueError`` for a
    damaged archive, a member that would land outside ``target``, a link, a device, or more than
    :data:`MAX_MEMBERS` members or :data:`MAX_EXTRACT_BYTES` bytes in all (checked before writing).

    Used in: helpers.datasets.download_fsdd, helpers.datasets.spoken_digits.
    """
    label = label or str(archive)
    target.mkdir(parents=True, exist_ok=True)
    try:
        if zipfile.is_zipfile(archive):
            _extract_zip(archive, target, label)
        elif tarfile.is_tarfile(archive):
            _extract_tar(archive, target, label)
        else:
            raise ValueError(f"{label} is neither a zip nor a tar archive; check the url or the file")
    except _ARCHIVE_ERRORS as err:
        raise ValueError(
            f"{label} is damaged or incomplete ({type(err).__name__}: {err}); "
            "download it again, or check the url or the file"
        ) from None
    except FileExistsError as err:
        raise ValueError(
            f"{label} holds {Path(err.filename).relative_to(target)} twice; "
            "the archive is malformed, check the url or the file"
        ) from None


def _check_name(name: str, label: str) -> None:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive or ".." in parts:
        raise ValueError(
            f"{label} has a member path {name!r} that points outside the folder it is "
            "extracted to; refusing to extract it (the archive is unsafe)"
        )


def _check_totals(count: int, total: int, label: str) -> None:
    if count > MAX_MEMBERS:
        raise ValueError(
            f"{label} has more than {MAX_MEMBERS} members; refusing to extract it "
            "(too many for a data set of this course, or an archive bomb)"
        )
    if total > MAX_EXTRACT_BYTES:
        raise ValueError(
            f"{label} would unpack to more than {MAX_EXTRACT_BYTES / 2**20:g} MiB "
            f"({total} bytes so far); refusing to extract it (an archive bomb, or not this data set)"
        )


def _extract_zip(archive: Path, target: Path, label: str) -> None:
    with zipfile.ZipFile(archive) as z:
        infos = z.infolist()
        _check_totals(len(infos), sum(i.file_size for i in infos), label)
        for info in infos:
            _check_name(info.filename, label)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ValueError(
                    f"{label} has a member {info.filename!r} that is a symbolic link; "
                    "refusing to extract it (a data set needs no links)"
                )
        written = 0
        for info in infos:
            dest = target / info.filename
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(dest, "xb") as out:
                for block in iter(lambda: src.read(2**20), b""):
                    written += len(block)
                    _check_totals(0, written, label)  # the sizes in a zip's directory may lie
                    out.write(block)


def _extract_tar(archive: Path, target: Path, label: str) -> None:
    with tarfile.open(archive) as t:
        count = total = 0
        for member in t:  # headers are read one by one: a bomb is refused at its first big member
            count, total = count + 1, total + member.size
            _check_totals(count, total, label)
            _check_name(member.name, label)
            if member.issym() or member.islnk():
                raise ValueError(
                    f"{label} has a member {member.name!r} that is a link to {member.linkname!r}; "
                    "refusing to extract it (a data set needs no links)"
                )
            if not (member.isfile() or member.isdir()):
                raise ValueError(
                    f"{label} has a member {member.name!r} that is a device or pipe, not a file; refusing to extract it"
                )
            t.extract(member, target, filter="data")
