"""Tests of the exercise tooling in exercises.py: generation of the student notebooks and grading.

    python3 lib/tools/test_exercises.py [--quick]

`./kit test` runs it on Jupyter's Python and adds its counts to the total. The grading tests start
the `java` kernel and need lib/target/cnnkit-all.jar (./kit build); --quick leaves them out.
The last line is "exercise tests: N passed, M failed".
"""
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exercises as ex  # noqa: E402

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exercises.py")


def notebook(path):
    return ex.read_notebook(path)


def solutions():
    return ex.solution_paths()


def solution_sources(solution_path):
    """{exercise name: source} of a solution notebook's exercise cells."""
    return {name: ex.source_of(c) for c in notebook(solution_path).cells
            for kind, name in [ex.role(c)] if kind == "exercise"}


def code_cell(source):
    import nbformat
    return nbformat.v4.new_code_cell(source)


class Generation(unittest.TestCase):
    """The student notebooks come from the solutions, with the answers taken out (no kernel needed)."""

    def test_there_are_three_solution_notebooks_with_six_exercises(self):
        names = [n for p in solutions() for n in solution_sources(p)]
        self.assertEqual(["conv_forward", "conv_backward", "maxpool_backward", "softmax_ce_backward",
                          "batchnorm_backward", "residual_backward"], names)

    def test_committed_student_notebooks_are_up_to_date(self):
        stale = ex.generate(check_only=True, out=io.StringIO())
        self.assertEqual([], stale, "run ./kit exercises")

    def test_student_notebooks_hold_no_solution_code(self):
        for sol in solutions():
            student = notebook(ex.student_path(sol))
            for name, solved in solution_sources(sol).items():
                cell = next(c for c in student.cells if ex.role(c) == ("exercise", name))
                src = ex.source_of(cell)
                self.assertNotIn("BEGIN SOLUTION", src)
                self.assertIn("YOUR CODE HERE", src)
                self.assertIn(ex.STUB, src)
                region = solved.split("// BEGIN SOLUTION")[1].split("// END SOLUTION")[0]
                code = [l.strip() for l in region.splitlines() if l.strip() and not ex.HINT.match(l)]
                for line in code:
                    if line not in ("}", "{"):
                        self.assertNotIn(line, src, "%s leaks solution code" % name)
                hints = [l.strip() for l in region.splitlines() if ex.HINT.match(l)]
                self.assertTrue(hints, "%s has no hint" % name)
                for h in hints:
                    self.assertIn(h, src)

    def test_check_cells_are_tagged_locked_and_identical_to_the_solution(self):
        for sol in solutions():
            checks = {ex.role(c)[1]: ex.source_of(c) for c in notebook(sol).cells if ex.role(c)[0] == "check"}
            for c in notebook(ex.student_path(sol)).cells:
                kind, name = ex.role(c)
                if kind == "check":
                    self.assertEqual(["check:" + name], c.metadata["tags"])
                    self.assertFalse(c.metadata["editable"])
                    self.assertFalse(c.metadata["deletable"])
                    self.assertEqual(checks[name], ex.source_of(c))
                    self.assertIn("cnnkit.check.Exercise.", ex.source_of(c))
                elif kind == "exercise":
                    self.assertEqual(["exercise:" + name], c.metadata["tags"])

    def test_jars_path_points_at_the_same_jar_from_both_folders(self):
        for sol in solutions():
            def jar(nb_path):
                line = next(l for c in notebook(nb_path).cells for l in ex.source_of(c).splitlines()
                            if l.startswith("%jars"))
                return os.path.normpath(os.path.join(os.path.dirname(nb_path), line.split()[1]))
            self.assertEqual(jar(sol), jar(ex.student_path(sol)))
            self.assertEqual(os.path.join(ex.ROOT, "lib", "target", "cnnkit-all.jar"), jar(sol))

    def test_student_and_solution_notebooks_are_committed_without_outputs(self):
        for nb_path in [p for sol in solutions() for p in (sol, ex.student_path(sol))]:
            nb = notebook(nb_path)
            self.assertEqual("java", nb.metadata["kernelspec"]["name"])
            for c in nb.cells:
                if c.cell_type == "code":
                    self.assertEqual([], c.outputs)
                    self.assertIsNone(c.execution_count)

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
        sol = solutions()[0]
        nb = notebook(sol)
        edit(nb)
        return lambda: ex.make_student(nb, sol)

    def test_authoring_mistakes_in_a_notebook_are_reported(self):
        def drop_check(nb):
            nb.cells = [c for c in nb.cells if ex.role(c)[0] != "check"]
        with self.assertRaisesRegex(ex.AuthoringError, "no CHECK cell for conv_forward"):
            self._solution_with(drop_check)()

        def unsigned_check(nb):
            for c in nb.cells:
                if ex.role(c)[0] == "check":
                    c.source = c.source.replace(".print()", "")
        with self.assertRaisesRegex(ex.AuthoringError, "must print its result"):
            self._solution_with(unsigned_check)()

        def region_in_setup(nb):
            nb.cells.insert(2, code_cell("int a = 1;\n// BEGIN SOLUTION\n// END SOLUTION"))
        with self.assertRaisesRegex(ex.AuthoringError, "outside an exercise cell"):
            self._solution_with(region_in_setup)()

    def test_solution_only_cells_and_points(self):
        def edit(nb):
            nb.cells.insert(2, code_cell("// SOLUTION ONLY\nSystem.out.println(42);"))
            for c in nb.cells:
                if ex.role(c) == ("exercise", "conv_forward"):
                    c.source = c.source.replace("// EXERCISE conv_forward", "// EXERCISE conv_forward [3 points]")
        student = self._solution_with(edit)()
        self.assertFalse(any("println(42)" in ex.source_of(c) for c in student.cells))
        cell = next(c for c in student.cells if ex.role(c) == ("exercise", "conv_forward"))
        self.assertEqual(3, ex.points_of(ex.source_of(cell)))
        self.assertEqual(1, ex.points_of("// EXERCISE conv_backward"))


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
    """Only result lines signed with this grading run's token count."""

    def line(self, token, payload):
        import hmac
        from hashlib import sha256
        return "CNNKIT-RESULT %s %s" % (payload, hmac.new(token.encode(), payload.encode(), sha256).hexdigest())

    def test_a_correctly_signed_line_is_accepted(self):
        self.assertEqual([("PASS", 3.1e-12)],
                         ex.verified_results([self.line("t0k", "conv_forward PASS 3.1e-12")], "t0k", "conv_forward"))
        self.assertEqual([("TODO", None)], ex.verified_results([self.line("t0k", "conv_forward TODO -")], "t0k",
                                                               "conv_forward"))

    def test_forged_or_misdirected_lines_are_ignored(self):
        good = self.line("t0k", "conv_forward FAIL 4.2e-01")
        forged = [
            self.line("guess", "conv_forward PASS 1.0e-12"),           # wrong token
            good.replace("FAIL", "PASS"),                               # status rewritten
            good.replace("4.2e-01", "1.0e-12"),                         # error rewritten
            "CNNKIT-RESULT conv_forward PASS 1.0e-12 " + "0" * 64,      # made up
            self.line("t0k", "conv_forward PASS 1.0e-12")[:-1],         # truncated
        ]
        self.assertEqual([], ex.verified_results(forged, "t0k", "conv_forward"))
        self.assertEqual([], ex.verified_results([good], "t0k", "conv_backward"))  # another exercise's line


