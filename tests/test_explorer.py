"""The explorer's robustness, playback and accessibility, driven headlessly (the browser side is in
test_widgets.py): bad settings raise with the value and what is allowed, uploads are bounded,
titles are plain text, the playback note names what runs, every control has a name."""

import io

import numpy as np
import pytest
import soundfile
from explorer_support import upload, wav_bytes

from helpers import spectral
from helpers.explorer import clips, controls, imaging, playback
from helpers.widgets import COLORMAPS, stft_explorer

SR = 8000


@pytest.fixture(scope="module")
def tone() -> np.ndarray:
    t = np.arange(2 * SR) / SR
    return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


@pytest.fixture
def explorer(tone):
    return stft_explorer(tone, SR, name="tone")


# ---- bad values raise, naming the value and the allowed range ----------------------------------
@pytest.mark.parametrize(
    "values, error, match",
    [
        (dict(top_db=1000), ValueError, r"top_db=1000 is larger than the maximum 120.*10 to 120"),
        (dict(top_db=5), ValueError, r"top_db=5 is smaller than the minimum 10"),
        (dict(top_db=float("nan")), ValueError, r"top_db=nan is not a finite number"),
        (dict(top_db="80"), TypeError, r"top_db='80' is not a real number"),
        (dict(time_range=(0, 1e6)), ValueError, r"time_range=1e\+06 is larger than the maximum 2.*0 to 2"),
        (dict(time_range=(-1, 1)), ValueError, r"time_range=-1 is smaller than the minimum 0"),
        (dict(time_range=(1.5, 0.5)), ValueError, r"low > high"),
        (dict(time_range=1.0), ValueError, r"time_range=1.0 is not a \(low, high\) pair"),
        (dict(freq_range=(0, 96000)), ValueError, r"freq_range=96000 is larger than the maximum 4000"),
        (dict(cmap="nope"), ValueError, r"cmap='nope' is not a colormap; choose one of \['magma', 'viridis'"),
        (dict(frame_length=300), ValueError, r"frame_length=300 is not available; choose one of \[64, 128"),
        (dict(hop=128), ValueError, r"no control named \['hop'\]"),
        (dict(play=True), ValueError, r"no control named \['play'\]"),
    ],
)
def test_set_refuses_what_a_control_does_not_offer(explorer, values, error, match):
    before = explorer.params
    with pytest.raises(error, match=match):
        explorer.set(**values)
    assert explorer.params == before  # nothing clamped, nothing half-applied


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(top_db=1000), ValueError, r"top_db=1000 is larger than the maximum 120"),
        (dict(time_range=(0, 1e6)), ValueError, r"time_range=1e\+06 is larger than the maximum 2"),
        (dict(freq_range=(100, 9000)), ValueError, r"freq_range=9000 is larger than the maximum 4000"),
        (dict(size=(0, 0)), ValueError, r"size\[0\]=0 .*240 to 4000"),
        (
            dict(size=(20000, 20000)),
            ValueError,
            r"size=\(20000, 20000\) asks for a width of 20000 pixels; use 240 to 4000",
        ),
        (dict(size=(720, 100)), ValueError, r"height of 100 pixels; use 160 to 3000"),
        (dict(size=(720.5, 320)), TypeError, r"size\[0\]=720.5"),
        (dict(size=720), ValueError, r"size=720 is not a \(width, height\) pair"),
        (dict(cmap="nope"), ValueError, r"choose one of \['magma', 'viridis', 'inferno', 'cividis', 'gray_r'\]"),
        (dict(frame_length=0), ValueError, r"frame_length=0"),
        (dict(frame_length=np.int64(2**20)), ValueError, r"frame_length=1048576 is larger than the maximum 8192"),
        (dict(frame_step=True), TypeError, r"frame_step=True is a boolean"),
        (dict(window="blackman-harris"), ValueError, r"window='blackman-harris' is not supported"),
        (dict(scale="log"), ValueError, r"scale='log' is not supported; choose one of \['linear', 'db', 'mel'\]"),
        (dict(name=3), TypeError, r"name=3 is not a clip label"),
    ],
)
def test_bad_starting_values_name_the_argument(tone, kwargs, error, match):
    with pytest.raises(error, match=match):
        stft_explorer(tone, SR, **kwargs)


def test_numpy_integers_and_other_colormaps_are_accepted(tone):
    explorer = stft_explorer(
        tone, SR, frame_length=np.int64(512), frame_step=np.int32(128), cmap="plasma", size=(np.int64(640), 300)
    )
    assert explorer.params["frame_length"] == 512 and type(explorer.params["frame_length"]) is int
    assert explorer.params["cmap"] == "plasma" and explorer.message == ""
    assert set(COLORMAPS) < set(explorer.controls["cmap"].options)


