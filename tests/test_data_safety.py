"""Data safety: the functions that write (download_fsdd, spoken_digits, cache_dir) never remove or
change anything they did not create, verify what their caches hold, and refuse unsafe archives.

Every archive is built here and read through a file:// URL: no network.
"""

import tarfile
import warnings
import zipfile

import pytest
from datasets_support import (
    fsdd_members,
    snapshot,
    tar_bomb,
    tar_entry,
    time_limit,
    wav_bytes,
    write_tar,
    write_zip,
    zip_bomb,
)

from helpers import datasets
from helpers.datasets import archives, bundled, cache

LIMIT = 60  # seconds per case; a refusal or a small extraction takes well under one


def download(folder, archive, **kwargs):
    with time_limit(LIMIT):
        return datasets.download_fsdd(folder, url=archive.as_uri(), **({"recordings_sha256": None} | kwargs))


def leftovers(parent):
    """Temporary siblings a build may have left in ``parent`` (there must be none)."""
    return sorted(p.name for p in parent.glob(".*.partial"))


@pytest.fixture
def archive(tmp_path):
    return write_zip(tmp_path / "fsdd.zip", fsdd_members())


# ------------------------------------------------------------------ folders the user owns


def user_folder(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "precious.txt").write_text("irreplaceable")
    return folder


def project_checkout(tmp_path):
    folder = tmp_path / "checkout"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "README.md").write_text("# my course copy")
    (folder / "notebooks" / "my_work.ipynb").write_text('{"cells": []}')
    return folder


def own_recordings(tmp_path):
    folder = tmp_path / "my_fsdd"
    folder.mkdir()
    (folder / "3_theo_7.wav").write_bytes(wav_bytes())
    return folder


def hidden_file_only(tmp_path):
    folder = tmp_path / "finder"
    folder.mkdir()
    (folder / ".DS_Store").write_bytes(b"\0\1")
    return folder


@pytest.mark.parametrize("make_folder", [user_folder, project_checkout, own_recordings, hidden_file_only])
@pytest.mark.parametrize("how", ["valid archive", "wrong sha256", "missing archive"])
def test_download_fsdd_refuses_a_folder_it_did_not_make_and_keeps_its_files(tmp_path, archive, make_folder, how):
    folder = make_folder(tmp_path)
    before = snapshot(folder)
    url = tmp_path / "absent.zip" if how == "missing archive" else archive
    with pytest.raises(FileExistsError, match=f"'{folder}' already holds files .* not made by download_fsdd"):
        download(folder, url, **({"sha256": "0" * 64} if how == "wrong sha256" else {}))
    assert snapshot(folder) == before and leftovers(tmp_path) == []


def test_download_fsdd_into_the_current_folder_keeps_a_project_checkout(tmp_path, archive, monkeypatch):
    checkout = project_checkout(tmp_path)
    before = snapshot(checkout)
    monkeypatch.chdir(checkout)
    with pytest.raises(FileExistsError, match="README.md, notebooks"):
        download(".", archive)
    assert snapshot(checkout) == before and leftovers(checkout.parent) == []


def test_download_fsdd_refuses_a_file_as_folder(tmp_path, archive):
    (tmp_path / "fsdd").write_text("a file")
    with pytest.raises(FileExistsError, match="is a file, not a folder"):
        download(tmp_path / "fsdd", archive)
    assert (tmp_path / "fsdd").read_text() == "a file"


@pytest.mark.parametrize("name, suggested", [("fsdd", "fsdd_recordings"), ("long_two.wav", "fsdd")])
def test_download_fsdd_on_a_file_suggests_no_path_under_it(tmp_path, archive, name, suggested):
    (tmp_path / name).write_text("a file")
    with pytest.raises(FileExistsError, match="is a file, not a folder") as err:
        download(tmp_path / name, archive)
    assert f"{tmp_path / name}/" not in str(err.value) and "from_folder" not in str(err.value)
    assert f"e.g. folder='{tmp_path / suggested}'" in str(err.value)
    assert (tmp_path / name).read_text() == "a file"


def test_download_fsdd_from_a_directory_url_says_it_is_a_directory(tmp_path):
    (tmp_path / "unpacked").mkdir()
    with pytest.raises(IsADirectoryError, match="is a directory, not an archive; pass the .zip or .tar file"):
        datasets.download_fsdd(tmp_path / "new", url=str(tmp_path / "unpacked"), recordings_sha256=None)
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())


