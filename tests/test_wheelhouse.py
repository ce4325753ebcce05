"""`make wheelhouse`: the course installs into a fresh venv from the wheel folder alone (no index).

Building the wheelhouse downloads about 800 MB, so the test reuses one: ``build/wheelhouse/``
when ``make wheelhouse`` has filled it with a wheel for every current pin that this Python can
install, else its own cache ``build/test-wheelhouse/cpXY/`` for this interpreter (filled or topped
up from PyPI when PyPI is reachable). With neither, it skips and names the missing wheels. Only
wheels whose tags this interpreter accepts count: a folder filled on Python 3.11 holds no
TensorFlow for 3.12. The install itself runs with ``--no-index``: nothing may come from the network.
"""

import importlib.util
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packaging.tags import sys_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
MADE = ROOT / "build" / "wheelhouse"
CACHE = ROOT / "build" / "test-wheelhouse" / f"cp{sys.version_info.major}{sys.version_info.minor}"
_spec = importlib.util.spec_from_file_location("make_wheelhouse", ROOT / "scripts" / "make_wheelhouse.py")
make_wheelhouse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_wheelhouse)
CHECK = """
import numpy as np
import helpers, helpers.spectral
tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000).astype(np.float32)
S = helpers.spectral.magnitude(helpers.spectral.stft(tone, frame_length=512, frame_step=128, fft_length=512))
print(helpers.__file__)
print("peak bin", int(np.argmax(np.asarray(S).mean(axis=0))))
"""


def installable(wheel: Path) -> bool:
    """Whether this interpreter accepts the wheel's tags (a cp311 wheel is no use to Python 3.12)."""
    try:
        _, _, _, tags = parse_wheel_filename(wheel.name)
    except InvalidWheelFilename:
        return False
    return not tags.isdisjoint(sys_tags())


def missing(folder: Path) -> list[str]:
    """The runtime pins (and the course, and its build backend) with no wheel in ``folder`` for this Python."""
    names = {path.name.split("-")[0].lower() for path in folder.glob("*.whl") if installable(path)}
    wanted = [re.split(r"[=<>!~;\\[ ]", pin, maxsplit=1)[0] for pin in make_wheelhouse.runtime_pins()]
    wanted += ["spectrogram-lab", "setuptools"]
    return [name for name in wanted if name.lower().replace("-", "_").replace(".", "_") not in names]


def pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def wheelhouse() -> Path:
    for folder in (MADE, CACHE):
        if folder.is_dir() and not missing(folder):
            return folder
    if not pypi_reachable():
        pytest.skip(
            f"no complete wheelhouse at {MADE} or {CACHE} (missing: {', '.join(missing(MADE))}) "
            f"and PyPI is unreachable; run `make wheelhouse` on a machine with internet"
        )
    assert make_wheelhouse.main(["--output-dir", str(CACHE)]) == 0
    return CACHE


def test_commands_download_runtime_pins_and_the_build_backend(tmp_path):
    plain = make_wheelhouse.commands(tmp_path, [])
    assert plain[0][-4:] == ["wheel", "--wheel-dir", str(tmp_path), str(ROOT)]
    assert any(arg.startswith("setuptools") for arg in plain[1])
    other = make_wheelhouse.commands(tmp_path / "w", ["--platform", "macosx_11_0_arm64", "--only-binary=:all:"])
    pins = (tmp_path / "wheelhouse-requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "tensorflow==2.21.0" in pins and not any(pin.startswith(("pytest", "nbval", "ruff")) for pin in pins)
    assert "download" in other[0] and "--platform" in other[0]


def test_only_wheels_this_python_accepts_count_as_present(tmp_path):
    here = f"cp{sys.version_info.major}{sys.version_info.minor}"
    other = "cp311" if here != "cp311" else "cp312"
    (tmp_path / f"tensorflow-2.21.0-{other}-{other}-manylinux_2_27_x86_64.whl").touch()
    (tmp_path / "not-a-wheel.whl").touch()
    assert "tensorflow" in missing(tmp_path)
    (tmp_path / "tensorflow-2.21.0-py3-none-any.whl").touch()
    assert "tensorflow" not in missing(tmp_path)


@pytest.mark.slow
def test_extras_add_their_pins_and_an_unknown_extra_is_named(tmp_path, capsys):
    plain = make_wheelhouse.commands(tmp_path, [], ("test", "classroom"))
    assert plain[0][-1] == f"{make_wheelhouse.ROOT}[test,classroom]"
    other = make_wheelhouse.commands(tmp_path / "w", ["--platform", "macosx_11_0_arm64"], ("test",))
    pins = (tmp_path / "wheelhouse-requirements.txt").read_text(encoding="utf-8").splitlines()
    assert any(pin.startswith("nbval==") for pin in pins) and any(pin.startswith("pytest==") for pin in pins)
    assert other[0][-1] == str(tmp_path / "wheelhouse-requirements.txt")
    assert make_wheelhouse.main(["--extras", "test,nope", "--output-dir", str(tmp_path / "x")]) == 2
    assert "no extra 'nope' in pyproject.toml" in capsys.readouterr().err and not (tmp_path / "x").exists()


@pytest.mark.slow
def test_course_installs_from_the_wheelhouse_without_an_index(wheelhouse, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    start = time.perf_counter()
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",  # no .pyc files now (Python writes them on first import): the test is about the wheels
            "--no-index",
            "--find-links",
            str(wheelhouse),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    seconds = time.perf_counter() - start
    assert install.returncode == 0, install.stderr[-3000:]
    size = sum(path.stat().st_size for path in wheelhouse.glob("*.whl")) / 1e6
    print(f"\ninstalled from {wheelhouse} ({size:.0f} MB of wheels) in {seconds:.0f} s")
    consistent = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True, check=False)
    assert consistent.returncode == 0, consistent.stdout
    run = subprocess.run(
        [str(python), "-c", CHECK], capture_output=True, text=True, check=False, cwd=tmp_path, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    module_file, peak = run.stdout.strip().splitlines()[-2:]
    assert module_file.startswith(str(venv)), "helpers must come from the fresh venv, not the checkout"
    assert peak == "peak bin 32", peak  # 1000 Hz at 16000 Hz with 512-point FFT: bin 1000 / 31.25


def test_binder_pins_are_the_runtime_pins_without_the_server_and_without_a_local_path():
    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert text == make_wheelhouse.binder_requirements(), (
        "binder/requirements.txt differs from pyproject.toml's pins: run "
        "python scripts/make_wheelhouse.py --binder-requirements"
    )
    pins = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert "tensorflow==2.21.0" in pins and not any(pin.startswith(("jupyterlab", "ipykernel")) for pin in pins)
    assert not any(line.startswith(("-e", ".", "/")) for line in pins), "a local path defeats repo2docker's cache"
    post_build = ROOT / "binder" / "postBuild"
    assert "pip install --no-deps" in post_build.read_text(encoding="utf-8") and post_build.stat().st_mode & 0o111
