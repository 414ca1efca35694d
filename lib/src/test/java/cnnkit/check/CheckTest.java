package cnnkit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckTest {
    private static final Tensor ONES = Tensor.ones(2, 2);

    @Test
    void eachCaseScoresItsPointsOrNothingAndNamesWhatFailed() {
        Check check = Check.exercise("demo")
                .add("right", 2, t -> t.close("out", ONES.copy(), ONES))
                .add("wrong value", 1, t -> t.close("out", Tensor.zeros(2, 2), ONES))
                .add("wrong shape", 1, t -> t.close("out", Tensor.ones(4), ONES))
                .add("stub", 3, t -> {
                    throw new UnsupportedOperationException("not implemented yet");
                })
                .add("crash", 1, t -> {
                    throw new IllegalStateException("boom");
                })
                .add("nothing compared", 1, t -> { });
        List<Check.Outcome> o = check.outcomes();
        assertEquals(List.of(Check.Status.PASS, Check.Status.FAIL, Check.Status.FAIL, Check.Status.TODO,
                Check.Status.FAIL, Check.Status.FAIL), o.stream().map(Check.Outcome::status).toList());
        assertEquals(2, check.points());
        assertEquals(9, check.maxPoints());
        assertEquals(Check.Status.FAIL, check.status());
        assertTrue(o.get(1).detail().startsWith("out[0, 0] = 0.00000, expected 1.00000"), o.get(1).detail());
        assertTrue(o.get(2).detail().contains("expected shape"), o.get(2).detail());
        assertEquals("threw IllegalStateException: boom", o.get(4).detail());
        assertTrue(check.toString().contains("FAIL demo  2 / 9 points"), check.toString());
    }

    @Test
    void sharedWorkRunsOnceAndItsFailureFailsEveryCase() {
        int[] runs = {0};
        Check ok = Check.exercise("task").using(() -> ++runs[0])
                .add("first", 1, (done, t) -> t.isTrue("value", done.value() == 1))
                .add("second", 1, (done, t) -> t.isTrue("timed", done.seconds() >= 0))
                .print();
        assertEquals(1, runs[0]);
        assertEquals(Check.Status.PASS, ok.status());
        Check todo = Check.exercise("task").using(() -> {
            throw new UnsupportedOperationException("not implemented yet");
        }).add("first", 1, (done, t) -> t.isTrue("x", true)).print();
        assertEquals(Check.Status.TODO, todo.status());
    }

    @Test
    void signedLinesDependOnTheTokenAndCarryTheCase() {
        Check check = Check.exercise("demo").add("right case", 2, t -> t.close("out", ONES, ONES));
        String a = check.signedLine("token-a", 0, 1);
        String b = check.signedLine("token-b", 0, 1);
        assertNotEquals(a, b);
        String[] parts = a.split(" ");
        assertEquals(11, parts.length);
        assertEquals(List.of("CNNKIT-CASE", "demo", "0", "1", "PASS", "2", "2"), List.of(parts).subList(0, 7));
        assertEquals(Check.hex("right case"), parts[8]);
        String payload = String.join(" ", List.of(parts).subList(1, 10));
        assertEquals(Check.hmac("token-a", payload), parts[10]);
    }

    @Test
    void bytecodeRefsFindEveryUseOfAClass() throws IOException {
        BytecodeRefs refs = BytecodeRefs.read(classBytes(CheckTest.class));
        assertTrue(refs.names("cnnkit.tensor.Tensor"));
        assertTrue(refs.names("cnnkit.check.Check"));     // and its nested classes
        assertTrue(refs.members.contains("cnnkit/check/Check.exercise"), refs.members.toString());
        assertTrue(!refs.names("cnnkit.layers.Conv2D"));
        assertTrue(refs.namesPackage("cnnkit.tensor.*"));
        assertTrue(!refs.namesPackage("cnnkit.models.*"));
    }

    @Test
    void gradebookIsCsvWithEveryFieldKept(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("gradebook.csv");
        Gradebook.write(out, List.of("student", "reason"), List.of(Gradebook.fields("ann\ttab\\there, \"quoted\"\\nline")));
        assertEquals("student,reason\r\nann,\"tab\there, \"\"quoted\"\"\nline\"\r\n", Files.readString(out));
    }

    private static byte[] classBytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