def test_download_fsdd_uses_an_empty_folder_and_writes_a_manifest(tmp_path, archive):
    (tmp_path / "empty").mkdir()
    folder = download(tmp_path / "empty", archive)
    manifest = cache.read_manifest(folder)
    assert sorted(manifest["files"]) == sorted(p.name for p in folder.glob("*.wav")) and len(manifest["files"]) == 4
    assert manifest["source"]["url"] == archive.as_uri()
    assert manifest["source"]["sha256"] == cache.file_sha256(archive)
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- the spoken_digits cache


@pytest.fixture
def user_cache(tmp_path, monkeypatch):
    """A cache folder holding folders and files the user made, some with names like the cache's own."""
    root = tmp_path / "cache"
    for name in ["spoken_digits-mine", "bundled_digits-mine", "spoken_digits-0123456789abcdef"]:
        (root / name / "recordings").mkdir(parents=True)
        (root / name / "recordings" / "0_me_0.wav").write_bytes(wav_bytes())
        (root / name / "notes.txt").write_text("mine")
    (root / "spoken_digits-0123456789abcdef" / ".complete").write_text("an old marker")
    (root / "todo.txt").write_text("mine too")
    monkeypatch.setenv("SPECTROGRAM_LAB_CACHE", str(root))
    return root


def digits_archive(path, voices=("a", "b"), freq=300.0):
    split = f'{{"train": ["{voices[0]}"], "test": ["{voices[1]}"]}}'.encode()
    members = {"spoken_digits/split.json": split}
    members |= {f"spoken_digits/recordings/{d}_{v}_0.wav": wav_bytes(freq + 30 * d) for d in range(10) for v in voices}
    return write_tar(path, members, mode="w:xz")


def test_spoken_digits_keeps_the_users_folders_in_the_cache(user_cache):
    before = snapshot(user_cache)
    with time_limit(LIMIT):
        paths, _, _ = datasets.spoken_digits("all")
        datasets.spoken_digits("test")
    assert snapshot(user_cache).items() >= before.items()
    assert {p.relative_to(user_cache).parts[0] for p in paths} == {
        f"bundled_digits-{cache.file_sha256(datasets.DIGITS_ARCHIVE)[:16]}"
    }


def test_a_new_bundled_archive_removes_only_the_old_files_it_made(user_cache, tmp_path, monkeypatch):
    monkeypatch.setattr(bundled, "DIGITS_ARCHIVE", digits_archive(tmp_path / "one.tar.xz"))
    old = user_cache / datasets.spoken_digits("all")[0][0].relative_to(user_cache).parts[0]
    (old / "spoken_digits" / "recordings" / "my_take.wav").write_bytes(wav_bytes())  # the user's, inside the old cache
    before = snapshot(user_cache)
    monkeypatch.setattr(bundled, "DIGITS_ARCHIVE", digits_archive(tmp_path / "two.tar.xz", ("c", "d")))
    with time_limit(LIMIT):
        new = datasets.spoken_digits("all")[0]
    assert {datasets.fsdd_fields(p)[1] for p in new} == {"c", "d"}
    after = snapshot(user_cache)
    assert {k: v for k, v in before.items() if not k.startswith(old.name)}.items() <= after.items()
    assert sorted(k for k in after if k.startswith(old.name)) == [
        old.name,
        f"{old.name}/{cache.MANIFEST}",
        f"{old.name}/spoken_digits",
        f"{old.name}/spoken_digits/recordings",
        f"{old.name}/spoken_digits/recordings/my_take.wav",
    ]


def test_spoken_digits_refuses_a_user_folder_where_its_cache_would_go(user_cache, tmp_path, monkeypatch):
    monkeypatch.setattr(bundled, "DIGITS_ARCHIVE", digits_archive(tmp_path / "one.tar.xz"))
    target = user_cache / f"bundled_digits-{cache.file_sha256(tmp_path / 'one.tar.xz')[:16]}"
    target.mkdir()
    (target / "precious.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not made by spoken_digits.*SPECTROGRAM_LAB_CACHE"):
        datasets.spoken_digits()
    assert snapshot(target) == {"precious.txt": b"mine"}


