"""The STFT explorer as a package: one module per job.

- :mod:`~helpers.explorer.controls`: the ipywidgets (accessible names, value text in physical
  units, a layout that wraps), value checks;
- :mod:`~helpers.explorer.canvas`: the reused matplotlib figure, its blitting and image encoding;
- :mod:`~helpers.explorer.imaging`: pure NumPy image maths (frames and rows in view, max-pooling,
  dB, mel power);
- :mod:`~helpers.explorer.playback`: rebuilding the shown range from its STFT;
- :mod:`~helpers.explorer.clips`: the clips and the student's uploads;
- :mod:`~helpers.explorer.settings`: starting values checked, title and alt text;
- :mod:`~helpers.explorer.explorer`: :class:`STFTExplorer`, which wires them together.

``helpers.widgets.stft_explorer`` is the public face; see it for the arguments.
Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from helpers.explorer.explorer import STFTExplorer

__all__ = ["STFTExplorer"]
