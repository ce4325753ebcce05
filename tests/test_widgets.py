"""The STFT explorer, driven headlessly: set a control's value, check the picture, read-outs and axes."""

import base64
import html
import io
from pathlib import Path

import numpy as np
import pytest
import soundfile
from explorer_support import upload, wav_bytes
from PIL import Image

from helpers import audio, spectral
from helpers.explorer.imaging import frames_in as _frames_in
from helpers.explorer.imaging import max_pool as _max_pool
from helpers.widgets import STFTExplorer, stft_explorer

SR = 22050


@pytest.fixture(scope="module")
def chirp() -> np.ndarray:
    """2 s rising chirp, 200 Hz → 6.2 kHz, plus a little noise so every setting shows something."""
    t = np.arange(2 * SR) / SR
    noise = np.random.default_rng(0).standard_normal(t.size)
    return (0.5 * np.sin(2 * np.pi * (200 + 1500 * t) * t) + 1e-3 * noise).astype(np.float32)


@pytest.fixture
def explorer(chirp) -> STFTExplorer:
    return stft_explorer(chirp, SR, name="chirp")


def test_starts_with_a_picture_and_the_documented_controls(explorer):
    assert explorer.png.startswith(b"\x89PNG")
    expected = {
        "clip",
        "upload",
        "frame_length",
        "frame_step",
        "fft_length",
        "window",
        "scale",
        "top_db",
        "cmap",
        "time_range",
        "freq_range",
        "play",
    }
    assert expected <= set(explorer.controls)
    assert {"hann", "hamming", "kaiser"} <= set(explorer.controls["window"].options)
    assert explorer.message == ""


@pytest.mark.parametrize(
    "name, value",
    [
        ("frame_length", 256),
        ("frame_step", 64),
        ("fft_length", 4096),
        ("window", "hamming"),
        ("window", "kaiser"),
        ("scale", "linear"),
        ("scale", "mel"),
        ("top_db", 30.0),
        ("cmap", "viridis"),
        ("time_range", (0.5, 1.0)),
        ("freq_range", (500.0, 4000.0)),
    ],
)
def test_every_control_changes_the_picture(explorer, name, value):
    before = explorer.png
    explorer.controls[name].value = value
    assert explorer.params[name] == value
    assert explorer.png != before
    assert explorer.message == ""


