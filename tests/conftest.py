"""Shared pytest set-up: quiet TensorFlow, a bounded hypothesis profile, the real-recordings folder."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import helpers  # noqa: F401  (installs the quiet TensorFlow import before any test imports tensorflow)

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT.parent / "shared" / "test-data"

settings.register_profile("course", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("course")


@pytest.fixture
def test_data() -> Path:
    """The real recordings beside the project (``../shared/test-data``); skip when absent."""
    if not TEST_DATA.is_dir():
        pytest.skip(f"real recordings not found at {TEST_DATA} (they live beside the project, not in it)")
    return TEST_DATA
