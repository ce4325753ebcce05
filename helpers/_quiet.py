"""Keep TensorFlow's C++ start-up chatter out of notebook outputs, whatever the import order.

ipykernel forwards everything written to file descriptor 2 into the notebook, and TensorFlow
prints time-stamped lines there while it is imported (oneDNN, CUDA probing). Those lines would
change on every run and break nbval's comparison, so the import happens with descriptor 2
pointed at ``/dev/null``. Errors raised by Python are not affected.

Two ways in, so no import sorter can break it: helper modules get TensorFlow from
:func:`import_tensorflow_quietly` (``tf = import_tensorflow_quietly()``) instead of
``import tensorflow``, and ``import helpers`` installs a :data:`sys.meta_path` finder
(:func:`install`) so that a plain ``import tensorflow`` anywhere afterwards is quiet too.
:func:`librosa_own_deprecations` keeps out the one warning librosa 1.0 gives about its own calls.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import sys
import threading
import warnings

_silencing = threading.Lock()
_silenced: dict[int, list[int]] = {}  # fd -> [blocks inside, the saved descriptor]


@contextlib.contextmanager
def silenced_fd(fd: int = 2):
    """Point file descriptor ``fd`` at /dev/null for the duration of the block.

    Safe across threads (tf.data decodes files in parallel): the first block to enter saves
    ``fd`` and the last to leave restores it, so overlapping blocks cannot leave it silenced.

    Used in: the quiet TensorFlow import, helpers.audio (libmpg123 prints notes on fd 2).
    """
    with _silencing:
        if fd not in _silenced:
            saved, devnull = os.dup(fd), os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
            _silenced[fd] = [0, saved]
        _silenced[fd][0] += 1
    try:
        yield
    finally:
        with _silencing:
            _silenced[fd][0] -= 1
            if _silenced[fd][0] == 0:
                saved = _silenced.pop(fd)[1]
                os.dup2(saved, fd)
                os.close(saved)


def import_tensorflow_quietly():
    """Import TensorFlow with its C++ log level raised and its start-up lines discarded; return it.

    Cheap once TensorFlow is imported. Used by helpers.spectral, helpers.phase, helpers.augment
    and by :func:`install`'s finder, so every notebook that uses the helpers gets it.
    """
    if "tensorflow" in sys.modules and hasattr(sys.modules["tensorflow"], "config"):
        return sys.modules["tensorflow"]
    _QuietFinder.remove()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with silenced_fd(2):
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
        tf.config.list_physical_devices()  # device probing prints too; do it now, quietly
    return tf


class _QuietLoader(importlib.abc.Loader):
    """TensorFlow's own loader, run with descriptor 2 silenced (one import, not two)."""

    def __init__(self, loader):
        self.loader = loader

    def __getattr__(self, name):  # resource readers and the like: the real loader's
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with silenced_fd(2):
            self.loader.exec_module(module)
            module.get_logger().setLevel("ERROR")
            module.config.list_physical_devices()


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` like the normal path finder does, but hands it a quiet loader."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        self.remove()  # once is enough; also keeps a failed import from retrying through here
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec

    @staticmethod
    def remove() -> None:
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _QuietFinder)]


def install() -> None:
    """Make the next ``import tensorflow`` quiet, from any module (idempotent, no import now).

    Used by helpers/__init__.py.
    """
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder())


@contextlib.contextmanager
def librosa_own_deprecations():
    """Silence the FutureWarning librosa 1.0 raises about its *own* call.

    ``librosa.effects.time_stretch`` (and ``pitch_shift`` through it) passes ``hop_length`` to
    ``phase_vocoder``, which 1.0 deprecated, so every call warns whatever the caller passes. Our
    arguments are valid on 0.11 and 1.0; only that message is silenced, nothing else.

    Used in: helpers.augment.pitch_shift and time_stretch.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="The `(hop_length|n_fft)` parameter is deprecated", category=FutureWarning
        )
        yield