def test_readouts_follow_the_stft_settings(explorer, chirp):
    r = explorer.readouts
    assert (r["time step"], r["bin spacing"], r["overlap"]) == ("11.6 ms", "21.5 Hz", "75.0 %")
    assert r["frames"] == str(1 + (chirp.size - 1024) // 256) and r["bins"] == "513"
    explorer.controls["frame_step"].value = 512
    explorer.controls["fft_length"].value = 2048
    r = explorer.readouts
    assert (r["time step"], r["bin spacing"], r["overlap"]) == ("23.2 ms", "10.8 Hz", "50.0 %")
    assert r["frames"] == str(1 + (chirp.size - 1024) // 512) and r["bins"] == "1025"
    assert "23.2 ms" in explorer.readout.value  # what the student sees next to the plot


def test_image_has_no_more_pixels_than_the_axes(explorer):
    explorer.set(frame_length=256, frame_step=16, fft_length=8192)
    columns, rows = explorer.image.get_array().shape[::-1]
    width, height = explorer.canvas.pixels
    assert columns <= width and rows <= height
    assert explorer.readouts["frames"] == str(1 + (2 * SR - 256) // 16)  # far more frames than pixels


@pytest.mark.parametrize(
    "settings, in_view, drawn",
    [
        # 2 s at hop 16: 2741 frames, 4097 bins, far more than the picture's pixels
        (dict(frame_length=256, frame_step=16, fft_length=8192), "2741 × 4097 values", "pooled"),
        # 1.00-1.05 s and 1000-1100 Hz at frame 1024, hop 256: the frames centred 84..88 hops (+ half a
        # frame) in and the bins 46..51 (21.5 Hz apart) reach into the range; drawn as they are
        (dict(time_range=(1.0, 1.05), freq_range=(1000.0, 1100.0)), "5 × 6 values", "5 × 6"),
    ],
)
def test_in_view_counts_the_values_in_the_zoomed_range_and_drawn_what_the_picture_holds(
    explorer, settings, in_view, drawn
):
    explorer.set(**settings)
    columns, rows = explorer.image.get_array().shape[::-1]
    assert explorer.readouts["in view"] == in_view
    assert explorer.readouts["drawn"] == f"{columns} × {rows}"
    assert explorer.readouts["drawn"] == drawn if drawn != "pooled" else columns * rows < 2741 * 4097


def test_the_read_outs_keep_a_row_for_the_mel_bands_so_nothing_moves(explorer):
    rows = explorer.readout.value.count("<dt")
    assert "mel bands" not in explorer.readouts and "visibility:hidden" in explorer.readout.value
    explorer.controls["scale"].value = "mel"
    assert explorer.readout.value.count("<dt") == rows and "visibility:hidden" not in explorer.readout.value


@pytest.mark.parametrize("freq_range", [(800.0, 1250.0), (0.0, 8000.0), (3000.0, 3300.0)])
def test_a_zoomed_mel_axis_still_has_three_ticks_or_more(explorer, freq_range):
    explorer.set(scale="mel", freq_range=freq_range)
    low, high = explorer.ax.get_ylim()
    ticks = [t for t in explorer.ax.get_yticks() if low <= t <= high]
    labels = [label.get_text() for label in explorer.ax.get_yticklabels()]
    assert len(ticks) >= 3, (freq_range, labels)
    assert all(text.isdigit() for text in labels)  # read in Hz, placed on the mel scale


def test_time_range_zooms_the_axes(explorer):
    explorer.controls["time_range"].value = (0.25, 0.75)
    assert explorer.ax.get_xlim() == pytest.approx((0.25, 0.75))
    left, right, _, _ = explorer.image.get_extent()
    assert left <= 0.25 and right >= 0.75 and right - left < 0.55  # only the frames in range


def test_frequency_axis_and_colour_scale_follow_the_scale(explorer):
    assert explorer.ax.get_ylim() == pytest.approx((0, SR / 2))
    assert explorer.image.get_clim() == (-80.0, 0.0)
    explorer.controls["top_db"].value = 40.0
    assert explorer.image.get_clim() == (-40.0, 0.0)
    assert "dB" in explorer.colorbar.ax.get_ylabel()
    explorer.controls["scale"].value = "mel"
    assert "mel" in explorer.ax.get_ylabel() and "Mel power" in explorer.colorbar.ax.get_ylabel()
    assert explorer.readouts["mel bands"] == "128" and explorer.readouts["bins"] == "513"
    explorer.controls["scale"].value = "linear"
    assert explorer.image.get_clim()[0] == 0.0 and "linear" in explorer.colorbar.ax.get_ylabel()
    assert explorer.controls["top_db"].disabled  # no dynamic range on a linear scale


def test_chirp_peak_is_where_the_chirp_is(explorer):
    """At 1 s the chirp is at 200 + 2 * 1500 = 3200 Hz: the brightest row there must be near it."""
    explorer.set(scale="linear", time_range=(0.95, 1.05))
    values = explorer.image.get_array()
    _, _, bottom, top = explorer.image.get_extent()
    row = np.unravel_index(np.argmax(values), values.shape)[0]
    hz = bottom + (row + 0.5) * (top - bottom) / values.shape[0]
    assert abs(hz - 3200) < 150


def test_figure_and_image_are_reused(explorer):
    figure, image, n_axes = explorer.figure, explorer.image, len(explorer.figure.axes)
    for name, value in [("frame_length", 512), ("scale", "mel"), ("cmap", "gray_r"), ("time_range", (0, 1))]:
        explorer.controls[name].value = value
    assert explorer.figure is figure and explorer.image is image and len(figure.axes) == n_axes
    assert explorer.image in explorer.ax.images and len(explorer.ax.images) == 1


def test_display_changes_do_not_recompute_the_stft(explorer, monkeypatch):
    calls = []
    real = spectral.stft
    monkeypatch.setattr(spectral, "stft", lambda *a, **k: calls.append(a) or real(*a, **k))
    for name, value in [("top_db", 50.0), ("cmap", "viridis"), ("time_range", (0.2, 0.9)), ("scale", "mel")]:
        explorer.controls[name].value = value
    assert calls == []
    explorer.controls["window"].value = "hamming"
    assert len(calls) == 1


@pytest.mark.parametrize(
    "moved, value, expect, note",
    [
        ("fft_length", 512, {"frame_length": 512, "fft_length": 512}, "Frame length lowered to 512"),
        ("frame_step", 2048, {"frame_step": 2048, "frame_length": 2048, "fft_length": 2048}, "Frame length raised"),
        ("frame_length", 128, {"frame_length": 128, "frame_step": 128}, "Hop lowered to 128"),
    ],
)
def test_impossible_combinations_are_adjusted_with_a_message(explorer, moved, value, expect, note):
    explorer.controls[moved].value = value
    assert {k: explorer.params[k] for k in expect} == expect
    assert note in explorer.message and note in explorer.status.value
    p = explorer.params
    assert p["fft_length"] >= p["frame_length"] >= p["frame_step"]


def test_the_fft_length_follows_the_frame_until_it_is_set_apart(explorer):
    c = explorer.controls
    for frame in (2048, 256):  # no zero-padding: the FFT length follows, both ways, without a message
        c["frame_length"].value = frame
        assert (explorer.params["fft_length"], explorer.message) == (frame, "")
    c["fft_length"].value = 1024  # zero-padded now: kept while the frame stays shorter
    c["frame_length"].value = 512
    assert explorer.params["fft_length"] == 1024
    c["frame_length"].value = 2048
    assert explorer.params["fft_length"] == 2048 and "FFT length raised to 2048" in explorer.message
    explorer.set(frame_length=512, fft_length=2048)  # asked for together: both kept
    assert (explorer.params["frame_length"], explorer.params["fft_length"]) == (512, 2048)


def test_impossible_starting_values_are_adjusted(chirp):
    explorer = stft_explorer(chirp, SR, frame_length=1024, frame_step=2048, fft_length=512)
    p = explorer.params
    assert (p["frame_length"], p["fft_length"], p["frame_step"]) == (1024, 1024, 1024)
    assert "FFT length raised to 1024" in explorer.message and "Hop lowered" in explorer.message


def test_frame_longer_than_the_clip_shows_a_message(explorer):
    short = wav_bytes(np.zeros(1000, np.float32), SR)
    upload(explorer, short, "click.wav")
    explorer.controls["frame_length"].value = 4096
    assert "fewer than one frame of 4096; choose a shorter frame length" in explorer.message  # not a traceback
    explorer.controls["frame_length"].value = 256
    assert explorer.message == ""


def test_the_same_file_uploaded_twice_is_shown_fresh(explorer):
    upload(explorer, wav_bytes(np.zeros(SR, np.float32) + 0.1, SR), "take.wav")
    first = explorer.png
    t = np.arange(SR) / SR
    upload(explorer, wav_bytes(0.5 * np.sin(2 * np.pi * 3000 * t), SR), "take.wav")
    assert explorer.params["clip"] == "upload: take.wav (2)" and explorer.png != first


def test_a_damaged_bundled_clip_shows_a_message(explorer, monkeypatch):
    explorer.clips["broken"] = None
    explorer.controls["clip"].options = list(explorer.clips)
    monkeypatch.setattr(audio, "sample", lambda name: Path("missing.wav"))
    explorer.controls["clip"].value = "broken"
    assert "No such audio file" in explorer.message


def test_upload_adds_and_shows_the_students_file(explorer):
    t = np.arange(16000) / 16000
    stereo = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 660 * t)], axis=1) * 0.3
    before = explorer.png
    upload(explorer, wav_bytes(stereo, 16000), "my tone.wav")
    assert explorer.params["clip"] == "upload: my tone.wav"
    assert "upload: my tone.wav" in explorer.controls["clip"].options
    assert explorer.readouts["sample rate"] == "16000 Hz" and explorer.readouts["time step"] == "16.0 ms"
    assert explorer.controls["time_range"].max == pytest.approx(1.0)
    assert explorer.png != before and explorer.message == ""


