"""Keep TensorFlow's C++ start-up chatter out of notebook outputs.

ipykernel forwards everything written to file descriptor 2 into the notebook, and TensorFlow
prints time-stamped lines there while it is imported (oneDNN, CUDA probing). Those lines would
change on every run and break nbval's comparison, so the import happens with descriptor 2
pointed at ``/dev/null``. Errors raised by Python are not affected.
"""

import contextlib
import os


@contextlib.contextmanager
def _silenced_fd(fd: int = 2):
    """Point file descriptor ``fd`` at /dev/null for the duration of the block."""
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def import_tensorflow_quietly():
    """Import TensorFlow with its C++ log level raised and its start-up lines discarded.

    Used by ``helpers/__init__.py``, so every notebook that imports ``helpers`` gets it.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _silenced_fd(2):
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
        tf.config.list_physical_devices()  # device probing prints too; do it now, quietly
    return tf
