"""Shared pytest set-up: the slowest files first, a share of the cores per worker, quiet TensorFlow,
a bounded hypothesis profile, the real-recordings folder."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import helpers  # noqa: F401  (installs the quiet TensorFlow import before any test imports tensorflow)

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT.parent / "shared" / "test-data"

# The slowest files, slowest first (each took 30 s to 150 s of one worker in `make test` on 2 cores).
# pytest-xdist hands out whole files in collection order (with --no-loadscope-reorder), each to the
# next free worker, so the long ones start at once and the short ones fill the gaps at the end.
SLOWEST_FIRST = (
    "notebooks/06_speech_digits.ipynb",
    "notebooks/10_augmentation.ipynb",
    "tests/test_assignments.py",
    "notebooks/12_deployment.ipynb",
    "tests/test_cli.py",
    "tests/test_cli_fsdd.py",
    "tests/test_wheelhouse.py",
    "tests/test_book.py",
    "notebooks/07_environmental_sounds.ipynb",
    "tests/test_widgets.py",
    "notebooks/08_music_genres.ipynb",
    "tests/test_project.py",
    "notebooks/04_visualization.ipynb",
)


def pytest_collection_modifyitems(items) -> None:
    """Collect the files of SLOWEST_FIRST first, in its order; every file keeps its own order."""
    rank = {path: i for i, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def share_the_cores() -> None:
    """Give each pytest-xdist worker its share of the cores, in its own process and in what it starts.

    TensorFlow's thread pools and OpenBLAS default to every core, so two workers on two cores each
    ran two threads per op and spent CPU time waiting on each other: `make test` took 9 min 19 s
    (895 s of CPU) with the defaults and 8 min 25 s (784 s) with one thread per worker. Three workers
    on two cores get one thread each. Set here, before anything imports TensorFlow or NumPy, the
    limits also reach the notebooks' kernels and the CLIs' subprocesses (they inherit the
    environment); a limit already set is kept.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    share = str(max(1, (os.cpu_count() or 1) // workers))
    for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(name, share)


share_the_cores()
settings.register_profile("course", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("course")


@pytest.fixture
def test_data() -> Path:
    """The real recordings beside the project (``../shared/test-data``); skip when absent."""
    if not TEST_DATA.is_dir():
        pytest.skip(f"real recordings not found at {TEST_DATA} (they live beside the project, not in it)")
    return TEST_DATA
