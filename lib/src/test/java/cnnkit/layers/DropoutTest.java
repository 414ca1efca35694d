package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @Test
    void keepsAboutTheExpectedFractionAndScalesKeptValues() {
        Dropout drop = new Dropout(0.8, 7);
        Tensor y = drop.forward(Tensor.ones(100, 100));
        int kept = 0;
        for (double v : y.data()) {
            if (v != 0) {
                assertEquals(1.25, v, 1e-15);
                kept++;
            }
        }
        // 10,000 Bernoulli(0.8) draws: standard deviation 40, so 8,000 +/- 200 is five sigma
        assertTrue(Math.abs(kept - 8000) < 200, "kept " + kept);
    }

    @Test
    void evalModeIsTheIdentity() {
        Dropout drop = new Dropout(0.5, 3);
        drop.eval();
        Tensor x = Tensor.randn(1, 4, 5);
        assertEquals(x, drop.forward(x));
        Tensor g = Tensor.randn(2, 4, 5);
        assertEquals(g, drop.backward(g));
    }

    @Test
    void sameSeedSameMask() {
        Tensor x = Tensor.ones(3, 8);
        Tensor a = new Dropout(0.5, 11).forward(x);
        Tensor b = new Dropout(0.5, 11).forward(x);
        Tensor c = new Dropout(0.5, 12).forward(x);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void eachForwardDrawsANewMaskUnlessFrozen() {
        Dropout drop = new Dropout(0.5, 5);
        Tensor x = Tensor.ones(4, 8);
        Tensor first = drop.forward(x);
        assertNotEquals(first, drop.forward(x));
        drop.freezeMask(true);
        Tensor frozen = drop.forward(x);
        assertEquals(frozen, drop.forward(x));
        drop.freezeMask(false);
        assertNotEquals(frozen, drop.forward(x));
    }

    @Test
    void backwardUsesTheMask() {
        Dropout drop = new Dropout(0.5, 9);
        Tensor y = drop.forward(Tensor.ones(2, 6));
        Tensor dx = drop.backward(Tensor.full(3.0, 2, 6));
        // with x = 1 the output is the mask itself; the gradient is 3 * mask
        assertArrayEquals(y.mul(3.0).data(), dx.data(), 0.0);
    }

    @Test
    void gradientWithFrozenMask() {
        Dropout drop = new Dropout(0.6, 4);
        Tensor x = Tensor.randn(6, 3, 2, 3, 3);
        drop.forward(x);
        drop.freezeMask(true);
        GradCheck.check(drop, x, 24).require(1e-7);
    }

    @Test
    void badKeepProbabilityIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(0.0));
        assertTrue(e.getMessage().contains("keepProb") && e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertThrows(IllegalStateException.class, () -> new Dropout(0.5).backward(Tensor.zeros(1)));
    }

    @Test
    void gradientShapeIsChecked() {
        Dropout drop = new Dropout(0.5);
        drop.forward(Tensor.ones(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> drop.backward(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("Dropout(keep=0.5)") && e.getMessage().contains("(2, 3)")
                && e.getMessage().contains("(2, 4)"), e.getMessage());
    }
}