def test_spoken_digits_repairs_a_deleted_recording(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTROGRAM_LAB_CACHE", str(tmp_path))
    monkeypatch.setattr(bundled, "DIGITS_ARCHIVE", digits_archive(tmp_path / "one.tar.xz"))
    paths = datasets.spoken_digits("all")[0]
    original = paths[3].read_bytes()
    paths[3].unlink()
    with pytest.warns(UserWarning, match=f"{paths[3].name} is missing"):
        assert datasets.spoken_digits("all")[0] == paths
    assert paths[3].read_bytes() == original


def test_cache_dir_refuses_a_file(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("a file")
    monkeypatch.setenv("SPECTROGRAM_LAB_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ValueError, match="SPECTROGRAM_LAB_CACHE=.* is a file"):
        datasets.cache_dir()
    assert (tmp_path / "cache").read_text() == "a file"


# ------------------------------------------------------------------ verifying the FSDD cache


@pytest.fixture
def cached(tmp_path, archive):
    folder = download(tmp_path / "fsdd", archive)
    return folder, snapshot(folder)


def test_a_second_call_uses_the_cache_without_the_archive(cached, archive, tmp_path):
    folder, before = cached
    archive.unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert download(folder, archive) == folder
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda f: (f / "0_theo_0.wav").unlink(), "0_theo_0.wav is missing"),
        (lambda f: (f / "1_theo_1.wav").write_bytes(b"RIFF" + bytes(40)), "1_theo_1.wav has changed"),
        (
            lambda f: (f / "2_theo_2.wav").write_bytes((f / "2_theo_2.wav").read_bytes()[:100]),
            "2_theo_2.wav has changed",
        ),
    ],
)
def test_a_damaged_cache_is_explained_and_repaired(cached, archive, damage, message):
    folder, before = cached
    damage(folder)
    with pytest.warns(UserWarning, match=message):
        download(folder, archive)
    assert snapshot(folder) == before


@pytest.mark.parametrize("extra", ["notes.txt", "9_me_0.wav", "sub/file.txt"])
def test_a_damaged_cache_holding_the_users_files_is_not_touched(cached, archive, extra):
    folder, _ = cached
    (folder / extra).parent.mkdir(exist_ok=True)
    (folder / extra).write_bytes(b"mine")
    (folder / "0_theo_0.wav").write_bytes(b"damaged")
    before = snapshot(folder)
    with pytest.raises(ValueError, match=f"needs rebuilding: 0_theo_0.wav has changed.*{extra.split('/')[0]}"):
        download(folder, archive)
    assert snapshot(folder) == before


def test_an_extra_recording_in_the_cache_is_reported(cached, archive):
    folder, _ = cached
    (folder / "9_me_0.wav").write_bytes(wav_bytes())
    with pytest.raises(ValueError, match="9_me_0.wav was not part of it.*move those out"):
        download(folder, archive)
    assert (folder / "9_me_0.wav").read_bytes() == wav_bytes()


def test_another_url_rebuilds_the_cache_from_it(cached, tmp_path):
    folder, before = cached
    other = write_zip(tmp_path / "other.zip", fsdd_members(n=6, freq=900))
    with pytest.warns(UserWarning, match="made from url=.*fsdd.zip.*but url=.*other.zip"):
        download(folder, other)
    assert len(list(folder.glob("*.wav"))) == 6 and snapshot(folder) != before
    assert cache.read_manifest(folder)["source"]["url"] == other.as_uri()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"sha256": "0" * 64}, "checksum mismatch: the data has sha256="),
        ({"recordings_sha256": "f" * 64}, "checksum mismatch: the data has recordings_sha256="),
    ],
)
def test_another_checksum_is_explained_and_the_cache_survives_a_failed_rebuild(
    cached, archive, tmp_path, kwargs, match
):
    folder, before = cached
    with pytest.warns(UserWarning, match="but (recordings_)?sha256="), pytest.raises(ValueError, match=match):
        download(folder, archive, **kwargs)
    assert snapshot(folder) == before and leftovers(tmp_path) == []


def test_a_cache_reached_through_a_link_is_repaired_in_place(cached, archive, tmp_path):
    folder, before = cached
    (tmp_path / "link").symlink_to(folder)
    (folder / "0_theo_0.wav").unlink()
    with pytest.warns(UserWarning, match="0_theo_0.wav is missing"):
        assert download(tmp_path / "link", archive) == folder
    assert (tmp_path / "link").is_symlink() and snapshot(folder) == before and leftovers(tmp_path) == []


