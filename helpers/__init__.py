"""Spectrogram Lab helpers: the few functions the notebooks would otherwise repeat.

Importing ``helpers`` imports TensorFlow quietly (see ``helpers._quiet``), so import it before
``tensorflow`` in a notebook's setup cell. Heavier modules (``widgets``, ``datasets``, ``models``)
are imported on demand: ``import helpers.widgets``.
"""

from helpers._quiet import import_tensorflow_quietly

import_tensorflow_quietly()

from helpers import audio, plots, spectral  # noqa: E402  (after the quiet import on purpose)

__all__ = ["audio", "plots", "spectral"]