@pytest.mark.parametrize(
    "data, name",
    [(b"this is not audio", "notes.wav"), (b"", "empty.mp3"), (wav_bytes(np.zeros(100), SR)[:60], "cut.wav")],
)
def test_bad_upload_shows_a_message_and_keeps_the_clip(explorer, data, name):
    upload(explorer, data, name)
    assert "not readable audio" in explorer.message or "empty" in explorer.message
    assert name in explorer.message and "/tmp" not in explorer.message
    assert explorer.params["clip"] == "chirp"


def test_play_rebuilds_the_shown_range(explorer, chirp):
    assert explorer.audio not in explorer.play_row.children  # no empty player before
    explorer.set(scale="linear", time_range=(0.5, 1.0))
    explorer.controls["play"].click()
    rebuilt, sr = soundfile.read(io.BytesIO(explorer.audio.value), dtype="float32")
    assert sr == SR and rebuilt.shape[0] == int(0.5 * SR)
    segment = chirp[int(0.5 * SR) : int(1.0 * SR)]
    assert np.max(np.abs(rebuilt - segment)) < 1e-3  # the complex STFT inverts (16-bit WAV aside)
    assert "helpers.spectral.istft (overlap-add divided by the windows present)" in explorer.message
    assert "inverse_stft" not in explorer.message and "SNR" in explorer.message


def test_play_with_a_small_dynamic_range_loses_the_quiet_part(explorer):
    explorer.set(scale="db", top_db=80.0)
    explorer.play()
    snr_full = float(explorer.message.split("SNR ")[1].split(" dB")[0])
    explorer.set(top_db=10.0)
    explorer.play()
    snr_cut = float(explorer.message.split("SNR ")[1].split(" dB")[0])
    assert snr_cut < snr_full and "10 dB below the peak" in explorer.message


def test_set_changes_several_controls_and_rejects_unknown_names(explorer):
    explorer.set(frame_length=512, frame_step=128, window="kaiser")
    assert explorer.readouts["overlap"] == "75.0 %" and explorer.params["window"] == "kaiser"
    with pytest.raises(ValueError, match="no control named"):
        explorer.set(hop=128)


@pytest.mark.parametrize(
    "values, match",
    [
        (dict(frame_length=300), r"frame_length=300 is not available; choose one of \[64, 128"),
        (dict(window="blackman"), "window='blackman' is not available"),
        (dict(scale="log"), r"choose one of \['linear', 'db', 'mel'\]"),
        (dict(time_range=(1.5, 0.5)), r"a \(low, high\) pair"),
    ],
)
def test_set_rejects_values_a_control_does_not_offer(explorer, values, match):
    with pytest.raises(ValueError, match=match):
        explorer.set(**values)


