"""Run a notebook as a student does: Run All, then re-run single cells in the same kernel.

usage: rerun_notebook.py NOTEBOOK...

For each notebook: start a new kernel (as ./kit run does), execute every cell top to bottom, then
execute every code cell once more on its own, from the last back to the first, in the same
kernel. That order catches a cell that depends on state a later cell changed (e.g. a later cell
reassigning the weights an earlier check uses). Every re-run must finish without an error.
Prints a line per notebook, and "REPORT:" lines naming each failing cell and its error; exits 1
if any notebook failed. The executed notebooks are not written anywhere.
"""
import os
import sys
import time

import nbformat
from nbclient.exceptions import CellExecutionError

from run_notebook import start_kernel


def first_line(cell):
    return next((l for l in cell.source.splitlines() if l.strip()), "")[:80]


def error_of(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            return ("%s: %s" % (o.get("ename", "error"), o.get("evalue", ""))).strip()
    return None


def rerun(path, kernel="java"):
    """Returns a list of (phase, cell index, first line, error) for every cell that failed."""
    nb = nbformat.read(path, as_version=4)
    client = start_kernel(nb, os.path.dirname(os.path.abspath(path)), kernel)
    failures = []

    def run(phase, index, cell):
        try:
            client.execute_cell(cell, index)
        except CellExecutionError:
            pass  # the error is in the cell's outputs
        err = error_of(cell)
        if err:
            failures.append((phase, index, first_line(cell), err))
        return err is None

    with client.setup_kernel():  # the kernel started above; shut down at the end
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and not run("Run All", index, cell):
                return failures  # the re-runs mean nothing once Run All has failed
        for index in reversed(range(len(nb.cells))):
            cell = nb.cells[index]
            if cell.cell_type == "code":
                run("re-run", index, cell)
    return failures


def main(paths):
    failed = 0
    for path in paths:
        t0 = time.time()
        try:
            failures = rerun(path)
        except Exception as e:  # the kernel did not start, or died
            failures = [("kernel", -1, "", "%s: %s" % (type(e).__name__, e))]
        name = os.path.splitext(os.path.basename(path))[0]
        print("  %-40s %5.0fs  %s" % (name, time.time() - t0,
                                      "ok" if not failures else "FAILED (%d cell(s))" % len(failures)), flush=True)
        for phase, index, line, err in failures:
            where = "the kernel" if index < 0 else "cell %d (starts with: %r)" % (index, line)
            print("REPORT: %s failed in %s" % (where, phase))
            for l in err[:2000].splitlines():
                print("REPORT:   " + l)
        failed += bool(failures)
    print("rerun: %d passed, %d failed" % (len(paths) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
