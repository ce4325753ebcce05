"""How fast does the STFT explorer follow a slider? Targets: median <= 60 ms per update, >= 3x faster
than the original walkthrough's plotting code inside ``ipywidgets.interact``.

Both are driven the same way, headlessly, on a 30 s clip at 22.05 kHz: one control changes per
update (as when a student moves one slider), over the same sequence of parameter combinations,
each timed from setting the control's ``.value`` until the picture the front end receives is ready:

- explorer: ``helpers.widgets.stft_explorer``; the update ends when the image bytes (JPEG, its
  live format) are in its ``ipywidgets.Image`` (Agg drawing and encoding included);
- original: ``plt.figure`` + ``plt.imshow(S.T, aspect='auto', origin='lower')`` + ``plt.colorbar``
  + ``plt.show`` with the STFT recomputed by ``tf.signal.stft`` + ``tf.abs``, wrapped in
  ``ipywidgets.interactive`` (the widget behind ``interact``) under IPython's inline backend; the
  update ends when IPython's display machinery has produced the PNG (``bbox_inches='tight'``, as in a notebook).

The STFT cache is cleared before every pass so each STFT-changing step really recomputes; the
two are timed step by step in turn, so that load from other processes hits both alike.
It also prints the bytes each update sends and what encoding one picture costs as PNG and as JPEG.
Run: .venv/bin/python benchmarks/bench_explorer.py   (prints a table; exits 0)
"""

import os
import statistics
import time

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

import helpers
import helpers.explorer.canvas
import helpers.explorer.spectra
import helpers.widgets

SR, SECONDS, PASSES = 22050, 30, 3
TARGET_MS, TARGET_SPEEDUP = 60.0, 3.0

# One slider move per step, from frame 1024 / hop 256 / FFT 1024 / Hann / dB / 80 dB / magma / whole clip.
STEPS = [
    ("frame_length", 2048),
    ("frame_step", 128),
    ("fft_length", 4096),
    ("window", "hamming"),
    ("scale", "linear"),
    ("scale", "mel"),
    ("top_db", 60.0),
    ("cmap", "viridis"),
    ("time_range", (5.0, 10.0)),
    ("frame_length", 512),
    ("frame_step", 64),
    ("window", "kaiser"),
    ("fft_length", 1024),
    ("scale", "db"),
    ("time_range", (0.0, 30.0)),
    ("frame_step", 256),
]
STFT_CONTROLS = {"frame_length", "frame_step", "fft_length", "window"}
START = dict(
    frame_length=1024,
    frame_step=256,
    fft_length=1024,
    window="hann",
    scale="db",
    top_db=80.0,
    cmap="magma",
    time_range=(0.0, float(SECONDS)),
)


def clip() -> np.ndarray:
    """30 s at 22.05 kHz: the bundled music clip looped, or a synthetic chirp plus noise without it."""
    if "music" in helpers.audio.samples():
        y, _ = helpers.audio.load(helpers.audio.sample("music"), sr=SR)
        return np.resize(y, SR * SECONDS)
    t = np.arange(SR * SECONDS) / SR
    noise = np.random.default_rng(0).standard_normal(t.size)
    return (0.3 * np.sin(2 * np.pi * (100 + 150 * t) * t) + 0.02 * noise).astype(np.float32)


def original_code(y):
    """The walkthrough's plotting code as an interact callback: recompute, new figure, show."""

    def show(frame_length, frame_step, fft_length, window, scale, top_db, cmap, time_range):
        S = tf.abs(
            tf.signal.stft(
                y,
                frame_length=frame_length,
                frame_step=frame_step,
                fft_length=fft_length,
                window_fn=helpers.spectral.WINDOWS[window],
            )
        )
        if scale == "mel":
            S = tf.square(S) @ tf.signal.linear_to_mel_weight_matrix(128, S.shape[-1], SR)
        if scale != "linear":
            S = helpers.spectral.to_db(S, top_db=top_db, kind="power" if scale == "mel" else "amplitude")
        plt.figure()
        plt.imshow(S.numpy().T, aspect="auto", origin="lower", cmap=cmap)
        plt.colorbar()
        plt.xlim(time_range[0] * SR / frame_step, time_range[1] * SR / frame_step)
        plt.show()

    W = ipywidgets
    widget = W.interactive(
        show,
        frame_length=W.Dropdown(options=[256, 512, 1024, 2048, 4096], value=START["frame_length"]),
        frame_step=W.Dropdown(options=[64, 128, 256, 512], value=START["frame_step"]),
        fft_length=W.Dropdown(options=[512, 1024, 2048, 4096], value=START["fft_length"]),
        window=W.Dropdown(options=list(helpers.spectral.WINDOWS), value=START["window"]),
        scale=W.Dropdown(options=["linear", "db", "mel"], value=START["scale"]),
        top_db=W.FloatSlider(min=10, max=120, value=START["top_db"]),
        cmap=W.Dropdown(options=["magma", "viridis"], value=START["cmap"]),
        time_range=W.FloatRangeSlider(min=0, max=SECONDS, value=START["time_range"]),
    )
    widget.controls = {w.description: w for w in widget.kwargs_widgets}
    return widget


def time_steps(targets: dict) -> dict:
    """Wall-clock and CPU seconds per update for every step of every pass, for each target.

    Interleaved (explorer step, original step, next step, …) so that noise from other processes
    hits both alike; ``targets`` maps a name to ``(object with .controls, reset function)``.
    """
    times = {name: [] for name in targets}
    cpu = {name: [] for name in targets}
    for _ in range(PASSES):
        for _, reset in targets.values():
            reset()
        for control, value in STEPS:
            for name, (target, _) in targets.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                target.controls[control].value = value
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
    return times, cpu