def test_set_applies_a_new_clip_before_its_zoom(explorer):
    upload(explorer, wav_bytes(np.zeros(3 * SR, np.float32) + 0.1, SR), "three.wav")
    explorer.set(time_range=(0.5, 1.0), clip="chirp")
    assert explorer.params["clip"] == "chirp" and explorer.params["time_range"] == (0.5, 1.0)


def test_displays_as_a_widget_with_a_readable_text_fallback(explorer):
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("STFTExplorer(clip='chirp', frame_length=1024")
    assert "0x" not in bundle["text/plain"]
    assert base64.b64decode(bundle["image/png"]) == explorer.png  # for GitHub, nbviewer, untrusted


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(sr=None), "sr=None"),
        (dict(sr=0), "sr=0"),
        (dict(window="blackman"), "window='blackman'"),
        (dict(scale="log"), "scale='log'"),
    ],
)
def test_bad_arguments_name_the_argument(chirp, kwargs, match):
    kwargs = {"sr": SR, **kwargs}
    with pytest.raises(ValueError, match=match):
        stft_explorer(chirp, **kwargs)


def test_bad_signal_is_rejected(chirp):
    bad = chirp.copy()
    bad[10] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        stft_explorer(bad, SR)


def test_starts_on_a_bundled_clip_without_a_signal():
    if not audio.samples():
        pytest.skip("no bundled clips in helpers/data yet")
    explorer = stft_explorer()
    assert explorer.params["clip"] in audio.samples()
    assert explorer.png.startswith(b"\x89PNG") and explorer.message == ""


def test_real_recording_uploads(test_data, explorer):
    path = sorted((test_data / "fsdd").glob("*.wav"))[0]
    upload(explorer, path.read_bytes(), path.name)
    assert explorer.readouts["sample rate"] == "8000 Hz" and explorer.message == ""


def test_max_pool_keeps_a_single_frame_click():
    values = np.zeros((10_000, 300), np.float32)
    values[4321, 17] = 1.0
    pooled = _max_pool(values, 640, 100)
    assert pooled.shape[0] <= 640 and pooled.shape[1] <= 100
    assert pooled.max() == 1.0 and np.count_nonzero(pooled) == 1


def test_max_pool_leaves_small_arrays_alone():
    values = np.arange(12, dtype=np.float32).reshape(4, 3)
    assert np.array_equal(_max_pool(values, 640, 100), values)


def test_frames_in_picks_the_frames_whose_columns_overlap_the_range():
    # frames of 1024 at hop 256, 22050 Hz: frame t is centred at (256 t + 512) / 22050 s,
    # and its column spans that centre ± half a hop
    first, stop = _frames_in((1.0, 2.0), 1000, SR, 1024, 256)
    left = ((first - 0.5) * 256 + 512) / SR
    right = ((stop - 0.5) * 256 + 512) / SR
    assert left <= 1.0 < left + 256 / SR and right - 256 / SR < 2.0 <= right
    assert _frames_in((0.0, 0.001), 1000, SR, 1024, 256) == (0, 1)  # never empty
    assert _frames_in((0.0, 100.0), 1000, SR, 1024, 256) == (0, 1000)


def assert_shows_a_full_draw(explorer, what: str) -> None:
    """The picture the explorer shows equals an ordinary savefig of its figure (no pixel off by > 40 levels)."""
    from PIL import Image

    out = io.BytesIO()
    explorer.figure.savefig(out, format="png")
    full = np.asarray(Image.open(out).convert("RGB")).astype(int)
    shown = np.asarray(Image.open(io.BytesIO(explorer.png)).convert("RGB")).astype(int)
    assert np.count_nonzero(np.abs(full - shown).max(axis=2) > 40) == 0, what


def test_blitted_picture_equals_a_full_draw_after_every_kind_of_change(explorer):

    for name, value in [
        ("time_range", (0.5, 1.5)),
        ("cmap", "viridis"),
        ("top_db", 40.0),
        ("time_range", (0.0, 2.0)),
        ("scale", "mel"),
        ("frame_length", 512),
        ("scale", "linear"),
        ("top_db", 60.0),
        ("scale", "db"),
        ("time_range", (0.0, 1.9)),
        ("cmap", "magma"),
        ("freq_range", (100.0, 3000.0)),
        ("time_range", (1.0, 1.02)),
    ]:
        explorer.controls[name].value = value
        assert_shows_a_full_draw(explorer, f"after {name}={value}")


def spy_on_text(monkeypatch) -> list[str]:
    """The texts matplotlib draws from now on (``Text.draw`` is wrapped), as a list that grows."""
    import matplotlib.text

    drawn = []
    text_draw = matplotlib.text.Text.draw
    monkeypatch.setattr(
        matplotlib.text.Text,
        "draw",
        lambda self, renderer: (drawn.append(self.get_text()), text_draw(self, renderer))[1],
    )
    return drawn


