"""Data sets for the ML notebooks: bundled spoken digits, folders of recordings, synthetic sounds.

Every loader returns the same triple, so one pipeline serves them all::

    clips, labels, class_names = spoken_digits("train")     # clips: list of paths
    clips, labels, class_names = from_folder("my_recordings")
    clips, labels, class_names = environmental_sounds(40)   # clips: float32 array [n, samples]

``labels`` is an int array of indices into ``class_names``; ``clips`` is a list of file paths or
a ``[n, samples]`` array of waveforms. :func:`to_dataset` turns either into a batched ``tf.data``
pipeline of fixed-length waveforms (decode, resample, pad/crop, cache, prefetch); the
spectrogram is computed by the model itself (``helpers.models.LogMelSpectrogram``).

One job per module:

=====================  =====================================================================
``pipeline``           the ``tf.data`` chain: :func:`to_dataset`, :func:`fix_length`, :func:`to_arrays`
``examples``           the checks ``to_dataset`` runs on clips, labels and sizes before TensorFlow
``folders``            class-per-folder and FSDD-named layouts: :func:`from_folder`, :func:`fsdd_split`
``files``              which files are usable: :func:`check_files`
``bundled``            the bundled espeak-ng digits: :func:`spoken_digits`
``fsdd``               the opt-in FSDD download: :func:`download_fsdd`
``cache``              :func:`cache_dir`, and the rule: change only folders this package made
``archives``           safe zip/tar extraction (no escapes, no links, no bombs)
``synthetic``          :func:`environmental_sounds`, :func:`music_genres` (NumPy, deterministic)
=====================  =====================================================================

Nothing here touches the network except :func:`download_fsdd`, which you call yourself.
Files are cached under ``~/.cache/spectrogram-lab`` or the folder named by the environment
variable ``SPECTROGRAM_LAB_CACHE``. Each module is imported on first use of one of its names,
so ``import helpers.datasets`` does not import TensorFlow.
"""

from __future__ import annotations

import importlib

_HOMES = {  # public name: the module that defines it
    "to_dataset": "pipeline",
    "fix_length": "pipeline",
    "to_arrays": "pipeline",
    "from_folder": "folders",
    "fsdd_fields": "folders",
    "fsdd_split": "folders",
    "FSDD_PATTERN": "folders",
    "check_files": "files",
    "spoken_digits": "bundled",
    "DIGITS_ARCHIVE": "bundled",
    "DIGIT_NAMES": "bundled",
    "download_fsdd": "fsdd",
    "recordings_digest": "fsdd",
    "FSDD_URL": "fsdd",
    "FSDD_RECORDINGS_SHA256": "fsdd",
    "cache_dir": "cache",
    "environmental_sounds": "synthetic",
    "music_genres": "synthetic",
    "ENVIRONMENTAL_CLASSES": "synthetic",
    "GENRES": "synthetic",
}
_MODULES = ["archives", "bundled", "cache", "examples", "files", "folders", "fsdd", "pipeline", "synthetic"]
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    """``helpers.datasets.<name>``: the name from its module, imported on first use (PEP 562)."""
    if name in _HOMES:
        return getattr(importlib.import_module(f"helpers.datasets.{_HOMES[name]}"), name)
    if name in _MODULES:
        return importlib.import_module(f"helpers.datasets.{name}")
    raise AttributeError(f"module 'helpers.datasets' has no attribute {name!r}; its public names are {__all__}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | set(_MODULES))
