"""Tests of the exercise tooling in exercises.py: generation of the student notebooks, grading, class grading.

    python3 lib/tools/test_exercises.py [--quick]

`./kit test` runs it on Jupyter's Python and adds its counts to the total. The grading tests start
cnnkit.check.Sandbox and need lib/target/cnnkit-all.jar (./kit build); --quick leaves them out.
The last line is "exercise tests: N passed, M failed".
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exercises as ex  # noqa: E402

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exercises.py")
NOTEBOOKS = os.path.join(ex.ROOT, "notebooks")

# One planted bug per exercise: (text of the solution, what it becomes). Each keeps the code compiling.
BUGS = {
    "affine_forward": ("double sum = b.get(j);", "double sum = 0;"),
    "affine_backward": ("reshape(dOut.dim(1));", "reshape(dOut.dim(1)).mul(0.5);"),
    "relu": ("x.data()[i] > 0 ? dOut.data()[i] : 0", "x.data()[i] >= 0 ? dOut.data()[i] : 0"),
    "sigmoid_tanh": ("out.map(v -> 1 - v * v)", "out.map(v -> 1 - v)"),
    "softmax_ce_loss": ("return total / n;", "return total;"),
    "softmax_ce_backward": ("grad.set((p - (j == labels[row] ? 1 : 0)) / n, row, j);",
                            "grad.set(p - (j == labels[row] ? 1 : 0), row, j);"),
    "dropout_forward": ("rng.nextDouble() < keep ? 1 / keep : 0", "rng.nextDouble() < keep ? 1 : 0"),
    "dropout_backward": ("return dOut.mul(mask);", "return dOut.copy();"),
    "conv_forward": ("double sum = b.get(ff);", "double sum = 0;"),
    "conv_backward": ("dw.set(dw.get(ff, ch, ki, kj) + g * x.get(nb, ch, row, col), ff, ch, ki, kj);",
                      "if (nb == 0) dw.set(dw.get(ff, ch, ki, kj) + g * x.get(nb, ch, row, col), ff, ch, ki, kj);"),
    "maxpool_forward": ("double best = Double.NEGATIVE_INFINITY;", "double best = 0;"),
    "maxpool_backward": ("if (x.get(nb, ch, row, col) > x.get(nb, ch, bestRow, bestCol)) {",
                         "if (x.get(nb, ch, row, col) >= x.get(nb, ch, bestRow, bestCol)) {"),
    "avgpool": ("double share = 1.0 / (kernel * kernel);", "double share = 1.0 / kernel;"),
    "im2col": ("(ch * kernel + ki) * kernel + kj, i * outW + j);\n", "(ch * kernel + kj) * kernel + ki, i * outW + j);\n"),
    "col2im": ("x.set(x.get(ch, row, col) + cols.get(", "x.set(cols.get("),
    "conv_im2col": ("out.set(y.get(ff, q) + b.get(ff), i,", "out.set(y.get(ff, q), i,"),
    "batchnorm_forward": ("momentum * var * n / (n - 1.0), j);", "momentum * var, j);"),
    "batchnorm_backward_staged": ("dmean += -dxhat * invStd;", "dmean += dxhat * invStd;"),
    "batchnorm_backward": ("dx.set(gamma.get(j) * invStd / n * (n * dOut.get(i, j) - sumG - xhat * sumGX), i, j);",
                           "dx.set(gamma.get(j) * invStd * dOut.get(i, j), i, j);"),
    "spatial_batchnorm": ("dGamma.set(sumGX, ch);", "dGamma.set(sumG, ch);"),
    "residual_backward": ("return dBranch.add(dS);", "return dBranch;"),
    "sgd_momentum": ("momentum * velocity.data()[i] + dw.data()[i];", "momentum * velocity.data()[i] + lr * dw.data()[i];"),
    "rmsprop": ("lr * g / (Math.sqrt(cache.data()[i]) + eps);", "lr * g / (cache.data()[i] + eps);"),
    "adam": ("double mHat = m.data()[i] / (1 - Math.pow(beta1, t));", "double mHat = m.data()[i];"),
    "overfit_small": ("step < 300; step++", "step < 3; step++"),
    "train_digits": ("epoch < 8; epoch++", "epoch < 0; epoch++"),
}

# A submission to ex1_layers trying a different way to cheat or break the grader in each exercise but the last.
FORGERIES = {
    "affine_forward": """// EXERCISE affine_forward
class cnnkit { static class check { static class Check { } } }
Tensor affineForward(Tensor x, Tensor w, Tensor b) { return x.matmul(w); }""",
    "affine_backward": """// EXERCISE affine_backward
