"""Exercise notebooks for courses: generate student versions from solutions, and grade submissions.

usage:
  exercises.py generate [--check]
      Writes notebooks/exercises/NAME.ipynb for every notebooks/exercises/solutions/NAME.ipynb.
      With --check, writes nothing and exits 1 when a student notebook is out of date.
  exercises.py grade SUBMISSION.ipynb [--json REPORT.json|-] [--solution SOLUTION.ipynb]
                     [--cell-timeout SECONDS] [--time-limit SECONDS] [--executed OUT.ipynb]
      Runs the submission's exercise cells with the original check cells in a fresh kernel and
      prints a score table; --json also writes the report for a course platform (- for stdout).
      Exit status: 0 graded, 1 the submission cannot be read, 2 the grader itself cannot run.

Authoring conventions (in the solution notebook, all inside ordinary Java code cells):
  // EXERCISE name [N points]   first line of an exercise cell (name: letters, digits, _)
  // BEGIN SOLUTION ... // END SOLUTION
                                the region the student writes; in the student version it becomes
                                a YOUR CODE HERE block with the region's HINT lines and a stub
  // HINT: text                 inside a region: kept in the student version
  // STUB: code                 inside a region: replaces the default stub
                                throw new UnsupportedOperationException("not implemented yet");
  // CHECK name ...             first line of the check cell that follows the exercise cell; it
                                must end its result with .print() (the grader signs it)
  // SOLUTION ONLY              first line of a code cell left out of the student version
                                (<!-- SOLUTION ONLY --> for a markdown cell)
Every other cell is copied as it is; `%jars` paths are rewritten for the student notebook's folder.

Grading: the reference is the student notebook generated (in memory) from the solution. Its setup
cells and check cells run as they are; only the submission's exercise cells (found by tag, cell id
or first line) come from the student. Everything runs top to bottom in one fresh kernel, with
cwd notebooks/exercises/, a timeout per cell and one for the whole submission; after a timeout or
a crash the kernel is replaced, the setup cells run again and grading goes on with the next
exercise. Each check cell gets a random token for this run (.print() becomes .print("token")), and
only result lines signed with it (HMAC-SHA256, see cnnkit.check.ExerciseResult) count, so student
code cannot print its way to a PASS. A check cell that was edited, deleted or moved above its
exercise scores zero (TAMPERED) and is not run.

Runs on the Python that Jupyter itself uses (nbformat, jupyter_client); `./kit exercises` and
`./kit grade` find it.
"""
import argparse
import copy
import hmac
import json
import os
import queue
import re
import secrets
import subprocess
import sys
import time
from hashlib import sha256

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXERCISES_DIR = os.path.join(ROOT, "notebooks", "exercises")
SOLUTIONS_DIR = os.path.join(EXERCISES_DIR, "solutions")

STUB = 'throw new UnsupportedOperationException("not implemented yet");'
SIGNED_PREFIX = "CNNKIT-RESULT"
OUTPUT_LIMIT = 20000          # characters of output kept per executed cell
DEFAULT_CELL_TIMEOUT = 60     # seconds per cell
DEFAULT_TIME_LIMIT = 600      # seconds per submission
KERNEL_STARTUP_TIMEOUT = 90     # seconds for the kernel's process to start up and go quiet
KERNEL_READY_TIMEOUT = 15       # seconds from then until it answers
KERNEL_START_ATTEMPTS = 4

