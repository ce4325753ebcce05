"""The explorer's spectra computed a step ahead, and its colour lookup: the same pictures, sooner."""

import threading

import matplotlib
import numpy as np
import pytest

from helpers import spectral
from helpers.explorer import controls, imaging, spectra
from helpers.widgets import COLORMAPS, stft_explorer

SR = 8000
SIZES = [64, 128, 256, 512, 1024, 2048]
START = {"clip": "c", "frame_length": 1024, "frame_step": 256, "fft_length": 1024, "window": "hann"}


@pytest.fixture(scope="module")
def chirp() -> np.ndarray:
    t = np.arange(2 * SR) / SR
    return (0.5 * np.sin(2 * np.pi * (200 + 800 * t) * t)).astype(np.float32)


@pytest.mark.parametrize(
    "changes, moved, came_from, expected",
    [
        # one option either side, on in the direction of the last move first; the FFT length follows
        # a frame length it equalled
        ({}, "frame_length", 512, [(2048, 256, 2048), (512, 256, 512)]),
        ({}, "frame_length", 2048, [(512, 256, 512), (2048, 256, 2048)]),
        ({"fft_length": 2048}, "frame_length", None, [(2048, 256, 2048), (512, 256, 2048)]),
        ({}, "frame_step", 512, [(1024, 128, 1024), (1024, 512, 1024)]),
        # a hop above the frame raises the frame (and the FFT with it), as moving the hop there does
        ({"frame_step": 1024}, "frame_step", 512, [(2048, 2048, 2048), (1024, 512, 1024)]),
        # an FFT below the frame lowers the frame, and the hop follows it down
        ({"frame_step": 1024}, "fft_length", 2048, [(512, 512, 512), (1024, 1024, 2048)]),
        # the first and the last option have one neighbour
        ({"frame_length": 64, "frame_step": 64, "fft_length": 64}, "frame_length", 128, [(128, 64, 128)]),
        ({"frame_length": 2048, "fft_length": 2048}, "fft_length", 1024, [(1024, 256, 1024)]),
    ],
)
def test_the_steps_either_side_are_made_possible_as_a_move_there_is(changes, moved, came_from, expected):
    p = {**START, **changes}
    options = {k: SIZES for k in controls.STFT_SIZES} | {"window": list(spectral.WINDOWS)}
    assert spectra.steps_from(p, options, moved, came_from) == [("c", *sizes, "hann") for sizes in expected]


def test_the_windows_either_side_and_nothing_for_display_controls():
    options = {k: SIZES for k in controls.STFT_SIZES} | {"window": ["hann", "hamming", "kaiser"]}
    p = {**START, "window": "hamming"}
    assert [k[-1] for k in spectra.steps_from(p, options, "window", "hann")] == ["kaiser", "hann"]
    for display in ("top_db", "scale", "cmap", "time_range", "freq_range", "clip", None):
        assert spectra.steps_from(p, options, display) == []


def test_a_spectrum_computed_ahead_is_the_one_computed_now(chirp):
    key = ("c", 256, 64, 512, "hann")
    ahead = spectra.Ahead()
    ahead.start({key + (False,): ("c", chirp, SR), key + (True,): ("c", chirp, SR)})
    for future in ahead._futures.values():
        future.result()
    for mel in (False, True):
        got, now = ahead.take(key + (mel,)), spectra.compute("c", chirp, SR, key, mel)
        assert np.array_equal(got["values"], now["values"]) and got["peak"] == now["peak"]
    assert ahead.take(key + (False,)) is None, "a spectrum is handed over once"