System.out.println("CNNKIT-CASE affine_backward 0 2 PASS 1 1 0.0e+00 2d - " + "0".repeat(64));
Tensor[] affineBackward(Tensor dOut, Tensor x, Tensor w) {
    System.out.println("CNNKIT-CASE affine_backward 0 2 PASS 1 1 0.0e+00 2d - " + "ab".repeat(32));
    System.out.println("CNNKIT-CASE affine_backward 1 2 PASS 2 2 0.0e+00 2d - " + "ab".repeat(32));
    System.out.println("PASS affine_backward  3 / 3 points");
    return new Tensor[] {x, w, x};
}""",
    "relu": """// EXERCISE relu
Tensor reluForward(Tensor x) {
    try {
        Object grader = Class.forName("cnnkit.check.Check").getDeclaredField("outcomes");
    } catch (Exception e) {
    }
    return x.map(v -> Math.max(0, v));
}
Tensor reluBackward(Tensor dOut, Tensor x) { return dOut; }""",
    "sigmoid_tanh": """// EXERCISE sigmoid_tanh
Tensor sigmoidForward(Tensor x) { return new Sigmoid().forward(x); }
Tensor sigmoidBackward(Tensor dOut, Tensor out) { return dOut.mul(out.map(s -> s * (1 - s))); }
Tensor tanhBackward(Tensor dOut, Tensor out) { return dOut.mul(out.map(v -> 1 - v * v)); }""",
    "softmax_ce_loss": """// EXERCISE softmax_ce_loss
double softmaxCrossEntropyLoss(Tensor logits, int[] labels) {
    System.exit(0);
    return 0;
}""",
    "softmax_ce_backward": """// EXERCISE softmax_ce_backward
Tensor softmaxCrossEntropyBackward(Tensor logits, int[] labels) {
    while (logits != null) { }
    return logits;
}""",
    "dropout_forward": """// EXERCISE dropout_forward
Tensor[] dropoutForward(Tensor x, double keep, Random rng) {
    double[] hog = new double[500_000_000];
    return new Tensor[] {x, Tensor.of(hog, hog.length)};
}""",
}


def notebook(path):
    return ex.read_notebook(path)


def solutions():
    return ex.solution_paths()


def solution_named(name):
    return os.path.join(ex.SOLUTIONS_DIR, name + ".ipynb")


def solution_sources(solution_path):
    """{exercise name: source} of a solution notebook's exercise cells."""
    return {name: ex.source_of(c) for c in notebook(solution_path).cells
            for kind, name in [ex.role(c)] if kind == "exercise"}


def code_cell(source):
    import nbformat
    return nbformat.v4.new_code_cell(source)


def write_submission(path, notebook_name, sources=None, edit=None):
    """The student notebook of notebook_name with the solution's code and answers filled in, then changed."""
    sol = solution_named(notebook_name)
    filled = solution_sources(sol)
    filled.update(sources or {})
    answers = {ex.role(c)[1]: ex.source_of(c) for c in notebook(sol).cells if ex.role(c)[0] == "answer"}
    nb = notebook(ex.student_path(sol))
    for c in nb.cells:
        kind, name = ex.role(c)
        if kind == "exercise":
            c.source = filled[name]
        elif kind == "answer":
            c.source = answers[name]
    if edit:
        edit(nb)
    with open(path, "w", encoding="utf-8") as f:
        f.write(ex.render(nb))
    return path


def with_bugs(notebook_name, names):
    sources = solution_sources(solution_named(notebook_name))
    out = {}
    for name in names:
        right, wrong = BUGS[name]
        assert sources[name].count(right) == 1, "the planted bug of %s no longer matches its solution" % name
        out[name] = sources[name].replace(right, wrong)
    return out


