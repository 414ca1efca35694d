package cnnkit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ParamTest {
    @Test
    void gradStartsAtZeroWithTheValueShape() {
        Tensor w = Tensor.ones(2, 3);
        Param p = new Param("weight", w);
        assertSame(w, p.value());
        assertEquals("weight", p.name());
        assertArrayEquals(new int[] {2, 3}, p.grad().shape());
        assertEquals(0, p.grad().norm());
        assertEquals(6, p.size());
        assertEquals("weight (2, 3)", p.toString());
    }

    @Test
    void zeroGradClearsOnlyTheGradient() {
        Param p = new Param("bias", Tensor.ones(3));
        p.grad().fill(5);
        p.zeroGrad();
        assertArrayEquals(new double[] {0, 0, 0}, p.grad().data());
        assertArrayEquals(new double[] {1, 1, 1}, p.value().data());
    }
}