@pytest.mark.parametrize(
    "name, first, second",
    [
        ("top_db", 40.0, 60.0),
        ("cmap", "viridis", "magma"),
        ("time_range", (0.5, 1.5), (0.0, 2.0)),
        ("frame_length", 512, 256),
        ("scale", "linear", "mel"),
    ],
)
def test_going_back_to_a_setting_draws_no_text_and_still_matches_a_full_draw(
    explorer, monkeypatch, name, first, second
):
    """Comparing two settings: after the first visit of each, an update draws no text at all."""
    for value in (first, second):
        explorer.controls[name].value = value
    drawn = spy_on_text(monkeypatch)
    for value in (first, second, first):
        drawn.clear()
        explorer.controls[name].value = value
        assert [t for t in drawn if t] == [], f"back to {name}={value}: text was drawn again"
        assert_shows_a_full_draw(explorer, f"back to {name}={value}")
    assert drawn, "the spy saw the full draw's text (so it would have seen the update's)"


@pytest.mark.parametrize(
    "name, values",
    [("cmap", ("viridis", "cividis", "gray_r")), ("time_range", ((0.5, 1.5), (0.3, 1.3), (0.55, 1.45), (0.2, 1.65)))],
)
def test_a_first_visit_draws_only_the_text_that_changed(explorer, monkeypatch, name, values):
    """A new colormap draws no text (its colours go over the kept ticks); a new time range draws the time axis alone.

    (Unless a time label reaches under the colorbar: then the colorbar is drawn again, see below.)
    """
    explorer.controls[name].value = values[0]  # away from the opening view, whose last time label reaches the colorbar
    drawn = spy_on_text(monkeypatch)
    for value in values[1:]:
        drawn.clear()
        explorer.controls[name].value = value
        time_axis = {t.get_text() for t in explorer.ax.xaxis.get_ticklabels()} | {"Time (s)", ""}
        assert set(drawn) <= (time_axis if name == "time_range" else {""}), f"{name}={value}: drew {drawn}"
        assert name == "cmap" or drawn, "the new time axis was drawn"
        assert_shows_a_full_draw(explorer, f"first visit of {name}={value}")


@pytest.mark.parametrize(
    "changes",
    [[("clip", "chirp")], [("time_range", (0.0, 2.0))], [("time_range", (0.0, 1.9)), ("time_range", (0.5, 1.5))]],
)
def test_a_time_label_reaching_the_colorbar_leaves_nothing_behind(chirp, changes):
    """The kept colorbar strip must not keep the end of an x tick label of an earlier view.

    Notebook 05 opens on 0.80-1.20 s, whose last label "1.20" reaches under the colorbar strip.
    """

    explorer = stft_explorer(chirp, SR, name="tones", time_range=(0.8, 1.2), freq_range=(800.0, 1250.0))
    for name, value in changes:
        explorer.controls[name].value = value
        assert_shows_a_full_draw(explorer, f"after {name}={value}")


@pytest.mark.parametrize("name", ["music", "a long recording name", "<b>&amp; $x$"])
def test_the_title_is_text_above_the_live_picture_and_drawn_into_the_static_one(chirp, monkeypatch, name):
    """An update draws no title (the browser shows it as text); the static picture has it, whole."""
    explorer = stft_explorer(chirp, SR, name=name, frame_length=4096)
    drawn = spy_on_text(monkeypatch)
    explorer.controls["top_db"].value = 40.0
    assert explorer.title not in drawn, "the live update drew the title"
    assert f">{html.escape(explorer.title)}</div>" in explorer.heading.value, "the title is not the text above"
    assert explorer.title.startswith(name[:19])
    assert_shows_a_full_draw(explorer, f"static picture of {name!r}")  # savefig draws the title: so must png
    live = np.asarray(Image.open(io.BytesIO(explorer.view.value)))
    assert live.shape[0] == explorer.figure.bbox.height - explorer.canvas.top, "the live picture keeps the title band"


def test_figure_saves_complete_outside_updates(explorer):
    """Blitting must not leave the image or the title out of an ordinary savefig."""
    explorer.controls["frame_length"].value = 512
    out = io.BytesIO()
    explorer.figure.savefig(out, format="png")
    from PIL import Image

    saved = np.asarray(Image.open(out).convert("RGB"))
    shown = np.asarray(Image.open(io.BytesIO(explorer.png)).convert("RGB"))
    assert saved.shape == shown.shape
    assert np.mean(np.abs(saved.astype(int) - shown.astype(int))) < 1.0


def test_max_pool_uses_the_pixels_available():
    values = np.random.default_rng(0).random((2580, 513)).astype(np.float32)
    pooled = _max_pool(values, 580, 255)
    assert pooled.shape == (580, 255) and pooled.max() == values.max()


@pytest.mark.parametrize(
    "shape, pixels",
    [
        ((2580, 513), (580, 255)),
        ((1201, 7), (600, 3)),
        ((9, 1), (4, 1)),
        ((5, 3), (8, 8)),
        ((1000, 400), (333, 199)),
        ((37, 1025), (1, 512)),
    ],
)
def test_max_pool_gives_each_pixel_the_maximum_of_its_span(shape, pixels):
    """Each output pixel holds the maximum over its span of frames and bins, spans as linspace cuts them."""
    values = np.random.default_rng(shape[0]).random(shape).astype(np.float32)
    pooled = _max_pool(values, *pixels)
    assert pooled.shape == tuple(min(n, most) for n, most in zip(shape, pixels, strict=True))
    # the spans: whole groups first, then the pixels' even cuts of what is left (see max_pool)
    for axis, most in enumerate(pixels):
        n = values.shape[axis]
        group = n // most
        if group >= 2:
            values = np.maximum.reduceat(values, np.arange(0, n, group), axis=axis)  # remainder: its own
        if values.shape[axis] > most:
            values = np.maximum.reduceat(
                values, np.linspace(0, values.shape[axis], most + 1).astype(int)[:-1], axis=axis
            )
    assert np.array_equal(pooled, values)


