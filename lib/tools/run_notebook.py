"""Execute one notebook headless with the `java` kernel, as `./kit run` and `./kit test` do.

usage: run_notebook.py NOTEBOOK OUT.ipynb OUT.html

Writes the executed notebook and its HTML (also on failure, up to the failing cell), prints the
failing cell and its error on lines starting with "REPORT:", and exits 1 when a cell fails or
2 when the kernel could not run the notebook at all (so the caller may retry). Runs on the Python that Jupyter
itself uses; `./kit` finds it.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


# rapaio-jupyter-kernel 3.0.1 occasionally stops answering when a request reaches it while it is
# still starting up (its shell thread dies on a NullPointerException). A healthy start takes a
# few seconds, so a kernel silent for this long is restarted rather than waited for.
STARTUP_TIMEOUT = 45
STARTUP_ATTEMPTS = 3


def run_with_fresh_kernel(nb, workdir, kernel="java", cell_timeout=None):
    """Executes nb in place. Returns 0, 1 (a cell failed) or 2 (the kernel failed)."""
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        client = NotebookClient(nb, timeout=cell_timeout, startup_timeout=STARTUP_TIMEOUT,
                                kernel_name=kernel, resources={"metadata": {"path": workdir}})
        try:
            client.execute()
            return 0
        except CellExecutionError:
            return 1
        except RuntimeError as e:
            if "didn't respond" in str(e) and attempt < STARTUP_ATTEMPTS:
                print("kernel did not start (attempt %d), retrying" % attempt, flush=True)
                continue
            print("REPORT: the kernel failed: %s: %s" % (type(e).__name__, e))
            return 2
        except Exception as e:  # the kernel died, or a cell timed out
            print("REPORT: the kernel failed: %s: %s" % (type(e).__name__, e))
            return 2
    return 2


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
    nbformat.write(nb, out_nb)
    body, _ = HTMLExporter().from_notebook_node(nb)
    with open(out_html, "w", encoding="utf-8") as f:
        f.write(body)
    return status


if __name__ == "__main__":
    sys.exit(execute(*sys.argv[1:4]))
