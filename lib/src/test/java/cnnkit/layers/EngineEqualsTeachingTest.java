package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.engine.Engine;
import cnnkit.tensor.Tensor;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every layer that hands work to the engine computes what its teaching loops compute, forward and backward. */
class EngineEqualsTeachingTest {
    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.data();
        double[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Double.compare(e[i], a[i]) == 0 || Math.abs(e[i] - a[i]) <= 1e-12 * Math.max(1.0, Math.abs(e[i])),
                    what + ": element " + i + " expected " + e[i] + " got " + a[i]);
        }
    }

    /** Runs forward and backward on two fresh layers, one per path, and compares outputs, dX and gradients. */
    private static void samePaths(Supplier<Layer> make, Tensor x) {
        Layer teaching = make.get().useEngine(false);
        Layer engine = make.get().useEngine(true);
        Tensor y = teaching.forward(x);
        assertClose(y, engine.forward(x), teaching + " forward");
        Tensor g = Tensor.randn(99, y.shape());
        assertClose(teaching.backward(g), engine.backward(g), teaching + " dX");
        for (int i = 0; i < teaching.params().size(); i++) {
            assertClose(teaching.params().get(i).grad(), engine.params().get(i).grad(), teaching + " grad " + i);
        }
        assertTrue(y.norm() > 0 || Double.isNaN(y.norm()), "not trivially zero");
    }

    @Test
    void dense() {
        samePaths(() -> new Dense(13, 7, new Random(3)), Tensor.randn(1, 5, 13));
    }

    @Test
    void activations() {
        Tensor x = Tensor.randn(2, 3, 4, 50, 50); // large enough to be split over threads
        samePaths(ReLU::new, x);
        samePaths(Tanh::new, x);
    }

    @Test
    void pooling() {
        Tensor x = Tensor.randn(4, 3, 5, 12, 12);
        for (int[] ks : new int[][] {{2, 2}, {3, 2}, {3, 3}, {2, 1}}) {
            samePaths(() -> new MaxPool2D(ks[0], ks[1]), x);
            samePaths(() -> new AvgPool2D(ks[0], ks[1]), x);
        }
    }

    @Test
    void maxPoolPathsAgreeOnNaNAndTies() {
        Tensor x = Tensor.of(new double[] {1, 1, Double.NaN, 0, 2, 2, 2, 2, 0, 0, 5, 5, 0, 0, 5, 5}, 1, 1, 4, 4);
        samePaths(() -> new MaxPool2D(2, 2), x);
    }

    @Test
    void theGlobalSwitchReachesLayersWithoutASetting() {
        Conv2D conv = new Conv2D(2, 3, 3, 1, 1, new Random(1));
        boolean before = Engine.enabled();
        try {
            Engine.setEnabled(false);
            assertTrue(!conv.usesEngine());
            Engine.setEnabled(true);
            assertTrue(conv.usesEngine());
            new Sequential(conv).useEngine(false);
            assertTrue(!conv.usesEngine(), "a Sequential passes it on");
        } finally {
            Engine.setEnabled(before);
        }
    }
}