def test_set_checks_the_final_combination_only(explorer):
    explorer.controls["frame_step"].value = 1024
    explorer.set(frame_length=512, frame_step=128)  # a hop of 1024 > 512 only in between
    assert explorer.params["frame_step"] == 128 and explorer.message == ""


def test_frequency_range_zooms_the_axes(explorer):
    explorer.controls["freq_range"].value = (1000.0, 3000.0)
    assert explorer.ax.get_ylim() == pytest.approx((1000, 3000))
    _, _, bottom, top = explorer.image.get_extent()
    assert 978 <= bottom <= 1000 and 3000 <= top <= 3022  # whole bins of 21.5 Hz around the range
    explorer.controls["scale"].value = "mel"
    low, high = explorer.ax.get_ylim()
    assert high > low and "mel" in explorer.ax.get_ylabel()
    _, _, bottom, top = explorer.image.get_extent()
    assert bottom <= low + 60 and top >= high - 60  # the mel bands in range, not the whole axis


@pytest.mark.parametrize("frame_length, lines", [(512, 1), (1024, 2)])
def test_two_close_tones_separate_with_a_long_enough_frame(frame_length, lines):
    """The 05_stft_explorer exercise: 1000 Hz and 1040 Hz at 16 kHz need 1024 samples."""
    t = np.arange(16000) / 16000
    y = (np.sin(2 * np.pi * 1000 * t) + np.sin(2 * np.pi * 1040 * t)).astype(np.float32)
    explorer = stft_explorer(
        y, 16000, frame_length=frame_length, frame_step=128, fft_length=8192, scale="linear", freq_range=(900.0, 1150.0)
    )
    profile = explorer.image.get_array().max(axis=1)  # brightest value of each row
    peaks = [
        i
        for i in range(1, profile.size - 1)
        if profile[i] >= profile[i - 1] and profile[i] > profile[i + 1] and profile[i] > 0.5 * profile.max()
    ]
    assert len(peaks) == lines


def test_play_warns_when_frames_barely_overlap(explorer):
    explorer.set(frame_length=1024, frame_step=1024, scale="db", top_db=20.0)
    explorer.play()
    rebuilt, _ = soundfile.read(io.BytesIO(explorer.audio.value), dtype="float32")
    assert np.all(np.isfinite(rebuilt)) and np.abs(rebuilt).max() <= 1.0
    assert "overlap by less than half" in explorer.message
    assert explorer.audio in explorer.play_row.children  # the player shows once it has a sound


# ---- in a real browser: JupyterLab 4 + Chromium, driven by Playwright (skipped where either is missing) ----
CHIRP_CELL = (
    "import numpy as np\nimport helpers.widgets\nt = np.arange(2 * 22050) / 22050\n"
    "y = (0.5 * np.sin(2 * np.pi * (200 + 1500 * t) * t)).astype(np.float32)\n"
    "explorer = helpers.widgets.stft_explorer(y, 22050, name='chirp')\nexplorer"
)
# Keys that are notebook shortcuts in command mode: Markdown, delete (d d), insert above/below, move
NOTEBOOK_KEYS = ["m", "d", "d", "a", "b", "ArrowDown", "ArrowUp"]


@pytest.fixture
def browser():
    """Playwright's sync API and a Chromium executable; skip (before starting anything) without them."""
    playwright = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    import explorer_lab  # tests/ is on sys.path (conftest.py lives there)

    if explorer_lab.chromium() is None:
        pytest.skip("no chromium executable on PATH (Debian: apt-get install chromium)")
    return playwright, explorer_lab


@pytest.fixture
def jupyter_lab(browser, tmp_path):
    """JupyterLab as ``make lab`` starts it, on a notebook that opens the explorer; yields its URL."""
    with browser[1].lab(tmp_path, CHIRP_CELL) as url:
        yield url


def _cells(page) -> tuple[int, int]:
    return page.locator(".jp-Notebook .jp-Cell").count(), page.locator(".jp-Notebook .jp-CodeCell").count()


