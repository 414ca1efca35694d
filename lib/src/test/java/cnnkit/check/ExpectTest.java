package cnnkit.check;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ExpectTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream saved;

    @BeforeEach
    void capture() {
        saved = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(saved);
    }

    private String printed() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    private void assertPrintsOk(Executable check, String what) {
        captured.reset();
        assertDoesNotThrow(check);
        assertTrue(printed().startsWith("ok") && printed().contains(what), printed());
    }

    private void assertFailsWith(Executable check, String... parts) {
        captured.reset();
        AssertionError e = assertThrows(AssertionError.class, check);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing from " + e.getMessage());
        }
        assertTrue(printed().isEmpty(), "a failing check prints no ok line");
    }

    @Test
    void passingChecksPrintOk() {
        Tensor t = Tensor.of(new double[] {1, 2, 3}, 3);
        assertPrintsOk(() -> Expect.close("tensor", t, Tensor.of(new double[] {1, 2, 3 + 1e-12}, 3), 1e-9), "tensor");
        assertPrintsOk(() -> Expect.values("values", t, 1, 2, 3), "values");
        assertPrintsOk(() -> Expect.close("scalar", 0.1 + 0.2, 0.3, 1e-12), "scalar");
        assertPrintsOk(() -> Expect.atLeast("accuracy", 0.97, 0.9), "accuracy");
        assertPrintsOk(() -> Expect.below("error", 1e-9, 1e-7), "error");
        assertPrintsOk(() -> Expect.isTrue("claim", true), "claim");
    }

    @Test
    void failingChecksThrowWithExpectedAndActual() {
        Tensor t = Tensor.of(new double[] {1, 2, 3}, 3);
        assertFailsWith(() -> Expect.close("tensor", t, Tensor.of(new double[] {1, 2, 4}, 3), 1e-9),
                "tensor", "expected", "[1. 2. 4.]", "actual", "[1. 2. 3.]");
        assertFailsWith(() -> Expect.close("shape", t, Tensor.zeros(1, 3), 1e-9), "(1, 3)", "(3,)");
        assertFailsWith(() -> Expect.values("values", t, 1, 2, 5), "[1. 2. 5.]", "[1. 2. 3.]");
        assertFailsWith(() -> Expect.values("count", t, 1, 2), "2 values", "(3,)");
        assertFailsWith(() -> Expect.close("scalar", 1.5, 2.5, 0.1), "2.5", "1.5");
        assertFailsWith(() -> Expect.close("nan", Double.NaN, 0, 1), "NaN");
        assertFailsWith(() -> Expect.atLeast("accuracy", 0.5, 0.9), "0.9", "0.5");
        assertFailsWith(() -> Expect.below("error", 0.25, 0.125), "0.125", "0.25");
        assertFailsWith(() -> Expect.isTrue("claim", false), "claim");
    }
}
