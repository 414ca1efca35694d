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
    void convOutFloorsPartialWindows() {
        assertEquals(3, Shape.convOut(3, 3, 1, 1)); // same padding
        assertEquals(1, Shape.convOut(3, 3, 1, 0));
        assertEquals(3, Shape.convOut(5, 3, 2, 1)); // (5 + 2 - 3) / 2 + 1
        assertEquals(2, Shape.convOut(6, 3, 2, 0)); // (6 - 3) / 2 + 1 = 2, last column unused
        assertEquals(14, Shape.convOut(28, 2, 2, 0));
    }
}