def test_a_damaged_manifest_is_reported_not_trusted(cached, archive):
    folder, _ = cached
    (folder / cache.MANIFEST).write_text("{not json")
    before = snapshot(folder)
    with pytest.raises(ValueError, match="is damaged.*delete the folder"):
        download(folder, archive)
    assert snapshot(folder) == before


def test_a_failed_download_leaves_nothing_behind(tmp_path, archive):
    with pytest.raises(ValueError, match="checksum mismatch"):
        download(tmp_path / "fsdd", archive, sha256="0" * 64)
    assert not (tmp_path / "fsdd").exists() and leftovers(tmp_path) == []


def fill_with(name: str):
    def fill(staging, work):
        (staging / name).write_text("made")
        return {"version": 1}

    return fill


def user_file_meanwhile(folder):
    folder.mkdir()
    (folder / "notes.txt").write_text("the user's")


# Two notebooks started at once on an empty cache both build it: the second rename finds the folder
# already filled. A sound build of the same data is used; anything else is neither used nor touched.
@pytest.mark.parametrize(
    "meanwhile, expected",
    [
        (lambda folder: cache.owned_folder(folder, {"version": 1}, fill_with("a.txt"), "the other", "-"), None),
        (user_file_meanwhile, "notes.txt"),
    ],
)
def test_a_folder_built_meanwhile_by_another_process(tmp_path, meanwhile, expected):
    folder = tmp_path / "data"

    def fill(staging, work):
        meanwhile(folder)  # the other process renames its folder in while this one is still filling
        return fill_with("a.txt")(staging, work)

    if expected is None:
        assert cache.owned_folder(folder, {"version": 1}, fill, "this one", "-") == folder
        assert sorted(p.name for p in folder.iterdir()) == [".spectrogram-lab.json", "a.txt"]
    else:
        with pytest.raises(OSError):
            cache.owned_folder(folder, {"version": 1}, fill, "this one", "-")
        assert (folder / expected).read_text() == "the user's"
    assert leftovers(tmp_path) == []


def test_an_older_versions_cache_is_adopted_when_its_recordings_check_out(tmp_path):
    folder = own_recordings(tmp_path)
    (folder / ".complete").write_text("https://example.org/fsdd.zip")
    before = snapshot(folder)
    digest = datasets.recordings_digest(folder)
    assert datasets.download_fsdd(folder, url="https://example.org/fsdd.zip", recordings_sha256=digest) == folder
    assert {k: v for k, v in snapshot(folder).items() if k != cache.MANIFEST} == before
    (folder / "notes.txt").write_text("mine")  # from now on it is checked like any cache it made
    with pytest.raises(ValueError, match="notes.txt"):
        datasets.download_fsdd(folder, url="https://example.org/other.zip", recordings_sha256=digest)


def test_an_older_versions_cache_with_other_files_is_refused(tmp_path, archive):
    folder = user_folder(tmp_path)
    (folder / ".complete").write_text("https://example.org/fsdd.zip")
    before = snapshot(folder)
    with pytest.raises(FileExistsError, match="precious.txt"):
        download(folder, archive)
    assert snapshot(folder) == before


# ----------------------------------------------------------------------------- archives

WAV = wav_bytes()
R = "free-spoken-digit-dataset-1.0.10/recordings/"

