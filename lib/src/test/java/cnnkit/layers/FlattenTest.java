package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {
    @Test
    void roundTripKeepsRowMajorOrder() {
        Flatten flatten = new Flatten();
        Tensor x = Tensor.arange(2, 3, 2, 2);
        Tensor y = flatten.forward(x);
        assertArrayEquals(new int[] {2, 12}, y.shape());
        // feature (c, h, w) of image n sits at column (c * 2 + h) * 2 + w
        assertEquals(x.get(1, 2, 1, 0), y.get(1, (2 * 2 + 1) * 2 + 0));
        Tensor dOut = Tensor.randn(3, 2, 12);
        Tensor dx = flatten.backward(dOut);
        assertArrayEquals(new int[] {2, 3, 2, 2}, dx.shape());
        assertArrayEquals(dOut.data(), dx.data());
        assertEquals(dOut.get(1, 7), dx.get(1, 1, 1, 1));
        dx.data()[0] = 1e6;
        assertTrue(dOut.data()[0] != 1e6, "backward returns its own array, so dOut stays unchanged");
    }

    @Test
    void errors() {
        Flatten flatten = new Flatten();
        assertThrows(IllegalStateException.class, () -> flatten.backward(Tensor.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> flatten.forward(Tensor.zeros(4)));
        flatten.forward(Tensor.zeros(2, 1, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> flatten.backward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("Flatten") && e.getMessage().contains("(2, 4)")
                && e.getMessage().contains("(2, 5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> flatten.backward(Tensor.zeros(8)));
    }
}
