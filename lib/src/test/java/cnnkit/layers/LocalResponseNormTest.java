package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LocalResponseNormTest {
    private static final double TOL = 1e-7;

    @Test
    void handComputedThreeChannels() {
        // a = (1, 2, 3) at one pixel, n = 3, alpha = 0.5, beta = 1, k = 1:
        // S_0 = 1 + 0.5 (1 + 4) = 3.5, S_1 = 1 + 0.5 (1 + 4 + 9) = 8, S_2 = 1 + 0.5 (4 + 9) = 7.5
        LocalResponseNorm lrn = new LocalResponseNorm(3, 0.5, 1.0, 1.0);
        Tensor y = lrn.forward(Tensor.of(new double[] {1, 2, 3}, 1, 3, 1, 1));
        assertArrayEquals(new double[] {1 / 3.5, 2 / 8.0, 3 / 7.5}, y.data(), 1e-15);
    }

    @Test
    void alphaIsNotDividedByNAndTheWindowIsClippedAtTheEdges() {
        // AlexNet defaults, 7 channels all equal to 10 at one pixel. Channel 0 sees channels 0..2
        // (3 of them), channel 3 sees 1..5 (5 of them): S = 2 + 1e-4 * count * 100.
        Tensor y = new LocalResponseNorm().forward(Tensor.full(10.0, 1, 7, 1, 1));
        assertEquals(10 * Math.pow(2 + 1e-4 * 300, -0.75), y.data()[0], 1e-14);
        assertEquals(10 * Math.pow(2 + 1e-4 * 400, -0.75), y.data()[1], 1e-14);
        assertEquals(10 * Math.pow(2 + 1e-4 * 500, -0.75), y.data()[3], 1e-14);
        assertEquals(10 * Math.pow(2 + 1e-4 * 300, -0.75), y.data()[6], 1e-14);
    }

    @Test
    void pixelsAreNormalisedIndependently() {
        // two pixels per channel: the second pixel's values are zero and must not affect the first
        LocalResponseNorm lrn = new LocalResponseNorm(3, 0.5, 1.0, 1.0);
        Tensor y = lrn.forward(Tensor.of(new double[] {1, 0, 2, 0, 3, 0}, 1, 3, 1, 2));
        assertArrayEquals(new double[] {1 / 3.5, 0, 2 / 8.0, 0, 3 / 7.5, 0}, y.data(), 1e-15);
    }

    @Test
    void backwardIsNotThePassThroughOfTheSeed() {
        // one channel, n = 1, alpha = 1, beta = 1, k = 1: b = a / (1 + a^2), db/da = (1 - a^2) / (1 + a^2)^2
        LocalResponseNorm lrn = new LocalResponseNorm(1, 1.0, 1.0, 1.0);
        lrn.forward(Tensor.of(new double[] {2}, 1, 1, 1, 1));
        Tensor dx = lrn.backward(Tensor.ones(1, 1, 1, 1));
        assertEquals(-3.0 / 25.0, dx.item(), 1e-15);
    }

    @Test
    void gradientWithStrongCoupling() {
        GradCheck.check(new LocalResponseNorm(3, 0.3, 0.75, 2.0), Tensor.randn(1, 2, 5, 3, 2), 31).require(TOL);
    }

    @Test
    void gradientWideWindowMoreChannelsThanWindow() {
        GradCheck.check(new LocalResponseNorm(5, 0.2, 0.6, 1.5), Tensor.randn(2, 3, 7, 2, 3), 32).require(TOL);
    }

    @Test
    void gradientWithAlexNetDefaults() {
        GradCheck.check(new LocalResponseNorm(), Tensor.randn(3, 2, 6, 3, 3).mul(10.0), 33).require(TOL);
    }

    @Test
    void rejectsBadInputAndSettings() {
        LocalResponseNorm lrn = new LocalResponseNorm();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lrn.forward(Tensor.zeros(2, 8)));
        assertTrue(e.getMessage().contains("LocalResponseNorm(n=5, alpha=1.0E-4, beta=0.75, k=2.0)")
                && e.getMessage().contains("(2, 8)") && e.getMessage().contains("(N, C, H, W)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LocalResponseNorm(4, 1e-4, 0.75, 2));
        assertTrue(e.getMessage().contains("odd n") && e.getMessage().contains("n=4"), e.getMessage());
        lrn.forward(Tensor.zeros(1, 2, 2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> lrn.backward(Tensor.zeros(1, 2, 2, 3)));
        assertTrue(e.getMessage().contains("(1, 2, 2, 2)") && e.getMessage().contains("(1, 2, 2, 3)"), e.getMessage());
    }
}