# ---- titles are plain text -------------------------------------------------------------------------
def test_a_dollar_file_name_draws_and_draws_again(explorer, tone):
    upload(explorer, wav_bytes(tone, SR), "mix_$100_$200.wav")
    assert explorer.params["clip"] == "upload: mix_$100_$200.wav" and explorer.message == ""
    assert "mix_" in explorer.ax.get_title() and explorer.png.startswith(b"\x89PNG")
    explorer.set(clip="tone")
    explorer.set(clip="upload: mix_$100_$200.wav", frame_length=512)
    assert explorer.message == "" and explorer.readouts["frame duration"] == "64.0 ms"


# ---- uploads: bounded reading, bounded keeping, the button says what it did ----------------------
def test_a_long_upload_is_read_only_as_far_as_shown(explorer, monkeypatch):
    long = np.zeros(int(75 * SR), np.float32) + 0.1
    asked = []
    read = soundfile.SoundFile.read
    monkeypatch.setattr(
        soundfile.SoundFile,
        "read",
        lambda self, frames=-1, **kw: asked.append(frames) or read(self, frames=frames, **kw),
    )
    upload(explorer, wav_bytes(long, SR), "long.wav")
    assert asked == [int(clips.MAX_SECONDS * SR)]  # not -1: the rest of the file is never decoded
    y, sr = explorer.clips["upload: long.wav"]
    assert y.shape[0] == 60 * SR and sr == SR
    assert "Showing the first 60 s of long.wav" in explorer.message


def test_only_the_last_uploads_are_kept(explorer, tone):
    for i in range(clips.MAX_UPLOADS + 2):
        upload(explorer, wav_bytes(tone * (i + 1) / 10, SR), f"take{i}.wav")
    kept = [k for k in explorer.clips if k.startswith("upload: ")]
    assert kept == [f"upload: take{i}.wav" for i in range(2, clips.MAX_UPLOADS + 2)]
    assert list(explorer.controls["clip"].options) == list(explorer.clips)
    assert "Removed the oldest uploads (upload: take1.wav)" in explorer.message
    assert all(key[0] in explorer.clips for key in explorer._spectra.items)  # their spectra went too


def test_uploads_are_capped_in_bytes(monkeypatch):
    store = {"a": None}
    monkeypatch.setattr(clips, "MAX_UPLOAD_BYTES", 2 * 4000 + 1)
    for i in range(3):
        dropped = clips.keep(store, f"upload: {i}", np.zeros(1000, np.float32), SR, shown="upload: 0")
    assert dropped == ["upload: 1"] and list(store) == ["a", "upload: 0", "upload: 2"]  # never the shown one


def test_the_upload_button_says_which_file_and_drops_the_bytes(explorer, tone):
    button = explorer.controls["upload"]
    assert button.tooltip and "WAV, FLAC, OGG or MP3" in button.tooltip
    upload(explorer, wav_bytes(tone, SR), "my voice.wav")
    assert button.description == "Your file: my voice.wav"
    assert len(button.value) == 1 and button.value[0]["name"] == "my voice.wav"
    assert bytes(button.value[0]["content"]) == b""  # the samples live in the clip, not twice


def test_ipywidgets_7_upload_values_are_understood():
    data = wav_bytes(np.zeros(10, np.float32), SR)
    v7 = {"a.wav": {"metadata": {"name": "a.wav"}, "content": data}}
    v8 = ({"name": "a.wav", "content": memoryview(data)},)
    assert clips.uploaded_files(v7) == clips.uploaded_files(v8) == [("a.wav", data)]


@pytest.mark.parametrize(
    "data, match",
    [
        (b"", r"empty \(0 bytes\)"),
        (b"RIFF\x10\x00\x00\x00WAVE", "header is truncated"),
        (b"this is not audio at all", r"not readable audio \(Format not recognised"),
    ],
)
def test_bad_upload_bytes_name_the_file(data, match):
    with pytest.raises(ValueError, match=match) as info:
        clips.decode(data, "x.wav")
    assert "x.wav" in str(info.value) and "object at 0x" not in str(info.value)


def test_an_upload_shorter_than_every_frame_is_refused_not_shown_as_the_last_clip(explorer):
    shown = explorer.params["clip"]
    upload(explorer, wav_bytes(np.full(10, 0.1, np.float32), 8000), "tiny.wav")
    assert "tiny.wav is 10 samples long (1.2 ms), shorter than the explorer's shortest frame (64" in explorer.message
    assert explorer.params["clip"] == shown and "upload: tiny.wav" not in explorer.controls["clip"].options
    upload(explorer, wav_bytes(np.full(64, 0.1, np.float32), 8000), "one_frame.wav")  # the shortest it can show
    assert explorer.params["clip"] == "upload: one_frame.wav"


