"""Spectrogram Lab helpers: the few functions the notebooks would otherwise repeat.

``import helpers`` is cheap: it imports no TensorFlow. Each module (``helpers.audio``,
``helpers.spectral``, ``helpers.plots``, …) is imported the first time it is used, e.g. by
``helpers.spectral.stft(...)``, and TensorFlow is imported quietly (see ``helpers._quiet``)
by the first module that needs it, in whatever order modules are imported.
"""

from __future__ import annotations

import importlib
import pkgutil

from helpers import _quiet

_quiet.install()  # any later `import tensorflow`, by anyone, goes through the quiet import

# Every public module of the package (found on disk, so a new module needs no edit here).
__all__ = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_") and m.name != "data")


def __getattr__(name: str):
    """Import ``helpers.<name>`` on first use (PEP 562), so ``import helpers`` stays light."""
    if name in __all__:
        return importlib.import_module(f"helpers.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}; its modules are {__all__}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