def run_cli(*args):
    proc = subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True, timeout=300)
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

    def test_json_that_is_not_a_notebook(self):
        rc, out = run_cli("grade", self.write("list.ipynb", "[1, 2, 3]"))
        self.assertEqual(1, rc, out)
        self.assertIn("not a notebook", out)
        self.assertNotIn("Traceback", out)

    def test_missing_file(self):
        rc, out = run_cli("grade", os.path.join(self.dir.name, "nowhere.ipynb"))
        self.assertEqual(1, rc, out)
        self.assertIn("cannot read", out)
        self.assertNotIn("Traceback", out)

    def test_a_notebook_without_exercises(self):
        nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "1 + 1", "outputs": [],
                         "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        rc, out = run_cli("grade", self.write("other.ipynb", json.dumps(nb)))
        self.assertEqual(1, rc, out)
        self.assertIn("cannot tell which exercise notebook", out)
        self.assertNotIn("Traceback", out)

    def test_deleted_cells_score_zero_without_running_anything(self):
        nb = notebook(ex.student_path(solutions()[1]))
        nb.cells = [c for c in nb.cells if ex.role(c) not in (("exercise", "maxpool_backward"),
                                                             ("check", "softmax_ce_backward"))]
        path = os.path.join(self.dir.name, "holes.ipynb")
        with open(path, "w", encoding="utf-8") as f:
            f.write(ex.render(nb))
        # the remaining cells would need a kernel; a time limit of 0 shows that nothing else is graded
        report = ex.grade(path, time_limit=0)
        by = {e.name: e for e in report.exercises}
        self.assertEqual("MISSING", by["maxpool_backward"].status)
        self.assertEqual("TAMPERED", by["softmax_ce_backward"].status)
        self.assertIn("deleted", by["softmax_ce_backward"].message)
        self.assertEqual(0, report.score)

    def test_time_limit_reached_before_anything_ran(self):
        report = ex.grade(ex.student_path(solutions()[0]), time_limit=0)
        self.assertEqual(["TIMEOUT", "TIMEOUT"], [e.status for e in report.exercises])
        self.assertIn("time limit", report.exercises[0].message)


