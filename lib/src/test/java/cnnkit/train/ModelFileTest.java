package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.data.Dataset;
import cnnkit.layers.Dense;
import cnnkit.layers.HasState;
import cnnkit.layers.Layer;
import cnnkit.layers.ReLU;
import cnnkit.layers.Sequential;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    private static List<double[]> snapshot(Layer model) {
        List<double[]> copy = new ArrayList<>();
        for (Param p : model.params()) {
            copy.add(p.value().data().clone());
        }
        return copy;
    }

    private static void assertUnchanged(List<double[]> before, Layer model) {
        List<double[]> after = snapshot(model);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed by a failed load");
        }
    }

    private Path saved(Layer model) {
        Path file = dir.resolve("model.cnnk");
        ModelFile.save(model, file);
        return file;
    }

    @Test
    void roundTripGivesIdenticalPredictions() throws IOException {
        Sequential a = Fixtures.model(1, 2);
        Sequential b = Fixtures.model(2, 2);
        Dataset data = Fixtures.brightness(10, 3);
        assertFalse(Arrays.equals(Prediction.of(a, data).probabilities().data(),
                Prediction.of(b, data).probabilities().data()), "different seeds give different models");
        Path file = saved(a);
        ModelFile.load(b, file);
        assertArrayEquals(Prediction.of(a, data).probabilities().data(),
                Prediction.of(b, data).probabilities().data());
        List<ModelFile.Entry> entries = ModelFile.read(file);
        assertEquals(List.of("0.weight", "1.bias", "2.weight", "3.bias"),
                entries.stream().map(ModelFile.Entry::name).toList());
        assertArrayEquals(new int[] {2, 1, 3, 3}, entries.get(0).shape());
        long values = 2 * 9 + 2 + 32 * 2 + 2;
        long header = 4 + 4 + 4;
        long names = (2 + 8) + (2 + 6) + (2 + 8) + (2 + 6);
        long dims = (4 + 16) + (4 + 4) + (4 + 8) + (4 + 4);
        assertEquals(header + names + dims + 8 * values + 4, Files.size(file), "the documented layout");
        assertTrue(ModelFile.describe(file).contains("2.weight (32, 2)"));
    }

    @Test
    void savingReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Sequential a = Fixtures.model(1, 2);
        Path file = saved(a);
        Sequential b = Fixtures.model(2, 2);
        ModelFile.save(b, file);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        Sequential c = Fixtures.model(3, 2);
        ModelFile.load(c, file);
        assertArrayEquals(b.params().get(0).value().data(), c.params().get(0).value().data());
    }

    @Test
    void aWrongShapeIsRejectedNamingTheParameter() {
        Path file = saved(Fixtures.model(1, 2));
        Sequential other = Fixtures.model(2, 3);
        List<double[]> before = snapshot(other);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(other, file));
        String m = e.getMessage();
        assertTrue(m.contains("model.cnnk") && m.contains("2.weight") && m.contains("(32, 2)")
                && m.contains("(32, 3)"), m);
        assertUnchanged(before, other);
    }

    @Test
    void aDifferentParameterCountIsRejected() {
        Path file = saved(Fixtures.model(1, 2));
        Sequential bigger = Fixtures.model(2, 2).add(new ReLU()).add(new Dense(2, 2, new Random(4)));
        List<double[]> before = snapshot(bigger);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(bigger, file));
        assertTrue(e.getMessage().contains("holds 4 tensors but the model has 6"), e.getMessage());
        assertUnchanged(before, bigger);
    }

    /** A layer with the same shapes as Dense(2, 2) but other parameter names. */
    private static final class Renamed extends Layer {
        private final List<Param> params = List.of(new Param("gamma", Tensor.zeros(2, 2)),
                new Param("beta", Tensor.zeros(2)));

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut;
        }

        @Override
        public List<Param> params() {
            return params;
        }
    }

    @Test
    void differentNamesAreRejected() {
        Path file = saved(new Dense(2, 2, new Random(5)));
        Renamed other = new Renamed();
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(other, file));
        assertTrue(e.getMessage().contains("'0.weight' in the file but '0.gamma' in the model"), e.getMessage());
        assertUnchanged(List.of(new double[4], new double[2]), other);
    }

    private static Sequential small(long seed) {
        return new Sequential(new Dense(3, 2, new Random(seed)), new ReLU(), new Dense(2, 2, new Random(seed + 1)));
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        // A small model keeps the byte-by-byte loop quick; its file has every section.
        byte[] bytes = Files.readAllBytes(saved(small(1)));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(ModelFileException.class, () -> ModelFile.parse(cut, "cut"), "truncated to " + length);
        }
    }

    @Test
    void everyFlippedByteIsDetectedAndAfterTheMagicItIsAChecksumFailure() throws IOException {
        byte[] bytes = Files.readAllBytes(saved(small(1)));
        for (int i = 0; i < bytes.length; i++) {
            byte[] copy = bytes.clone();
            copy[i] ^= 0x10;
            String m = assertThrows(ModelFileException.class, () -> ModelFile.parse(copy, "flipped")).getMessage();
            assertTrue(m.contains(i < 4 ? "not a cnnkit model file" : "checksum mismatch"), "byte " + i + ": " + m);
        }
    }

    @Test
    void aFlippedDimensionByteIsNotMistakenForATruncation() throws IOException {
        byte[] bytes = Files.readAllBytes(saved(small(1)));
        // Byte 26 is the high byte of the first tensor's first dimension (after magic, version,
        // count, the name "0.weight" and the rank): read before the checksum, it looked like a
        // tensor larger than the file.
        byte[] shape = bytes.clone();
        shape[26] ^= 0x10;
        String m = assertThrows(ModelFileException.class, () -> ModelFile.parse(shape, "m.cnnk")).getMessage();
        assertTrue(m.startsWith("m.cnnk: the model file is truncated or corrupted: checksum mismatch"), m);
    }

    @Test
    void aDamagedFileLeavesTheModelUnchanged() throws IOException {
        byte[] bytes = Files.readAllBytes(saved(Fixtures.model(1, 2)));
        Sequential target = Fixtures.model(2, 2);
        List<double[]> before = snapshot(target);
        Path bad = dir.resolve("damaged.cnnk");

        Files.write(bad, Arrays.copyOf(bytes, bytes.length - 100));
        String m = assertThrows(ModelFileException.class, () -> ModelFile.load(target, bad)).getMessage();
        assertTrue(m.contains("damaged.cnnk") && m.contains("truncated"), m);
        assertUnchanged(before, target);

        // The last value's low byte: the structure still parses, only the checksum can tell.
        byte[] copy = bytes.clone();
        copy[bytes.length - 5] ^= 1;
        Files.write(bad, copy);
        m = assertThrows(ModelFileException.class, () -> ModelFile.load(target, bad)).getMessage();
        assertTrue(m.contains("checksum"), m);
        assertUnchanged(before, target);
    }

    @Test
    void extraBytesAfterTheChecksumAreRejected() throws IOException {
        Path file = saved(Fixtures.model(1, 2));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 3));
        String m = assertThrows(ModelFileException.class, () -> ModelFile.load(Fixtures.model(1, 2), file)).getMessage();
        assertTrue(m.contains("3 unexpected bytes"), m);
    }

    @Test
    void fileSystemErrorsKeepTheirReason() throws IOException {
        Sequential m = Fixtures.model(1, 2);
        Path missing = dir.resolve("none.cnnk");
        assertEquals(missing + ": cannot read: no such file", assertThrows(java.io.UncheckedIOException.class,
                () -> ModelFile.load(m, missing)).getMessage());
        assertEquals(dir + ": cannot read: is a directory", assertThrows(java.io.UncheckedIOException.class,
                () -> ModelFile.read(dir)).getMessage());
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        Path under = notes.resolve("m.cnnk");
        assertEquals(under + ": cannot write: " + notes + " is not a directory (it is a file)",
                assertThrows(java.io.UncheckedIOException.class, () -> ModelFile.save(m, under)).getMessage());
    }

    @Test
    void anotherFileTypeIsNamedAsSuch() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello, not a model");
        String m = assertThrows(ModelFileException.class, () -> ModelFile.load(Fixtures.model(1, 2), file)).getMessage();
        assertTrue(m.contains("not a cnnkit model file"), m);
    }

    /** A layer with a non-trainable buffer, like batch normalisation's running mean. */
    private static final class WithState extends Layer implements HasState {
        final Param weight = new Param("weight", Tensor.zeros(3));
        final Param running = new Param("running_mean", Tensor.zeros(3));

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut;
        }

        @Override
        public List<Param> params() {
            return List.of(weight);
        }

        @Override
        public List<Param> state() {
            return List.of(running);
        }
    }

    @Test
    void stateOfLayersInsideSequentialIsSavedToo() {
        WithState inner = new WithState();
        inner.weight.value().data()[0] = 1.5;
        inner.running.value().data()[2] = -2.5;
        Path file = saved(new Sequential(new ReLU(), inner));
        WithState fresh = new WithState();
        ModelFile.load(new Sequential(new ReLU(), fresh), file);
        assertArrayEquals(new double[] {1.5, 0, 0}, fresh.weight.value().data());
        assertArrayEquals(new double[] {0, 0, -2.5}, fresh.running.value().data());
        assertEquals("state.0.running_mean", ModelFile.read(file).get(1).name());
        // A model without that state cannot take the file.
        assertThrows(ModelFileException.class, () -> ModelFile.load(new Sequential(new Renamed()), file));
    }

    @Test
    void batchNormRunningStatisticsTravelWithTheModel() {
        cnnkit.layers.BatchNorm2D bn = new cnnkit.layers.BatchNorm2D(2);
        bn.forward(cnnkit.tensor.Tensor.randn(3, 4, 2, 3, 3).add(5.0)); // training mode moves the running mean
        double[] mean = bn.runningMean().data().clone();
        double[] var = bn.runningVar().data().clone();
        assertTrue(mean[0] > 0.1, "the forward pass should have moved the running mean");
        Path file = saved(new Sequential(bn));
        cnnkit.layers.BatchNorm2D fresh = new cnnkit.layers.BatchNorm2D(2);
        ModelFile.load(new Sequential(fresh), file);
        assertArrayEquals(mean, fresh.runningMean().data());
        assertArrayEquals(var, fresh.runningVar().data());
    }

    @Test
    void runningStatisticsInsideCompositeBlocksTravelToo() {
        // A batch-normalised residual block keeps its BatchNorm2D layers inside Sequentials inside
        // the block: three of them (conv1, conv2 and the projection shortcut), six state tensors.
        cnnkit.layers.ResidualBlock block = new cnnkit.layers.ResidualBlock(1, 2, 2, true, new Random(3));
        cnnkit.tensor.Tensor x = cnnkit.tensor.Tensor.randn(4, 4, 1, 6, 6).add(3.0);
        block.forward(x); // training mode moves every running statistic
        Path file = saved(new Sequential(block));
        long stateEntries = ModelFile.read(file).stream().filter(e -> e.name().startsWith("state.")).count();
        assertEquals(6, stateEntries);
        block.eval();
        double[] expected = block.forward(x).data().clone();
        cnnkit.layers.ResidualBlock fresh = new cnnkit.layers.ResidualBlock(1, 2, 2, true, new Random(3));
        ModelFile.load(new Sequential(fresh), file);
        fresh.eval();
        assertArrayEquals(expected, fresh.forward(x).data(), "inference uses the saved running statistics");
    }
}
