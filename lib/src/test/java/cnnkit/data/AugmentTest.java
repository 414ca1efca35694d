package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentTest {
    // 1x3x3: 1 2 3 / 4 5 6 / 7 8 9
    private static final Tensor IMAGE = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3);

    private static Dataset randomImages(int n, long seed) {
        return Dataset.of("random", Tensor.rand(seed, n, 2, 5, 4), new int[n], 3);
    }

    @Test
    void shiftByHand() {
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, Augment.shift(IMAGE, 1, 1, 0).data());
        assertArrayEquals(new double[] {2, 3, -1, 5, 6, -1, 8, 9, -1}, Augment.shift(IMAGE, 0, -1, -1).data());
        assertArrayEquals(new double[] {7, 8, 9, 0, 0, 0, 0, 0, 0}, Augment.shift(IMAGE, -2, 0, 0).data());
        assertArrayEquals(IMAGE.data(), Augment.shift(IMAGE, 0, 0, 0).data());
    }

    @Test
    void flipByHand() {
        assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, Augment.flip(IMAGE).data());
        assertArrayEquals(IMAGE.data(), Augment.flip(Augment.flip(IMAGE)).data());
    }

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        Dataset d = randomImages(30, 1);
        Augment aug = Augment.shifts(2).withFlips();
        Tensor a = aug.apply(d, 7).all().x();
        Tensor b = aug.apply(d, 7).all().x();
        Tensor c = aug.apply(d, 8).all().x();
        assertArrayEquals(a.data(), b.data(), "bit-identical for the same seed");
        assertFalse(Arrays.equals(a.data(), c.data()), "another seed gives other variants");
        assertArrayEquals(d.labels(), aug.apply(d, 7).labels(), "labels kept, in order");
        assertArrayEquals(d.all().x().shape(), a.shape());
    }

    @Test
    void everyVariantIsAShiftWithinRangePossiblyFlipped() {
        Dataset d = randomImages(200, 2);
        int max = 1;
        Tensor out = Augment.shifts(max).withFlips().apply(d, 3).all().x();
        int flipped = 0;
        int per = 2 * 5 * 4;
        for (int n = 0; n < d.size(); n++) {
            double[] got = Arrays.copyOfRange(out.data(), n * per, (n + 1) * per);
            Tensor original = d.image(n);
            boolean found = false;
            for (int dy = -max; dy <= max && !found; dy++) {
                for (int dx = -max; dx <= max && !found; dx++) {
                    Tensor s = Augment.shift(original, dy, dx, 0);
                    if (Arrays.equals(got, s.data())) {
                        found = true;
                    } else if (Arrays.equals(got, Augment.flip(s).data())) {
                        found = true;
                        flipped++;
                    }
                }
            }
            assertTrue(found, "sample " + n + " is a shift of at most " + max + " pixels, possibly flipped");
        }
        assertTrue(flipped > 70 && flipped < 130, "about half are flipped, got " + flipped + " of 200");
    }

    @Test
    void shiftsOnlyNeverFlipAndUseEveryOffset() {
        Augment aug = Augment.shifts(1);
        Random rng = new Random(5);
        boolean[] seen = new boolean[9];
        for (int k = 0; k < 200; k++) {
            double[] got = aug.apply(IMAGE, rng).data();
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (Arrays.equals(got, Augment.shift(IMAGE, dy, dx, 0).data())) {
                        seen[(dy + 1) * 3 + dx + 1] = true;
                    }
                }
            }
        }
        for (int i = 0; i < 9; i++) {
            assertTrue(seen[i], "offset " + (i / 3 - 1) + "," + (i % 3 - 1) + " drawn");
        }
        assertArrayEquals(IMAGE.data(), Augment.shifts(0).apply(IMAGE, rng).data(), "no shift, no flip: unchanged");
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> Augment.shifts(-1));
        assertThrows(IllegalArgumentException.class, () -> new Augment(1, false, Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augment.shift(Tensor.zeros(3, 3), 1, 0, 0));
        assertTrue(e.getMessage().contains("(C, H, W)") && e.getMessage().contains("(3, 3)"), e.getMessage());
        assertEquals("Augment(shifts up to 2 px, flips, fill 0.0)", Augment.shifts(2).withFlips().toString());
    }
}
