"""Start the installed Java kernel N times, as a browser does, and count the starts that hang.

usage: kernel_check.py [N] [--kernel NAME] [--timeout SECONDS] [--busy]

Each try starts a fresh kernel, sends kernel_info_request the moment the process is up (a browser
sends it as soon as the kernel's sockets exist, while the JVM is still starting), waits for the
reply, then executes `1+1` and expects `2`. A try whose kernel does not answer within the timeout
is counted as hung. --busy keeps one extra process (`yes > /dev/null`) spinning for the whole run,
so that the kernel starts on a machine with one core less. Prints one line per try, then
"starts: N, hung: H" (and "failed: F" when a kernel answered wrongly or exited), and exits 1 when
any try hung or failed. Runs on the Python that Jupyter itself uses; `./kit kernel-check` finds it.
"""
import argparse
import os
import queue
import subprocess
import sys
import tempfile
import time

from jupyter_client import KernelManager

LOG_LINES = 8  # of the kernel's log, shown under a try that did not succeed


def reply_to(channel_get, msg_id, deadline):
    """The first message on a channel whose parent is msg_id, or None at the deadline."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            msg = channel_get(timeout=left)
        except queue.Empty:
            return None
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg


def execute_result(kc, msg_id, deadline):
    """The text/plain of the execute_result for msg_id, or None at the deadline."""
    while True:
        msg = reply_to(kc.get_iopub_msg, msg_id, deadline)
        if msg is None:
            return None
        if msg["msg_type"] == "execute_result":
            data = msg["content"]["data"]  # rapaio answers in text/html, IJava in text/plain
            return (data.get("text/plain") or data.get("text/html") or "").strip()
        if msg["msg_type"] == "error":
            return "error: %s" % msg["content"].get("evalue", "")


def one_start(kernel, timeout, workdir, log):
    """Returns ("ok" | "hung" | "failed", description); the kernel's own output goes to the file log."""
    km = KernelManager(kernel_name=kernel)
    km.start_kernel(cwd=workdir, stdout=log, stderr=log)
    kc = km.client()
    try:
        kc.start_channels()
        t0 = time.monotonic()
        info_id = kc.kernel_info()  # at once, as the browser does
        if reply_to(kc.get_shell_msg, info_id, t0 + timeout) is None:
            if not km.is_alive():
                return "failed", "the kernel exited before it answered (exit code %s)" % km.provisioner.process.poll()
            return "hung", "no kernel_info_reply within %d s" % timeout
        t_info = time.monotonic() - t0
        t1 = time.monotonic()
        run_id = kc.execute("1+1")
        value = execute_result(kc, run_id, t1 + timeout)
        if value is None:
            return "hung", "kernel_info_reply after %.1f s, then no result for 1+1 within %d s" % (t_info, timeout)
        if value != "2":
            return "failed", "1+1 gave %r" % value
        return "ok", "kernel_info_reply after %.1f s, 1+1 = 2 after %.1f s more" % (t_info, time.monotonic() - t1)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        km.cleanup_resources()


def main(argv):
    p = argparse.ArgumentParser(description="Count the starts of a Jupyter kernel that hang.")
    p.add_argument("n", nargs="?", type=int, default=20, help="number of starts (default 20)")
    p.add_argument("--kernel", default="java", help="kernelspec name (default java)")
    p.add_argument("--timeout", type=int, default=30, help="seconds before a silent kernel counts as hung")
    p.add_argument("--busy", action="store_true", help="keep one other process busy during the run")
    args = p.parse_args(argv)

    load = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if args.busy else None
    counts = {"ok": 0, "hung": 0, "failed": 0}
    try:
        with tempfile.TemporaryDirectory() as workdir:
            for i in range(1, args.n + 1):
                t0 = time.monotonic()
                with tempfile.TemporaryFile(mode="w+") as log:
                    try:
                        outcome, text = one_start(args.kernel, args.timeout, workdir, log)
                    except Exception as e:  # the kernel could not even be launched
                        outcome, text = "failed", "%s: %s" % (type(e).__name__, e)
                    counts[outcome] += 1
                    print("try %3d/%d: %-6s %5.1f s  %s" % (i, args.n, outcome.upper(), time.monotonic() - t0, text),
                          flush=True)
                    if outcome != "ok":  # the end of the kernel's log tells where it stopped
                        log.seek(0)
                        for line in log.read().splitlines()[-LOG_LINES:]:
                            print("          | " + line)
    finally:
        if load is not None:
            load.kill()
            load.wait()
    print("starts: %d, hung: %d" % (args.n, counts["hung"]) + (", failed: %d" % counts["failed"] if counts["failed"] else ""))
    return 0 if counts["ok"] == args.n else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
