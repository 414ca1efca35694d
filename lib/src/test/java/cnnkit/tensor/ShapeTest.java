package cnnkit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void strWritesShapesLikePython() {
        assertEquals("(2, 3, 5)", Shape.str(2, 3, 5));
        assertEquals("(4,)", Shape.str(4));
        assertEquals("()", Shape.str());
    }

    @Test
    void size() {
        assertEquals(30, Shape.size(2, 3, 5));
        assertEquals(1, Shape.size());
        assertEquals(0, Shape.size(3, 0));
        assertThrows(IllegalArgumentException.class, () -> Shape.size(1 << 16, 1 << 16));
    }

    @Test
    void sizeRefusesAProductThatWouldWrapAroundALong() {
        // 2^64 wraps a long to exactly 0: a check after the loop would pass it as an empty tensor.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.size(1 << 16, 1 << 16, 1 << 16, 1 << 16));
        assertEquals("shape (65536, 65536, 65536, 65536) has more than 2147483647 elements, more than a Java array holds",
                e.getMessage());
        assertEquals(0, Shape.size(1 << 16, 1 << 16, 1 << 16, 0), "a zero size means no elements");
        assertEquals(Integer.MAX_VALUE, Shape.size(Integer.MAX_VALUE, 1));
    }

    @Test
    void anUninferableReshapeSaysWhatItCannotView() {
        // -1 left in place must not reach size() and come back as "negative size".
        assertEquals("reshape: cannot view 6 values as [4, -1]",
                assertThrows(IllegalArgumentException.class, () -> Shape.resolve(new int[] {4, -1}, 6)).getMessage());
    }

    @Test
    void sizeRefusesNegativeSizes() {
        // (-2, -3) would otherwise multiply to a plausible 6.
        assertEquals("shape (-2, -3) has a negative size",
                assertThrows(IllegalArgumentException.class, () -> Shape.size(-2, -3)).getMessage());
    }

    @Test
    void convOutFloorsPartialWindows() {
        assertEquals(3, Shape.convOut(3, 3, 1, 1)); // same padding
        assertEquals(1, Shape.convOut(3, 3, 1, 0));
        assertEquals(3, Shape.convOut(5, 3, 2, 1)); // (5 + 2 - 3) / 2 + 1
        assertEquals(2, Shape.convOut(6, 3, 2, 0)); // (6 - 3) / 2 + 1 = 2, last column unused
        assertEquals(14, Shape.convOut(28, 2, 2, 0));
    }
}
