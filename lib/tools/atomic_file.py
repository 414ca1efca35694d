"""The Python tools' one way to write a file, as cnnkit.train.AtomicFile is the library's.

Readers see the old file or the whole new one, never a half-written file: the text goes to a
temporary file in the same folder, is flushed to disk, then renamed over the target.
"""
import os


def write_atomically(path, text):
    """Writes text (UTF-8) to path atomically, creating the folder if needed."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
