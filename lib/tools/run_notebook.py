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


def execute(src, out_nb, out_html, kernel="java", cell_timeout=None):
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(nb, timeout=cell_timeout, startup_timeout=300, kernel_name=kernel,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}})
    status = 0
    try:
        client.execute()
    except CellExecutionError:
        status = 1
    except Exception as e:  # the kernel did not start, died, or a cell timed out
        status = 2
        print("REPORT: the kernel failed: %s: %s" % (type(e).__name__, e))
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