# ---- playback names what runs and never plays on its own -------------------------------------------
def test_playback_names_the_inverse_from_the_code(explorer):
    assert playback.DESCRIPTION == (
        f"{spectral.istft.__module__}.{spectral.istft.__name__} (overlap-add divided by the windows present)"
    )
    assert playback.DESCRIPTION in explorer.controls["play"].tooltip
    assert "inverse_stft" not in explorer.controls["play"].tooltip
    explorer.controls["play"].click()
    assert playback.DESCRIPTION in explorer.message and "inverse_stft" not in explorer.message
    assert "inverse_stft" not in (explorer.play.__doc__ or "")


def test_nothing_plays_without_a_click(explorer):
    assert explorer.audio.autoplay is False
    assert explorer.audio not in explorer.play_row.children and explorer.audio.value == b""
    explorer.set(frame_length=512)
    assert explorer.audio.value == b""
    explorer.play()  # from code: the player gets the sound, and waits
    assert explorer.audio.value and explorer.audio.autoplay is False


def test_the_play_button_plays_what_it_rebuilt(explorer):
    explorer.controls["play"].click()
    assert explorer.audio in explorer.play_row.children and explorer.audio.autoplay is True


def test_what_play_rebuilt_is_said_beside_the_button_where_the_student_looks(explorer):
    explorer.controls["play"].click()
    assert explorer.play_row.children == (explorer.controls["play"], explorer.audio, explorer.play_note)
    assert "SNR" in explorer.play_note.value and "SNR" not in explorer.status.value
    explorer.set(clip="drums")  # another clip: the old sound and its note go
    assert explorer.play_row.children == (explorer.controls["play"], explorer.play_note)
    assert "SNR" not in explorer.play_note.value
    explorer.controls["play"].click()
    explorer.set(top_db=20.0)  # other settings: the sound and its note described the old ones
    assert explorer.play_row.children == (explorer.controls["play"], explorer.play_note)
    assert "SNR" not in explorer.play_note.value and explorer.audio.loop is False


def test_a_failing_setting_greys_the_last_picture_until_one_works(explorer):
    upload(explorer, wav_bytes(np.zeros(100, np.float32), SR), "tiny.wav")
    assert "fewer than one frame" in explorer.message and "sl-explorer-stale" in explorer.view._dom_classes
    explorer.set(frame_length=64, frame_step=16)
    assert explorer.message == "" and "sl-explorer-stale" not in explorer.view._dom_classes


# ---- accessibility on the Python side (the browser test checks what reaches the page) ---------------
def test_every_control_has_a_name_and_a_description(explorer):
    for key, control in explorer.controls.items():
        assert control.description, key
        assert control.tooltip, key


def test_sample_sliders_say_their_value_in_physical_units(explorer, tone):
    labels = dict((v, k) for k, v in explorer.controls["frame_length"].options)
    assert labels[256] == "256 (32.0 ms)"
    assert dict((v, k) for k, v in explorer.controls["fft_length"].options)[1024] == "1024 (7.8 Hz)"
    upload(explorer, wav_bytes(np.resize(tone, 22050), 22050), "cd.wav")  # another rate: relabelled
    labels = dict((v, k) for k, v in explorer.controls["frame_length"].options)
    assert labels[256] == "256 (11.6 ms)" and explorer.params["frame_length"] == 1024


def test_alt_text_describes_the_current_picture(explorer):
    explorer.set(frame_length=512, scale="mel", top_db=60.0, time_range=(0.5, 1.5))
    alt = explorer.alt
    for part in ("tone", "0.50 to 1.50 s", "mel-spaced power in dB, 60 dB range", "frame 512 samples (64.0 ms)"):
        assert part in alt


def test_the_status_line_is_a_live_region_even_when_empty(explorer):
    assert explorer.message == "" and 'aria-live="polite"' in explorer.status.value
    assert explorer.status.layout.height == "56px"  # its height is reserved: the picture never jumps
    explorer.controls["frame_step"].value = 2048
    assert 'role="status"' in explorer.status.value and "Frame length raised" in explorer.status.value


# ---- the image maths agree with helpers.spectral -----------------------------------------------------
@pytest.mark.parametrize("scale, kind", [("db", "amplitude"), ("mel", "power")])
def test_scaled_equals_spectral_to_db(scale, kind):
    values = np.random.default_rng(0).random((50, 40)).astype(np.float32) ** 4
    ours = imaging.scaled(values, float(values.max()), scale)
    theirs = spectral.to_db(values, ref=float(values.max()), top_db=None, kind=kind).numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-3)


