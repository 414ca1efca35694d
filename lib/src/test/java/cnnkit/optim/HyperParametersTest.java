package cnnkit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HyperParametersTest {
    private static String refused(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void positiveTakesFiniteNumbersAboveZeroOnly() {
        assertEquals(0.25, HyperParameters.positive("X", "lr", 0.25));
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("X: lr must be a finite number > 0, got " + bad,
                    refused(() -> HyperParameters.positive("X", "lr", bad)));
        }
    }

    @Test
    void nonNegativeAlsoTakesZero() {
        assertEquals(0.0, HyperParameters.nonNegative("X", "weightDecay", 0));
        for (double bad : new double[] {-1e-12, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("X: weightDecay must be a finite number >= 0, got " + bad,
                    refused(() -> HyperParameters.nonNegative("X", "weightDecay", bad)));
        }
    }

    @Test
    void fractionIsZeroUpToButNotIncludingOne() {
        assertEquals(0.0, HyperParameters.fraction("X", "beta", 0));
        assertEquals(0.999, HyperParameters.fraction("X", "beta", 0.999));
        for (double bad : new double[] {1, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("X: beta must be in [0, 1), got " + bad, refused(() -> HyperParameters.fraction("X", "beta", bad)));
        }
    }

    @Test
    void anOptimizerOverNoParametersIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertTrue(e.getMessage().startsWith("SGD: no parameters to update"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1));
    }

    @Test
    void aParameterListedTwiceIsRefusedNamingBothPositions() {
        Param w = new Param("weight", Tensor.zeros(2));
        Param b = new Param("bias", Tensor.zeros(2));
        for (Supplier<Optimizer> make : List.<Supplier<Optimizer>>of(
                () -> new SGD(List.of(w, b, w), 0.1), () -> new Adam(List.of(w, b, w), 0.1),
                () -> new RMSProp(List.of(w, b, w), 0.1), () -> new Nesterov(List.of(w, b, w), 0.1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
            assertTrue(e.getMessage().contains("parameter 2 of 3 ('weight') is the same object as parameter 0"),
                    e.getMessage());
        }
    }
}
