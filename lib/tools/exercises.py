"""Exercise notebooks for courses: generate student versions from solutions, grade one submission or a class.

usage:
  exercises.py generate [--check]
      Writes notebooks/exercises/NAME.ipynb for every notebooks/exercises/solutions/NAME.ipynb.
      With --check, writes nothing and exits 1 when a student notebook is out of date.
  exercises.py grade SUBMISSION.ipynb [--json REPORT.json|-] [--html FEEDBACK.html] [--solution SOLUTION.ipynb]
                     [--cell-timeout SECONDS] [--time-limit SECONDS]
      Runs the submission's exercise cells with the original setup and check cells (and the hidden
      cases) in a fresh sandbox and prints a score table; --json writes the report (- for stdout).
      Exit status: 0 graded, 1 the submission cannot be read, 2 the grader itself cannot run.
  exercises.py grade FOLDER [--out DIR] [--assignment NAME] [--jobs N] [--force]
      Grades every .ipynb in FOLDER (one per student, named after the student): one line of
      progress per student; writes DIR/reports/STUDENT.json, DIR/feedback/STUDENT.html and
      DIR/gradebook.csv (DIR defaults to FOLDER/graded). Unchanged submissions already graded are
      skipped; a file that cannot be graded gets its row with the reason.

Authoring conventions (in the solution notebook):
  // EXERCISE name               first line of an exercise cell (name: letters, digits, _)
  // BEGIN SOLUTION ... // END SOLUTION
                                 the region the student writes; in the student version it becomes
                                 a YOUR CODE HERE block with the region's HINT lines and a stub
  // HINT: text                  inside a region: kept in the student version
  // STUB: code                  inside a region: replaces the default stub
                                 throw new UnsupportedOperationException("not implemented yet");
  // CHECK name [forbids a.b.C, d.e.*] [timeout SECONDS]
                                 first line of the check cell that follows the exercise cell: one
                                 statement, cnnkit.check.Check.exercise("name").add(...)...print();
                                 classes (or packages, d.e.*) listed after "forbids" score the
                                 exercise zero when the student's code names them (the library's
                                 own version of the task)
  // HIDDEN name                 a code cell of more .add(...) cases for the check of name: left out
                                 of the student version; the grader runs them before .print()
  // SOLUTION ONLY               first line of a code cell left out of the student version
  <!-- SOLUTION ONLY -->         the same for a markdown cell
  <!-- ANSWER name -->           first line of a markdown cell holding a written answer: the model
                                 answer in the solution, a prompt in the student version; the
                                 grader collects the student's text for the instructor
Every other cell is copied as it is; `%jars` paths are rewritten for the student notebook's folder.

Grading: the reference is the student notebook generated (in memory) from the solution. Its setup
and check cells run as they are; only the exercise cells and answers come from the submission.
The cells run in cnnkit.check.Sandbox, a JShell in its own JVM under a security manager (see that
class): student code cannot exit, write files, start threads, reflect, or hide the check API; a
cell that names a forbidden class is refused. Each check gets a fresh random token and only case
lines signed with it count. A cell that runs past its time limit, or a sandbox that dies, costs
that exercise only: the sandbox is replaced, the setup cells and the student's earlier exercise
cells run again, and grading goes on. An edited, deleted or moved check cell scores zero.

Runs on the Python that Jupyter itself uses (nbformat); `./kit exercises` and `./kit grade` find it.
"""
import argparse
import copy
import hashlib
import hmac
import html
import json
import os
import queue
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from hashlib import sha256

from atomic_file import write_atomically

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXERCISES_DIR = os.path.join(ROOT, "notebooks", "exercises")
SOLUTIONS_DIR = os.path.join(EXERCISES_DIR, "solutions")
JAR = os.path.join(ROOT, "lib", "target", "cnnkit-all.jar")

STUB = 'throw new UnsupportedOperationException("not implemented yet");'
ANSWER_PROMPT = "*Write your answer here.*"
SIGNED_PREFIX = "CNNKIT-CASE"
OUTPUT_LIMIT = 20000          # characters of output kept per executed cell
DEFAULT_CELL_TIMEOUT = 60     # seconds per cell
DEFAULT_TIME_LIMIT = 900      # seconds per submission
SANDBOX_HEAP = "1g"

