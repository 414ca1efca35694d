package cnnkit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
