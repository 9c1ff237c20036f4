"""rasid: Arabic security-news event extraction. The public API is `Extractor` (imported lazily: the text and
number utilities do not need torch)."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Extractor", "__version__"]


def __getattr__(name: str):
    if name == "Extractor":
        from .extractor import Extractor

        return Extractor
    raise AttributeError(name)
