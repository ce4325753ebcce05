"""The one feedback mechanism every exercise checker uses: :class:`Feedback`, :func:`judge`, hints, solutions.

A checker compares a student's answer with the right one and returns a :class:`Feedback`, which
prints one line when it is made and is truthy when the answer is right:

- ``… Not answered yet: <nudge>`` while the placeholder (``None``) is still there: a nudge only,
  never the answer, so a notebook runs from top to bottom before the exercises are done;
- ``✓ Correct: <what the answer means>``;
- ``✗ Not yet: <specific hint>`` for the first usual mistake the answer shows, or more help than
  the nudge when it shows none of them.

Help is progressive. Each call of :func:`judge` registers its exercise under a short name with a
ladder of hints (the nudge first, stronger ones after it) and the full answer:
``helpers.checks.hint("duration")`` prints the next rung the student has not seen yet (the
placeholder line shows the nudge; a wrong answer without a known mistake shows the second rung,
labelled "Hint 2 of N", so the next ``hint()`` is rung 3), and only
``helpers.checks.solution("duration")`` prints the answer. The register (a dict in this module) is
the only state the checkers keep; it lives as long as the kernel.

Used in: 01_loading_audio, 02_stft, 03_normalization, 04_visualization, 05_stft_explorer,
06_speech_digits, 07_environmental_sounds, 08_music_genres, 09_mel_mfcc, 10_augmentation,
11_phase_reconstruction, 12_deployment.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Feedback", "judge", "hint", "solution"]

Hint = tuple[Callable[[Any], bool], "str | Callable[[Any], str]"]

CORRECT, WRONG, UNANSWERED = "✓ Correct: ", "✗ Not yet: ", "… Not answered yet: "


class Feedback:
    """What a checker returns: one line of feedback, printed once, and whether the answer is right.

    ``bool(feedback)`` is ``feedback.correct``, so ``assert helpers.checks.duration(...)`` works.
    The line is printed when the object is made, so a bare call, ``_ = ...`` and ``assert ...``
    all show it exactly once; in a notebook ``_ipython_display_`` shows nothing more.

    Parameters
    ----------
    correct : bool
        Whether the answer is right.
    message : str
        The line to print (it starts with ``✓ Correct:``, ``✗ Not yet:`` or ``… Not answered yet:``).
    exercise : str
        The exercise's name, as :func:`hint` and :func:`solution` take it.

    Examples
    --------
    >>> feedback = Feedback(True, "✓ Correct: 2 s.", "duration")
    ✓ Correct: 2 s.
    >>> bool(feedback), feedback.answered
    (True, True)

    Used in: every notebook with exercises (01-12), through the checkers.
    """

    __slots__ = ("correct", "message", "exercise")

    def __init__(self, correct: bool, message: str, exercise: str = "") -> None:
        self.correct = bool(correct)
        self.message = str(message)
        self.exercise = str(exercise)
        print(self.message)

    @property
    def answered(self) -> bool:
        """``False`` while the placeholder ``None`` was given."""
        return not self.message.startswith(UNANSWERED)

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Feedback(correct={self.correct}, exercise={self.exercise!r})"

    def _ipython_display_(self) -> None:
        """Show nothing: the line was printed when the feedback was made."""


@dataclass
class _Exercise:
    ladder: tuple[str, ...]   # the nudge, then stronger hints
    solution: str
    shown: int = 0             # how many rungs the student has seen (printed by judge or hint)


_REGISTER: dict[str, _Exercise] = {}


def judge(answer, is_right: Callable[[Any], bool], praise: str | Callable[[Any], str],
          hints: Sequence[Hint] = (), *, nudge: str, exercise: str, solution: str,
          more: str | Sequence[str] = ()) -> Feedback:
    """Judge ``answer`` and return the :class:`Feedback` (printed once).

    Parameters
    ----------
    answer : Any
        What the student computed; ``None`` while the placeholder is unchanged.
    is_right : callable
        ``answer -> bool``. An exception counts as wrong; warnings and the student's own prints
        while it runs are kept out of the feedback.
    praise : str or callable
        Printed after ``✓ Correct:``; a callable gets the answer and returns the text.
    hints : sequence of (callable, str or callable)
        Symptom tests for the usual mistakes, in order; the first that holds gives its hint (a
        callable hint gets the answer and returns the text).
    nudge : str
        The help before any try: where to look, never the answer.
    exercise : str
        A short unique name (``"duration"``) under which the ladder and the solution are registered.
    solution : str
        The full answer, printed only by :func:`solution`.
    more : str or sequence of str, optional
        Stronger help, in order. The first is the reply to a wrong answer that shows none of the
        symptoms; :func:`hint` gives the next of the nudge and these that has not been shown yet.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> fb = judge(None, lambda a: a == 4, "2 + 2 = 4.", nudge="add the two numbers.",
    ...            exercise="doc_sum", solution="answer = 2 + 2")
    … Not answered yet: add the two numbers. Replace None with your answer; more help: helpers.checks.hint("doc_sum")
    >>> fb = judge(5, lambda a: a == 4, "2 + 2 = 4.", [(lambda a: a == 22, "that is the digits side by side.")],
    ...            nudge="add the two numbers.", exercise="doc_sum", solution="answer = 2 + 2")
    ✗ Not yet: Hint 1 of 1: add the two numbers. More help: helpers.checks.solution("doc_sum")
    >>> bool(judge(4, lambda a: a == 4, "2 + 2 = 4.", nudge="add.", exercise="doc_sum", solution="2 + 2"))
    ✓ Correct: 2 + 2 = 4.
    True

    Used in: every checker of helpers.checks (notebooks 01-12).
    """
    more = (more,) if isinstance(more, str) else tuple(more)
    entry = _register(exercise, (nudge, *more), solution)
    if answer is None:
        entry.shown = max(entry.shown, 1)
        return Feedback(False, f'{UNANSWERED}{nudge} Replace None with your answer; more help: '
                               f'helpers.checks.hint("{exercise}")', exercise)
    if holds(is_right, answer):
        text = _text(praise, answer)
        return Feedback(True, f"{CORRECT}{text or 'right.'}", exercise)
    hint_text = next((_text(text, answer) for symptom, text in hints if holds(symptom, answer)), None)
    if not hint_text:
        entry.shown = max(entry.shown, min(2, len(entry.ladder)))
        call = "hint" if entry.shown < len(entry.ladder) else "solution"  # no rung left: the answer is next
        hint_text = f'{_rung(entry, entry.shown)} More help: helpers.checks.{call}("{exercise}")'
    return Feedback(False, f"{WRONG}{hint_text}", exercise)


def hint(exercise: str) -> None:
    """Print the next, stronger hint for ``exercise`` that the student has not seen (never the answer).

    Parameters
    ----------
    exercise : str
        The exercise's name, as in the checker's feedback line (e.g. ``"duration"``).

    Examples
    --------
    >>> _ = judge(None, bool, "yes.", nudge="look at y.shape.", more=["divide by sr.", "use /."],
    ...           exercise="doc_hint", solution="len(y) / sr")  # doctest: +ELLIPSIS
    … Not answered yet: look at y.shape. ...
    >>> hint("doc_hint")
    Hint 2 of 3 (doc_hint): divide by sr.
    >>> hint("doc_hint")
    Hint 3 of 3 (doc_hint): use /.
    >>> hint("doc_hint")
    No more hints for doc_hint: helpers.checks.solution("doc_hint") shows the full answer.

    Used in: any exercise, on request: the placeholder's feedback line names the call.
    """
    entry = _lookup(exercise)
    if entry is None:
        return
    if entry.shown >= len(entry.ladder):
        print(f'No more hints for {exercise}: helpers.checks.solution("{exercise}") shows the full answer.')
        return
    entry.shown += 1
    print(f"Hint {entry.shown} of {len(entry.ladder)} ({exercise}): {entry.ladder[entry.shown - 1]}")


def _rung(entry: _Exercise, number: int) -> str:
    """Rung ``number`` (1-based) of the ladder, labelled so the student knows where :func:`hint` goes on."""
    return f"Hint {number} of {len(entry.ladder)}: {entry.ladder[number - 1]}"


def solution(exercise: str) -> None:
    """Print the full answer of ``exercise``; only for when a student asks for it.

    Parameters
    ----------
    exercise : str
        The exercise's name, as in the checker's feedback line (e.g. ``"duration"``).

    Examples
    --------
    >>> _ = judge(None, bool, "yes.", nudge="look.", exercise="doc_solution",
    ...           solution="seconds = len(y) / sr")  # doctest: +ELLIPSIS
    … Not answered yet: look. ...
    >>> solution("doc_solution")
    Solution (doc_solution): seconds = len(y) / sr

    Used in: any exercise, on request (the last hint names the call).
    """
    entry = _lookup(exercise)
    if entry is not None:
        print(f"Solution ({exercise}): {entry.solution}")


def holds(test: Callable[[Any], bool], answer) -> bool:
    """``test(answer)`` as a plain bool; a test that raises (or whose result has no truth value) does not hold.

    Examples
    --------
    >>> holds(lambda a: a > 1, 2), holds(lambda a: a > 1, "2"), holds(lambda a: 1 / 0, 2)
    (True, False, False)

    Used in: every checker of helpers.checks (notebooks 01-12).
    """
    try:
        return bool(_quietly(test, answer))
    except Exception:  # noqa: BLE001  (a malformed answer gets a hint, never a traceback)
        return False


def _text(text, answer) -> str:
    """A hint's text: ``text`` itself, or ``text(answer)`` when it is computed from the answer."""
    if not callable(text):
        return text
    try:
        return str(_quietly(text, answer))
    except Exception:  # noqa: BLE001
        return ""


def _quietly(function: Callable[[Any], Any], answer):
    """``function(answer)`` with warnings silenced and the student's own prints swallowed."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return function(answer)


def _register(exercise: str, ladder: tuple[str, ...], solution_text: str) -> _Exercise:
    entry = _REGISTER.get(exercise)
    if entry is None:
        entry = _REGISTER[exercise] = _Exercise(ladder, solution_text)
    else:  # the same exercise run again, maybe with other data: new texts, same progress
        entry.ladder, entry.solution = ladder, solution_text
        entry.shown = min(entry.shown, len(ladder))
    return entry


def _lookup(exercise) -> _Exercise | None:
    entry = _REGISTER.get(exercise) if isinstance(exercise, str) else None
    if entry is None:
        names = sorted(_REGISTER)
        close = difflib.get_close_matches(str(exercise), names, n=1)
        advice = (f'did you mean "{close[0]}"?' if close else
                  f"run the exercise's check cell first; known so far: {', '.join(names) or 'none'}.")
        print(f"No exercise named {exercise!r}: {advice}")
    return entry