class Generation(unittest.TestCase):
    """The student notebooks come from the solutions, with the answers taken out (no Java needed)."""

    def test_six_notebooks_with_at_least_twenty_exercises_in_curriculum_order(self):
        names = [os.path.basename(p)[:-6] for p in solutions()]
        self.assertEqual(["ex1_layers", "ex2_convolution", "ex3_pooling", "ex4_im2col", "ex5_batchnorm_residual",
                          "ex6_optim_training"], names)
        exercises = [n for p in solutions() for n in solution_sources(p)]
        self.assertGreaterEqual(len(exercises), 20)
        self.assertEqual(sorted(BUGS), sorted(exercises), "every exercise needs a planted bug in BUGS")

    def test_committed_student_notebooks_are_up_to_date(self):
        stale = ex.generate(check_only=True, out=io.StringIO())
        self.assertEqual([], stale, "run ./kit exercises")

    def test_student_notebooks_hold_no_solution_code_and_keep_the_hints(self):
        for sol in solutions():
            student = notebook(ex.student_path(sol))
            for name, solved in solution_sources(sol).items():
                cell = next(c for c in student.cells if ex.role(c) == ("exercise", name))
                src = ex.source_of(cell)
                self.assertNotIn("BEGIN SOLUTION", src)
                self.assertIn("YOUR CODE HERE", src)
                regions = re.findall(r"// BEGIN SOLUTION(.*?)// END SOLUTION", solved, re.S)
                code = [l.strip() for r in regions for l in r.splitlines()
                        if l.strip() and not ex.HINT.match(l) and not ex.STUB_LINE.match(l)]
                for line in code:
                    if len(line) > 3 and not line.startswith(("/**", "*", "//")) and line not in ("}", "{"):
                        self.assertNotIn(line, src, "%s leaks solution code" % name)
                hints = [l.strip() for r in regions for l in r.splitlines() if ex.HINT.match(l)]
                self.assertTrue(hints, "%s has no hint" % name)
                for h in hints:
                    self.assertIn(h, src)

    def test_check_cells_are_tagged_locked_identical_and_hidden_cases_stay_out(self):
        for sol in solutions():
            solution = notebook(sol)
            checks = {ex.role(c)[1]: ex.source_of(c) for c in solution.cells if ex.role(c)[0] == "check"}
            student = notebook(ex.student_path(sol))
            text = json.dumps(student)
            for name, hidden in ex.hidden_cases(solution).items():
                case = re.search(r'\.add\("([^"]+)"', hidden).group(1)
                self.assertNotIn(case, text, "a hidden case of %s is in the student notebook" % name)
            for c in student.cells:
                kind, name = ex.role(c)
                if kind == "check":
                    self.assertEqual(["check:" + name], c.metadata["tags"])
                    self.assertFalse(c.metadata["editable"])
                    self.assertFalse(c.metadata["deletable"])
                    self.assertEqual(checks[name], ex.source_of(c))
                    self.assertIn('cnnkit.check.Check.exercise("%s")' % name, ex.source_of(c))
                elif kind == "exercise":
                    self.assertEqual(["exercise:" + name], c.metadata["tags"])

    def test_every_notebook_ends_with_written_questions_for_the_grader(self):
        for sol in solutions():
            student = notebook(ex.student_path(sol))
            answers = [c for c in student.cells if ex.role(c)[0] == "answer"]
            self.assertGreaterEqual(len(answers), 2, sol)
            self.assertEqual(("answer", ex.role(student.cells[-1])[1]), ex.role(student.cells[-1]), sol)
            for c in answers:
                self.assertIn(ex.ANSWER_PROMPT, ex.source_of(c))
            self.assertEqual([ex.role(c)[1] for c in answers], student.metadata["cnnkit"]["exercises"]["answers"])

    def test_jars_path_points_at_the_same_jar_from_both_folders(self):
        for sol in solutions():
            def jar(nb_path):
                line = next(l for c in notebook(nb_path).cells for l in ex.source_of(c).splitlines()
                            if l.startswith("%jars"))
                return os.path.normpath(os.path.join(os.path.dirname(nb_path), line.split()[1]))
            self.assertEqual(jar(sol), jar(ex.student_path(sol)))
            self.assertEqual(ex.JAR, jar(sol))

    def test_notebooks_are_committed_without_outputs(self):
        for nb_path in [p for sol in solutions() for p in (sol, ex.student_path(sol))]:
            nb = notebook(nb_path)
            self.assertEqual("java", nb.metadata["kernelspec"]["name"])
            for c in nb.cells:
                if c.cell_type == "code":
                    self.assertEqual([], c.outputs)
                    self.assertIsNone(c.execution_count)

    def test_no_notebook_has_markdown_that_starts_every_line_with_a_hash(self):
        paths = [os.path.join(d, f) for d in (NOTEBOOKS, ex.EXERCISES_DIR, ex.SOLUTIONS_DIR)
                 for f in sorted(os.listdir(d)) if f.endswith(".ipynb")]
        self.assertGreater(len(paths), 12)
        for p in paths:
            for i, c in enumerate(notebook(p).cells):
                self.assertFalse(ex.heading_wall(c), "%s, cell %d: every line starts with '#'" % (p, i + 1))

    def test_a_heading_wall_is_found_and_refused(self):
        import nbformat
        self.assertTrue(ex.heading_wall(nbformat.v4.new_markdown_cell("# Title\n#\n# text under it")))
        self.assertFalse(ex.heading_wall(nbformat.v4.new_markdown_cell("# Title\n\ntext under it")))
        self.assertFalse(ex.heading_wall(nbformat.v4.new_markdown_cell("## One heading")))
        with self.assertRaisesRegex(ex.AuthoringError, "starts with '#'"):
            self._solution_with(lambda nb: nb.cells.insert(0, nbformat.v4.new_markdown_cell("# A\n# b")))()

    def test_stub_lines_replace_the_default_stub(self):
        src = "int f() {\n    // BEGIN SOLUTION\n    // STUB: return 0;\n    // HINT: add\n    return 1 + 1;\n    // END SOLUTION\n}"
        out = ex.strip_solution(src, "test")
        self.assertIn("    return 0;", out)
        self.assertIn("    // HINT: add", out)
        self.assertNotIn("1 + 1", out)
        self.assertNotIn("UnsupportedOperationException", out)

    def test_broken_markers_are_reported_with_their_place(self):
        with self.assertRaisesRegex(ex.AuthoringError, "cell 7: BEGIN SOLUTION without END"):
            ex.strip_solution("// BEGIN SOLUTION\nx();", "cell 7")
        with self.assertRaisesRegex(ex.AuthoringError, "line 1: END SOLUTION without BEGIN"):
            ex.strip_solution("// END SOLUTION", "cell 7")
        with self.assertRaisesRegex(ex.AuthoringError, "line 2: BEGIN SOLUTION inside"):
            ex.strip_solution("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "cell 7")
        with self.assertRaisesRegex(ex.AuthoringError, "needs a // BEGIN SOLUTION"):
            ex.strip_solution("int f() { return 1; }", "cell 7")

    def _solution_with(self, edit):
        sol = solution_named("ex2_convolution")
        nb = notebook(sol)
        edit(nb)
        return lambda: ex.make_student(nb, sol)

    def test_authoring_mistakes_in_a_notebook_are_reported(self):
        def drop_check(nb):
            nb.cells = [c for c in nb.cells if ex.role(c)[0] not in ("check", "hidden")]
        with self.assertRaisesRegex(ex.AuthoringError, "no CHECK cell for conv_forward"):
            self._solution_with(drop_check)()

        def unsigned_check(nb):
            for c in nb.cells:
                if ex.role(c)[0] == "check":
                    c.source = c.source.replace(".print();", ";")
        with self.assertRaisesRegex(ex.AuthoringError, "must end with .print()"):
            self._solution_with(unsigned_check)()

        def region_in_setup(nb):
            nb.cells.insert(2, code_cell("int a = 1;\n// BEGIN SOLUTION\n// END SOLUTION"))
        with self.assertRaisesRegex(ex.AuthoringError, "outside an exercise cell"):
            self._solution_with(region_in_setup)()

        def hidden_first(nb):
            nb.cells.insert(2, code_cell("// HIDDEN conv_forward\n    .add(\"x\", 1, t -> {})"))
        with self.assertRaisesRegex(ex.AuthoringError, "HIDDEN conv_forward must come after"):
            self._solution_with(hidden_first)()

    def test_check_options_and_points(self):
        forbidden, timeout = ex.check_options("// CHECK a  forbids cnnkit.layers.Conv2D, cnnkit.layers.Im2Col  timeout 90")
        self.assertEqual(["cnnkit.layers.Conv2D", "cnnkit.layers.Im2Col"], forbidden)
        self.assertEqual(90, timeout)
        self.assertEqual(([], None), ex.check_options("// CHECK a"))
        self.assertEqual(3.5, ex._declared_points('x.add("one, two", 2, t -> {}).add("b", 1.5, t -> f(3, 4))'))


class NotebookRunner(unittest.TestCase):
    """The runner's checks that apply to every notebook (run_notebook.py), without a kernel."""

    def result(self, text):
        import nbformat
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)]
        return cell

    def test_a_display_id_or_an_object_address_is_a_stray_echo(self):
        import run_notebook
        self.assertEqual(run_notebook.stray_echo(self.result("02ed4db2-23cf-446b-983f-8f1bb1f5bdc4")),
                         "02ed4db2-23cf-446b-983f-8f1bb1f5bdc4")
        self.assertEqual(run_notebook.stray_echo(self.result("java.io.PrintStream@5e54b52e\n")),
                         "java.io.PrintStream@5e54b52e")

    def test_files_are_replaced_whole_never_rewritten_in_place(self):
        from atomic_file import write_atomically
        folder = tempfile.mkdtemp()
        try:
            target = os.path.join(folder, "run.html")
            write_atomically(target, "old")
            # A hard link still names the old file after an atomic replace; an in-place write would change it.
            os.link(target, os.path.join(folder, "link"))
            write_atomically(target, "new")
            with open(target, encoding="utf-8") as f:
                self.assertEqual("new", f.read())
            with open(os.path.join(folder, "link"), encoding="utf-8") as f:
                self.assertEqual("old", f.read())
            self.assertEqual(["link", "run.html"], sorted(os.listdir(folder)), "no temporary file left behind")
            write_atomically(os.path.join(folder, "sub", "deeper.txt"), "x")
            self.assertTrue(os.path.isfile(os.path.join(folder, "sub", "deeper.txt")))
        finally:
            shutil.rmtree(folder)

    def test_a_meaningful_value_is_not_a_stray_echo(self):
        import run_notebook
        for text in ("42", "0.9250", "[1, 2, 3]", "user@example"):
            self.assertIsNone(run_notebook.stray_echo(self.result(text)), text)

    def test_curriculum_notebooks_are_committed_clean_for_the_java_kernel(self):
        folder = os.path.join(os.path.dirname(TOOL), "..", "..", "notebooks")
        names = sorted(n for n in os.listdir(folder) if n.endswith(".ipynb"))
        self.assertGreaterEqual(len(names), 12, names)
        for name in names:
            nb = notebook(os.path.join(folder, name))
            self.assertEqual(nb.metadata.get("kernelspec", {}).get("name"), "java", name)
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    self.assertEqual(cell.get("outputs", []), [], "%s cell %d has outputs" % (name, i))
                    self.assertIsNone(cell.get("execution_count"), "%s cell %d has a count" % (name, i))


