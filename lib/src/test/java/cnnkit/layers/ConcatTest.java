package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcatTest {

    @Test
    void concatenatesAlongChannelsPerImage() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 1, 1, 2); // image 0: (1, 2); image 1: (3, 4)
        Tensor b = Tensor.of(new double[] {5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 1, 2);
        Tensor y = Concat.concat(a, b);
        assertArrayEquals(new int[] {2, 3, 1, 2}, y.shape());
        assertArrayEquals(new double[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, y.data(), 0.0);
    }

    @Test
    void splitUndoesConcat() {
        List<Tensor> parts = List.of(Tensor.randn(1, 2, 3, 2, 3), Tensor.randn(2, 2, 1, 2, 3), Tensor.randn(3, 2, 4, 2, 3));
        int[] sizes = Concat.channels(parts);
        assertArrayEquals(new int[] {3, 1, 4}, sizes);
        List<Tensor> back = Concat.split(Concat.concat(parts), sizes);
        assertEquals(parts, back);
    }

    @Test
    void worksForFlatFeatures() {
        Tensor y = Concat.concat(Tensor.of(new double[] {1, 2}, 2, 1), Tensor.of(new double[] {3, 4, 5, 6}, 2, 2));
        assertArrayEquals(new double[] {1, 3, 4, 2, 5, 6}, y.data(), 0.0);
    }

    /** Swaps two channel groups: exercises concat in forward and split in backward. */
    private static final class SwapGroups extends Layer {
        private final int[] sizes;

        SwapGroups(int first, int second) {
            sizes = new int[] {first, second};
        }

        @Override
        public Tensor forward(Tensor x) {
            List<Tensor> p = Concat.split(x, sizes);
            return Concat.concat(p.get(1), p.get(0).mul(2.0));
        }

        @Override
        public Tensor backward(Tensor dOut) {
            List<Tensor> g = Concat.split(dOut, new int[] {sizes[1], sizes[0]});
            return Concat.concat(g.get(1).mul(2.0), g.get(0));
        }
    }

    @Test
    void gradientThroughSplitAndConcat() {
        GradCheck.check(new SwapGroups(2, 3), Tensor.randn(4, 3, 5, 3, 2), 60).require(1e-7);
    }

    @Test
    void mismatchedSpatialSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Concat.concat(Tensor.zeros(2, 3, 5, 5), Tensor.zeros(2, 4, 4, 5)));
        assertTrue(e.getMessage().contains("part 1") && e.getMessage().contains("(2, 4, 4, 5)")
                && e.getMessage().contains("(2, C, 5, 5)"), e.getMessage());
    }

    @Test
    void mismatchedBatchOrRankIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Concat.concat(Tensor.zeros(2, 3, 5, 5), Tensor.zeros(3, 3, 5, 5)));
        assertTrue(e.getMessage().contains("(3, 3, 5, 5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Concat.concat(Tensor.zeros(2, 3, 5, 5), Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Concat.concat(List.of()));
    }

    @Test
    void splitChecksTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Concat.split(Tensor.zeros(2, 8, 3, 3), new int[] {3, 4}));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("7")
                && e.getMessage().contains("(2, 8, 3, 3)"), e.getMessage());
    }
}