NAME = r"([A-Za-z][A-Za-z0-9_]*)"
EXERCISE_LINE = re.compile(r"^\s*//\s*EXERCISE\s+" + NAME + r"(.*)$")
CHECK_LINE = re.compile(r"^\s*//\s*CHECK\s+" + NAME + r"\b")
POINTS = re.compile(r"\b(\d+(?:\.\d+)?)\s*points?\b")
BEGIN = re.compile(r"^(\s*)//\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
HINT = re.compile(r"^\s*//\s*HINT:")
STUB_LINE = re.compile(r"^\s*//\s*STUB:\s?(.*)$")
SOLUTION_ONLY_CODE = re.compile(r"^\s*//\s*SOLUTION ONLY\b")
SOLUTION_ONLY_MD = re.compile(r"^\s*<!--\s*SOLUTION ONLY\s*-->")
JARS = re.compile(r"^(\s*%jars\s+)(.+?)\s*$")
PRINT_CALL = ".print()"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class AuthoringError(Exception):
    """A solution notebook breaks the conventions above."""


class SubmissionError(Exception):
    """A submission that cannot be read as a notebook at all."""


class GraderError(Exception):
    """The grader cannot run: no kernel, no library jar, no solution."""


# ---------------------------------------------------------------------------- cells

def source_of(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def first_line(text):
    return next((line for line in text.splitlines() if line.strip()), "")


def tags_of(cell):
    meta = cell.get("metadata")
    tags = meta.get("tags", []) if isinstance(meta, dict) else []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def role(cell):
    """('exercise', name), ('check', name) or (None, None), from the cell's tags or its first line."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return None, None
    for tag in tags_of(cell):
        kind, _, name = tag.partition(":")
        if kind in ("exercise", "check") and re.fullmatch(NAME, name):
            return kind, name
    line = first_line(source_of(cell))
    m = EXERCISE_LINE.match(line)
    if m:
        return "exercise", m.group(1)
    m = CHECK_LINE.match(line)
    if m:
        return "check", m.group(1)
    return None, None


def points_of(exercise_source):
    m = EXERCISE_LINE.match(first_line(exercise_source))
    p = POINTS.search(m.group(2)) if m else None
    value = float(p.group(1)) if p else 1.0
    return int(value) if value == int(value) else value


def normalise(source):
    """Source compared for tampering: trailing blanks and blank edge lines do not count."""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines()).strip()


# ---------------------------------------------------------------------------- generation

def strip_solution(source, where):
    """The student version of an exercise cell: each marked region becomes a YOUR CODE HERE block."""
    out, region, indent, hints, stubs = [], False, "", [], []
    regions = 0
    for number, line in enumerate(source.split("\n"), 1):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if region:
                raise AuthoringError("%s, line %d: BEGIN SOLUTION inside another region" % (where, number))
            region, indent, hints, stubs = True, begin.group(1), [], []
            regions += 1
        elif end:
            if not region:
                raise AuthoringError("%s, line %d: END SOLUTION without BEGIN SOLUTION" % (where, number))
            out.append(indent + "// ----- YOUR CODE HERE -----")
            out.extend(indent + h for h in hints)
            out.extend(indent + s for s in (stubs or [STUB]))
            out.append(indent + "// ----- END OF YOUR CODE -----")
            region = False
        elif region:
            stub = STUB_LINE.match(line)
            if stub:
                stubs.append(stub.group(1))
            elif HINT.match(line):
                hints.append(line.strip())
        else:
            out.append(line)
    if region:
        raise AuthoringError("%s: BEGIN SOLUTION without END SOLUTION" % where)
    if regions == 0:
        raise AuthoringError("%s: an exercise cell needs a // BEGIN SOLUTION ... // END SOLUTION region" % where)
    return "\n".join(out)


def rebase_jars(source, from_dir, to_dir):
    """Rewrites relative %jars paths written for a notebook in from_dir for one in to_dir."""
    lines = []
    for line in source.split("\n"):
        m = JARS.match(line)
        if m:
            paths = []
            for p in m.group(2).split():
                if not os.path.isabs(p):
                    p = os.path.relpath(os.path.normpath(os.path.join(from_dir, p)), to_dir).replace(os.sep, "/")
                paths.append(p)
            line = m.group(1) + " ".join(paths)
        lines.append(line)
    return "\n".join(lines)


def read_notebook(path):
    import nbformat
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise SubmissionError("cannot read %s: %s" % (path, e))
    try:
        data = json.loads(text)
    except ValueError as e:
        raise SubmissionError("%s is not a notebook: invalid JSON (%s)" % (path, e))
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise SubmissionError("%s is not a notebook: no list of cells" % path)
    if data.get("nbformat") != 4:
        raise SubmissionError("%s is not a version-4 notebook (nbformat %r)" % (path, data.get("nbformat")))
    if not isinstance(data.get("metadata"), dict):
        data["metadata"] = {}
    cells = []
    for cell in data["cells"]:
        if isinstance(cell, dict) and isinstance(cell.get("cell_type"), str):
            cell["source"] = source_of(cell)  # the JSON may split it into a list of lines
            if not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = {}
            cells.append(cell)
    data["cells"] = cells  # anything that is not a cell is ignored
    return nbformat.from_dict(data)


def exercise_names(nb):
    return [name for kind, name in (role(c) for c in nb.cells) if kind == "exercise"]


def make_student(solution, solution_path, student_dir=EXERCISES_DIR):
    """The student notebook for a solution notebook (returned, not written)."""
    import nbformat
    where = os.path.relpath(solution_path, ROOT)
    nb = copy.deepcopy(solution)
    cells, seen, open_exercise = [], {}, None
    for index, cell in enumerate(nb.cells, 1):
        src = source_of(cell)
        here = "%s, cell %d" % (where, index)
        if cell.cell_type == "markdown" and SOLUTION_ONLY_MD.match(first_line(src)):
            continue
        if cell.cell_type == "code" and SOLUTION_ONLY_CODE.match(first_line(src)):
            continue
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("tags", "editable", "deletable")}
        kind, name = role(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if kind == "exercise":
            if name in seen:
                raise AuthoringError("%s: a second exercise cell for %s" % (here, name))
            seen[name] = False
            open_exercise = name
            cell.source = strip_solution(src, here)
            cell.metadata["tags"] = ["exercise:" + name]
            cell.id = "exercise-" + name
        elif kind == "check":
            if open_exercise != name:
                raise AuthoringError("%s: CHECK %s does not follow the exercise cell of %s" % (here, name, name))
            if PRINT_CALL not in src:
                raise AuthoringError("%s: a check cell must print its result with %s" % (here, PRINT_CALL))
            seen[name] = True
            open_exercise = None
            cell.metadata.update({"tags": ["check:" + name], "editable": False, "deletable": False})
            cell.id = "check-" + name
        elif cell.cell_type == "code":
            if re.search(r"//\s*BEGIN SOLUTION", src):
                raise AuthoringError("%s: BEGIN SOLUTION outside an exercise cell" % here)
            cell.source = rebase_jars(src, os.path.dirname(os.path.abspath(solution_path)), student_dir)
        cells.append(cell)
    missing = [n for n, checked in seen.items() if not checked]
    if missing:
        raise AuthoringError("%s: no CHECK cell for %s" % (where, ", ".join(missing)))
    if not seen:
        raise AuthoringError("%s: no exercise cells (first line // EXERCISE name)" % where)
    nb.cells = cells
    nb.metadata["cnnkit"] = {"exercises": {
        "notebook": os.path.splitext(os.path.basename(solution_path))[0],
        "solution": os.path.relpath(solution_path, student_dir).replace(os.sep, "/"),
        "names": list(seen),
        "generated": "by ./kit exercises from the solution notebook: edit that one, not this",
    }}
    nbformat.validate(nb)
    return nb


def solution_paths():
    if not os.path.isdir(SOLUTIONS_DIR):
        return []
    return sorted(os.path.join(SOLUTIONS_DIR, f) for f in os.listdir(SOLUTIONS_DIR) if f.endswith(".ipynb"))


def student_path(solution_path):
    return os.path.join(EXERCISES_DIR, os.path.basename(solution_path))


def render(nb):
    import nbformat
    return nbformat.writes(nb) + "\n"


def generate(check_only=False, out=sys.stdout):
    """Writes (or with check_only, compares) every student notebook; returns the stale ones."""
    stale = []
    paths = solution_paths()
    if not paths:
        raise AuthoringError("no solution notebooks in %s" % os.path.relpath(SOLUTIONS_DIR, ROOT))
    for sol in paths:
        student = make_student(read_notebook(sol), sol)
        target = student_path(sol)
        text = render(student)
        current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
        state = "unchanged" if current == text else ("out of date" if check_only else "written")
        if current != text:
            stale.append(target)
            if not check_only:
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
        names = student.metadata["cnnkit"]["exercises"]["names"]
        print("  %-28s %d exercises (%s) -> %s  %s" % (os.path.basename(sol)[:-6], len(names), ", ".join(names),
                                                      os.path.relpath(target, ROOT), state), file=out)
    return stale


# ---------------------------------------------------------------------------- kernel

class CellRun:
    """What happened when one cell ran: status ok, error, timeout or dead, its outputs and signed lines."""

    def __init__(self):
        self.status = "ok"
        self.outputs = []
        self.signed = []
        self.error = ""
        self.seconds = 0.0
        self._chars = 0
        self._partial = ""

    def stream(self, name, text):
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        kept = []
        for line in lines:
            if line.startswith(SIGNED_PREFIX + " "):
                if len(self.signed) < 100:
                    self.signed.append(line)
            else:
                kept.append(line + "\n")
        self._keep({"output_type": "stream", "name": name, "text": "".join(kept)})

    def finish(self):
        if self._partial:
            partial, self._partial = self._partial, ""
            self.stream("stdout", partial + "\n")

    def _keep(self, output):
        size = len(json.dumps(output))
        if self._chars >= OUTPUT_LIMIT:
            return
        self._chars += size
        if self._chars >= OUTPUT_LIMIT:
            output = {"output_type": "stream", "name": "stderr", "text": "[output truncated by the grader]\n"}
        if output["output_type"] == "stream" and not output["text"]:
            return
        last = self.outputs[-1] if self.outputs else None
        if output["output_type"] == "stream" and last and last.get("output_type") == "stream" \
                and last["name"] == output["name"]:
            last["text"] += output["text"]
        else:
            self.outputs.append(output)

    def add(self, output):
        self._keep(output)


class Kernel:
    """A Jupyter kernel run cell by cell, with a timeout per cell; restartable after a hang or a crash."""

    def __init__(self, name, cwd, log=None):
        self.name, self.cwd, self.log = name, cwd, log
        self.km = self.kc = None

    def start(self):
        """Starts the kernel the way run_notebook.py does: rapaio's kernel goes deaf for good when a
        request reaches it while it is still starting, so the client connects only once the process
        has gone quiet, and a kernel that still does not answer soon is replaced."""
        from jupyter_client import KernelManager
        from run_notebook import wait_until_idle
        last = None
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            t0 = time.monotonic()
            self.km = KernelManager(kernel_name=self.name)
            try:
                self.km.start_kernel(cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wait_until_idle(self.km, KERNEL_STARTUP_TIMEOUT)
                self.kc = self.km.client()
                self.kc.start_channels()
                self.kc.wait_for_ready(timeout=KERNEL_READY_TIMEOUT)
                if self.log:
                    self.log("  kernel started in %.1f s" % (time.monotonic() - t0))
                return
            except Exception as e:  # no such kernel, or it died or went deaf while starting
                last = e
                if self.log:
                    self.log("  kernel start %d failed after %.1f s: %s" % (attempt, time.monotonic() - t0, e))
                self.stop()
        raise GraderError("the '%s' kernel did not start: %s: %s" % (self.name, type(last).__name__, last))

    def stop(self):
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:
                pass
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:
                pass
        self.km = self.kc = None

    def restart(self):
        self.stop()
        self.start()

    def run(self, code, timeout):
        """Executes one cell; never raises for anything the cell does."""
        run = CellRun()
        t0 = time.monotonic()
        deadline = t0 + max(timeout, 0.1)
        try:
            msg_id = self.kc.execute(code, store_history=True, allow_stdin=False)
        except Exception as e:
            run.status, run.error = "dead", "could not send the cell to the kernel: %s" % e
            return run
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                if not self.km.is_alive():
                    run.status, run.error = "dead", "the kernel died (System.exit, or out of memory?)"
                    break
                if time.monotonic() > deadline:
                    run.status, run.error = "timeout", "still running after %.0f s" % timeout
                    break
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            if kind == "stream":
                run.stream(content.get("name", "stdout"), content.get("text", ""))
            elif kind == "error":
                run.status = "error"
                run.error = error_text(content)
                run.add({"output_type": "error", "ename": content.get("ename", ""),
                         "evalue": content.get("evalue", ""), "traceback": content.get("traceback", [])[:20]})
            elif kind in ("execute_result", "display_data"):
                out = {"output_type": kind, "data": content.get("data", {}), "metadata": content.get("metadata", {})}
                if kind == "execute_result":
                    out["execution_count"] = content.get("execution_count")
                run.add(out)
            if time.monotonic() > deadline:
                run.status, run.error = "timeout", "still running after %.0f s" % timeout
                break
        run.finish()
        run.seconds = time.monotonic() - t0
        return run


def error_text(content):
    """A short readable message from a kernel error: the compiler's message or the exception and
    where it was thrown, without the source lines the kernel echoes."""
    lines = []
    for entry in content.get("traceback", []):
        for part in ANSI.sub("", str(entry)).splitlines():
            text = part.strip()
            if text and not text.startswith("|") and set(text) != {"^"}:
                lines.append(text)
    if not lines:
        lines = ["%s: %s" % (content.get("ename", "error"), ANSI.sub("", str(content.get("evalue", ""))).strip())]
    return " ".join(lines[:4])[:400]


# ---------------------------------------------------------------------------- grading

class ExerciseScore:
    def __init__(self, name, max_points):
        self.name, self.max_points = name, max_points
        self.status, self.error, self.message = "ERROR", None, ""
        self.exercise_error = ""  # the exercise cell's own error (a compile error, say), if any

    @property
    def points(self):
        return self.max_points if self.status == "PASS" else 0

    def to_json(self):
        err = self.error if self.error is None or self.error == self.error and abs(self.error) != float("inf") else None
        return {"name": self.name, "status": self.status, "rel_error": err, "points": self.points,
                "max_points": self.max_points, "message": self.message}


class Report:
    def __init__(self, submission):
        self.submission = submission
        self.notebook = None
        self.solution = None
        self.exercises = []
        self.error = None
        self.seconds = 0.0

    @property
    def score(self):
        return sum(e.points for e in self.exercises)

    @property
    def max_score(self):
        return sum(e.max_points for e in self.exercises)

    def to_json(self):
        return {"submission": self.submission, "notebook": self.notebook, "solution": self.solution,
                "score": self.score, "max_score": self.max_score, "seconds": round(self.seconds, 1),
                "error": self.error, "exercises": [e.to_json() for e in self.exercises]}

    def table(self):
        if self.error and not self.exercises:
            return "not graded: %s" % self.error
        lines = ["%s  (%s)" % (self.notebook, self.submission)]
        if self.error:
            lines.append("  error: " + self.error)
        lines.append("  %-22s %-9s %-10s %s" % ("exercise", "status", "rel error", "points"))
        for e in self.exercises:
            err = "-" if e.error is None else ("inf" if abs(e.error) == float("inf") else "%.1e" % e.error)
            lines.append("  %-22s %-9s %-10s %-7s %s" % (e.name, e.status, err, "%s / %s" % (e.points, e.max_points),
                                                        e.message[:160]))
        lines.append("  %-22s %-9s %-10s %s / %s" % ("total", "", "", self.score, self.max_score))
        lines.append("graded in %.1f s" % self.seconds)
        return "\n".join(lines)


def find_solution(submission, explicit=None):
    if explicit:
        return explicit
    meta = submission.metadata.get("cnnkit", {}) if isinstance(submission.metadata, dict) else {}
    name = meta.get("exercises", {}).get("notebook") if isinstance(meta, dict) and isinstance(meta.get("exercises"), dict) else None
    paths = solution_paths()
    if isinstance(name, str):
        for p in paths:
            if os.path.basename(p) == name + ".ipynb":
                return p
    names = set(n for n in exercise_names(submission))
    best, overlap = None, 0
    for p in paths:
        try:
            common = len(names & set(exercise_names(read_notebook(p))))
        except SubmissionError:
            continue
        if common > overlap:
            best, overlap = p, common
    if best is None:
        raise SubmissionError("cannot tell which exercise notebook this is (no exercise cells of %s); pass --solution"
                              % ", ".join(os.path.basename(p)[:-6] for p in paths))
    return best


def locate(cells, kind, name, pristine_id):
    """Index of the submission's code cell for (kind, name): by tag, then by cell id, then by first line."""
    code = [(i, c) for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    for i, c in code:
        if kind + ":" + name in tags_of(c):
            return i
    for i, c in code:
        if c.get("id") == pristine_id:
            return i
    for i, c in code:
        if role(c) == (kind, name):
            return i
    return None


def sign_check(source, token):
    return source.replace(PRINT_CALL, '.print("%s")' % token)


def verified_results(lines, token, name):
    """(status, error) pairs from signed lines whose MAC is right for this token and exercise."""
    results = []
    for line in lines:
        parts = line.split()
        if len(parts) != 5 or parts[0] != SIGNED_PREFIX or parts[1] != name:
            continue
        payload = " ".join(parts[1:4])
        mac = hmac.new(token.encode("utf-8"), payload.encode("utf-8"), sha256).hexdigest()
        if not hmac.compare_digest(mac, parts[4]) or parts[2] not in ("PASS", "FAIL", "TODO"):
            continue
        err = {"-": None, "inf": float("inf")}.get(parts[3])
        if err is None and parts[3] not in ("-",):
            try:
                err = float(parts[3])
            except ValueError:
                continue
        results.append((parts[2], err))
    return results


def detail_of(run):
    """The line after a FAIL line in the check's output: the first wrong value."""
    text = "".join(o.get("text", "") for o in run.outputs if o.get("output_type") == "stream")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("FAIL ") and i + 1 < len(lines) and lines[i + 1].startswith("     "):
            return lines[i + 1].strip()
    return ""


def grade(submission_path, solution_path=None, kernel_name="java", cell_timeout=DEFAULT_CELL_TIMEOUT,
          time_limit=DEFAULT_TIME_LIMIT, executed_path=None, log=None):
    """Grades one submission; returns a Report. Raises SubmissionError or GraderError only before running."""
    t0 = time.monotonic()
    report = Report(submission_path)
    submission = read_notebook(submission_path)
    solution_path = find_solution(submission, solution_path)
    if not os.path.exists(solution_path):
        raise GraderError("no solution notebook %s" % solution_path)
    try:
        pristine = make_student(read_notebook(solution_path), solution_path)
    except (AuthoringError, SubmissionError) as e:
        raise GraderError("the solution notebook is broken: %s" % e)
    report.notebook = pristine.metadata["cnnkit"]["exercises"]["notebook"]
    report.solution = os.path.relpath(solution_path, ROOT)
    cells = submission.cells
    token = secrets.token_hex(16)

    # which exercises can run: the exercise cell must be there, the check cell untouched and after it
    scores, plan = {}, []
    for cell in pristine.cells:
        kind, name = role(cell)
        if kind == "exercise":
            score = scores[name] = ExerciseScore(name, points_of(source_of(cell)))
            report.exercises.append(score)
            ei = locate(cells, "exercise", name, cell.id)
            ci = locate(cells, "check", name, "check-" + name)  # the id the generator gives it
            if ei is None:
                score.status, score.message = "MISSING", "no exercise cell for %s in the submission" % name
            elif ci is None:
                score.status, score.message = "TAMPERED", "the check cell of %s was deleted" % name
            elif ci < ei:
                score.status, score.message = "TAMPERED", "the check cell of %s was moved above its exercise" % name
            else:
                check = next(c for c in pristine.cells if role(c) == ("check", name))
                if normalise(source_of(cells[ci])) != normalise(source_of(check)):
                    score.status, score.message = "TAMPERED", "the check cell of %s was edited" % name
                else:
                    score.status = None  # to be run
                    plan.append(("exercise", name, source_of(cells[ei]), cell))
        elif kind == "check":
            if scores[name].status is None:
                plan.append(("check", name, sign_check(source_of(cell), token), cell))
        elif cell.cell_type == "code":
            plan.append(("setup", None, source_of(cell), cell))

    executed = copy.deepcopy(pristine)
    executed_cells = {id(c): e for c, e in zip(pristine.cells, executed.cells)}
    if any(s.status is None for s in report.exercises):
        _execute(plan, scores, kernel_name, cell_timeout, t0 + time_limit, token, executed_cells, log)
    report.seconds = time.monotonic() - t0
    if executed_path:
        _write_executed(executed, executed_path, plan)
    return report


def _time_is_up(scores):
    for s in scores.values():
        if s.status is None:
            s.status, s.message = "TIMEOUT", "the grading time limit was reached before this exercise ran"


def _execute(plan, scores, kernel_name, cell_timeout, deadline, token, executed_cells, log):
    """Runs the plan in one kernel, cell by cell, and fills in the scores. After a timeout or a crash
    the kernel is replaced and the setup cells run again, so the remaining exercises still count."""
    if deadline <= time.monotonic():
        return _time_is_up(scores)
    kernel = Kernel(kernel_name, EXERCISES_DIR, log)
    try:
        kernel.start()
        setup_done = []  # setup cells that ran: replayed after a restart
        student_ran = False  # whether student code ran since the kernel started
        for kind, name, source, cell in plan:
            score = scores.get(name)
            if score is not None and score.status is not None:
                continue  # this exercise already failed in its exercise cell
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _time_is_up(scores)
                break
            run = kernel.run(source, min(cell_timeout, remaining))
            _record(executed_cells[id(cell)], run)
            if log:
                log("  %-8s %-22s %-7s %5.1f s" % (kind, name or "", run.status, run.seconds))
            if kind == "setup":
                if run.status != "ok" and student_ran:
                    # student code that ran before may be the cause: retry in a kernel without it
                    if not _fresh_kernel(kernel, setup_done, cell_timeout, scores):
                        break
                    student_ran = False
                    run = kernel.run(source, max(cell_timeout, 60))
                    _record(executed_cells[id(cell)], run)
                if run.status != "ok":
                    raise GraderError("setup cell (starts with %r) failed: %s" % (first_line(source)[:60],
                                                                                  run.error or run.status))
                setup_done.append(source)
                continue
            student_ran = True
            if run.status in ("timeout", "dead"):
                what = "exercise cell" if kind == "exercise" else "check"
                if run.status == "timeout":
                    limit_hit = deadline - time.monotonic() <= 0
                    score.status = "TIMEOUT"
                    score.message = ("the grading time limit was reached in the %s" % what if limit_hit
                                     else "the %s ran longer than %.0f s (an endless loop?)" % (what, cell_timeout))
                else:
                    score.status, score.message = "ERROR", "the kernel died in the %s (System.exit?)" % what
                if deadline - time.monotonic() > 0 and any(s.status is None for s in scores.values()):
                    if not _fresh_kernel(kernel, setup_done, cell_timeout, scores):
                        break
                    student_ran = False
                continue
            if kind == "exercise":
                score.exercise_error = run.error if run.status == "error" else ""
                continue
            _score_check(score, run, token)
    finally:
        kernel.stop()


def _fresh_kernel(kernel, setup_sources, cell_timeout, scores):
    """A new kernel with the setup cells run again, so that the remaining exercises can be graded.
    When that fails, the exercises not graded yet get ERROR and this returns False."""
    try:
        kernel.restart()
        for source in setup_sources:
            run = kernel.run(source, max(cell_timeout, 60))
            if run.status != "ok":
                raise GraderError("a setup cell failed: %s" % (run.error or run.status))
        return True
    except GraderError as e:
        for s in scores.values():
            if s.status is None:
                s.status, s.message = "ERROR", "not graded: after a restart, %s" % e
        return False


def _score_check(score, run, token):
    results = verified_results(run.signed, token, score.name)
    if results:
        statuses = [s for s, _ in results]
        score.status = "FAIL" if "FAIL" in statuses else ("TODO" if "TODO" in statuses else "PASS")
        errors = [e for _, e in results if e is not None]
        score.error = max(errors) if errors else None
        if score.status == "FAIL":
            score.message = detail_of(run)
        elif score.status == "TODO":
            score.message = "not implemented yet"
        return
    score.status = "ERROR"
    if score.exercise_error:
        score.message = "the exercise cell failed: " + score.exercise_error
    elif run.error:
        score.message = "the check failed: " + run.error
    else:
        score.message = "the check printed no signed result (was System.out replaced?)"


def _record(cell, run):
    cell.outputs = []
    import nbformat
    for o in run.outputs:
        try:
            cell.outputs.append(nbformat.from_dict(o))
        except Exception:
            pass
    if run.status in ("timeout", "dead"):
        cell.outputs.append(nbformat.from_dict({"output_type": "stream", "name": "stderr",
                                                "text": "[grader] %s\n" % run.error}))


def _write_executed(executed, path, plan):
    """The notebook as graded: the student's exercise cells, the original other cells, the outputs."""
    import nbformat
    student = {name: source for kind, name, source, _ in plan if kind == "exercise"}
    for cell in executed.cells:
        kind, name = role(cell)
        if kind == "exercise" and name in student:
            cell.source = student[name]
    nbformat.write(executed, path)


# ---------------------------------------------------------------------------- command line

def main(argv=None):
    parser = argparse.ArgumentParser(prog="exercises.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the student notebooks from the solution notebooks")
    gen.add_argument("--check", action="store_true", help="only report student notebooks that are out of date")
    gr = sub.add_parser("grade", help="grade one submitted notebook")
    gr.add_argument("submission")
    gr.add_argument("--json", metavar="REPORT", help="write the report as JSON ('-' for standard output)")
    gr.add_argument("--solution", help="the solution notebook (found from the submission when omitted)")
    gr.add_argument("--cell-timeout", type=float, default=DEFAULT_CELL_TIMEOUT, metavar="SECONDS")
    gr.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, metavar="SECONDS")
    gr.add_argument("--executed", metavar="OUT.ipynb", help="also write the notebook as the grader ran it")
    gr.add_argument("--kernel", default="java")
    gr.add_argument("--verbose", action="store_true", help="print each cell as it runs")
    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate_command(args)
    return _grade_command(args)


def _generate_command(args):
    try:
        stale = generate(check_only=args.check)
    except (AuthoringError, SubmissionError) as e:
        print("exercises: " + str(e), file=sys.stderr)
        return 2
    if args.check and stale:
        print("out of date: %s (run ./kit exercises)" % ", ".join(os.path.relpath(p, ROOT) for p in stale),
              file=sys.stderr)
        return 1
    return 0


def _grade_command(args):
    to_stdout = args.json == "-"
    say = (lambda s: print(s, file=sys.stderr)) if to_stdout else print
    report = Report(args.submission)
    status = 0
    try:
        report = grade(args.submission, args.solution, args.kernel, args.cell_timeout, args.time_limit,
                       args.executed, log=say if args.verbose else None)
    except SubmissionError as e:
        report.error, status = str(e), 1
    except GraderError as e:
        report.error, status = "the grader could not run: %s" % e, 2
    except KeyboardInterrupt:
        report.error, status = "interrupted", 2
    except Exception as e:  # a bug in the grader must still give a report, not a traceback
        report.error, status = "internal grader error: %s: %s" % (type(e).__name__, e), 2
    say(report.table())
    if args.json:
        text = json.dumps(report.to_json(), indent=2)
        if to_stdout:
            print(text)
        else:
            try:
                with open(args.json, "w", encoding="utf-8") as f:
                    f.write(text + "\n")
            except OSError as e:
                print("cannot write %s: %s" % (args.json, e), file=sys.stderr)
                status = status or 2
    return status


if __name__ == "__main__":
    sys.exit(main())