class Signing(unittest.TestCase):
    """Only case lines signed with the check's token count."""

    def line(self, token, payload):
        import hmac
        from hashlib import sha256
        return "CNNKIT-CASE %s %s" % (payload, hmac.new(token.encode(), payload.encode(), sha256).hexdigest())

    def test_a_correctly_signed_line_is_accepted(self):
        found = ex.verified_cases([self.line("t0k", "conv_forward 0 1 PASS 2 2 3.1e-12 6162 -")], "t0k", "conv_forward")
        self.assertEqual({0: (1, ("ab", "PASS", 2.0, 2.0, 3.1e-12, ""))}, found)

    def test_forged_or_misdirected_lines_are_ignored(self):
        good = self.line("t0k", "conv_forward 0 1 FAIL 0 2 4.2e-01 6162 -")
        forged = [
            self.line("guess", "conv_forward 0 1 PASS 2 2 1.0e-12 6162 -"),   # wrong token
            good.replace("FAIL 0", "PASS 2"),                                  # status and points rewritten
            "CNNKIT-CASE conv_forward 0 1 PASS 2 2 1.0e-12 6162 - " + "0" * 64,  # made up
            good[:-1],                                                         # truncated
        ]
        self.assertEqual({}, ex.verified_cases(forged, "t0k", "conv_forward"))
        self.assertEqual({}, ex.verified_cases([good], "t0k", "conv_backward"))  # another exercise's line

    def test_the_check_is_signed_where_it_prints_and_hidden_cases_go_before(self):
        signed = ex.sign_check('// CHECK a\ncnnkit.check.Check.exercise("a")\n    .add("x", 1, t -> f())\n    .print();',
                               '    .add("hidden", 1, t -> g())\n', "tok")
        self.assertTrue(signed.endswith('.add("hidden", 1, t -> g())\n.print("tok");'), signed)


