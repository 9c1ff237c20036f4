"""Shared fixtures: the built default encoder (built once per machine into the rasid cache) and shared data."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "seed-article.txt"


@pytest.fixture(scope="session")
def encoder_dir() -> Path:
    from rasid.encoder import default_encoder

    return default_encoder()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
