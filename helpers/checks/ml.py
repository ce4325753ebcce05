"""Checkers of the ML notebooks: frames per clip (06), an SNR function (07), seconds per beat (08).

Used in: 06_speech_digits, 07_environmental_sounds, 08_music_genres.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.checks._answers import calls, close, framing, is_integral, is_number, plain
from helpers.checks._feedback import Feedback, judge

__all__ = ["n_frames_of_clip", "snr_db", "beat_seconds"]


def n_frames_of_clip(answer, clip_samples: int, frame_length: int, frame_step: int) -> Feedback:
    """Check the number of frames the model's spectrogram layer makes from one clip (``center=False``).

    A whole-valued float (``61.0``) counts as right; ``61.5`` does not.

    Parameters
    ----------
    answer : int or None
        The student's formula, evaluated.
    clip_samples, frame_length, frame_step : int
        The clip's length and the layer's frame length and hop, in samples.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(n_frames_of_clip(61, 16000, 400, 256))
    ✓ Correct: 1 + (16000 - 400) // 256 = 61 frames.
    True

    Used in: 06_speech_digits.
    """
    clip_samples, frame_length, frame_step = framing(clip_samples, frame_length, frame_step,
                                                     names=("clip_samples", "frame_length", "frame_step"))
    expected = 1 + (clip_samples - frame_length) // frame_step

    def count(a):
        return int(float(plain(a))) if is_integral(a) else None

    hints = [
        (lambda a: not is_integral(a), "the number of frames is a whole number: use integer division //."),
        (lambda a: count(a) == expected - 1, "one short: count the first frame too (the + 1)."),
        (lambda a: count(a) in (clip_samples // frame_step, 1 + clip_samples // frame_step),
         "that counts frames as if the clip were padded (center=True); this layer does not pad."),
        (lambda a: count(a) == math.ceil((clip_samples - frame_length) / frame_step) + 1,
         "that rounds up; a frame that would run past the end is dropped, so round down (//)."),
        (lambda a: count(a) == clip_samples // frame_length,
         "that counts frames side by side; they overlap: each starts frame_step samples after the last."),
    ]
    praise = f"1 + ({clip_samples} - {frame_length}) // {frame_step} = {expected} frames."
    return judge(answer, lambda a: count(a) == expected, praise, hints,
                 nudge="count the frames that fit whole: the first starts at 0, each next one frame_step later, "
                       "and the last must end before clip_samples.",
                 more=["the starts are 0, frame_step, 2·frame_step, …; a start counts while start + frame_length "
                       "<= clip_samples."],
                 exercise="n_frames_of_clip",
                 solution="n_frames = 1 + (clip_samples - frame_length) // frame_step")


def snr_db(function) -> Feedback:
    """Check a student's ``snr_db(signal, noise)`` on a 440 Hz sine (amplitude 1) in noise (std 0.1).

    The SNR in dB is ``10 log10(mean(signal**2) / mean(noise**2))``: a ratio of mean powers.
    ``20 log10`` of the RMS ratio is the same number and is right too.

    Parameters
    ----------
    function : callable or None
        The student's ``snr_db``.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(snr_db(lambda s, n: 10 * np.log10(np.mean(s**2) / np.mean(n**2))))
    ✓ Correct: 17.02 dB for a sine of amplitude 1 in noise of standard deviation 0.1.
    True

    Used in: 07_environmental_sounds.
    """
    t = np.arange(16000) / 16000
    signal, noise = np.sin(2 * np.pi * 440 * t), 0.1 * np.random.default_rng(1).standard_normal(16000)
    ratio = np.mean(signal**2) / np.mean(noise**2)
    expected = 10 * np.log10(ratio)

    def gives(f, target, tol=0.01):
        return close(calls(f, signal.copy(), noise.copy()), target, rel=0, abs_=tol)

    amplitude_ratio = np.mean(np.abs(signal)) / np.mean(np.abs(noise))
    hints = [
        (lambda f: not callable(f), "snr_db should be a function: def snr_db(signal, noise): return ..."),
        (lambda f: not is_number(calls(f, signal.copy(), noise.copy())), "snr_db should return one number (dB)."),
        (lambda f: gives(f, 2 * expected), "that is twice the right value: compare mean *powers* (mean of "
                                           "squares) and take 10 log10 of their ratio (20 log10 is for amplitudes)."),
        (lambda f: gives(f, expected / 2), "that is half the right value: a ratio of amplitudes (RMS) needs "
                                           "20 log10; a ratio of powers 10 log10."),
        (lambda f: gives(f, -expected), "the sign is flipped: the ratio is signal power / noise power."),
        (lambda f: gives(f, expected * np.log(10) / 10), "np.log is the natural logarithm; decibels use "
                                                         "10 * np.log10."),
        (lambda f: gives(f, ratio, tol=0.5), "that is the power ratio itself; decibels are 10 × its log10."),
        (lambda f: gives(f, 10 * np.log10(amplitude_ratio)) or gives(f, 20 * np.log10(amplitude_ratio)),
         "the mean of |signal| is not its power: square first, then average (the mean of squares)."),
    ]
    return judge(function, lambda f: gives(f, expected),
                 f"{expected:.2f} dB for a sine of amplitude 1 in noise of standard deviation 0.1.", hints,
                 nudge="an SNR compares how strong the signal is with how strong the noise is, in decibels; "
                       "which measure of strength do decibels of power use?",
                 more=["compare mean *powers* (mean of squares) and take 10 log10 of their ratio "
                       "(20 log10 is for amplitudes)."],
                 exercise="snr_db", solution="def snr_db(signal, noise):\n    return 10 * np.log10(np.mean(signal**2)"
                                             " / np.mean(noise**2))")


def beat_seconds(function) -> Feedback:
    """Check a student's ``beat_seconds(bpm)``: the seconds between two beats, ``60 / bpm``.

    Parameters
    ----------
    function : callable or None
        The student's ``beat_seconds``.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> bool(beat_seconds(lambda bpm: 60 / bpm))
    ✓ Correct: 0.50 s at 120 BPM, 0.667 s at 90 BPM.
    True

    Used in: 08_music_genres.
    """
    def at(f, bpm):
        return calls(f, bpm)

    def right(f):
        return close(at(f, 120), 0.5) and close(at(f, 90), 60 / 90)

    hints = [
        (lambda f: not callable(f), "beat_seconds should be a function: def beat_seconds(bpm): return ..."),
        (lambda f: not is_number(at(f, 120)), "beat_seconds should return one number, in seconds."),
        (lambda f: close(at(f, 120), 2.0) and close(at(f, 90), 1.5), "that is beats per second; BPM counts beats "
                                                                    "per minute: how many seconds is one of them?"),
        (lambda f: close(at(f, 120), 2.0) and close(at(f, 90), 240 / 90), "that is a bar of four beats; "
                                                                         "give the length of one beat."),
        (lambda f: close(at(f, 120), 500.0), "that is in milliseconds; the answer is in seconds."),
        (lambda f: close(at(f, 120), 0.0, abs_=1e-12) and close(at(f, 30), 2.0),
         "integer division // drops the fraction: use / (60 // 120 is 0)."),
        (lambda f: close(at(f, 120), 7200.0), "multiplying gives beats per hour; seconds per beat divide 60 by bpm."),
        (lambda f: close(at(f, 120), 0.5), "right at 120 BPM but not at 90 BPM: compute it from bpm, do not "
                                           "return a fixed number."),
    ]
    return judge(function, right, "0.50 s at 120 BPM, 0.667 s at 90 BPM.", hints,
                 nudge="BPM counts beats per minute: how many seconds is one of them?",
                 more=["a minute has 60 seconds, shared by bpm beats."],
                 exercise="beat_seconds", solution="def beat_seconds(bpm):\n    return 60 / bpm")
