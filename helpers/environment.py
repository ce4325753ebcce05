"""What is installed and where TensorFlow runs: the checks behind 00_setup.

Light on purpose: importing this module imports neither TensorFlow nor librosa, so the set-up
notebook can report a missing or broken core package instead of failing on import. The pins are
read from the installed project's metadata (``importlib.metadata.requires("spectrogram-lab")``),
so a plain ``pip install .`` works too; a source checkout that was never installed falls back to
its ``pyproject.toml``.

Used in: 00_setup.
"""

from __future__ import annotations

import sys
import tomllib
import warnings
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

DISTRIBUTION = "spectrogram-lab"
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
FIX = "run `make lab` or `pip install -e .`"


class PinWarning(UserWarning):
    """An installed version differs from the course's pin (a warning, not a problem, on Colab).

    Used in: helpers.environment.check_environment.
    """


def pinned_requirements(pyproject: Path | None = None) -> list[Requirement]:
    """The project's pinned dependencies that apply to this Python (markers evaluated, no extras).

    ``pyproject=None`` reads the installed project's metadata; a path reads that ``pyproject.toml``.

    Examples
    --------
    >>> any(r.name == "tensorflow" for r in pinned_requirements())
    True

    Used in: 00_setup, tests/test_project.py.
    """
    if pyproject is None:
        try:
            lines = metadata.requires(DISTRIBUTION) or []
        except metadata.PackageNotFoundError:
            if not PYPROJECT.is_file():
                raise FileNotFoundError(
                    f"the {DISTRIBUTION} project is not installed and {PYPROJECT} is "
                    f"missing; {FIX} in the course folder"
                ) from None
            return pinned_requirements(PYPROJECT)
    else:
        pyproject = Path(pyproject)
        if not pyproject.is_file():
            raise FileNotFoundError(f"{pyproject} not found; pass the course's pyproject.toml (or None)")
        lines = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    reqs = [Requirement(line) for line in lines]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def installed_version(name: str) -> str | None:
    """The installed version of distribution ``name``, or ``None`` when it is missing.

    Used in: 00_setup (through :func:`check_environment`).
    """
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def on_colab() -> bool:
    """True inside Google Colab (its ``google.colab`` module is loaded), which ships its own versions.

    Used in: helpers.environment.check_environment.
    """
    return "google.colab" in sys.modules


def check_environment(pyproject: Path | None = None, *, strict: bool | None = None) -> list[str]:
    """Compare installed packages with the pins; return one line per problem (empty: all good).

    Each line says what to do, e.g. ``"numpy 1.26.4 installed, ==2.4.6 pinned: run `make lab` …"``.
    A missing package is always a problem. A version that differs from its pin is one too when
    ``strict`` (the default, except on Google Colab, whose preinstalled versions the course
    accepts): with ``strict=False`` each difference is issued as a :class:`PinWarning` instead.

    Used in: 00_setup.
    """
    if strict is None:
        strict = not on_colab()
    elif not isinstance(strict, bool):
        raise TypeError(f"strict={strict!r} is not a boolean; pass True, False or None (None: strict except on Colab)")
    problems = []
    for req in pinned_requirements(pyproject):
        version = installed_version(req.name)
        if version is None:
            problems.append(f"{req.name} is not installed ({req.specifier} pinned): {FIX}")
        elif version not in req.specifier:
            line = f"{req.name} {version} installed, {req.specifier} pinned: {FIX}"
            if strict:
                problems.append(line)
            else:
                warnings.warn(line, PinWarning, stacklevel=2)
    return problems


def compute_device() -> str:
    """The device a TensorFlow matrix product lands on: a GPU when one is visible, else the CPU.

    Imports TensorFlow (quietly) on first call. Used in: 00_setup.
    """
    from helpers._quiet import import_tensorflow_quietly

    tf = import_tensorflow_quietly()
    x = tf.random.stateless_normal([256, 256], seed=[0, 0])
    return (x @ x).device.split("device:")[-1]
