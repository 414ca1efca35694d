package cnnkit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    private static void assertMessageContains(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void ofWrapsTheArrayAndDataIsTheBackingArray() {
        double[] d = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(d, 2, 3);
        assertSame(d, t.data());
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(2, t.rank());
        assertEquals(6, t.size());
        assertEquals(3, t.dim(1));
        assertEquals(3, t.dim(-1));
        d[4] = 50;
        assertEquals(50, t.get(1, 1));
        t.data()[0] = -1;
        assertEquals(-1, d[0]);
        t.set(7, 1, 2);
        assertEquals(7, d[5]);
    }

    @Test
    void shapeReturnsACopy() {
        Tensor t = Tensor.zeros(2, 3);
        t.shape()[0] = 99;
        assertArrayEquals(new int[] {2, 3}, t.shape());
    }

    @Test
    void ofRejectsAWrongNumberOfValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[5], 2, 3));
        assertMessageContains(e, "(2, 3)", "6", "5");
    }

    @Test
    void negativeDimensionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[6], -2, -3));
    }

    @Test
    void ofRowsCopiesAndRejectsRaggedRows() {
        double[][] rows = {{1, 2}, {3, 4}, {5, 6}};
        Tensor t = Tensor.of(rows);
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.data());
        rows[0][0] = 100;
        assertEquals(1, t.get(0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[][] {{1, 2}, {3}}));
        assertMessageContains(e, "row 1");
    }

    @Test
    void getUsesRowMajorOrder() {
        Tensor t = Tensor.arange(2, 3, 4);
        // (1, 2, 3) -> (1 * 3 + 2) * 4 + 3 = 23
        assertEquals(23, t.get(1, 2, 3));
        assertEquals(0, t.get(0, 0, 0));
        assertEquals(4, t.get(0, 1, 0));
        assertEquals(12, t.get(1, 0, 0));
    }

    @Test
    void indexErrors() {
        Tensor t = Tensor.zeros(2, 3);
        IllegalArgumentException axes = assertThrows(IllegalArgumentException.class, () -> t.get(1));
        assertMessageContains(axes, "(2, 3)");
        assertThrows(IllegalArgumentException.class, () -> t.set(1.0, 0, 0, 0));
        IndexOutOfBoundsException out = assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertMessageContains(out, "(2, 3)", "[2, 0]");
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> t.set(1.0, 0, -1));
    }

    @Test
    void reshapeIsAViewAndInfersMinusOne() {
        Tensor t = Tensor.arange(2, 3);
        Tensor r = t.reshape(3, 2);
        assertSame(t.data(), r.data());
        assertArrayEquals(new int[] {3, 2}, r.shape());
        r.set(42, 2, 1);
        assertEquals(42, t.get(1, 2));
        assertArrayEquals(new int[] {3, 2}, t.reshape(-1, 2).shape());
        assertArrayEquals(new int[] {6}, t.reshape(-1).shape());
        assertArrayEquals(new int[] {1, 2, 3}, t.reshape(1, -1, 3).shape());
        assertArrayEquals(new int[] {2, 3}, t.shape(), "the original keeps its shape");
    }

    @Test
    void badReshapesThrowWithMessages() {
        Tensor t = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
        assertMessageContains(e, "6", "[4, 2]");
        assertThrows(IllegalArgumentException.class, () -> t.reshape(4, -1));
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> t.reshape(-1, -1));
        assertMessageContains(two, "-1");
        // -2 * -3 = 6, so only an explicit check stops this from passing as a "shape".
        assertThrows(IllegalArgumentException.class, () -> t.reshape(-2, -3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).reshape(0, -1));
    }

    @Test
    void copyIsIndependent() {
        Tensor t = Tensor.arange(2, 2);
        Tensor c = t.copy();
        c.set(9, 0, 0);
        assertEquals(0, t.get(0, 0));
        assertEquals(t.shape().length, c.shape().length);
    }

    @Test
    void sliceCopiesOneItemAndChecksBounds() {
        Tensor t = Tensor.arange(2, 3);
        Tensor s = t.slice(1);
        assertArrayEquals(new int[] {3}, s.shape());
        assertArrayEquals(new double[] {3, 4, 5}, s.data());
        assertThrows(IndexOutOfBoundsException.class, () -> t.slice(2));
        assertThrows(IndexOutOfBoundsException.class, () -> t.slice(-1));
    }

    @Test
    void elementwiseArithmeticByHand() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new double[] {10, -20, 0.5, 4}, 2, 2);
        assertArrayEquals(new double[] {11, -18, 3.5, 8}, a.add(b).data());
        assertArrayEquals(new double[] {-9, 22, 2.5, 0}, a.sub(b).data());
        assertArrayEquals(new double[] {10, -40, 1.5, 16}, a.mul(b).data());
        assertArrayEquals(new double[] {3, 6, 9, 12}, a.mul(3).data());
        assertArrayEquals(new double[] {0, 1, 2, 3}, a.add(-1).data());
        assertArrayEquals(new double[] {1, 4, 9, 16}, a.map(v -> v * v).data());
        assertArrayEquals(new double[] {1, 2, 3, 4}, a.data(), "operations allocate; a is unchanged");
        assertArrayEquals(new int[] {2, 2}, a.add(b).shape());
    }

    @Test
    void inPlaceOperations() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor b = Tensor.of(new double[] {1, 1, 2}, 3);
        assertSame(a, a.addInPlace(b));
        assertArrayEquals(new double[] {2, 3, 5}, a.data());
        a.addScaledInPlace(-2, b);
        assertArrayEquals(new double[] {0, 1, 1}, a.data());
        a.fill(7);
        assertArrayEquals(new double[] {7, 7, 7}, a.data());
    }

    @Test
    void shapeMismatchesThrowNamingBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(3, 2);
        for (Runnable op : new Runnable[] {() -> a.add(b), () -> a.sub(b), () -> a.mul(b),
            () -> a.addInPlace(b), () -> a.addScaledInPlace(1, b)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run);
            assertMessageContains(e, "(2, 3)", "(3, 2)");
        }
    }

    @Test
    void reductionsByHand() {
        Tensor t = Tensor.of(new double[] {3, -4, 0, 5}, 4);
        assertEquals(4, t.sum());
        assertEquals(1, t.mean());
        assertEquals(5, t.max());
        assertEquals(-4, t.min());
        assertEquals(Math.sqrt(50), t.norm(), 1e-15);
        assertEquals(2.5, Tensor.full(2.5, 1, 1).item());
        assertThrows(IllegalStateException.class, () -> t.item());
    }

    @Test
    void matmulByHand() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new double[] {7, 8, 9, 10, 11, 12}, 3, 2);
        // [1 2 3] . [7 9 11] = 58, [1 2 3] . [8 10 12] = 64, [4 5 6] . [7 9 11] = 139, ... = 154
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 2}, c.shape());
        assertArrayEquals(new double[] {58, 64, 139, 154}, c.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(a));
        assertMessageContains(e, "(2, 3) x (2, 3)");
        assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(3)));
    }

    @Test
    void transposeByHand() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = a.transpose();
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, t.data());
        assertEquals(a, t.transpose());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 2).transpose());
    }

    @Test
    void factories() {
        assertArrayEquals(new double[] {0, 0, 0}, Tensor.zeros(3).data());
        assertArrayEquals(new double[] {1, 1}, Tensor.ones(2).data());
        assertArrayEquals(new double[] {-2, -2}, Tensor.full(-2, 1, 2).data());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, Tensor.arange(3, 2).data());
    }

    @Test
    void randomTensorsDependOnlyOnTheSeed() {
        Tensor a = Tensor.randn(7, 4, 5);
        Tensor b = Tensor.randn(7, 4, 5);
        Tensor c = Tensor.randn(8, 4, 5);
        assertEquals(a, b);
        assertNotEquals(a, c);
        Tensor u = Tensor.rand(3, 100);
        assertEquals(u, Tensor.rand(3, 100));
        assertTrue(u.min() >= 0 && u.max() < 1);
        assertNotEquals(u, Tensor.rand(4, 100));
    }

    @Test
    void equalsAndAllClose() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2);
        Tensor b = Tensor.of(new double[] {1, 2 + 1e-9}, 2);
        assertNotEquals(a, b);
        assertTrue(a.allClose(b, 1e-8));
        assertFalse(a.allClose(b, 1e-10));
        assertFalse(a.allClose(a.reshape(1, 2), 1.0), "shapes differ");
        assertFalse(a.allClose(Tensor.of(new double[] {1, Double.NaN}, 2), 1.0), "NaN is never close");
        assertEquals(a, a.copy());
        assertEquals(a.hashCode(), a.copy().hashCode());
        assertNotEquals(a, a.reshape(1, 2));
    }

    @Test
    void meanMaxAndMinOfAnEmptyTensorAreRefused() {
        Tensor empty = Tensor.zeros(0, 3);
        for (Runnable r : new Runnable[] {empty::mean, empty::max, empty::min}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("(0, 3) is empty"), e.getMessage());
        }
    }

    @Test
    void nullDataOrShapeGivesAClearMessage() {
        assertEquals("Tensor.of: the data array is null",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(null, 2, 2)).getMessage());
        assertEquals("Tensor.of: the shape is null",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[4], (int[]) null)).getMessage());
        assertEquals("Tensor.of: the rows array is null",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of((double[][]) null)).getMessage());
        assertEquals("Tensor.of: row 1 is null",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1}, null})).getMessage());
    }
}
