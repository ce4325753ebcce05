"""What is installed and where TensorFlow runs: the checks behind 00_setup.

Used in: 00_setup.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

import tensorflow as tf
from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def pinned_requirements(pyproject: Path = PYPROJECT) -> list[Requirement]:
    """The project's pinned dependencies that apply to this Python (markers evaluated).

    Examples
    --------
    >>> any(r.name == "tensorflow" for r in pinned_requirements())
    True

    Used in: 00_setup, tests/test_project.py.
    """
    if not pyproject.is_file():
        raise FileNotFoundError(f"{pyproject} not found; check_environment needs the course's source folder")
    deps = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    reqs = [Requirement(d) for d in deps]
    return [r for r in reqs if r.marker is None or r.marker.evaluate()]


def installed_version(name: str) -> str | None:
    """The installed version of distribution ``name``, or ``None`` when it is missing.

    Used in: 00_setup (through :func:`check_environment`).
    """
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_environment(pyproject: Path = PYPROJECT) -> list[str]:
    """Compare installed packages with the pins; return one line per problem (empty: all good).

    Each line says what to do, e.g. ``"numpy 1.26.4 installed, 2.4.6 pinned: run make lab"``.
    Used in: 00_setup.
    """
    problems = []
    for req in pinned_requirements(pyproject):
        version = installed_version(req.name)
        if version is None:
            problems.append(f"{req.name} is not installed ({req.specifier} pinned): run `make lab` or `pip install -e .`")
        elif version not in req.specifier:
            problems.append(f"{req.name} {version} installed, {req.specifier} pinned: run `make lab` or `pip install -e .`")
    if sys.version_info < (3, 11):
        problems.append(f"Python {sys.version.split()[0]} is too old; the course needs 3.11 or newer")
    return problems


def compute_device() -> str:
    """The device a TensorFlow matrix product lands on: a GPU when one is visible, else the CPU.

    Used in: 00_setup.
    """
    x = tf.random.stateless_normal([256, 256], seed=[0, 0])
    return (x @ x).device.split("device:")[-1]