NAME = r"([A-Za-z][A-Za-z0-9_]*)"
EXERCISE_LINE = re.compile(r"^\s*//\s*EXERCISE\s+" + NAME + r"(.*)$")
CHECK_LINE = re.compile(r"^\s*//\s*CHECK\s+" + NAME + r"\b(.*)$")
HIDDEN_LINE = re.compile(r"^\s*//\s*HIDDEN\s+" + NAME + r"\b")
FORBIDS = re.compile(r"\bforbids\s+([A-Za-z0-9_.$*]+(?:\s*,\s*[A-Za-z0-9_.$*]+)*)")
TIMEOUT = re.compile(r"\btimeout\s+(\d+)\b")
BEGIN = re.compile(r"^(\s*)//\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
HINT = re.compile(r"^\s*//\s*HINT:")
STUB_LINE = re.compile(r"^\s*//\s*STUB:\s?(.*)$")
SOLUTION_ONLY_CODE = re.compile(r"^\s*//\s*SOLUTION ONLY\b")
SOLUTION_ONLY_MD = re.compile(r"^\s*<!--\s*SOLUTION ONLY\s*-->")
ANSWER_LINE = re.compile(r"^\s*<!--\s*ANSWER\s+" + NAME + r"\s*-->")
JARS = re.compile(r"^(\s*%jars\s+)(.+?)\s*$")
PRINT_CALL = ".print();"
REFUSED = "AccessControlException"  # what the sandbox's security manager throws


class AuthoringError(Exception):
    """A solution notebook breaks the conventions above."""


class SubmissionError(Exception):
    """A submission that cannot be read as a notebook at all."""


class GraderError(Exception):
    """The grader cannot run: no Java, no library jar, no solution."""


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
    """('exercise'|'check'|'hidden'|'answer', name) or (None, None), from the tags or the first line."""
    if not isinstance(cell, dict):
        return None, None
    kind_of_cell = cell.get("cell_type")
    for tag in tags_of(cell):
        kind, _, name = tag.partition(":")
        if re.fullmatch(NAME, name) and ((kind in ("exercise", "check") and kind_of_cell == "code")
                                         or (kind == "answer" and kind_of_cell == "markdown")):
            return kind, name
    line = first_line(source_of(cell))
    if kind_of_cell == "markdown":
        m = ANSWER_LINE.match(line)
        return ("answer", m.group(1)) if m else (None, None)
    if kind_of_cell != "code":
        return None, None
    for kind, pattern in (("exercise", EXERCISE_LINE), ("check", CHECK_LINE), ("hidden", HIDDEN_LINE)):
        m = pattern.match(line)
        if m:
            return kind, m.group(1)
    return None, None


def check_options(check_source):
    """(forbidden class names, timeout in seconds or None) from a check cell's first line."""
    m = CHECK_LINE.match(first_line(check_source))
    rest = m.group(2) if m else ""
    f = FORBIDS.search(rest)
    t = TIMEOUT.search(rest)
    forbidden = [c.strip() for c in f.group(1).split(",")] if f else []
    return forbidden, (float(t.group(1)) if t else None)


def normalise(source):
    """Source compared for tampering: trailing blanks and blank edge lines do not count."""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines()).strip()


def heading_wall(cell):
    """Whether a markdown cell starts every line with '#' (a text turned into a wall of headings)."""
    if cell.get("cell_type") != "markdown":
        return False
    lines = [line for line in source_of(cell).splitlines() if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("#") for line in lines)


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
    if not text.strip():
        raise SubmissionError("%s is empty (0 bytes of notebook)" % path)
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


def hidden_cases(solution):
    """{exercise name: the source of its hidden cases} from a solution notebook."""
    out = {}
    for cell in solution.cells:
        kind, name = role(cell)
        if kind == "hidden":
            body = source_of(cell).split("\n", 1)
            out[name] = out.get(name, "") + (body[1] if len(body) > 1 else "") + "\n"
    return out