def run_cli(*args, timeout=900):
    proc = subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


class BadSubmissions(unittest.TestCase):
    """Submissions that are not notebooks: a clear message and a non-zero exit, never a traceback."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_invalid_json(self):
        report = os.path.join(self.dir.name, "report.json")
        rc, out = run_cli("grade", self.write("broken.ipynb", '{"cells": [ {"cell_type": "code", '), "--json", report)
        self.assertEqual(1, rc, out)
        self.assertIn("invalid JSON", out)
        self.assertNotIn("Traceback", out)
        data = json.load(open(report))
        self.assertEqual(0, data["score"])
        self.assertIn("invalid JSON", data["error"])

    def test_empty_file_json_that_is_not_a_notebook_and_a_missing_file(self):
        for name, text, message in [("empty.ipynb", "", "is empty"), ("list.ipynb", "[1, 2, 3]", "not a notebook")]:
            rc, out = run_cli("grade", self.write(name, text))
            self.assertEqual(1, rc, out)
            self.assertIn(message, out)
            self.assertNotIn("Traceback", out)
        rc, out = run_cli("grade", os.path.join(self.dir.name, "nowhere.ipynb"))
        self.assertEqual((1, True), (rc, "cannot read" in out), out)

    def test_a_notebook_without_exercises(self):
        nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "1 + 1", "outputs": [],
                         "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        rc, out = run_cli("grade", self.write("other.ipynb", json.dumps(nb)))
        self.assertEqual(1, rc, out)
        self.assertIn("cannot tell which exercise notebook", out)
        self.assertNotIn("Traceback", out)

    def test_deleted_cells_score_zero_without_running_anything(self):
        nb = notebook(ex.student_path(solution_named("ex3_pooling")))
        nb.cells = [c for c in nb.cells if ex.role(c) not in (("exercise", "maxpool_forward"),
                                                             ("check", "avgpool"))]
        path = os.path.join(self.dir.name, "holes.ipynb")
        with open(path, "w", encoding="utf-8") as f:
            f.write(ex.render(nb))
        report = ex.grade(path, time_limit=0)  # a time limit of 0: nothing else is graded
        by = {e.name: e for e in report.exercises}
        self.assertEqual("MISSING", by["maxpool_forward"].status)
        self.assertEqual("TAMPERED", by["avgpool"].status)
        self.assertIn("deleted", by["avgpool"].message)
        self.assertEqual("TIMEOUT", by["maxpool_backward"].status)
        self.assertEqual(0, report.score)
        self.assertEqual(11, report.max_score)  # points come from the check cells and the hidden cases

    def test_a_wrong_assignment_is_named(self):
        with self.assertRaisesRegex(ex.SubmissionError, "notebook of ex4_im2col, not of ex3_pooling"):
            ex.grade(ex.student_path(solution_named("ex4_im2col")), expected_notebook="ex3_pooling", time_limit=0)


class Grading(unittest.TestCase):
    """Grading in the sandbox, with `exercises.py grade` as instructors run it: full marks, zero, a planted
    bug in every exercise, and the forgery suite. The gradings run two at a time in setUpClass and the
    tests read their reports."""

    WORKERS = 2

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(ex.JAR):
            raise unittest.SkipTest("build the library first: ./kit build")
        cls.dir = tempfile.TemporaryDirectory()
        jobs = {}
        for sol in solutions():
            name = os.path.basename(sol)[:-6]
            jobs["solution-" + name] = [sol]
            jobs["student-" + name] = [ex.student_path(sol)]
            exercises = list(solution_sources(sol))
            for half in (0, 1):  # bugs in every other exercise: each exercise is bugged once, correct once
                bugged = exercises[half::2]
                if bugged:
                    path = cls.path("bugs-%s-%d.ipynb" % (name, half))
                    write_submission(path, name, with_bugs(name, bugged))
                    jobs["bugs-%s-%d" % (name, half)] = [path]

        jobs["forgery-1"] = [write_submission(cls.path("forgery-1.ipynb"), "ex1_layers", FORGERIES),
                             "--cell-timeout", "20"]
        cls.victim = cls.path("do-not-delete.txt")
        with open(cls.victim, "w") as f:
            f.write("the grader must keep this file")
        deleting = solution_sources(solution_named("ex3_pooling"))["maxpool_backward"].replace(
            "Tensor dx = Tensor.zeros(x.shape());", 'Tensor dx = Tensor.zeros(x.shape());\n    new java.io.File("%s").delete();'
            % cls.victim)

        def edit_check(nb):
            for c in nb.cells:
                if ex.role(c) == ("check", "maxpool_forward"):
                    c.source = c.source.replace(".print();", ".print(); System.out.println(\"PASS maxpool_forward\");")
        jobs["forgery-2"] = [write_submission(cls.path("forgery-2.ipynb"), "ex3_pooling",
                                              {"maxpool_backward": deleting}, edit=edit_check)]

        def grade(item):
            name, args = item
            report = cls.path(name + ".json")
            rc, out = run_cli("grade", *args, "--json", report)
            data = json.load(open(report)) if os.path.exists(report) else None
            return name, (rc, out, data)

        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(cls.WORKERS) as pool:
            cls.results = dict(pool.map(grade, jobs.items()))

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    @classmethod
    def path(cls, name):
        return os.path.join(cls.dir.name, name)

    def report(self, name, exit_code=0):
        rc, out, data = self.results[name]
        self.assertEqual(exit_code, rc, out)
        self.assertNotIn("Traceback", out)
        self.assertIsNotNone(data, out)
        self.assertIsNone(data["error"], out)
        return data, out

    def by_name(self, data):
        return {e["name"]: e for e in data["exercises"]}

    def test_solutions_score_full_marks(self):
        for sol in solutions():
            data, out = self.report("solution-" + os.path.basename(sol)[:-6])
            self.assertGreater(data["max_score"], 0, out)
            self.assertEqual(data["max_score"], data["score"], out)
            for e in data["exercises"]:
                self.assertEqual("PASS", e["status"], out)
                self.assertTrue(all(c["status"] == "PASS" for c in e["cases"]), out)
            self.assertTrue(all(a for a in data["answers"].values()), out)

    def test_student_notebooks_run_to_the_end_and_score_zero(self):
        for sol in solutions():
            data, out = self.report("student-" + os.path.basename(sol)[:-6])
            self.assertEqual({"TODO"}, {e["status"] for e in data["exercises"]}, out)
            self.assertEqual(0, data["score"])
            self.assertEqual({""}, set(data["answers"].values()), out)

    def test_a_planted_bug_loses_that_exercise_and_nothing_else(self):
        for sol in solutions():
            name = os.path.basename(sol)[:-6]
            exercises = list(solution_sources(sol))
            for half in (0, 1):
                if not exercises[half::2]:
                    continue
                data, out = self.report("bugs-%s-%d" % (name, half))
                for e in data["exercises"]:
                    if e["name"] in exercises[half::2]:
                        self.assertIn(e["status"], ("FAIL", "PARTIAL"), "%s: the bug was not found\n%s" % (e["name"], out))
                        self.assertLess(e["points"], e["max_points"], out)
                        failed = [c for c in e["cases"] if c["status"] == "FAIL"]
                        self.assertTrue(failed and failed[0]["name"] in e["message"], out)
                    else:
                        self.assertEqual("PASS", e["status"], "%s lost points for another exercise's bug\n%s"
                                         % (e["name"], out))

    def test_forgeries_score_zero_and_grading_goes_on(self):
        data, out = self.report("forgery-1")
        by = self.by_name(data)
        self.assertEqual("REJECTED", by["affine_forward"]["status"], out)
        self.assertIn("declares 'cnnkit'", by["affine_forward"]["message"])
        self.assertEqual("FAIL", by["affine_backward"]["status"], out)          # fake PASS lines count for nothing
        self.assertEqual("REJECTED", by["relu"]["status"], out)                 # reflection on the grader
        self.assertIn("reflection", by["relu"]["message"])
        self.assertEqual("FORBIDDEN", by["sigmoid_tanh"]["status"], out)        # the library's own layer
        self.assertIn("cnnkit.layers.Sigmoid", by["sigmoid_tanh"]["message"])
        self.assertEqual("REJECTED", by["softmax_ce_loss"]["status"], out)      # System.exit is refused
        self.assertIn("exitVM", by["softmax_ce_loss"]["message"])
        self.assertEqual("TIMEOUT", by["softmax_ce_backward"]["status"], out)   # endless loop
        self.assertEqual("FAIL", by["dropout_forward"]["status"], out)          # out of memory
        self.assertIn("OutOfMemoryError", by["dropout_forward"]["message"])
        self.assertEqual("PASS", by["dropout_backward"]["status"], out)         # and the rest is graded
        self.assertEqual(by["dropout_backward"]["max_points"], data["score"], out)

    def test_an_edited_check_and_deleting_files_score_zero(self):
        data, out = self.report("forgery-2")
        by = self.by_name(data)
        self.assertEqual("TAMPERED", by["maxpool_forward"]["status"], out)
        self.assertIn("edited", by["maxpool_forward"]["message"])
        self.assertEqual(("REJECTED", 0), (by["maxpool_backward"]["status"], by["maxpool_backward"]["points"]), out)
        self.assertIn("delete", by["maxpool_backward"]["message"])
        self.assertTrue(os.path.exists(self.victim))
        self.assertEqual("PASS", by["avgpool"]["status"], out)


class Sandbox(unittest.TestCase):
    """cnnkit.check.Sandbox refuses, cell by cell, what could fool the check cells or harm the machine."""

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(ex.JAR):
            raise unittest.SkipTest("build the library first: ./kit build")
        cls.dir = tempfile.TemporaryDirectory()
        cls.box = ex.Sandbox(cls.dir.name)
        cls.box.start()
        run = cls.box.run("import cnnkit.tensor.*;\nimport java.util.Random;\nint helper() { return 1; }", 120)
        assert run.status == "ok", run.error

    @classmethod
    def tearDownClass(cls):
        cls.box.stop()
        cls.dir.cleanup()

    def exercise(self, source, forbidden=()):
        return self.box.run(source, 60, "exercise", "e", forbidden)

    def test_names_the_check_cells_use_cannot_be_declared_or_imported(self):
        for source, name in [("class cnnkit {}", "cnnkit"), ("class Random extends java.util.Random {}", "Random"),
                             ("Object Math = null;", "Math"), ("record Tensor(int a) {}", "Tensor"),
                             ("int helper() { return 2; }", "helper"), ("interface java {}", "java")]:
            run = self.exercise(source)
            self.assertEqual("rejected", run.status, source)
            self.assertIn("'%s'" % name, run.error)
        run = self.exercise("import java.awt.List;")
        self.assertEqual(("rejected", True), (run.status, "java.awt.List" in run.error), run.error)
        self.assertEqual("ok", self.exercise("import java.util.List;\nint mine() { return helper() + 1; }").status)

    def test_forbidden_classes_reflection_and_the_grader_are_found_in_the_compiled_code(self):
        cases = [("Tensor f() { var c = new cnnkit.layers.Conv2D(1, 1, 3, 1, 1); return null; }", ["cnnkit.layers.Conv2D"],
                  "uses cnnkit.layers.Conv2D"),
                 ("class Mine extends cnnkit.layers.ReLU {}", ["cnnkit.layers.ReLU"], "uses cnnkit.layers.ReLU"),
                 ("Object m() { return cnnkit.models.Models.class; }", ["cnnkit.models.*"], "uses cnnkit.models.*"),
                 ("Object g() throws Exception { return Class.forName(\"x\"); }", [], "java.lang.Class.forName"),
                 ("Object h() { return cnnkit.check.Check.exercise(\"e\"); }", [], "cnnkit.check.Check")]
        for source, forbidden, message in cases:
            run = self.exercise(source, forbidden)
            self.assertEqual("rejected", run.status, source)
            self.assertIn(message, run.error)

    def test_the_security_manager_refuses_exit_files_threads_and_output(self):
        target = os.path.join(self.dir.name, "kept.txt")
        with open(target, "w") as f:
            f.write("x")
        for source, permission in [("System.exit(1);", "exitVM"), ("new java.io.File(\"%s\").delete();" % target, "delete"),
                                   ("new Thread(() -> {}).start();", "modifyThread"), ("System.setOut(null);", "setIO"),
                                   ("java.nio.file.Files.writeString(java.nio.file.Path.of(\"%s\"), \"y\");" % target, "write")]:
            run = self.exercise(source)
            self.assertEqual("error", run.status, source)
            self.assertIn(ex.REFUSED, run.error)
            self.assertIn(permission, run.error)
        self.assertEqual("x", open(target).read())
        run = self.exercise("System.out.println(cnnkit.data.Digits.load().size());")
        self.assertEqual(("ok", "1797"), (run.status, run.output.strip()), run.error)  # the data folder is readable


class ClassGrading(unittest.TestCase):
    """`exercises.py grade FOLDER`: a row per file, whatever it holds; resumable."""

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(ex.JAR):
            raise unittest.SkipTest("build the library first: ./kit build")
        cls.dir = tempfile.TemporaryDirectory()
        cls.subs = os.path.join(cls.dir.name, "submissions")
        os.makedirs(cls.subs)
        write_submission(os.path.join(cls.subs, "alice.ipynb"), "ex3_pooling")
        write_submission(os.path.join(cls.subs, "bob.ipynb"), "ex3_pooling", with_bugs("ex3_pooling", ["maxpool_backward"]))
        open(os.path.join(cls.subs, "carol.ipynb"), "w").close()
        with open(os.path.join(cls.subs, "dave.ipynb"), "w") as f:
            f.write('{"cells": [')
        shutil.copy(ex.student_path(solution_named("ex4_im2col")), os.path.join(cls.subs, "erin.ipynb"))
        shutil.copy(ex.student_path(solution_named("ex3_pooling")), os.path.join(cls.subs, "frank.ipynb"))
        cls.first = run_cli("grade", cls.subs, "--assignment", "ex3_pooling")
        cls.second = run_cli("grade", cls.subs, "--assignment", "ex3_pooling")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def rows(self):
        with open(os.path.join(self.subs, "graded", "gradebook.csv"), newline="", encoding="utf-8") as f:
            return {r["student"]: r for r in csv.DictReader(f)}

    def test_one_progress_line_per_student_and_the_expected_gradebook(self):
        rc, out = self.first
        self.assertEqual(0, rc, out)
        for student in ("alice", "bob", "carol", "dave", "erin", "frank"):
            self.assertEqual(1, len(re.findall(r"^\[\s*\d/6\] %s\b" % student, out, re.M)), out)
        rows = self.rows()
        self.assertEqual(["alice", "bob", "carol", "dave", "erin", "frank"], list(rows))
        self.assertEqual(("11", "11", "graded"), (rows["alice"]["total"], rows["alice"]["max"], rows["alice"]["status"]))
        self.assertEqual(("10", "3", "4"), (rows["bob"]["total"], rows["bob"]["maxpool_backward"], rows["bob"]["avgpool"]))
        self.assertIn("a window of four equal values", rows["bob"]["reason"])
        self.assertEqual(("0", "graded"), (rows["frank"]["total"], rows["frank"]["status"]))
        self.assertEqual("0/2", rows["frank"]["answers"])
        self.assertEqual("2/2", rows["alice"]["answers"])
        for student, reason in [("carol", "is empty"), ("dave", "invalid JSON"), ("erin", "wrong assignment")]:
            self.assertEqual(("0", "not graded"), (rows[student]["total"], rows[student]["status"]))
            self.assertIn(reason, rows[student]["reason"])

    def test_reports_and_feedback_pages_per_student(self):
        data = json.load(open(os.path.join(self.subs, "graded", "reports", "bob.json")))
        self.assertEqual(10, data["score"])
        page = open(os.path.join(self.subs, "graded", "feedback", "bob.html"), encoding="utf-8").read()
        self.assertIn("a window of four equal values: the first one wins", page)
        self.assertIn("maxPoolBackward", page)  # the student's code
        self.assertIn("Written answers", page)

    def test_a_second_run_grades_nothing_again(self):
        rc, out = self.second
        self.assertEqual(0, rc, out)
        self.assertIn("6 already graded and unchanged", out)
        self.assertEqual(["alice", "bob", "carol", "dave", "erin", "frank"], list(self.rows()))


def main():
    quick = "--quick" in sys.argv
    loader = unittest.TestLoader()
    classes = [Generation, NotebookRunner, Signing, BadSubmissions] + ([] if quick else [Sandbox, Grading, ClassGrading])
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(c) for c in classes)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("exercise tests: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
