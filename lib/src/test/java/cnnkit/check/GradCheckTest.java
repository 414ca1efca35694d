package cnnkit.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.Layer;
import cnnkit.layers.ReLU;
import cnnkit.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradCheckTest {

    // ------------------------------------------------------------ deliberately wrong layers

    /** ReLU whose backward forgets the mask and passes every gradient through. */
    static final class MasklessReLU extends Layer {
        private final ReLU relu = new ReLU();

        @Override
        public Tensor forward(Tensor x) {
            return relu.forward(x);
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut.copy();
        }
    }

    /** The ways a Dense backward can go wrong, applied after the correct one. */
    enum Fault { HALVED_WEIGHT_GRAD, TRANSPOSED_WEIGHT_GRAD, FORGOTTEN_BIAS_GRAD, NEGATED_INPUT_GRAD }

    static final class FaultyDense extends Dense {
        private final Fault fault;

        FaultyDense(int in, int out, Fault fault) {
            super(in, out, new Random(1));
            this.fault = fault;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            Tensor dx = super.backward(dOut);
            double[] dw = weight().grad().data();
            switch (fault) {
                case HALVED_WEIGHT_GRAD -> {
                    for (int i = 0; i < dw.length; i++) {
                        dw[i] *= 0.5;
                    }
                }
                case TRANSPOSED_WEIGHT_GRAD -> {
                    int[] s = weight().shape();
                    double[] t = Tensor.of(dw.clone(), s).transpose().data();
                    System.arraycopy(t, 0, dw, 0, dw.length);
                }
                case FORGOTTEN_BIAS_GRAD -> bias().grad().fill(0);
                case NEGATED_INPUT_GRAD -> {
                    return dx.mul(-1);
                }
                default -> throw new AssertionError(fault);
            }
            return dx;
        }

        @Override
        public String toString() {
            return "FaultyDense(" + fault + ")";
        }
    }

    private static double rowError(GradReport report, String name) {
        return report.entries().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + report)).maxRelError();
    }

    @Test
    void correctLayersPass() {
        for (Layer layer : new Layer[] {new Dense(4, 3, new Random(2)), new Conv2D(2, 2, 3, 1, 1, new Random(3))}) {
            Tensor x = layer instanceof Dense ? Tensor.randn(4, 3, 4) : Tensor.randn(4, 2, 2, 4, 4);
            GradReport report = GradCheck.check(layer, x, 5);
            assertTrue(report.passed(1e-7), report::toString);
            assertSame(report, report.require(1e-7));
        }
    }

    @Test
    void flagsAReluThatForgetsItsMask() {
        Tensor x = Tensor.of(new double[] {-1.5, 2, -0.3, 0.7, 1.1, -2.2}, 2, 3);
        GradReport report = GradCheck.check(new MasklessReLU(), x, 6);
        assertTrue(report.maxError() > 1e-2, report::toString);
        AssertionError e = assertThrows(AssertionError.class, () -> report.require(1e-7));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        assertFalse(report.passed(1e-7));
    }

    @Test
    void flagsEachWrongDenseGradientInItsOwnRow() {
        String[] badRow = {"weight", "weight", "bias", "input"};
        for (Fault fault : Fault.values()) {
            GradReport report = GradCheck.check(new FaultyDense(3, 3, fault), Tensor.randn(7, 4, 3), 8);
            String bad = badRow[fault.ordinal()];
            assertTrue(report.maxError() > 1e-2, report::toString);
            assertTrue(rowError(report, bad) > 1e-2, report::toString);
            for (GradReport.Entry e : report.entries()) {
                if (!e.name().equals(bad)) {
                    assertTrue(e.maxRelError() < 1e-7, "only " + bad + " is wrong:\n" + report);
                }
            }
            AssertionError e = assertThrows(AssertionError.class, () -> report.require(1e-7));
            assertTrue(e.getMessage().contains(bad) && e.getMessage().contains("FaultyDense(" + fault + ")"),
                    e.getMessage());
        }
    }

    @Test
    void checkLeavesTheInputAndWeightsAsTheyWere() {
        Dense layer = new Dense(3, 2, new Random(9));
        Tensor w = layer.weight().value().copy();
        Tensor x = Tensor.randn(10, 2, 3);
        Tensor x0 = x.copy();
        GradCheck.check(layer, x, 11);
        assertEquals(x0, x);
        assertEquals(w, layer.weight().value());
    }

    @Test
    void numericDerivativeOfACubic() {
        Tensor x = Tensor.of(new double[] {1, -2, 0.5}, 3);
        Tensor g = GradCheck.numeric(() -> {
            double s = 0;
            for (double v : x.data()) {
                s += v * v * v;
            }
            return s;
        }, x);
        // d/dx x^3 = 3 x^2; centred differences are off by h^2 f'''/6 = 1e-10
        assertArrayEquals(new double[] {3, 12, 0.75}, g.data(), 1e-8);
        assertArrayEquals(new double[] {1, -2, 0.5}, x.data(), "x restored exactly");
    }

    @Test
    void relErrorDefinition() {
        Tensor a = Tensor.of(new double[] {1, 2, 0}, 3);
        Tensor n = Tensor.of(new double[] {1, 2.2, 0}, 3);
        // max|a - n| = 0.2, scale = max(2, 2.2) = 2.2
        assertEquals(0.2 / 2.2, GradCheck.relError(a, n), 1e-15);
        assertEquals(2.0, GradCheck.relError(Tensor.of(new double[] {3}, 1), Tensor.of(new double[] {-3}, 1)));
        // both tiny: the scale is floored at 1e-8
        assertEquals(1e-2, GradCheck.relError(Tensor.of(new double[] {1e-10}, 1), Tensor.zeros(1)), 1e-15);
        assertEquals(0.0, GradCheck.relError(Tensor.zeros(4), Tensor.zeros(4)));
        assertEquals(0.0, GradCheck.relError(a, a));
        assertTrue(Double.isNaN(GradCheck.relError(Tensor.of(new double[] {1, Double.NaN}, 2), Tensor.ones(2))));
        assertTrue(Double.isNaN(GradCheck.relError(Tensor.ones(2), Tensor.of(new double[] {Double.NaN, 1}, 2))));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.relError(a, Tensor.zeros(1, 3)));
    }

    @Test
    void relErrorIgnoresRoundingNoiseOnTinyEntriesButNotAWrongOne() {
        // a tiny entry off by 1e-11 of absolute noise next to entries of order 1: an element-wise
        // measure would report 0.5 for it; against the tensor's scale it is noise
        Tensor a = Tensor.of(new double[] {1.5, -0.8, 1e-11}, 3);
        Tensor n = Tensor.of(new double[] {1.5 + 1e-11, -0.8, 3e-11}, 3);
        assertTrue(GradCheck.relError(a, n) < 1e-10, () -> "error " + GradCheck.relError(a, n));
        // the same tiny entry with the wrong sign of a large gradient is still caught
        Tensor wrong = Tensor.of(new double[] {1.5, 0.8, 1e-11}, 3);
        assertEquals(1.6 / 1.5, GradCheck.relError(wrong, n), 1e-9);
        // a wrong small entry is caught in proportion to its size relative to the largest
        Tensor smallWrong = Tensor.of(new double[] {1.5, -0.8, 0.03}, 3);
        assertEquals(0.03 / 1.5, GradCheck.relError(smallWrong, n), 1e-9);
    }

    @Test
    void reportPrintsNamesAndShapes() {
        GradReport report = GradCheck.check(new Dense(3, 2, new Random(12)), Tensor.randn(13, 4, 3), 14);
        String s = report.toString();
        for (String part : new String[] {"Dense(3->2)", "input", "(4, 3)", "weight", "(3, 2)", "bias", "(2,)"}) {
            assertTrue(s.contains(part), () -> "'" + part + "' missing from\n" + s);
        }
        assertEquals(3, report.entries().size());
        assertEquals("input", report.entries().get(0).name());
        assertEquals("weight", report.entries().get(1).name());
        assertEquals("bias", report.entries().get(2).name());
    }

    @Test
    void nanFailsTheCheck() {
        Layer nanLayer = new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return x.copy();
            }

            @Override
            public Tensor backward(Tensor dOut) {
                return Tensor.full(Double.NaN, dOut.shape());
            }
        };
        GradReport report = GradCheck.check(nanLayer, Tensor.ones(2), 1);
        assertTrue(Double.isNaN(report.maxError()));
        assertFalse(report.passed(1e-7));
        assertThrows(AssertionError.class, () -> report.require(1.0));
    }
}