def make_student(solution, solution_path, student_dir=EXERCISES_DIR):
    """The student notebook for a solution notebook (returned, not written)."""
    import nbformat
    where = os.path.relpath(solution_path, ROOT)
    nb = copy.deepcopy(solution)
    cells, seen, answers, open_exercise = [], {}, [], None
    checked = set()
    for index, cell in enumerate(nb.cells, 1):
        src = source_of(cell)
        here = "%s, cell %d" % (where, index)
        if heading_wall(cell):
            raise AuthoringError("%s: every line of this markdown cell starts with '#': remove the '# ' prefixes"
                                 % here)
        if cell.cell_type == "markdown" and SOLUTION_ONLY_MD.match(first_line(src)):
            continue
        if cell.cell_type == "code" and SOLUTION_ONLY_CODE.match(first_line(src)):
            continue
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("tags", "editable", "deletable")}
        kind, name = role(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if kind == "hidden":
            if name not in checked:
                raise AuthoringError("%s: HIDDEN %s must come after the check cell of %s" % (here, name, name))
            continue
        if kind == "answer":
            if name in answers:
                raise AuthoringError("%s: a second answer cell for %s" % (here, name))
            answers.append(name)
            cell.source = "<!-- ANSWER %s -->\n%s" % (name, ANSWER_PROMPT)
            cell.metadata["tags"] = ["answer:" + name]
            cell.id = "answer-" + name
        elif kind == "exercise":
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
            if not src.rstrip().endswith(PRINT_CALL) or src.count(PRINT_CALL) != 1:
                raise AuthoringError("%s: a check cell must end with %s (once)" % (here, PRINT_CALL))
            if 'cnnkit.check.Check.exercise("%s")' % name not in src:
                raise AuthoringError('%s: the check cell must build cnnkit.check.Check.exercise("%s")' % (here, name))
            seen[name] = True
            checked.add(name)
            open_exercise = None
            cell.metadata.update({"tags": ["check:" + name], "editable": False, "deletable": False})
            cell.id = "check-" + name
        elif cell.cell_type == "code":
            if re.search(r"//\s*BEGIN SOLUTION", src):
                raise AuthoringError("%s: BEGIN SOLUTION outside an exercise cell" % here)
            cell.source = rebase_jars(src, os.path.dirname(os.path.abspath(solution_path)), student_dir)
        cells.append(cell)
    missing = [n for n, has_check in seen.items() if not has_check]
    if missing:
        raise AuthoringError("%s: no CHECK cell for %s" % (where, ", ".join(missing)))
    if not seen:
        raise AuthoringError("%s: no exercise cells (first line // EXERCISE name)" % where)
    nb.cells = cells
    nb.metadata["cnnkit"] = {"exercises": {
        "notebook": os.path.splitext(os.path.basename(solution_path))[0],
        "solution": os.path.relpath(solution_path, student_dir).replace(os.sep, "/"),
        "names": list(seen),
        "answers": answers,
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
                write_atomically(target, text)
        names = student.metadata["cnnkit"]["exercises"]["names"]
        print("  %-28s %d exercises (%s) -> %s  %s" % (os.path.basename(sol)[:-6], len(names), ", ".join(names),
                                                      os.path.relpath(target, ROOT), state), file=out)
    return stale


# ---------------------------------------------------------------------------- sandbox

class CellRun:
    """What happened when one cell ran: status ok, error, rejected, timeout or dead, its output and signed lines."""

    def __init__(self):
        self.status = "ok"
        self.output = ""
        self.signed = []
        self.error = ""
        self.seconds = 0.0

    def take(self, text):
        kept = []
        for line in text.split("\n"):
            if line.startswith(SIGNED_PREFIX + " "):
                if len(self.signed) < 500:
                    self.signed.append(line)
            else:
                kept.append(line)
        self.output += "\n".join(kept)
        if len(self.output) > OUTPUT_LIMIT:
            self.output = self.output[:OUTPUT_LIMIT] + "\n[output truncated by the grader]\n"


def java_binary():
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return os.path.join(home, "bin", "java")
    found = shutil.which("java")
    if not found:
        raise GraderError("no java on PATH (JDK 17 or newer)")
    return found


class Sandbox:
    """cnnkit.check.Sandbox in its own JVM, run cell by cell with a time limit per cell; killed and
    replaced after a hang or a crash."""

    def __init__(self, cwd, log=None):
        self.cwd, self.log = cwd, log
        self.proc = None
        self.lines = None

    def start(self):
        if not os.path.exists(JAR):
            raise GraderError("no library jar %s: run ./kit build" % os.path.relpath(JAR, ROOT))
        cmd = [java_binary(), "-Xmx" + SANDBOX_HEAP, "-Xss8m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
               "-Djava.security.manager=allow", "-Dcnnkit.threads=1", "-cp", JAR, "cnnkit.check.Sandbox", ROOT]
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines), daemon=True).start()
        self.stderr = []
        threading.Thread(target=self._keep_stderr, args=(self.proc.stderr, self.stderr), daemon=True).start()
        if self.log:
            self.log("  sandbox started (%.1f s)" % (time.monotonic() - t0))

    @staticmethod
    def _pump(stream, lines):
        for raw in stream:
            lines.put(raw)
        lines.put(None)

    @staticmethod
    def _keep_stderr(stream, kept):
        for raw in stream:
            text = raw.decode("utf-8", "replace").rstrip()
            if text and not text.startswith("WARNING:") and len(kept) < 50:
                kept.append(text)

    def stop(self):
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=10)
            except Exception:
                pass
        self.proc = None

    def restart(self):
        self.stop()
        self.start()

    def run(self, code, timeout, kind="setup", name="-", forbidden=()):
        """Runs one cell; never raises for anything the cell does."""
        run = CellRun()
        t0 = time.monotonic()
        data = code.encode("utf-8")
        header = "RUN %s %s %d %s\n" % (kind, name or "-", len(data), ",".join(forbidden))
        try:
            self.proc.stdin.write(header.encode("utf-8") + data)
            self.proc.stdin.flush()
        except (OSError, ValueError, AttributeError) as e:
            run.status, run.error = "dead", "could not send the cell to the sandbox: %s" % e
            return run
        deadline = t0 + max(timeout, 0.1)
        while True:
            try:
                raw = self.lines.get(timeout=max(0.05, min(0.5, deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() > deadline:
                    run.status, run.error = "timeout", "still running after %.0f s" % timeout
                    break
                continue
            if raw is None:
                why = "; ".join(self.stderr[-3:])
                run.status, run.error = "dead", "the sandbox died" + (": " + why if why else "")
                break
            try:
                msg = json.loads(raw.decode("utf-8", "replace"))
            except ValueError:
                continue
            if msg.get("type") == "out":
                run.take(msg.get("text", ""))
            elif msg.get("type") == "done":
                run.status = msg.get("status", "error")
                run.error = msg.get("error", "")
                break
        run.seconds = time.monotonic() - t0
        return run


# ---------------------------------------------------------------------------- grading

class ExerciseScore:
    def __init__(self, name, max_points=0):
        self.name, self.max_points = name, max_points
        self.status, self.error, self.message = "ERROR", None, ""
        self.cases = []          # (name, status, points, max_points, rel error, detail)
        self.output = ""         # what the check printed
        self.code = ""           # the student's exercise cell
        self.exercise_error = ""  # the exercise cell's own error (a compile error, say), if any

    @property
    def points(self):
        if self.status in ("PASS", "PARTIAL", "FAIL"):
            return round(sum(c[2] for c in self.cases), 4)
        return 0

    def to_json(self):
        err = self.error if self.error is not None and self.error == self.error and abs(self.error) != float("inf") \
            else None
        return {"name": self.name, "status": self.status, "rel_error": err, "points": self.points,
                "max_points": self.max_points, "message": self.message,
                "cases": [{"name": c[0], "status": c[1], "points": c[2], "max_points": c[3],
                           "rel_error": c[4], "detail": c[5]} for c in self.cases]}


class Report:
    def __init__(self, submission):
        self.submission = submission
        self.notebook = None
        self.solution = None
        self.exercises = []
        self.answers = {}
        self.error = None
        self.seconds = 0.0

    @property
    def score(self):
        return round(sum(e.points for e in self.exercises), 4)

    @property
    def max_score(self):
        return round(sum(e.max_points for e in self.exercises), 4)

    def to_json(self):
        return {"submission": self.submission, "notebook": self.notebook, "solution": self.solution,
                "score": self.score, "max_score": self.max_score, "seconds": round(self.seconds, 1),
                "error": self.error, "exercises": [e.to_json() for e in self.exercises],
                "answers": self.answers}

    def table(self):
        if self.error and not self.exercises:
            return "not graded: %s" % self.error
        lines = ["%s  (%s)" % (self.notebook, self.submission)]
        if self.error:
            lines.append("  error: " + self.error)
        lines.append("  %-24s %-9s %-9s %s" % ("exercise", "status", "points", "reason"))
        for e in self.exercises:
            lines.append("  %-24s %-9s %-9s %s" % (e.name, e.status, "%s / %s" % (fmt(e.points), fmt(e.max_points)),
                                                   e.message[:160]))
        lines.append("  %-24s %-9s %s / %s" % ("total", "", fmt(self.score), fmt(self.max_score)))
        if self.answers:
            done = sum(1 for a in self.answers.values() if a.strip())
            lines.append("  written answers: %d of %d given (in the report)" % (done, len(self.answers)))
        lines.append("graded in %.1f s" % self.seconds)
        return "\n".join(lines)


def fmt(x):
    return str(int(x)) if x == int(x) else "%.2f" % x


def find_solution(submission, explicit=None):
    if explicit:
        return explicit
    meta = submission.metadata.get("cnnkit", {}) if isinstance(submission.metadata, dict) else {}
    ex_meta = meta.get("exercises") if isinstance(meta, dict) else None
    name = ex_meta.get("notebook") if isinstance(ex_meta, dict) else None
    paths = solution_paths()
    if isinstance(name, str):
        for p in paths:
            if os.path.basename(p) == name + ".ipynb":
                return p
    names = set(exercise_names(submission))
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
    """Index of the submission's cell for (kind, name): by tag, then by cell id, then by first line."""
    wanted = "markdown" if kind == "answer" else "code"
    typed = [(i, c) for i, c in enumerate(cells) if c.get("cell_type") == wanted]
    for i, c in typed:
        if kind + ":" + name in tags_of(c):
            return i
    for i, c in typed:
        if c.get("id") == pristine_id:
            return i
    for i, c in typed:
        if role(c) == (kind, name):
            return i
    return None


def sign_check(source, hidden, token):
    """The check cell as the grader runs it: the hidden cases added, .print() signed with the token."""
    head, _, tail = source.rpartition(PRINT_CALL)
    return head + hidden + '.print("%s");' % token + tail


def verified_cases(lines, token, name):
    """[(index, count, case tuple)] from signed lines whose MAC is right for this token and exercise."""
    out = {}
    for line in lines:
        parts = line.split()
        if len(parts) != 11 or parts[0] != SIGNED_PREFIX or parts[1] != name:
            continue
        payload = " ".join(parts[1:10])
        mac = hmac.new(token.encode("utf-8"), payload.encode("utf-8"), sha256).hexdigest()
        if not hmac.compare_digest(mac, parts[10]) or parts[4] not in ("PASS", "FAIL", "TODO"):
            continue
        try:
            index, count, scored, maximum = int(parts[2]), int(parts[3]), float(parts[5]), float(parts[6])
            err = None if parts[7] == "-" else float(parts[7])
            case = (unhex(parts[8]), parts[4], scored, maximum, err, unhex(parts[9]))
        except ValueError:
            continue
        out[index] = (count, case)
    return out


def unhex(text):
    return "" if text == "-" else bytes.fromhex(text).decode("utf-8", "replace")


def grade(submission_path, solution_path=None, cell_timeout=DEFAULT_CELL_TIMEOUT, time_limit=DEFAULT_TIME_LIMIT,
          log=None, expected_notebook=None):
    """Grades one submission; returns a Report. Raises SubmissionError or GraderError only before running."""
    t0 = time.monotonic()
    report = Report(submission_path)
    submission = read_notebook(submission_path)
    solution_path = find_solution(submission, solution_path)
    if not os.path.exists(solution_path):
        raise GraderError("no solution notebook %s" % solution_path)
    try:
        solution = read_notebook(solution_path)
        pristine = make_student(solution, solution_path)
    except (AuthoringError, SubmissionError) as e:
        raise GraderError("the solution notebook is broken: %s" % e)
    report.notebook = pristine.metadata["cnnkit"]["exercises"]["notebook"]
    if expected_notebook and report.notebook != expected_notebook:
        raise SubmissionError("this is the notebook of %s, not of %s (wrong assignment?)"
                              % (report.notebook, expected_notebook))
    report.solution = os.path.relpath(solution_path, ROOT)
    hidden = hidden_cases(solution)
    cells = submission.cells

    scores, plan = {}, []
    for cell in pristine.cells:
        kind, name = role(cell)
        if kind == "answer":
            ai = locate(cells, "answer", name, cell.id)
            text = source_of(cells[ai]) if ai is not None else ""
            text = ANSWER_LINE.sub("", text, count=1).strip()
            report.answers[name] = "" if text == ANSWER_PROMPT else text
        elif kind == "exercise":
            score = scores[name] = ExerciseScore(name)
            report.exercises.append(score)
            ei = locate(cells, "exercise", name, cell.id)
            ci = locate(cells, "check", name, "check-" + name)
            check = next(c for c in pristine.cells if role(c) == ("check", name))
            score.max_points = _declared_points(source_of(check) + hidden.get(name, ""))
            if ei is not None:
                score.code = source_of(cells[ei])
            if ei is None:
                score.status, score.message = "MISSING", "no exercise cell for %s in the submission" % name
            elif ci is None:
                score.status, score.message = "TAMPERED", "the check cell of %s was deleted" % name
            elif ci < ei:
                score.status, score.message = "TAMPERED", "the check cell of %s was moved above its exercise" % name
            elif normalise(source_of(cells[ci])) != normalise(source_of(check)):
                score.status, score.message = "TAMPERED", "the check cell of %s was edited" % name
            else:
                score.status = None  # to be run
                plan.append(("exercise", name, score.code, check_options(source_of(check))))
        elif kind == "check":
            if scores[name].status is None:
                plan.append(("check", name, source_of(cell), check_options(source_of(cell))))
        elif cell.cell_type == "code":
            plan.append(("setup", None, source_of(cell), ([], None)))

    if any(s.status is None for s in report.exercises):
        _execute(plan, scores, hidden, cell_timeout, t0 + time_limit, log)
    report.seconds = time.monotonic() - t0
    return report


def _declared_points(check_source):
    """The points a check's cases are worth, read from its .add("case", POINTS, ...) calls."""
    return round(sum(float(p) for p in re.findall(r'\.add\(\s*"(?:[^"\\]|\\.)*"\s*,\s*([0-9.]+)\s*,', check_source)), 4)


def _time_is_up(scores):
    for s in scores.values():
        if s.status is None:
            s.status, s.message = "TIMEOUT", "the grading time limit was reached before this exercise ran"


def _execute(plan, scores, hidden, cell_timeout, deadline, log):
    """Runs the plan in one sandbox, cell by cell, and fills in the scores. After a timeout or a crash
    the sandbox is replaced and the setup cells and the student's earlier cells run again."""
    if deadline <= time.monotonic():
        return _time_is_up(scores)
    box = Sandbox(EXERCISES_DIR, log)
    try:
        box.start()
        replay = []  # (kind, name, source, forbidden) that ran fine: run again in a new sandbox
        for kind, name, source, (forbidden, own_timeout) in plan:
            score = scores.get(name)
            if score is not None and score.status is not None:
                continue  # this exercise already failed in its exercise cell
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _time_is_up(scores)
                break
            limit = min(own_timeout or cell_timeout, remaining)
            token = secrets.token_hex(16)  # a fresh one for each check
            code = sign_check(source, hidden.get(name, ""), token) if kind == "check" else source
            run = box.run(code, limit, kind, name, forbidden if kind == "exercise" else ())
            if log:
                log("  %-8s %-24s %-8s %5.1f s" % (kind, name or "", run.status, run.seconds))
            if kind == "setup":
                if run.status != "ok":
                    raise GraderError("setup cell (starts with %r) failed: %s" % (first_line(source)[:60],
                                                                                  run.error or run.status))
                replay.append((kind, name, source, forbidden))
                continue
            if run.status in ("timeout", "dead"):
                what = "exercise cell" if kind == "exercise" else "check"
                if run.status == "timeout":
                    limit_hit = deadline - time.monotonic() <= 0
                    score.status = "TIMEOUT"
                    score.message = ("the grading time limit was reached in the %s" % what if limit_hit
                                     else "the %s ran longer than %.0f s (an endless loop?)" % (what, limit))
                else:
                    score.status, score.message = "ERROR", "the sandbox died in the %s: %s" % (what, run.error)
                if deadline - time.monotonic() > 0 and any(s.status is None for s in scores.values()):
                    if not _fresh_sandbox(box, replay, scores):
                        break
                continue
            if kind == "exercise":
                if run.status == "rejected":
                    forbidden_use = "the library's own version" in run.error
                    score.status = "FORBIDDEN" if forbidden_use else "REJECTED"
                    score.message = "the exercise cell " + run.error
                    continue
                score.exercise_error = run.error if run.status == "error" else ""
                if REFUSED in score.exercise_error:
                    score.status = "REJECTED"
                    score.message = "the exercise cell tried something the grader refuses: " + score.exercise_error
                    continue
                replay.append(("exercise", name, source, forbidden))
                continue
            score.output = run.output
            _score_check(score, run, token)
    finally:
        box.stop()


def _fresh_sandbox(box, replay, scores):
    """A new sandbox with the setup cells and the student's earlier exercise cells run again.
    When that fails, the exercises not graded yet get ERROR and this returns False."""
    try:
        box.restart()
        for kind, name, source, forbidden in replay:
            run = box.run(source, max(DEFAULT_CELL_TIMEOUT, 60), kind, name, forbidden)
            if kind == "setup" and run.status != "ok":
                raise GraderError("a setup cell failed: %s" % (run.error or run.status))
        return True
    except GraderError as e:
        for s in scores.values():
            if s.status is None:
                s.status, s.message = "ERROR", "not graded: after a restart, %s" % e
        return False


def _score_check(score, run, token):
    found = verified_cases(run.signed, token, score.name)
    counts = {count for count, _ in found.values()}
    if found and len(counts) == 1 and sorted(found) == list(range(counts.pop())):
        score.cases = [found[i][1] for i in sorted(found)]
        statuses = [c[1] for c in score.cases]
        if all(s == "PASS" for s in statuses):
            score.status = "PASS"
        elif all(s == "TODO" for s in statuses):
            score.status, score.message = "TODO", "not implemented yet"
        else:
            score.status = "PARTIAL" if "PASS" in statuses else "FAIL"
        errors = [c[4] for c in score.cases if c[4] is not None]
        score.error = max(errors) if errors else None
        failed = [c for c in score.cases if c[1] == "FAIL"]
        refused = [c for c in failed if REFUSED in c[5]]
        if refused:  # exiting, writing files, threads...: the whole exercise scores zero
            score.status = "REJECTED"
            score.message = "case '%s' tried something the grader refuses: %s" % (refused[0][0], refused[0][5])
            return
        if failed:
            score.message = "failed case '%s': %s" % (failed[0][0], failed[0][5])
            if len(failed) > 1:
                score.message += " (and %d more failed cases)" % (len(failed) - 1)
        if score.exercise_error and score.status != "PASS":
            score.message = "the exercise cell failed: %s; %s" % (score.exercise_error, score.message)
        return
    score.status = "ERROR"
    if score.exercise_error:
        score.message = "the exercise cell failed: " + score.exercise_error
    elif run.error:
        score.message = "the check failed: " + run.error
    else:
        score.message = "the check printed no complete signed result"


# ---------------------------------------------------------------------------- feedback

def feedback_html(report, student=None):
    """A self-contained page for one student: each exercise's code, each case's result and the reason."""
    e = html.escape
    title = "%s: %s" % (student or os.path.basename(report.submission), report.notebook or "not graded")
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>%s</title>" % e(title),
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}pre{background:#f5f5f5;padding:.6em;"
             "overflow-x:auto}td,th{padding:.2em .6em;text-align:left}.PASS{color:#1a7f37}.FAIL,.ERROR,.TIMEOUT,"
             ".TAMPERED,.FORBIDDEN,.REJECTED,.MISSING{color:#b42318}.PARTIAL,.TODO{color:#9a6700}</style></head><body>",
             "<h1>%s</h1>" % e(title)]
    if report.error:
        parts.append("<p class='ERROR'><b>Not graded:</b> %s</p>" % e(report.error))
    if report.exercises:
        parts.append("<p><b>Total: %s / %s points</b></p><table><tr><th>exercise</th><th>status</th><th>points</th>"
                     "</tr>" % (fmt(report.score), fmt(report.max_score)))
        for x in report.exercises:
            parts.append("<tr><td><a href='#%s'>%s</a></td><td class='%s'>%s</td><td>%s / %s</td></tr>"
                         % (e(x.name), e(x.name), x.status, x.status, fmt(x.points), fmt(x.max_points)))
        parts.append("</table>")
    for x in report.exercises:
        parts.append("<h2 id='%s'>%s <span class='%s'>%s</span> %s / %s</h2>"
                     % (e(x.name), e(x.name), x.status, x.status, fmt(x.points), fmt(x.max_points)))
        if x.message:
            parts.append("<p>%s</p>" % e(x.message))
        if x.cases:
            parts.append("<table><tr><th>case</th><th>result</th><th>points</th><th>reason</th></tr>")
            for name, status, pts, mx, _, detail in x.cases:
                parts.append("<tr><td>%s</td><td class='%s'>%s</td><td>%s / %s</td><td>%s</td></tr>"
                             % (e(name), status, status, fmt(pts), fmt(mx), e(detail)))
            parts.append("</table>")
        parts.append("<h3>Your code</h3><pre>%s</pre>" % e(x.code or "(no exercise cell)"))
    if report.answers:
        parts.append("<h2>Written answers</h2>")
        for name, text in report.answers.items():
            parts.append("<h3>%s</h3><pre>%s</pre>" % (e(name), e(text or "(no answer)")))
    parts.append("</body></html>\n")
    return "\n".join(parts)


# ---------------------------------------------------------------------------- a class

def file_digest(path):
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            h.update(f.read())
    except OSError:
        h.update(b"unreadable")
    return h.hexdigest()[:20]


def grader_fingerprint():
    """Changes when anything that decides a grade changes: the solutions, this tool, the library jar."""
    h = hashlib.sha256()
    for p in solution_paths() + [os.path.abspath(__file__)]:
        h.update(file_digest(p).encode())
    h.update(str(os.path.getmtime(JAR) if os.path.exists(JAR) else 0).encode())
    return h.hexdigest()[:20]


def grade_one_file(path, expected_notebook, cell_timeout, time_limit):
    """The report of one file, whatever it holds: never raises."""
    report = Report(path)
    try:
        report = grade(path, cell_timeout=cell_timeout, time_limit=time_limit, expected_notebook=expected_notebook)
    except SubmissionError as e:
        report.error = str(e)
    except GraderError as e:
        report.error = "the grader could not run: %s" % e
    except Exception as e:  # a bug in the grader must still give a row, not stop the class
        report.error = "internal grader error: %s: %s" % (type(e).__name__, e)
    return report


def grade_folder(folder, out_dir=None, assignment=None, jobs=2, force=False, cell_timeout=DEFAULT_CELL_TIMEOUT,
                 time_limit=DEFAULT_TIME_LIMIT, say=print):
    """Grades every notebook in folder; writes the reports, the feedback pages and the gradebook.
    Returns the list of (student, report json)."""
    from concurrent.futures import ThreadPoolExecutor
    out_dir = out_dir or os.path.join(folder, "graded")
    reports_dir, feedback_dir = os.path.join(out_dir, "reports"), os.path.join(out_dir, "feedback")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".ipynb") and not f.startswith("."))
    if not files:
        raise SubmissionError("no .ipynb files in %s" % folder)
    fingerprint = grader_fingerprint()
    results, todo = {}, []
    for f in files:
        student = f[:-len(".ipynb")]
        path = os.path.join(folder, f)
        stamp = {"submission_sha256": file_digest(path), "grader": fingerprint, "assignment": assignment}
        old = os.path.join(reports_dir, student + ".json")
        if not force and os.path.exists(old):
            try:
                data = json.load(open(old, encoding="utf-8"))
                if data.get("stamp") == stamp:
                    results[student] = data
                    continue
            except (OSError, ValueError):
                pass
        todo.append((student, path, stamp))
    total = len(files)
    say("grading %d submissions in %s (%d already graded and unchanged), %d at a time"
        % (total, folder, total - len(todo), jobs))
    done = [total - len(todo)]
    lock = threading.Lock()
    t0 = time.monotonic()

    def work(item):
        student, path, stamp = item
        report = grade_one_file(path, assignment, cell_timeout, time_limit)
        data = report.to_json()
        data["student"], data["stamp"] = student, stamp
        write_atomically(os.path.join(reports_dir, student + ".json"), json.dumps(data, indent=2) + "\n")
        write_atomically(os.path.join(feedback_dir, student + ".html"), feedback_html(report, student))
        with lock:
            done[0] += 1
            if report.error:
                line = "not graded: %s" % report.error
            else:
                line = "%s / %s  in %.0f s" % (fmt(report.score), fmt(report.max_score), report.seconds)
            say("[%*d/%d] %-20s %s" % (len(str(total)), done[0], total, student, line))
        return student, data

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for student, data in pool.map(work, todo):
            results[student] = data
    rows = [(s, results[s]) for s in (f[:-len(".ipynb")] for f in files)]
    write_gradebook(os.path.join(out_dir, "gradebook.csv"), rows)
    say("graded in %.0f s; gradebook: %s" % (time.monotonic() - t0, os.path.join(out_dir, "gradebook.csv")))
    return rows


