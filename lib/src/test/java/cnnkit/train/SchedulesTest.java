package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchedulesTest {
    @Test
    void cosineByHand() {
        CosineDecay c = CosineDecay.over(10);
        assertEquals(0.2, c.lr(0, 0.2), 1e-15);
        assertEquals(0.1, c.lr(5, 0.2), 1e-15); // cos(pi/2) = 0: half way
        assertEquals(0.2 * (1 + Math.sqrt(0.5)) / 2, new CosineDecay(4, 0).lr(1, 0.2), 1e-15); // cos(pi/4)
        assertEquals(0.0, c.lr(10, 0.2), 1e-15);
        assertEquals(0.0, c.lr(25, 0.2), 1e-15, "stays at the minimum after the last epoch");
    }

    @Test
    void cosineWithAFloor() {
        CosineDecay c = new CosineDecay(10, 0.1);
        assertEquals(0.55, c.lr(5, 1.0), 1e-15); // 0.1 + 0.9 * 0.5
        assertEquals(0.1, c.lr(10, 1.0), 1e-15);
        for (int e = 1; e <= 10; e++) {
            assertTrue(c.lr(e, 1.0) <= c.lr(e - 1, 1.0), "never rises, epoch " + e);
        }
    }

    @Test
    void warmUpClimbsLinearlyThenHandsOver() {
        WarmUp w = new WarmUp(3, CosineDecay.over(4));
        assertEquals(0.25, w.lr(0, 1.0), 1e-15);
        assertEquals(0.5, w.lr(1, 1.0), 1e-15);
        assertEquals(0.75, w.lr(2, 1.0), 1e-15);
        assertEquals(1.0, w.lr(3, 1.0), 1e-15); // cosine's epoch 0
        assertEquals(0.5, w.lr(5, 1.0), 1e-15); // cosine's epoch 2 of 4
        assertEquals(0.0, w.lr(7, 1.0), 1e-15);
        assertEquals(0.2, WarmUp.of(4).lr(0, 1.0), 1e-15);
        assertEquals(1.0, WarmUp.of(4).lr(9, 1.0), 1e-15);
    }

    @Test
    void warmUpAfterStepDecayCountsFromTheEndOfTheWarmUp() {
        WarmUp w = new WarmUp(2, StepDecay.every(2, 0.5));
        assertEquals(1.0, w.lr(2, 1.0), 1e-15);
        assertEquals(1.0, w.lr(3, 1.0), 1e-15);
        assertEquals(0.5, w.lr(4, 1.0), 1e-15);
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(5, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new WarmUp(0, CosineDecay.over(3)));
        assertThrows(NullPointerException.class, () -> new WarmUp(2, null));
    }
}
