"""Loading, saving, playing and checking audio; the bundled sample clips.

Reading goes through ``soundfile`` (libsndfile: WAV, FLAC, OGG, MP3), resampling and mixing
down through librosa, exactly what ``librosa.load`` does for these formats, but with errors a
student can act on instead of libsndfile's terse ones. NumPy only: no TensorFlow here.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import librosa
import numpy as np
import soundfile

from helpers import _validate
from helpers._quiet import silenced_fd
from helpers._sndfile import check_wav_header, explain_libsndfile

DATA_DIR = Path(__file__).parent / "data"
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")
WRITABLE_SUFFIXES = {".wav": "WAV", ".flac": "FLAC"}
MAX_SAMPLES = 2**28  # 1 GiB of float32: about 100 minutes of 44.1 kHz stereo
MAX_PLAY_SECONDS = 20 * 60  # a notebook player embeds the whole clip


def load(path, sr: int | None = None, mono: bool = True) -> tuple[np.ndarray, int]:
    """Read an audio file as float32 samples in [-1, 1] and its sample rate.

    Integer files (8/16/24/32-bit PCM) are scaled to [-1, 1] by libsndfile. A float file
    (``FLOAT``/``DOUBLE`` subtype) holding samples beyond ±1 is refused rather than returned
    unscaled or silently rescaled: the message says its peak and how to read it as it is.

    Parameters
    ----------
    path : str, path-like or file object
        A WAV, FLAC, OGG or MP3 file, or an open binary file (``open(p, "rb")``, ``io.BytesIO``)
        as ``soundfile.read`` accepts.
    sr : int or None
        ``None`` (default) keeps the file's own rate, as ``librosa.load(path, sr=None)`` does;
        an integer resamples to that rate.
    mono : bool
        Mix all channels down to one (default). ``False`` keeps a multichannel file as a
        ``[channels, samples]`` array, librosa's layout.

    Returns
    -------
    y : np.ndarray, float32
        ``[samples]`` (or ``[channels, samples]`` when ``mono=False`` and the file has several).
    sr : int
        The sample rate of ``y`` in Hz.

    Examples
    --------
    >>> y, sr = load(sample("chirp"))
    >>> y.dtype, sr
    (dtype('float32'), 22050)

    Used in: 00_setup, 01_loading_audio and every later notebook.
    """
    source, name = _source(path)
    sr = None if sr is None else _validate.sample_rate(sr, "sr")
    mono = _validate.boolean(mono, "mono")
    data, native_sr = _read(source, name)
    y = _validate.signal(data.T, name=name, mono=False)
    y = librosa.to_mono(y) if mono else (y[0] if y.shape[0] == 1 else y)
    if sr is not None and sr != native_sr:
        if y.shape[-1] * sr / native_sr * max(1, y.ndim) > MAX_SAMPLES:
            raise ValueError(f"sr={sr} would make {name} longer than {MAX_SAMPLES} samples; use a lower sr")
        y = librosa.resample(y, orig_sr=native_sr, target_sr=sr)
    return np.ascontiguousarray(y, dtype=np.float32), int(sr or native_sr)


def _source(path):
    """A checked ``Path`` (or the file object itself) and the name messages use for it."""
    if hasattr(path, "read"):
        return path, f"file object {getattr(path, 'name', type(path).__name__)!s}"
    path = _validate.path(path, "path")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"No such audio file: {path} (check the name, or list the folder with os.listdir)"
        ) from None
    except OSError as err:
        raise ValueError(f"{path} cannot be read ({err.strerror}); check its name and permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise ValueError(f"{path} is a directory, not readable audio; pass the path of one file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(
            f"{path} is not a regular file (a pipe or a device), not readable audio; pass an audio file saved on disk"
        )
    if info.st_size == 0:
        raise ValueError(f"{path} is empty (0 bytes), not readable audio; record or export the file again")
    if path.suffix.lower() == ".wav":
        check_wav_header(path)
    return path, str(path)


def _read(source, name: str) -> tuple[np.ndarray, int]:
    """Decode with libsndfile, its size bounded first, its messages translated."""
    try:
        with silenced_fd(2), soundfile.SoundFile(source) as f:  # libmpg123 prints notes on fd 2
            if f.frames * f.channels > MAX_SAMPLES:
                raise ValueError(
                    f"{name} holds {f.frames * f.channels} samples, more than the {MAX_SAMPLES} "
                    "load reads at once; cut it first, e.g. with soundfile.read(path, frames=...)"
                )
            data = f.read(dtype="float32", always_2d=True)
            subtype, native_sr = f.subtype, f.samplerate
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as err:
        raise ValueError(
            f"{name} is not readable audio: {explain_libsndfile(err, name)}; "
            "use a WAV, FLAC, OGG or MP3 file (export or copy it again)"
        ) from None
    if data.shape[0] == 0:
        raise ValueError(f"{name} contains no audio samples (0 frames); record or export the file again")
    peak = float(np.max(np.abs(data))) if np.isfinite(data).all() else 0.0
    if subtype in ("FLOAT", "DOUBLE") and peak > 1.0:
        raise ValueError(
            f"{name} is a float file peaking at {peak:.3g}, beyond the [-1, 1] load promises; "
            "read it as stored with soundfile.read(path) and scale it (y / np.abs(y).max())"
        )
    return data, int(native_sr)


def save(path, y, sr: int) -> Path:
    """Write ``y`` (``[samples]`` or ``[channels, samples]``) as a 16-bit PCM WAV (or FLAC) file.

    Integer PCM input (int16, int32, uint8) is scaled to [-1, 1] first; float samples beyond ±1
    are clipped, as any 16-bit file would. The file appears complete or not at all (written to a
    temporary sibling, then renamed). The folder must exist.

    Returns the path written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     load(save(Path(folder) / "tone.wav", np.zeros(800, np.float32), 8000))[1]
    8000

    Used in: tests/test_audio.py (the notebooks write files with soundfile.write, shown raw).
    """
    path = _writable_path(path)
    y = _validate.signal(y, name="y", mono=False)
    sr = _validate.sample_rate(sr, "sr")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fmt = WRITABLE_SUFFIXES[path.suffix.lower()]
        soundfile.write(tmp, np.clip(y.T, -1.0, 1.0), sr, subtype="PCM_16", format=fmt)
        os.replace(tmp, path)
    except (soundfile.LibsndfileError, OSError) as err:
        tmp.unlink(missing_ok=True)
        raise ValueError(f"could not write {path} ({err}); check that you may write to {path.parent}") from None
    return path


def _writable_path(path) -> Path:
    path = _validate.path(path, "path")
    if path.is_dir():
        example = str(path / "clip.wav")
        raise ValueError(f"path={str(path)!r} is a directory; pass a file name inside it, e.g. {example!r}")
    if path.suffix.lower() not in WRITABLE_SUFFIXES:
        raise ValueError(
            f"path={str(path)!r} has suffix {path.suffix!r}; save writes 16-bit WAV or FLAC: "
            f"use a name ending in .wav or .flac, e.g. {path.with_suffix('.wav').name!r}"
        )
    parent = path.parent
    if not parent.is_dir():
        what = "is a file, not a folder" if parent.exists() else "does not exist"
        raise FileNotFoundError(
            f"cannot save {path}: the folder {parent} {what}; create it first with "
            f"os.makedirs({str(parent)!r}, exist_ok=True)"
        )
    return path


def play(y, sr: int, normalize: bool = True):
    """An ``IPython.display.Audio`` player for ``y``; display it (or leave it last in a cell).

    ``y`` is ``[samples]`` or ``[channels, samples]`` (librosa's layout; a ``[samples, channels]``
    array is refused with a message saying to pass ``y.T``). Integer PCM is scaled to [-1, 1].
    ``normalize=False`` keeps the true loudness, useful to compare gains; it needs samples in [-1, 1].

    Examples
    --------
    >>> player = play(np.zeros(800, np.float32), 8000)

    Used in: every notebook.
    """
    from IPython.display import Audio

    y = _validate.signal(y, name="y", mono=False)
    sr = _validate.sample_rate(sr, "sr")
    normalize = _validate.boolean(normalize, "normalize")
    if y.shape[-1] > MAX_PLAY_SECONDS * sr:
        raise ValueError(
            f"y lasts {y.shape[-1] / sr:.0f} s, longer than the {MAX_PLAY_SECONDS} s a notebook "
            f"player embeds; play a slice, e.g. y[..., :{30 * sr}] for 30 s"
        )
    peak = float(np.abs(y).max())
    if not normalize and peak > 1.0:
        raise ValueError(
            f"y peaks at {peak:.3g} but normalize=False needs samples in [-1, 1]; "
            "scale it (y / np.abs(y).max()) or use normalize=True"
        )
    return Audio(data=y, rate=sr, normalize=normalize and peak > 0)  # IPython would divide silence by 0


def samples() -> list[str]:
    """Names of the clips bundled with the course (pass one to :func:`sample`).

    Used in: 00_setup, 01_loading_audio.
    """
    return sorted(p.stem for p in DATA_DIR.glob("*.wav"))


def sample(name: str) -> Path:
    """Path of the bundled clip ``name`` (see :func:`samples`), e.g. ``sample("speech")``.

    Used in: every notebook.
    """
    if not isinstance(name, str):
        raise TypeError(f"name={_validate.show(name)} is not a clip name; choose one of {samples()}")
    path = DATA_DIR / f"{Path(name).stem}.wav"
    if not path.is_file():
        raise ValueError(f"name={name!r} is not a bundled clip; choose one of {samples()}")
    return path


def check_signal(y, name: str = "y", mono: bool = True) -> np.ndarray:
    """Return ``y`` as a float32 array after checking it is usable audio (``helpers._validate.signal``).

    Raises ``ValueError`` naming ``name`` when ``y`` is empty, holds NaN or Inf, or (with
    ``mono=True``) is not 1-D; ``TypeError`` for complex, text or boolean arrays and for
    ``load()``'s ``(y, sr)`` pair. Integer PCM (int16, int32, uint8) is scaled to [-1, 1].

    >>> check_signal(np.array([0, -32768], np.int16))
    array([ 0., -1.], dtype=float32)

    Used in: helpers.widgets and every helper that takes samples.
    """
    return _validate.signal(y, name=name, mono=_validate.boolean(mono, "mono"))


def fix_length(y, length: int):
    """Cut ``y`` (``[..., samples]``) to its first ``length`` samples, or zero-pad its end to that.

    The one cut-or-pad of the course: NumPy in, NumPy out; a ``tf.Tensor`` in (also inside
    ``tf.data`` / ``tf.function``), a float32 tensor of static length ``length`` out.

    >>> fix_length(np.ones(3, np.float32), 5)
    array([1., 1., 1., 0., 0.], dtype=float32)

    Used in: helpers.datasets (to_dataset, fix_length), helpers.models.
    """
    length = _validate.positive_int(length, "length", maximum=MAX_SAMPLES, what="the number of samples to keep")
    if _is_tensor(y):
        tf = sys.modules["tensorflow"]
        y = tf.cast(y, tf.float32)[..., :length]
        pad = tf.concat([tf.zeros([tf.rank(y) - 1, 2], tf.int32), [[0, length - tf.shape(y)[-1]]]], axis=0)
        y = tf.pad(y, pad)
        return tf.ensure_shape(y, y.shape[:-1].concatenate([length]))
    y = np.asarray(y)[..., :length]
    return np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, length - y.shape[-1])])


def snr_db(signal, noise) -> float:
    """Signal-to-noise ratio in dB, ``10 log10(mean(signal**2) / mean(noise**2))``.

    The one SNR of the course. For a reconstruction pass the error: ``snr_db(y, y - rebuilt)``.
    ``inf`` when ``noise`` is all zeros; a silent ``signal`` is refused (the ratio means nothing).

    >>> round(snr_db(np.ones(100), 0.1 * np.ones(100)), 6)
    20.0

    Used in: helpers.widgets, helpers.checks, tests/test_augment.py.
    """
    s = _validate.signal(signal, name="signal", mono=False).astype(np.float64)
    n = _validate.signal(noise, name="noise", mono=False).astype(np.float64)
    s_power, n_power = float(np.mean(s**2)), float(np.mean(n**2))
    if s_power == 0:
        raise ValueError(
            "signal is silent (all zeros), so its SNR is undefined; pass the clean signal first, "
            "then the noise: snr_db(signal, noise)"
        )
    return float("inf") if n_power == 0 else 10.0 * float(np.log10(s_power / n_power))


def _is_tensor(x) -> bool:
    """A TensorFlow tensor (checked without importing TensorFlow when it is not loaded)."""
    tf = sys.modules.get("tensorflow")
    return tf is not None and hasattr(tf, "is_tensor") and tf.is_tensor(x)


def _check_rate(sr, name: str = "sr") -> int:
    """Kept for helpers.widgets until it calls ``helpers._validate.sample_rate`` itself."""
    return _validate.sample_rate(sr, name)