UNSAFE = {  # name: (make the archive in tmp_path, the message it must give)
    "tar absolute path": (lambda p: write_tar(p / "a.tar", {str(p / "outside" / "0_x_0.wav"): WAV}), "points outside"),
    "tar parent path": (lambda p: write_tar(p / "a.tar", {"../outside/0_x_0.wav": WAV}), "points outside"),
    "tar nested parent path": (lambda p: write_tar(p / "a.tgz", {R + "../../../../0_x_0.wav": WAV}), "points outside"),
    "zip absolute path": (lambda p: write_zip(p / "a.zip", {"/outside/0_x_0.wav": WAV}), "points outside"),
    "zip parent path": (lambda p: write_zip(p / "a.zip", {"../outside/0_x_0.wav": WAV}), "points outside"),
    "zip windows parent path": (lambda p: write_zip(p / "a.zip", {"..\\outside\\0_x_0.wav": WAV}), "points outside"),
    "zip windows drive": (lambda p: write_zip(p / "a.zip", {"C:\\outside\\0_x_0.wav": WAV}), "points outside"),
    "tar absolute symlink": (
        lambda p: write_tar(p / "a.tar", {}, "w", [tar_entry(R + "0_x_0.wav", tarfile.SYMTYPE, "/etc/passwd")]),
        "is a link",
    ),
    "tar relative symlink escaping once moved": (
        lambda p: write_tar(
            p / "a.tar",
            {"free-spoken-digit-dataset-1.0.10/README.md": b"x"},
            "w",
            [tar_entry(R + "0_x_0.wav", tarfile.SYMTYPE, "../README.md")],
        ),
        "is a link",
    ),
    "tar hardlink outside": (
        lambda p: write_tar(p / "a.tar", {}, "w", [tar_entry(R + "0_x_0.wav", tarfile.LNKTYPE, "/etc/passwd")]),
        "is a link",
    ),
    "tar hardlink inside": (
        lambda p: write_tar(
            p / "a.tar", {R + "0_x_0.wav": WAV}, "w", [tar_entry(R + "0_x_1.wav", tarfile.LNKTYPE, R + "0_x_0.wav")]
        ),
        "is a link",
    ),
    "tar fifo": (
        lambda p: write_tar(p / "a.tar", {}, "w", [tar_entry(R + "0_x_0.wav", tarfile.FIFOTYPE)]),
        "device or pipe",
    ),
    "tar character device": (
        lambda p: write_tar(p / "a.tar", {}, "w", [tar_entry(R + "0_x_0.wav", tarfile.CHRTYPE)]),
        "device or pipe",
    ),
    "zip symlink": (lambda p: _zip_symlink(p / "a.zip"), "symbolic link"),
    "zip bomb, 1 MB to 1 GiB": (lambda p: zip_bomb(p / "a.zip"), "more than 256 MiB"),
    "tar.gz bomb, 1 MB to 1 GiB": (lambda p: tar_bomb(p / "a.tar.gz"), "more than 256 MiB"),
    "truncated zip": (lambda p: _truncated(write_zip(p / "a.zip", fsdd_members(20))), "damaged or incomplete|neither"),
    "truncated tar.xz": (
        lambda p: _truncated(write_tar(p / "a.tar.xz", fsdd_members(20), "w:xz")),
        "damaged or incomplete",
    ),
    "not an archive": (lambda p: _written(p / "a.zip", b"<html>rate limited</html>"), "neither a zip nor a tar"),
    "no FSDD recordings": (lambda p: write_zip(p / "a.zip", {"x/readme.md": b"hello"}), "no FSDD-named WAV"),
    "two files with one name": (
        lambda p: write_zip(p / "a.zip", {"a/0_x_0.wav": WAV, "b/0_x_0.wav": WAV}),
        "two files named 0_x_0.wav",
    ),
}


def _zip_symlink(path):
    info = zipfile.ZipInfo(R + "0_x_0.wav")
    info.external_attr = 0o120777 << 16
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(info, "/etc/passwd")
    return path


def _truncated(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def _written(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", list(UNSAFE))
def test_unsafe_or_damaged_archives_are_refused_before_anything_escapes(tmp_path, case):
    make, match = UNSAFE[case]
    (tmp_path / "src").mkdir()
    archive = make(tmp_path / "src")
    with pytest.raises(ValueError, match=match) as error:
        download(tmp_path / "out" / "fsdd", archive)
    assert "Traceback" not in str(error.value) and len(str(error.value)) < 400
    assert not (tmp_path / "outside").exists() and not (tmp_path / "src" / "outside").exists()
    assert not (tmp_path / "out" / "fsdd").exists() and leftovers(tmp_path / "out") == []
    written = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file() and "src" not in p.parts)
    assert written < 2**20  # a bomb was refused before it was written


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBERS", 5)
    archive = write_zip(tmp_path / "a.zip", fsdd_members(n=10))
    with pytest.raises(ValueError, match="more than 5 members"):
        download(tmp_path / "fsdd", archive)
    assert not (tmp_path / "fsdd").exists()


@pytest.mark.parametrize("writer", [write_zip, write_tar])
def test_the_size_cap_counts_all_members_and_holds_before_writing(tmp_path, monkeypatch, writer):
    archive = writer(tmp_path / "a.archive", fsdd_members(n=3))
    monkeypatch.setattr(archives, "MAX_EXTRACT_BYTES", 4000)  # each recording is 1.6 kB, the three 4.8 kB
    with pytest.raises(ValueError, match="would unpack to more than"):
        archives.extract(archive, tmp_path / "x")
    assert sum(p.stat().st_size for p in (tmp_path / "x").rglob("*") if p.is_file()) <= 4000