def test_mel_power_equals_spectral_mel_spectrogram():
    magnitude = np.random.default_rng(1).random((20, 513)).astype(np.float32)
    ours = imaging.mel_power(magnitude, 22050, 1024)
    theirs = spectral.mel_spectrogram(magnitude**2, 22050, 1024, n_mels=imaging.n_mels(1024)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)


def test_controls_at_least_and_at_most():
    assert controls.at_least([64, 128, 256], 100) == 128 and controls.at_least([64, 128], 999) == 128
    assert controls.at_most([64, 128, 256], 100) == 64 and controls.at_most([64, 128], 1) == 64


def test_the_live_view_is_a_jpeg_close_to_the_lossless_picture(tone):
    from PIL import Image

    noisy = tone + 0.05 * np.random.default_rng(0).standard_normal(tone.size).astype(np.float32)
    explorer = stft_explorer(noisy, SR, frame_length=512, cmap="viridis")  # a real recording's texture
    sent = bytes(explorer.view.value)
    assert explorer.view.format == "jpeg" and sent[:3] == b"\xff\xd8\xff"
    assert len(sent) < len(explorer.png)  # fewer bytes per update than the PNG
    jpeg = np.asarray(Image.open(io.BytesIO(sent)).convert("RGB")).astype(int)
    png = np.asarray(Image.open(io.BytesIO(explorer.png)).convert("RGB")).astype(int)
    png = png[explorer.canvas.top :]  # the live picture leaves out the title's band (the title is text above it)
    assert jpeg.shape == png.shape and np.mean(np.abs(jpeg - png)) < 3.0


def test_the_front_end_marks_travel_with_the_explorer(explorer):
    from helpers.explorer import frontend

    assert explorer.marks in explorer.widget.children and frontend.ROOT_CLASS in explorer.widget._dom_classes
    assert "stopPropagation" in frontend.ESM and explorer.marks.layout.display == "none"
    explorer.set(frame_length=256)
    assert explorer.marks.alt == explorer.alt and "frame 256 samples" in explorer.alt


def test_displays_on_ipywidgets_7_which_has_no_repr_mimebundle(explorer, monkeypatch):
    """Colab ships ipywidgets 7, whose boxes display through a view reference, not _repr_mimebundle_."""

    class Box7:  # what matters of an ipywidgets 7 VBox: a model id and no _repr_mimebundle_
        model_id = "abc123"

    monkeypatch.setattr(explorer, "widget", Box7())
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == "abc123"
    assert bundle["image/png"] and bundle["text/plain"].startswith("STFTExplorer(")


@pytest.mark.parametrize("seconds, sr, time_step, freq_step", [(2.0, 8000, 0.01, 20.0), (30.0, 22050, 0.1, 50.0)])
def test_range_sliders_cross_their_span_in_about_200_arrow_presses(seconds, sr, time_step, freq_step):
    explorer = stft_explorer(np.zeros(int(seconds * sr), np.float32), sr, name="silence")
    assert explorer.controls["time_range"].step == time_step and explorer.controls["freq_range"].step == freq_step
    explorer.set(clip="drums")  # another clip refits both sliders
    assert explorer.controls["freq_range"].step == controls.keyboard_step(explorer.clips["drums"][1] / 2)


@pytest.mark.parametrize(
    "name, value, shown, note",
    [
        ("time_range", (1.5, 1.5), (1.49, 1.51), "Time range widened to 1.49 – 1.51 s"),
        ("time_range", (2.0, 2.0), (1.98, 2.0), "Time range widened to 1.98 – 2.00 s"),
        ("freq_range", (3250.0, 3250.0), (3230.0, 3270.0), "Frequency range widened to 3230 – 3270 Hz"),
        ("freq_range", (0.0, 0.0), (0.0, 40.0), "Frequency range widened to 0 – 40 Hz"),
    ],
)
def test_a_zoom_of_zero_width_is_widened_with_a_note(explorer, recwarn, name, value, shown, note):
    explorer.set(**{name: value})
    assert explorer.controls[name].value == pytest.approx(shown) and note in explorer.message
    assert not [w for w in recwarn if "identical" in str(w.message)], "matplotlib was given an empty range"


def test_an_stft_too_large_is_refused_before_it_is_computed(monkeypatch):
    explorer = stft_explorer(np.zeros(60 * 22050, np.float32), 22050, name="a minute of silence")
    monkeypatch.setattr(spectral, "stft", lambda *a, **k: pytest.fail("the STFT was computed"))
    explorer.set(frame_length=4096, frame_step=16)
    assert "makes 82432 frames × 2049 bins (1289 MB" in explorer.message and "choose a larger hop" in explorer.message
