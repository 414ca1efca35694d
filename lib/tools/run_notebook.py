"""Execute one notebook headless with the `java` kernel, as `./kit run` and `./kit test` do.

usage: run_notebook.py NOTEBOOK OUT.ipynb OUT.html

Writes the executed notebook and its HTML (also on failure, up to the failing cell), prints the
failing cell and its error on lines starting with "REPORT:", and exits 1 when a cell fails or
2 when the kernel could not run the notebook at all (so the caller may retry). Runs on the Python that Jupyter
itself uses; `./kit` finds it.
"""
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

from atomic_file import write_atomically


# The kit installs rapaio-jupyter-kernel with its own fix of the kernel's start-up race
# (docs/kernel-start-race.md), so a kernel answers its first request however early it comes.
# What follows is only a safety net: a kernel that stays silent for STARTUP_TIMEOUT seconds, or
# exits while starting, is replaced by a new one, and each replacement is printed on a line
# starting with "RESTART:" (./kit counts them). With the fix it should never fire.
STARTUP_TIMEOUT = 60  # a kernel start takes 2-15 s, depending on the machine's load
STARTUP_ATTEMPTS = 5


def start_kernel(nb, workdir, kernel="java", cell_timeout=None):
    """A NotebookClient for nb whose new kernel has answered kernel_info; raises RuntimeError if none did."""
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        client = NotebookClient(nb, timeout=cell_timeout, startup_timeout=STARTUP_TIMEOUT,
                                kernel_name=kernel, resources={"metadata": {"path": workdir}})
        client.km = client.create_kernel_manager()
        try:
            client.start_new_kernel(cwd=workdir)
            client.start_new_kernel_client()  # sends kernel_info at once and waits for the reply
            return client
        except RuntimeError as e:
            # Both happen before any cell has run, so a new kernel can simply start over: a silent
            # kernel, or one that exited at start-up (e.g. a port it was given was taken by
            # another process in the meantime). nbclient has already shut the old one down.
            startup_failure = "didn't respond" in str(e) or "died before replying" in str(e)
            if not (startup_failure and attempt < STARTUP_ATTEMPTS):
                raise
            print("RESTART: %s (attempt %d), starting a new kernel" % (e, attempt), flush=True)


def cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def wait_until_idle(km, limit=90.0):
    """Waits until the kernel process has started working and then used no CPU for a moment.

    No longer needed with the kit's kernel fix (a kernel may be asked at once); kept only because
    the exercise grader (exercises.py) still calls it."""
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    if pid is None or cpu_seconds(pid) is None:  # not Linux, or an unknown provisioner
        time.sleep(3)
        return
    deadline = time.time() + limit
    last, quiet = cpu_seconds(pid), 0
    while time.time() < deadline and quiet < 8:  # two quiet seconds: under load a busy JVM can stall for one
        time.sleep(0.25)
        now = cpu_seconds(pid)
        if now is None:
            return
        quiet = quiet + 1 if now - last < 0.01 and now > 1.0 else 0
        last = now


def run_with_fresh_kernel(nb, workdir, kernel="java", cell_timeout=None):
    """Executes nb in place. Returns 0, 1 (a cell failed) or 2 (the kernel failed)."""
    try:
        client = start_kernel(nb, workdir, kernel, cell_timeout)
        client.execute()  # runs every cell in the kernel started above, then shuts it down
        return 0
    except CellExecutionError:
        return 1
    except Exception as e:  # the kernel did not start or died, or a cell timed out
        print("REPORT: the kernel failed: %s: %s" % (type(e).__name__, e))
        return 2


# A cell whose last statement has a value shows that value: display(...) returns a display id and
# printf(...) returns the stream, which would appear under the cell as noise.
STRAY_ECHO = re.compile(r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[\w.$]+@[0-9a-f]+)$")


def stray_echo(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "execute_result":
            data = o.get("data", {})
            text = data.get("text/plain") or data.get("text/html") or ""
            text = ("".join(text) if isinstance(text, list) else text).strip()
            if STRAY_ECHO.match(text):
                return text
    return None


def execute(src, out_nb, out_html, kernel="java", cell_timeout=None):
    nb = nbformat.read(src, as_version=4)
    status = run_with_fresh_kernel(nb, os.path.dirname(os.path.abspath(src)), kernel, cell_timeout)
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                status = 1
                first = next((l for l in cell.source.splitlines() if l.strip()), "")
                print("REPORT: failing cell %d (starts with: %r)" % (i, first[:80]))
                for line in ("%s: %s" % (o.get("ename", "error"), o.get("evalue", "")[:2000])).splitlines():
                    print("REPORT:   " + line)
    for i, cell in enumerate(nb.cells):
        echo = stray_echo(cell)
        if echo:
            status = max(status, 1)
            print("REPORT: cell %d shows the value of its last statement (%r): end it with a statement that has "
                  "no value, e.g. System.out.println(...), not display(...) or printf(...)" % (i, echo))
    write_atomically(out_nb, nbformat.writes(nb) + "\n")
    body, _ = HTMLExporter().from_notebook_node(nb)
    write_atomically(out_html, body)
    return status


if __name__ == "__main__":
    sys.exit(execute(*sys.argv[1:4]))
