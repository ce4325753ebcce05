"""Exercise checkers: each tells a student whether an answer is right and, if not, what to look at.

Every checker prints one line of feedback and returns a :class:`Feedback`, truthy when the answer
is right (``✓ Correct: …``); a wrong answer gets ``✗ Not yet: …`` with a hint for the mistake it
shows, and the placeholder ``None`` gets ``… Not answered yet: …`` with a nudge, never the answer.
``hint("name")`` gives stronger help step by step and ``solution("name")`` the full answer.

One module per notebook group (``loading`` for 01, ``stft`` for 02, ``normalization`` for 03,
``visualization`` for 04, ``ml`` for 06-08, ``next_steps`` for 09-12, ``predictions`` for the
predict-first exercises of 01-05, and any module added later); this package re-exports the
``__all__`` of each of them, so every checker is ``helpers.checks.<name>``. The mechanism they
share is :mod:`helpers.checks._feedback`.

Used in: 01_loading_audio, 02_stft, 03_normalization, 04_visualization, 05_stft_explorer,
06_speech_digits, 07_environmental_sounds, 08_music_genres, 09_mel_mfcc, 10_augmentation,
11_phase_reconstruction, 12_deployment.
"""

from __future__ import annotations

import importlib
import pkgutil

from helpers.checks._feedback import Feedback, hint, judge, solution

__all__ = ["Feedback", "judge", "hint", "solution"]
_HOME = dict.fromkeys(__all__, "_feedback")  # public name -> the module that defines it


def _export(module_name: str) -> None:
    module = importlib.import_module(f"{__name__}.{module_name}")
    for name in getattr(module, "__all__", ()):
        if name in _HOME and _HOME[name] != module_name:
            raise ImportError(f"helpers.checks.{module_name} and helpers.checks.{_HOME[name]} both export "
                              f"{name!r}; rename one of them (every checker needs a unique name)")
        _HOME[name] = module_name
        globals()[name] = getattr(module, name)
        __all__.append(name)


for _info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
    if not _info.name.startswith("_"):
        _export(_info.name)
