package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data sets the kit ships (and Fashion-MNIST where installed) load, pass their checksums and look right. */
class RealDataTest {
    @TempDir
    Path dir;

    @Test
    void digitsCsvHas1797EightByEightImages() {
        Path csv = DataPaths.root().resolve("digits.csv");
        Dataset raw = CsvImages.reader().labelColumn("label").read(csv);
        assertEquals(1797, raw.size());
        assertArrayEquals(new int[] {1, 8, 8}, raw.sampleShape());
        assertEquals(10, raw.numClasses());
        assertTrue(Arrays.stream(raw.classCounts()).allMatch(c -> c >= 170 && c <= 185));
        assertEquals(16, raw.all().x().max());
        assertEquals(0, raw.all().x().min());

        Dataset scaled = Digits.load();
        assertEquals(1797, scaled.size());
        assertEquals(1.0, scaled.all().x().max(), 1e-12);
        assertArrayEquals(raw.labels(), scaled.labels());
    }

    @Test
    void mnistTestSetLoadsWithChecksum() {
        Dataset test = Mnist.test();
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, test.sampleShape());
        assertEquals(10, test.numClasses());
        // The first five test labels of MNIST are 7, 2, 1, 0, 4.
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, Arrays.copyOf(test.labels(), 5));
        Batch first = test.batch(new int[] {0, 1, 2});
        assertEquals(0, first.x().min());
        assertEquals(1, first.x().max(), 1e-12);
        // Given "data" rather than "data/mnist", the loader looks one folder down.
        assertEquals(10000, Mnist.test(DataPaths.root()).size());
    }

    @Test
    void mnistTrainSetLoadsAndPadsForLeNet() {
        Dataset train = Mnist.train();
        assertEquals(60000, train.size());
        int[] counts = train.classCounts();
        assertEquals(60000, Arrays.stream(counts).sum());
        assertTrue(Arrays.stream(counts).allMatch(c -> c > 5000 && c < 7000));
        PixelStats st = train.pixelStats();
        // MNIST's training mean and std, as widely quoted: 0.1307 and 0.3081.
        assertEquals(0.1307, st.mean()[0], 1e-4);
        assertEquals(0.3081, st.std()[0], 1e-4);
        Dataset lenet = train.subset(100).padded(2);
        assertArrayEquals(new int[] {1, 32, 32}, lenet.sampleShape());
    }

    @Test
    void tamperedMnistFileFailsTheChecksum() throws IOException {
        Path mnist = DataPaths.root().resolve("mnist");
        Files.copy(mnist.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] labels = Files.readAllBytes(mnist.resolve("t10k-labels-idx1-ubyte.gz"));
        labels[labels.length / 2] ^= 1;
        Path bad = Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.test(dir));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("expected b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b"),
                e.getMessage());
    }

    @Test
    void missingMnistSaysWhereItLooked() {
        MissingDataException e = assertThrows(MissingDataException.class, () -> Mnist.train(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void fashionMnistWhereInstalled() {
        assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        Dataset test = FashionMnist.test();
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, test.sampleShape());
        // Fashion-MNIST's test set is balanced: 1,000 images of each class.
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, test.classCounts());
    }

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        MissingDataException e = assertThrows(MissingDataException.class,
                () -> FashionMnist.loadFrom(List.of(dir), true, 1));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }
}
