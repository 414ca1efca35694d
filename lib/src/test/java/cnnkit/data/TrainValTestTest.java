package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainValTestTest {
    private static final List<String> THREE = List.of("a", "b", "c");

    @TempDir
    Path dir;

    /** n images of 1x4x4 whose every pixel holds offset + the image's index; label index % 3. */
    static Dataset numbered(String name, int n, int offset) {
        Tensor x = Tensor.zeros(n, 1, 4, 4);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 16; k++) {
                x.data()[i * 16 + k] = offset + i;
            }
            y[i] = i % 3;
        }
        return Dataset.of(name, x, y, 3);
    }

    /** The index each image of a set was made with, undoing the normalisation. */
    static int[] indices(Dataset d, PixelStats stats, int offset) {
        int[] out = new int[d.size()];
        for (int i = 0; i < d.size(); i++) {
            double v = d.image(i).data()[5] * stats.std()[0] + stats.mean()[0];
            out[i] = (int) Math.round(v) - offset;
        }
        return out;
    }

    @Test
    void trainingAndValidationAreDisjointSubsetsOfTheTrainingSet() {
        TrainValTest s = TrainValTest.of("toy", numbered("toy train", 50, 0), numbered("toy test", 7, 1000), THREE,
                20, 10, 5, 0);
        assertEquals(20, s.train().size());
        assertEquals(10, s.validation().size());
        assertEquals(7, s.test().size());
        int[] train = indices(s.train(), s.stats(), 0);
        int[] val = indices(s.validation(), s.stats(), 0);
        Set<Integer> seen = new HashSet<>();
        for (int i : train) {
            assertTrue(i >= 0 && i < 50, "training image " + i + " comes from the training set");
            assertTrue(seen.add(i), "training image " + i + " drawn twice");
        }
        for (int i : val) {
            assertTrue(i >= 0 && i < 50, "validation image " + i + " comes from the training set");
            assertTrue(seen.add(i), "validation image " + i + " is also a training image");
        }
        for (int k = 0; k < train.length; k++) {
            assertEquals(train[k] % 3, s.train().label(k), "labels travel with their images");
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, indices(s.test(), s.stats(), 1000),
                "the whole test set, in its order");
        assertEquals("toy validation", s.validation().name());
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        Dataset full = numbered("toy", 40, 0);
        Dataset test = numbered("toy test", 3, 0);
        TrainValTest a = TrainValTest.of("toy", full, test, THREE, 10, 5, 1, 0);
        TrainValTest b = TrainValTest.of("toy", full, test, THREE, 10, 5, 1, 0);
        TrainValTest c = TrainValTest.of("toy", full, test, THREE, 10, 5, 2, 0);
        assertArrayEquals(a.train().all().x().data(), b.train().all().x().data());
        assertArrayEquals(a.validation().labels(), b.validation().labels());
        assertNotEquals(List.of(indices(a.train(), a.stats(), 0)), List.of(indices(c.train(), c.stats(), 0)));
    }

    @Test
    void allThreeAreNormalisedWithTheTrainingSubsetsStatistics() {
        TrainValTest s = TrainValTest.of("toy", numbered("toy", 30, 0), numbered("toy test", 4, 100), THREE,
                12, 6, 3, 0);
        double[] x = s.train().all().x().data();
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        assertEquals(0, mean, 1e-5);
        assertEquals(1, var, 1e-5);
        PixelStats raw = s.trainPixels().pixelStats();
        assertArrayEquals(raw.mean(), s.stats().mean(), 0);
        double expected = (100 + 2 - raw.mean()[0]) / raw.std()[0];
        assertEquals(expected, s.test().image(2).data()[0], 1e-5, "test image 2 = (102 - train mean) / train std");
    }

    @Test
    void smallImagesArePaddedWithBlackBeforeNormalising() {
        TrainValTest s = TrainValTest.of("toy", numbered("toy", 20, 1), numbered("toy test", 2, 1), THREE,
                8, 4, 9, 8);
        assertEquals(8, s.imageSize());
        assertArrayEquals(new int[] {1, 8, 8}, s.test().sampleShape());
        double border = (0 - s.stats().mean()[0]) / s.stats().std()[0];
        assertEquals(border, s.validation().image(0).data()[0], 1e-5, "the border is raw 0, normalised");
        assertEquals(0.0, s.trainPixels().image(0).data()[0], 0);
        assertArrayEquals(new int[] {1, 4, 4}, TrainValTest.of("toy", numbered("toy", 20, 1), numbered("t", 2, 1),
                THREE, 8, 4, 9, 4).test().sampleShape(), "images already large enough are not padded");
    }

    @Test
    void badSizesAreRefusedWithTheNumbers() {
        Dataset full = numbered("toy", 10, 0);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> TrainValTest.of("toy", full, full, THREE, 8, 3, 1, 0));
        assertTrue(tooMany.getMessage().contains("8 training + 3 validation") && tooMany.getMessage().contains("10"),
                tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainValTest.of("toy", full, full, THREE, 5, 0, 1, 0));
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> TrainValTest.of("toy", full, full, List.of("a", "b"), 5, 2, 1, 0));
        assertTrue(names.getMessage().contains("3 class names"), names.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> TrainValTest.of("toy", full, full, THREE, 5, 2, 1, 7));
        assertTrue(odd.getMessage().contains("7x7"), odd.getMessage());
    }

    @Test
    void cifar10IsUsedWhenItsFolderIsInTheDataFolder() throws IOException {
        assertFalse(TrainValTest.hasCifar10(dir));
        Path cifar = Files.createDirectories(dir.resolve(TrainValTest.CIFAR_FOLDER));
        for (int b = 1; b <= 5; b++) {
            Files.write(cifar.resolve("data_batch_" + b + ".bin"),
                    Cifar10Test.concat(Cifar10Test.record(b, 10 * b, 5 * b, b), Cifar10Test.record(9, 0, 0, 0)));
        }
        Files.write(cifar.resolve("test_batch.bin"), Cifar10Test.record(4, 1, 2, 3));
        assertTrue(TrainValTest.hasCifar10(dir));
        TrainValTest s = TrainValTest.fashionMnistOrCifar10(dir, 6, 3, 1, 32);
        assertTrue(s.isCifar10());
        assertEquals(3, s.channels());
        assertEquals(32, s.imageSize());
        assertEquals(Cifar10.CLASS_NAMES, s.classNames());
        assertEquals(1, s.test().size());
        assertEquals(3, s.stats().channels());
        assertTrue(s.toString().startsWith("CIFAR-10, images (3, 32, 32), 10 classes"), s.toString());
    }
}