def write_gradebook(path, rows):
    """gradebook.csv through cnnkit.check.Gradebook (Commons CSV, written atomically)."""
    columns = []
    for _, data in rows:
        for x in data.get("exercises", []):
            if x["name"] not in columns:
                columns.append(x["name"])
    header = ["student", "assignment", "total", "max", "status"] + columns + ["answers", "reason"]
    lines = [header]
    for student, data in rows:
        by = {x["name"]: x for x in data.get("exercises", [])}
        answers = data.get("answers") or {}
        reasons = ["%s: %s" % (x["name"], x["message"]) for x in data.get("exercises", []) if x["status"] != "PASS"
                   and x["message"]]
        status = "not graded" if data.get("error") else "graded"
        lines.append([student, data.get("notebook") or "", fmt(data.get("score", 0)), fmt(data.get("max_score", 0)),
                      status] + [fmt(by[c]["points"]) if c in by else "" for c in columns]
                     + ["%d/%d" % (sum(1 for a in answers.values() if a.strip()), len(answers)),
                        data.get("error") or "; ".join(reasons)])
    text = "".join("\t".join(str(f).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n") for f in line)
                   + "\n" for line in lines)
    proc = subprocess.run([java_binary(), "-cp", JAR, "cnnkit.check.Gradebook", path], input=text.encode("utf-8"),
                          capture_output=True)
    if proc.returncode != 0:
        raise GraderError("could not write %s: %s" % (path, proc.stderr.decode("utf-8", "replace")[-500:]))


# ---------------------------------------------------------------------------- command line

def main(argv=None):
    parser = argparse.ArgumentParser(prog="exercises.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the student notebooks from the solution notebooks")
    gen.add_argument("--check", action="store_true", help="only report student notebooks that are out of date")
    gr = sub.add_parser("grade", help="grade one submitted notebook, or a folder of them")
    gr.add_argument("submission", help="a notebook, or a folder of notebooks (one per student)")
    gr.add_argument("--json", metavar="REPORT", help="write the report as JSON ('-' for standard output)")
    gr.add_argument("--html", metavar="FEEDBACK", help="write the feedback page for the student")
    gr.add_argument("--solution", help="the solution notebook (found from the submission when omitted)")
    gr.add_argument("--cell-timeout", type=float, default=DEFAULT_CELL_TIMEOUT, metavar="SECONDS")
    gr.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, metavar="SECONDS")
    gr.add_argument("--out", metavar="DIR", help="folder grading: where reports, feedback and gradebook go")
    gr.add_argument("--assignment", metavar="NAME", help="folder grading: the notebook every submission must be")
    gr.add_argument("--jobs", type=int, default=2, help="folder grading: submissions graded at once")
    gr.add_argument("--force", action="store_true", help="folder grading: grade again what is already graded")
    gr.add_argument("--verbose", action="store_true", help="print each cell as it runs")
    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate_command(args)
    if os.path.isdir(args.submission):
        try:
            grade_folder(args.submission, args.out, args.assignment, args.jobs, args.force, args.cell_timeout,
                         args.time_limit)
            return 0
        except (SubmissionError, GraderError) as e:
            print("grade: %s" % e, file=sys.stderr)
            return 2
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
        report = grade(args.submission, args.solution, args.cell_timeout, args.time_limit,
                       log=say if args.verbose else None)
    except SubmissionError as e:
        report.error, status = str(e), 1
    except GraderError as e:
        report.error, status = "the grader could not run: %s" % e, 2
    except KeyboardInterrupt:
        report.error, status = "interrupted", 2
    except Exception as e:  # a bug in the grader must still give a report, not a traceback
        report.error, status = "internal grader error: %s: %s" % (type(e).__name__, e), 2
    say(report.table())
    try:
        if args.html:
            write_atomically(args.html, feedback_html(report))
        if args.json:
            text = json.dumps(report.to_json(), indent=2)
            if to_stdout:
                print(text)
            else:
                write_atomically(args.json, text + "\n")
    except OSError as e:
        print("cannot write the report: %s" % e, file=sys.stderr)
        status = status or 2
    return status


if __name__ == "__main__":
    sys.exit(main())