def test_jobs_no_longer_a_step_away_are_dropped_unless_finished(monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(spectra, "compute", lambda c, y, sr, key, mel: release.wait(10) and {"peak": key[2]})
    ahead, y = spectra.Ahead(), np.zeros(SR, np.float32)
    running, queued, wanted = (("c", 256, hop, 256, "hann", False) for hop in (16, 32, 64))
    ahead.start({running: ("c", y, SR), queued: ("c", y, SR)})
    ahead.start({wanted: ("c", y, SR)})  # the student moved on: the other two are no longer a step away
    assert list(ahead._futures) == [wanted]
    release.set()
    ahead._futures[wanted].result()
    assert ahead.take(wanted) == {"peak": 64}
    ahead.start({running: ("c", y, SR)})
    ahead._futures[running].result()
    ahead.start({wanted: ("c", y, SR)})
    assert running in ahead._futures, "a finished one is kept, for going back"
    ahead.forget()


def test_a_job_not_started_when_it_is_wanted_is_computed_on_the_spot(monkeypatch):
    release, started = threading.Event(), threading.Event()

    def compute(clip, y, sr, key, mel):
        if key[1] == 1:  # the first job holds the worker until released
            started.set()
            release.wait(10)
        return {"values": np.zeros(1), "peak": float(key[1])}

    monkeypatch.setattr(spectra, "compute", compute)
    ahead = spectra.Ahead()
    running, waiting, dropped = (("c", n, 1, n, "hann", False) for n in (1, 2, 3))
    ahead.start({k: ("c", np.zeros(SR, np.float32), SR) for k in (running, waiting, dropped)})
    assert started.wait(10)
    assert ahead.take(waiting) is None, "not started: the explorer computes it itself, without waiting"
    assert list(ahead._futures) == [running], "the other job not started is dropped"
    release.set()
    assert ahead.take(running)["peak"] == 1.0, "a job already running is waited for"


def test_the_next_step_on_a_slider_finds_its_spectrum_ready(monkeypatch, chirp):
    explorer = stft_explorer(chirp, SR, name="chirp")
    explorer.controls["frame_step"].value = 128  # as a student moves it: the steps either side start
    ready = dict(explorer._ahead._futures)
    assert [k[2] for k in ready] == [64], "256, where it came from, is kept already: not computed again"
    for future in ready.values():
        future.result()
    calls = []
    monkeypatch.setattr(spectral, "stft", lambda *a, **k: calls.append(a) or pytest.fail("computed again"))
    explorer.controls["frame_step"].value = 64
    assert calls == [] and explorer.readouts["time step"] == "8.0 ms"
    monkeypatch.undo()
    fresh = stft_explorer(chirp, SR, name="chirp").set(frame_step=64)  # set() computes, nothing ahead
    assert np.array_equal(explorer._frame, fresh._frame), "the picture is the one computed on the spot"
    assert fresh._ahead._futures == {}


def test_forget_drops_the_spectra_computed_ahead(chirp):
    explorer = stft_explorer(chirp, SR, name="chirp")
    explorer.controls["window"].value = "hamming"
    assert explorer._ahead._futures
    explorer.forget()
    assert explorer._ahead._futures == {}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", [*COLORMAPS, "viridis"])
def test_colours_are_matplotlibs_own(name, dtype):
    cmap = matplotlib.colormaps[name].with_extremes(under="red", over="blue", bad="green")
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-0.5, 1.5, 4998), [0.0, 1.0, -1e-9, 1 + 1e-9, np.nan, 0.5]]).astype(dtype)
    x = x.reshape(-1, 6)
    expected = cmap(x, bytes=True).view(np.uint32)[..., 0]
    assert np.array_equal(imaging.colours(x, cmap), expected)


def test_a_kept_colorbar_is_put_back_without_laying_it_out_and_savefig_still_follows(monkeypatch, chirp):
    from matplotlib.colorbar import Colorbar
    from test_widgets import assert_shows_a_full_draw

    explorer = stft_explorer(chirp, SR, name="chirp")
    explorer.controls["top_db"].value = 40.0
    explorer.controls["top_db"].value = 80.0  # both colour bars are kept now
    laid_out = []
    original = Colorbar.update_normal
    monkeypatch.setattr(Colorbar, "update_normal", lambda self, m: laid_out.append(1) or original(self, m))
    explorer.controls["top_db"].value = 40.0
    assert laid_out == [], "going back to a range re-laid the colorbar out"
    assert_shows_a_full_draw(explorer, "savefig after a kept colorbar was put back")
    assert laid_out == [1], "savefig brings the colorbar up to date first"
    assert min(explorer.colorbar.get_ticks()) >= -40 and explorer.image.get_clim() == (-40.0, 0.0)


def test_spectra_kept_ahead_are_bounded_in_number_and_size(chirp):
    ahead = spectra.Ahead()
    keys = [("c", 256, hop, 256, "hann", False) for hop in (16, 32, 64, 128, 256)]
    for key in keys:  # one step at a time, each finished: the last KEPT_AHEAD stay for going back
        ahead.start({key: ("c", chirp, SR)})
        ahead._futures[key].result()
    assert list(ahead._futures) == keys[-spectra.KEPT_AHEAD :]
    long = np.zeros(120 * SR, np.float32)  # two minutes at hop 16: 60 000 frames x 1025 bins, 246 MB
    ahead.start({("c", 2048, 16, 2048, "hann", False): ("c", long, SR)})
    assert ("c", 2048, 16, 2048, "hann", False) not in ahead._futures, "too big to compute ahead"
    ahead.forget()
    assert ahead._futures == {}


def test_on_the_mel_scale_the_magnitude_is_computed_ahead_and_the_mel_power_made_from_it(chirp):
    explorer = stft_explorer(chirp, SR, name="chirp").set(scale="mel")
    explorer.controls["frame_step"].value = 128
    assert [k[-1] for k in explorer._ahead._futures] == [False], "mel power (librosa) stays in the explorer's thread"
    for future in explorer._ahead._futures.values():
        future.result()
    explorer.controls["frame_step"].value = 64
    fresh = stft_explorer(chirp, SR, name="chirp").set(scale="mel", frame_step=64)
    assert np.array_equal(explorer._frame, fresh._frame)