class _Shell(InteractiveShell):
    """A headless IPython shell: the inline backend needs no GUI event loop."""

    def enable_gui(self, gui=None):
        pass


def main():
    shell = _Shell.instance()
    # Each step here jumps, with no pause: nothing a step away to compute ahead, so that is off and
    # every STFT is timed on the spot (bench_explorer_browser.py times steps with the look-ahead on).
    helpers.explorer.spectra.LOOK_AHEAD = False
    shell.run_line_magic("matplotlib", "inline")
    y = clip()
    explorer = helpers.widgets.stft_explorer(y, SR, name="30 s clip", **START)

    def reset_explorer():
        explorer.forget()  # every setting a first visit: no cached spectrum, picture or patch
        explorer.set(**START)

    with capture_output():  # the baseline's figures go to IPython's display machinery, as in a notebook
        pngs = _count_pngs(shell)
        baseline = original_code(y)  # draws once, as interact does

        def reset_baseline():
            for name, value in START.items():
                baseline.controls[name].value = value

        times, cpu = time_steps({"explorer": (explorer, reset_explorer), "original": (baseline, reset_baseline)})
    report(times["explorer"], times["original"], len(pngs))
    report_bytes(explorer)
    print(
        f"CPU time per update (all threads; less sensitive to other processes than wall time): explorer "
        f"median {statistics.median(cpu['explorer']) * 1000:.1f} ms, original "
        f"{statistics.median(cpu['original']) * 1000:.1f} ms"
    )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0]
    verdict = (
        "above the core count: other processes were competing, every number is inflated"
        if load > cores
        else "at or below the core count: a fair measurement"
    )
    print(f"CPU cores available: {cores}; load average over the last minute: {load:.1f} ({verdict})")


def report_bytes(explorer) -> None:
    """Bytes per picture and encoding time, PNG against the live view's JPEG, on the last picture."""
    rgb = explorer._frame
    for fmt in ("png", "jpeg"):
        times = []
        for _ in range(15):
            start = time.perf_counter()
            data = helpers.explorer.canvas.encode(rgb, fmt)
            times.append(time.perf_counter() - start)
        live = " (the live view)" if fmt == helpers.explorer.explorer.LIVE_FORMAT else ""
        print(
            f"  one {rgb.shape[1]}x{rgb.shape[0]} picture as {fmt.upper():<4}: {len(data) / 1000:6.1f} kB, "
            f"encoded in {statistics.median(times) * 1000:5.1f} ms{live}"
        )


def _count_pngs(shell) -> list:
    """Record the size of every PNG the display machinery publishes (proof the baseline rendered)."""
    sizes, publish = [], shell.display_pub.publish

    def counting(data, *args, **kwargs):
        if "image/png" in data:
            sizes.append(len(data["image/png"]))
        return publish(data, *args, **kwargs)

    shell.display_pub.publish = counting
    return sizes


def report(fast, slow, pngs):
    ms = lambda ts, q: float(np.quantile(ts, q)) * 1000  # noqa: E731
    fast_med, slow_med = statistics.median(fast) * 1000, statistics.median(slow) * 1000
    speedup = slow_med / fast_med
    print(
        f"STFT explorer update, {SECONDS} s clip at {SR} Hz, {len(STEPS)} parameter combinations "
        f"x {PASSES} passes ({len(fast)} updates each; baseline produced {pngs} inline PNGs)"
    )
    print(f"  {'':<34}{'median':>9}{'p90':>9}{'max':>9}")
    print(f"  {'explorer (helpers.widgets)':<34}{fast_med:8.1f}ms{ms(fast, 0.9):7.1f}ms{ms(fast, 1):7.1f}ms")
    print(f"  {'original code in interact (inline)':<34}{slow_med:8.1f}ms{ms(slow, 0.9):7.1f}ms{ms(slow, 1):7.1f}ms")
    print("  per step (median ms, explorer / original):")
    for i, (name, value) in enumerate(STEPS):
        f = statistics.median(fast[i :: len(STEPS)]) * 1000
        s = statistics.median(slow[i :: len(STEPS)]) * 1000
        print(f"    {name:>12} = {str(value):<14}{f:7.1f} /{s:7.1f}")
    recompute = [i for i, (name, _) in enumerate(STEPS) if name in STFT_CONTROLS]
    display = [i for i in range(len(STEPS)) if i not in recompute]
    for label, picked in (("new STFT", recompute), ("display only", display)):
        f = statistics.median([fast[j] for i in picked for j in range(i, len(fast), len(STEPS))]) * 1000
        s = statistics.median([slow[j] for i in picked for j in range(i, len(slow), len(STEPS))]) * 1000
        print(f"  median over {label} steps ({len(picked)} of {len(STEPS)}): explorer {f:.1f} ms, original {s:.1f} ms")
    verdict = lambda ok: "PASS" if ok else "FAIL"  # noqa: E731
    print(f"median update {fast_med:.1f} ms (target <= {TARGET_MS:.0f} ms): {verdict(fast_med <= TARGET_MS)}")
    print(
        f"speed-up {speedup:.1f}x over the original code (target >= {TARGET_SPEEDUP:.0f}x): "
        f"{verdict(speedup >= TARGET_SPEEDUP)}"
    )


if __name__ == "__main__":
    main()