FORGING = "\n".join([
    "// EXERCISE conv_forward",
    "java.io.PrintStream realOut = System.out;",
    "System.setOut(new java.io.PrintStream(realOut, true) {",
    "    @Override public void println(String s) { realOut.println(s.replace(\"FAIL\", \"PASS\")); }",
    "});",
    "System.out.println(\"PASS conv_forward  rel error 1.0e-12\");",
    "System.out.println(\"CNNKIT-RESULT conv_forward PASS 1.0e-12 \" + \"0\".repeat(64));",
    "Tensor convForward(Tensor x, Tensor w, Tensor b, int stride, int padding) {",
    "    System.out.println(\"CNNKIT-RESULT conv_forward PASS 1.0e-12 \" + \"ab\".repeat(32));",
    "    return Tensor.zeros(x.dim(0), w.dim(0), x.dim(2), x.dim(3));",
    "}",
])

DYING = "\n".join([
    "// EXERCISE conv_backward",
    "Tensor[] convBackward(Tensor dOut, Tensor x, Tensor w, int stride, int padding) {",
    "    System.exit(0);",
    "    return null;",
    "}",
])


class Grading(unittest.TestCase):
    """Grading in the java kernel, with `exercises.py grade` as instructors run it: full marks, zero,
    and each way a submission can go wrong. The ten gradings run two at a time in setUpClass (each
    starts its own kernel, which mostly waits), and the tests then read their reports."""

    WORKERS = 2

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(os.path.join(ex.ROOT, "lib", "target", "cnnkit-all.jar")):
            raise unittest.SkipTest("build the library first: ./kit build")
        cls.dir = tempfile.TemporaryDirectory()
        sols = solutions()
        jobs = {}
        for i, sol in enumerate(sols):
            jobs["solution-%d" % i] = [sol]
            jobs["student-%d" % i] = [ex.student_path(sol), "--executed", cls.path("executed-%d.ipynb" % i)]

        conv_backward = solution_sources(sols[0])["conv_backward"]
        cls.right_dw = "dw.set(dw.get(ff, ch, ki, kj) + g * x.get(nb, ch, row, col), ff, ch, ki, kj);"
        buggy = conv_backward.replace(cls.right_dw, "if (nb == 0) " + cls.right_dw)  # dW of the first image only
        jobs["one-bug"] = [cls.submission(0, "one-bug", {"conv_backward": buggy})]

        maxpool = solution_sources(sols[1])["maxpool_backward"]
        cls.loop_anchor = "Tensor dx = Tensor.zeros(x.shape());"
        looping = maxpool.replace(cls.loop_anchor, cls.loop_anchor + "\n    while (dOut != null) { }")
        jobs["loop"] = [cls.submission(1, "loop", {"maxpool_backward": looping}),
                        "--cell-timeout", "15", "--time-limit", "240"]

        def edit_check(nb):
            for c in nb.cells:
                if ex.role(c) == ("check", "batchnorm_backward"):
                    c.source = c.source.replace("print()", "print(); System.out.println(\"PASS batchnorm_backward\")")
        jobs["tampered"] = [cls.submission(2, "tampered", edit=edit_check)]
        jobs["forged"] = [cls.submission(0, "forged", {"conv_forward": FORGING, "conv_backward": DYING})]
        cls.sources = {"conv_backward": conv_backward, "maxpool_backward": maxpool}

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

    @classmethod
    def submission(cls, index, name, sources=None, edit=None):
        """The student notebook of solution `index` with the solution's code filled in, then changed."""
        sol = solutions()[index]
        filled = solution_sources(sol)
        filled.update(sources or {})
        nb = notebook(ex.student_path(sol))
        for c in nb.cells:
            kind, ex_name = ex.role(c)
            if kind == "exercise":
                c.source = filled[ex_name]
        if edit:
            edit(nb)
        path = cls.path(name + ".ipynb")
        with open(path, "w", encoding="utf-8") as f:
            f.write(ex.render(nb))
        return path

    def report(self, name, exit_code=0):
        rc, out, data = self.results[name]
        self.assertEqual(exit_code, rc, out)
        self.assertNotIn("Traceback", out)
        self.assertIsNotNone(data, out)
        self.assertIsNone(data["error"], out)
        return data, out

    def statuses(self, data):
        return {e["name"]: e["status"] for e in data["exercises"]}

    def test_solutions_score_full_marks(self):
        for i in range(len(solutions())):
            data, out = self.report("solution-%d" % i)
            self.assertEqual(2, data["max_score"], out)
            self.assertEqual(data["max_score"], data["score"], out)
            for e in data["exercises"]:
                self.assertLess(e["rel_error"], 1e-6, out)

    def test_student_notebooks_run_to_the_end_and_score_zero(self):
        for i in range(len(solutions())):
            data, out = self.report("student-%d" % i)
            self.assertEqual(["TODO", "TODO"], list(self.statuses(data).values()), out)
            self.assertEqual(0, data["score"])
            executed = notebook(self.path("executed-%d.ipynb" % i))
            errors = [(ex.first_line(ex.source_of(c)), o.get("evalue", "")[:200])
                      for c in executed.cells if c.cell_type == "code"
                      for o in c.outputs if o.get("output_type") == "error"]
            self.assertEqual([], errors)
            checks = [c for c in executed.cells if ex.role(c)[0] == "check"]
            for c in checks:
                self.assertIn("not implemented yet", json.dumps(c.outputs))
                self.assertNotIn("CNNKIT-RESULT", json.dumps(c.outputs))  # signed lines stay with the grader

    def test_one_bug_loses_exactly_that_exercise(self):
        self.assertIn(self.right_dw, self.sources["conv_backward"])
        data, out = self.report("one-bug")
        self.assertEqual({"conv_forward": "PASS", "conv_backward": "FAIL"}, self.statuses(data), out)
        self.assertEqual(1, data["score"])
        self.assertTrue(data["exercises"][1]["message"].startswith("dW"), out)

    def test_an_endless_loop_times_out_there_and_the_rest_is_graded(self):
        self.assertIn(self.loop_anchor, self.sources["maxpool_backward"])
        data, out = self.report("loop")
        self.assertEqual({"maxpool_backward": "TIMEOUT", "softmax_ce_backward": "PASS"}, self.statuses(data), out)
        self.assertEqual(1, data["score"])
        self.assertLess(data["seconds"], 240)

    def test_an_edited_check_cell_scores_zero_for_that_exercise(self):
        data, out = self.report("tampered")
        self.assertEqual({"batchnorm_backward": "TAMPERED", "residual_backward": "PASS"}, self.statuses(data), out)
        self.assertIn("edited", data["exercises"][0]["message"])
        self.assertEqual(1, data["score"])

    def test_forged_results_and_a_dying_kernel_score_nothing(self):
        data, out = self.report("forged")
        by = {e["name"]: e for e in data["exercises"]}
        self.assertIn(by["conv_forward"]["status"], ("FAIL", "ERROR"), out)
        self.assertEqual("ERROR", by["conv_backward"]["status"], out)
        self.assertIn("kernel died", by["conv_backward"]["message"])
        self.assertEqual(0, data["score"])
        self.assertTrue(re.search(r"conv_forward\s+(FAIL|ERROR)", out), out)


def main():
    quick = "--quick" in sys.argv
    loader = unittest.TestLoader()
    classes = [Generation, Signing, BadSubmissions] + ([] if quick else [Grading])
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(c) for c in classes)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("exercise tests: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
