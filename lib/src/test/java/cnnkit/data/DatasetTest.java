package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** n samples of (1, 2, 2); sample i holds i*10 + k at pixel k, label i % k. */
    static Dataset counting(int n, int classes) {
        float[] px = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                px[i * 4 + k] = i * 10 + k;
            }
            y[i] = i % classes;
        }
        return new Dataset("counting", px, y, new int[] {1, 2, 2}, classes);
    }

    /** Random byte images (2, 3, 3) with labels drawn from {@code weights} (imbalanced classes). */
    static Dataset randomBytes(int n, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[n * 18];
        rng.nextBytes(px);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            y[i] = u < 0.6 ? 0 : u < 0.9 ? 1 : 2;
        }
        return Dataset.ofBytes("bytes", px, y, new int[] {2, 3, 3}, 3, 1 / 255.0);
    }

    @Test
    void batchCopiesTheRequestedSamples() {
        Dataset d = counting(5, 3);
        Batch b = d.batch(new int[] {3, 1});
        assertArrayEquals(new int[] {2, 1, 2, 2}, b.x().shape());
        assertArrayEquals(new double[] {30, 31, 32, 33, 10, 11, 12, 13}, b.x().data());
        assertArrayEquals(new int[] {0, 1}, b.y());
        assertArrayEquals(new int[] {1, 2, 2}, d.image(4).shape());
        assertEquals(42, d.image(4).data()[2]);
    }

    @Test
    void byteDatasetsScaleOnTheWayOut() {
        byte[] px = {0, (byte) 255, (byte) 128, 1};
        Dataset d = Dataset.ofBytes("b", px, new int[] {0}, new int[] {1, 2, 2}, 1, 1 / 255.0);
        assertArrayEquals(new double[] {0, 1, 128 / 255.0, 1 / 255.0}, d.all().x().data(), 1e-15);
    }

    @Test
    void constructorRejectsBadLabelsAndSizes() {
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[8], new int[] {0, 3}, new int[] {1, 2, 2}, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[7], new int[] {0, 1}, new int[] {1, 2, 2}, 3));
        Tensor t = Tensor.zeros(2, 4);
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", t, new int[] {0, 1}, 2));
    }

    @Test
    void aCountMismatchSaysImagesAndLabels() {
        assertEquals("x: 3 images of (1, 2, 2) but 2 labels; give exactly one label per image",
                assertThrows(IllegalArgumentException.class,
                        () -> Dataset.of("x", Tensor.zeros(3, 1, 2, 2), new int[] {0, 1}, 2)).getMessage());
        assertEquals("x: 7 pixel values are not a whole number of (1, 2, 2) images (4 values each); check the sample shape",
                assertThrows(IllegalArgumentException.class,
                        () -> new Dataset("x", new float[7], new int[] {0, 1}, new int[] {1, 2, 2}, 3)).getMessage());
    }

    @Test
    void nanAndInfinitePixelsAreRejectedWithTheirPosition() {
        Tensor x = Tensor.zeros(3, 2, 2, 3);
        x.set(Double.NaN, 2, 1, 0, 2);
        assertEquals("x: sample 2, channel 1, row 0, column 2 is NaN; pixel values must be finite numbers",
                assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", x, new int[] {0, 1, 0}, 2)).getMessage());
        x.set(Double.NEGATIVE_INFINITY, 0, 0, 1, 1);
        assertEquals("x: sample 0, channel 0, row 1, column 1 is -Infinity; pixel values must be finite numbers",
                assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", x, new int[] {0, 1, 0}, 2)).getMessage());
        float[] px = new float[8];
        px[5] = Float.POSITIVE_INFINITY;
        assertEquals("f: sample 1, channel 0, row 0, column 1 is Infinity; pixel values must be finite numbers",
                assertThrows(IllegalArgumentException.class,
                        () -> new Dataset("f", px, new int[] {0, 1}, new int[] {1, 2, 2}, 2)).getMessage());
    }

    @Test
    void aDoubleBeyondTheFloatRangeIsRejectedNotTurnedIntoInfinity() {
        Tensor x = Tensor.zeros(2, 1, 2, 2);
        x.set(1e39, 1, 0, 1, 0);
        assertEquals("x: sample 1, channel 0, row 1, column 0 is 1.0E39, beyond the largest float (3.4028235E38)"
                + " that a dataset stores pixels in",
                assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", x, new int[] {0, 1}, 2)).getMessage());
        x.set(3e38, 1, 0, 1, 0);
        assertEquals(3e38, Dataset.of("x", x, new int[] {0, 1}, 2).image(1).get(0, 1, 0), 1e31, "large but a float");
    }

    @Test
    void oneHotNeedsAtLeastOneClass() {
        assertEquals("oneHot: the number of classes must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Dataset.oneHot(new int[0], 0)).getMessage());
    }

    @Test
    void aNormalisationThatWouldOverflowIsRejected() {
        Dataset d = counting(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.normalised(0, 1e-320));
        assertTrue(e.getMessage().startsWith("counting: channel 0 would hold values beyond the range of a double"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofBytes("b", new byte[4], new int[] {0}, new int[] {1, 2, 2}, 1, 1e307));
    }

    @Test
    void batchesCoverEverySampleOnceAndAreLazy() {
        Dataset d = counting(10, 2);
        List<Batch> bs = d.batches(4, 7);
        assertEquals(3, bs.size());
        assertEquals(2, bs.get(2).size());
        Set<Double> firstPixels = new HashSet<>();
        for (Batch b : bs) {
            for (int i = 0; i < b.size(); i++) {
                firstPixels.add(b.x().data()[i * 4]);
            }
        }
        assertEquals(10, firstPixels.size());
        // In order when the seed is negative.
        assertArrayEquals(new int[] {0, 1, 0, 1}, d.batches(4).get(0).y());
        assertThrows(IllegalArgumentException.class, () -> d.batches(0));
    }

    @Test
    void sameSeedSameShuffleDifferentSeedDifferent() {
        Dataset d = counting(50, 5);
        assertArrayEquals(d.shuffled(3).all().x().data(), d.shuffled(3).all().x().data());
        assertArrayEquals(d.shuffled(3).labels(), d.shuffled(3).labels());
        assertNotEquals(Arrays.toString(d.shuffled(3).all().x().data()),
                Arrays.toString(d.shuffled(4).all().x().data()));
        assertArrayEquals(d.batches(8, 9).get(1).y(), d.batches(8, 9).get(1).y());
        // A shuffle keeps each image with its own label.
        Dataset s = d.shuffled(11);
        for (int i = 0; i < s.size(); i++) {
            int original = (int) s.image(i).data()[0] / 10;
            assertEquals(original % 5, s.label(i));
        }
    }

    @Test
    void subsetTakesTheFirstOrTheChosenSamples() {
        Dataset d = counting(6, 3);
        assertEquals(2, d.subset(2).size());
        assertArrayEquals(new double[] {10, 11, 12, 13}, d.subset(2).image(1).data());
        Dataset pick = d.subset(new int[] {5, 0});
        assertArrayEquals(new int[] {2, 0}, pick.labels());
        assertEquals(50, pick.image(0).data()[0]);
        // A subset of a shuffled view indexes that view, not the original order.
        Dataset sh = d.shuffled(1);
        assertArrayEquals(sh.image(3).data(), sh.subset(new int[] {3}).image(0).data());
        assertThrows(IllegalArgumentException.class, () -> d.subset(7));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {6}));
    }

    @Test
    void splitIsDisjointAndComplete() {
        Dataset d = counting(20, 4);
        Split s = d.split(0.75, 1, false);
        assertEquals(15, s.train().size());
        assertEquals(5, s.test().size());
        Set<Double> seen = new HashSet<>();
        for (Dataset part : List.of(s.train(), s.test())) {
            for (int i = 0; i < part.size(); i++) {
                assertTrue(seen.add(part.image(i).data()[0]), "sample seen twice");
            }
        }
        assertEquals(20, seen.size());
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        Dataset d = randomBytes(400, 5);
        int[] all = d.classCounts();
        Split s = d.split(0.8, 42, true);
        int[] train = s.train().classCounts();
        int[] test = s.test().classCounts();
        for (int k = 0; k < 3; k++) {
            assertEquals(all[k], train[k] + test[k]);
            assertEquals(0.8 * all[k], train[k], 0.5 + 1e-9, "class " + k);
        }
        // Same seed, same split.
        assertArrayEquals(s.test().labels(), d.split(0.8, 42, true).test().labels());
        assertThrows(IllegalArgumentException.class, () -> d.split(1.0, 1, true));
        assertEquals("counting: splitting 3 samples at 0.9 leaves the test part empty",
                assertThrows(IllegalArgumentException.class, () -> counting(3, 3).split(0.9, 1, true)).getMessage());
        assertEquals("counting: splitting 3 samples at 0.1 leaves the training part empty",
                assertThrows(IllegalArgumentException.class, () -> counting(3, 3).split(0.1, 1, false)).getMessage());
    }

    @Test
    void pixelStatsMatchADirectComputation() {
        for (Dataset d : List.of(randomBytes(30, 2), counting(7, 2))) {
            Batch b = d.all();
            int c = d.sampleShape()[0];
            int plane = d.sampleShape()[1] * d.sampleShape()[2];
            PixelStats st = d.pixelStats();
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                double sq = 0;
                int n = 0;
                for (int i = 0; i < d.size(); i++) {
                    for (int k = 0; k < plane; k++) {
                        double v = b.x().data()[(i * c + ch) * plane + k];
                        sum += v;
                        sq += v * v;
                        n++;
                    }
                }
                double mean = sum / n;
                assertEquals(mean, st.mean()[ch], 1e-9);
                assertEquals(Math.sqrt(sq / n - mean * mean), st.std()[ch], 1e-6);
            }
        }
    }

    @Test
    void normalisedHasMeanZeroAndStdOne() {
        for (Dataset d : List.of(randomBytes(40, 3), counting(9, 3))) {
            Dataset n = d.normalised(d.pixelStats());
            PixelStats st = n.pixelStats();
            for (int ch = 0; ch < st.channels(); ch++) {
                assertEquals(0, st.mean()[ch], 1e-9);
                assertEquals(1, st.std()[ch], 1e-9);
            }
            double[] x = n.all().x().data();
            double mean = Arrays.stream(x).average().orElseThrow();
            assertEquals(0, mean, 1e-9);
        }
        Dataset d = counting(3, 1);
        // (v - 2) / 4 applied to sample 1 = {10, 11, 12, 13}
        assertArrayEquals(new double[] {2, 2.25, 2.5, 2.75}, d.normalised(2, 4).image(1).data(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> d.normalised(0, 0));
        assertThrows(IllegalArgumentException.class, () -> d.normalised(new double[2], new double[] {1, 1}));
    }

    @Test
    void paddingAddsAZeroBorder() {
        Dataset d = counting(2, 2).padded(1);
        assertArrayEquals(new int[] {1, 4, 4}, d.sampleShape());
        assertArrayEquals(new double[] {
            0, 0, 0, 0,
            0, 10, 11, 0,
            0, 12, 13, 0,
            0, 0, 0, 0}, d.image(1).data());
        assertArrayEquals(new int[] {0, 1}, d.labels());
    }

    @Test
    void paddingByteImagesToLeNetSize() {
        byte[] px = new byte[2 * 28 * 28];
        Arrays.fill(px, (byte) 255);
        Dataset d = Dataset.ofBytes("white", px, new int[] {0, 1}, new int[] {1, 28, 28}, 2, 1 / 255.0).padded(2);
        assertArrayEquals(new int[] {1, 32, 32}, d.sampleShape());
        double[] img = d.image(1).data();
        assertEquals(0, img[0]);
        assertEquals(0, img[31 * 32 + 31]);
        assertEquals(0, img[2 * 32 + 1]);
        assertEquals(1, img[2 * 32 + 2]);
        assertEquals(1, img[29 * 32 + 29]);
        assertEquals(0, img[29 * 32 + 30]);
        double sum = Arrays.stream(img).sum();
        assertEquals(28 * 28, sum, 1e-9);
    }

    @Test
    void paddingANormalisedByteDatasetKeepsTheRequestedBorderValue() {
        Dataset d = randomBytes(3, 8);
        Dataset n = d.normalised(new double[] {0.3, 0.6}, new double[] {0.7, 0.2});
        Dataset p = n.padded(1, 0.0);
        for (int i = 0; i < 3; i++) {
            double[] inner = n.image(i).data();
            double[] outer = p.image(i).data();
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 5; x++) {
                        double v = outer[c * 25 + y * 5 + x];
                        if (y == 0 || y == 4 || x == 0 || x == 4) {
                            assertEquals(0, v, 1e-6);
                        } else {
                            assertEquals(inner[c * 9 + (y - 1) * 3 + (x - 1)], v, 1e-6);
                        }
                    }
                }
            }
        }
        assertEquals(-3.5, d.padded(1, -3.5).image(0).data()[0], 1e-6);
    }

    @Test
    void oneHotRows() {
        Tensor t = Dataset.oneHot(new int[] {2, 0}, 3);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, t.data());
        assertArrayEquals(t.data(), new Batch(Tensor.zeros(2, 1, 1, 1), new int[] {2, 0}).yOneHot(3).data());
        assertThrows(IllegalArgumentException.class, () -> Dataset.oneHot(new int[] {3}, 3));
    }
}