@pytest.mark.browser
def test_explorer_renders_and_responds_in_jupyterlab(browser, jupyter_lab, tmp_path):
    playwright, lab = browser
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=lab.chromium(), args=lab.BROWSER_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            try:
                explorer, image = lab.open_explorer(page, jupyter_lab)
            except Exception:
                page.screenshot(path=tmp_path / "jupyterlab.png")
                raise
            readout = explorer.locator(".widget-html-content").filter(has_text="time step").first
            assert "46.4 ms" in readout.inner_text()  # frame duration of 1024 samples at 22.05 kHz
            before = image.get_attribute("src")
            handle = explorer.locator(".widget-slider:has-text('frame length') .noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")  # 1024 -> 2048
            page.wait_for_function(
                "([el, src]) => el.src !== src", arg=[image.element_handle(), before], timeout=30_000
            )
            page.wait_for_timeout(500)
            assert "92.9 ms" in readout.inner_text()
            assert "2048 (10.8 Hz)" in explorer.inner_text()  # the FFT length followed the frame
            title = explorer.locator(".widget-html-content").filter(has_text="window, frame").first
            assert "chirp: hann window, frame 2048 (92.9 ms), hop 256, FFT 2048" in title.inner_text()
            box, picture = title.bounding_box(), image.bounding_box()
            assert box["y"] + box["height"] <= picture["y"] + 1, "the title is not above the picture"
            table = readout.bounding_box()  # at 1400 px with the file panel open: beside the picture
            assert table["x"] >= picture["x"] + picture["width"], "the read-outs wrapped under the picture"
            status = explorer.locator(".sl-explorer-status").first.bounding_box()
            assert 0 <= status["y"] - (picture["y"] + picture["height"]) <= 8, (
                "the message line is not under the picture"
            )
            _check_accessibility(explorer, image)
            _check_keys_stay_in_the_explorer(page, explorer)
            _check_clicks_keep_the_keys_in_the_explorer(page, explorer, image)
            _check_ctrl_s_still_saves(page, explorer)
            _check_typed_values_it_cannot_read_are_explained(page, explorer)
            _check_a_disabled_slider_leaves_the_tab_order(page, explorer)
        finally:
            chromium.close()


def _check_accessibility(explorer, image):
    """Names and value text on every control, alt text on the picture, a live status line."""
    handles = explorer.locator(".noUi-handle")
    assert handles.count() == 8
    for i in range(handles.count()):
        assert handles.nth(i).get_attribute("aria-label"), f"slider handle {i} has no accessible name"
    frame = explorer.locator(".widget-slider:has-text('frame length') .noUi-handle").first
    assert frame.get_attribute("aria-valuetext") == "2048 samples (92.9 ms)"  # not the option index
    low, now, high = (float(frame.get_attribute(f"aria-value{a}")) for a in ("min", "now", "max"))
    assert low <= now <= high, "a choice's value is its index, as its min and max are (the text says the samples)"
    time_box = explorer.locator(".widget-slider:has-text('time (s)') .widget-readout").first
    assert time_box.get_attribute("role") == "textbox" and time_box.get_attribute("contenteditable") == "true"
    panel = image.evaluate("el => getComputedStyle(el.parentElement).overflow")
    assert panel == "visible", "a scrolling picture box is an unnamed Tab stop"
    assert image.get_attribute("alt").startswith("Spectrogram of chirp: 0.00 to 2.00 s")
    assert "frame 2048 samples" in image.get_attribute("alt")
    for select in explorer.locator("select").all():
        assert select.get_attribute("aria-label"), "a dropdown has no accessible name"
        assert select.get_attribute("title") not in (None, "", "null"), "a dropdown's hover text is missing"
    time_low, time_high = explorer.locator(".widget-slider:has-text('time (s)') .noUi-handle").all()
    assert (time_low.get_attribute("aria-valuetext"), time_high.get_attribute("aria-valuetext")) == ("0.00 s", "2.00 s")
    top_db = explorer.locator(".widget-slider:has-text('range (top dB)') .noUi-handle").first
    assert top_db.get_attribute("aria-valuetext") == "80 dB"
    upload = explorer.locator(".widget-upload").first
    assert upload.get_attribute("title") not in (None, "", "null") and "Your file" in upload.inner_text()
    assert upload.get_attribute("aria-label").startswith("Your file: Upload a WAV")  # not "Your file (0)"
    live = explorer.locator("[aria-live='polite']")
    assert live.count() == 2 and explorer.locator("[aria-live] [aria-live]").count() == 0  # status, play note
    for readout in explorer.locator(".sl-choice .widget-readout").all():  # ipywidgets ignores what is typed there
        assert readout.get_attribute("contenteditable") == "false"


def _check_keys_stay_in_the_explorer(page, explorer):
    """Letters and arrows pressed on each control never reach the notebook's shortcuts."""
    assert _cells(page) == (1, 1)
    focusable = explorer.locator("select, .noUi-handle, button.widget-upload")
    assert focusable.count() == 4 + 8 + 1
    for i in range(focusable.count()):
        control = focusable.nth(i)
        control.focus()
        for key in NOTEBOOK_KEYS:
            control.press(key)
            page.wait_for_timeout(20)
        page.wait_for_timeout(200)
        assert _cells(page) == (1, 1), f"keys on control {i} reached the notebook (cells, code cells)"
    assert explorer.locator("img.sl-explorer-view").count() == 1


def _check_ctrl_s_still_saves(page, explorer):
    """Keys without Ctrl stay in the explorer; Ctrl+S still reaches JupyterLab and saves the notebook."""
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current").first
    page.wait_for_function("el => el.classList.contains('jp-mod-dirty')", arg=tab.element_handle(), timeout=10_000)
    explorer.locator(".widget-slider:has-text('hop') .noUi-handle").first.focus()
    page.keyboard.press("Control+s")
    page.wait_for_function("el => !el.classList.contains('jp-mod-dirty')", arg=tab.element_handle(), timeout=10_000)


def _check_clicks_keep_the_keys_in_the_explorer(page, explorer, image):
    """After a click on a track, a label, the picture or the read-outs, keys still never reach the notebook."""
    focused = "() => document.activeElement.className + ' ' + !!document.activeElement.closest('.sl-explorer')"
    targets = [
        (explorer.locator(".widget-slider:has-text('hop') .noUi-base").first, "noUi-handle"),
        (explorer.locator(".widget-slider:has-text('FFT length') .widget-readout").first, "noUi-handle"),
        (explorer.locator(".widget-label:has-text('window')").first, ""),
        (image, ""),
        (explorer.locator(".widget-html-content").filter(has_text="time step").first, ""),
    ]
    for target, expected in targets:
        target.click()
        page.wait_for_timeout(300)
        where = page.evaluate(focused)
        assert where.endswith("true") and expected in where, f"a click left the focus outside the explorer: {where}"
        for key in NOTEBOOK_KEYS:
            page.keyboard.press(key)
            page.wait_for_timeout(20)
        page.wait_for_timeout(200)
        assert _cells(page) == (1, 1), f"keys after a click on {target} reached the notebook"


def _check_typed_values_it_cannot_read_are_explained(page, explorer):
    """ipywidgets puts back a typed value it cannot read, and cuts one outside the slider to its range, without
    a word, and reads none when the box is left with Tab or a click: the status line says why, and leaving a
    changed box applies it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    status = explorer.locator(".sl-explorer-status [role=status]").first
    top_db = explorer.locator(".widget-slider:has-text('range (top dB)') .noUi-handle").first
    select = (
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " getSelection().removeAllRanges(); getSelection().addRange(r); }"
    )

    def type_in(slider: str, text: str, key: str = "Enter"):
        readout = explorer.locator(f".widget-slider:has-text('{slider}') .widget-readout").first
        readout.click()
        readout.evaluate(select)
        page.keyboard.type(text)
        assert text not in (top_db.get_attribute("aria-valuetext") or ""), "half-typed text read out as the value"
        page.keyboard.press(key)
        return readout

    cases = [
        ("frequency", "800 to 1250", "⚠ frequency (Hz): “800 to 1250” is not a range; type its two ends with a dash"),
        ("frequency", "1250-800", "⚠ frequency (Hz): 1250 is above 800; type the lower end first, e.g. 800-1250."),
        ("time (s)", "0,8-1,2", "⚠ time (s): “0,8-1,2”: use a point for decimals and no commas, e.g. 0"),
        ("range (top dB)", "sixty", "⚠ range (top dB): “sixty” is not a number; type one, e.g. "),
        # read, but cut to the slider's range (ipywidgets does that without a word); milliseconds in a seconds box
        (
            "range (top dB)",
            "500",
            "⚠ range (top dB): 500 is outside the slider's range, so it was cut to 120 (its values",
        ),
        (
            "time (s)",
            "1-900",
            "⚠ time (s): 1-900 is outside the slider's range, so it was cut to 1.00 – ",  # the clip's end follows
        ),
    ]
    for slider, typed, said in cases:
        type_in(slider, typed)
        try:
            page.wait_for_function("([el, t]) => el.textContent.startsWith(t)", arg=[status.element_handle(), said])
        except PlaywrightTimeout:
            assert status.text_content() == said, f"typed {typed!r} in {slider!r}"
        assert "NaN" not in status.text_content(), "the example is not a number"
        unit = {"range (top dB)": "dB", "time (s)": "s"}.get(slider)
        assert "outside" not in said or status.text_content().endswith(f"(its values are in {unit}).")
    readout = type_in("frequency", "800-1250")  # read: the picture follows and the note goes
    page.wait_for_function("el => el.textContent === ''", arg=status.element_handle(), timeout=30_000)
    assert "800" in readout.inner_text() and "1250" in readout.inner_text()
    type_in("range (top dB)", "40", key="Tab")  # left with Tab: applied, as Enter would
    page.wait_for_function("el => el.getAttribute('aria-valuetext') === '40 dB'", arg=top_db.element_handle())
    choice = explorer.locator(".sl-choice .widget-readout").first
    assert "move the slider" in choice.get_attribute("title"), "a read-only box says how to change it"


def _check_a_disabled_slider_leaves_the_tab_order(page, explorer):
    """On the linear scale the dB range does nothing: its handle says so and Tab skips it."""
    explorer.locator(".widget-dropdown:has-text('scale') select").select_option(label="linear")
    handle = explorer.locator(".widget-slider:has-text('range (top dB)') .noUi-handle").first
    page.wait_for_function("el => el.getAttribute('aria-disabled') === 'true'", arg=handle.element_handle())
    assert handle.get_attribute("tabindex") == "-1"
