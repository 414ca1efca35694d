package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path dir;

    private static History sample() {
        History h = new History("LeNet, \"small\"", 3);
        double[] losses = {2.302585092994046, 1.1 / 3, Math.PI, 0.1 + 0.2, 1e-300, 7.0};
        for (double l : losses) {
            h.addBatch(l);
        }
        h.addEpoch(1.9, 0.25, Double.NaN, Double.NaN, 0.1, 1.5);
        h.addEpoch(1.0 / 7, 2.0 / 3, 0.4, 0.875, 0.05, 1.25);
        h.describe("digits, \"padded\"", 96, "digits test", 61_706L);
        return h;
    }

    @Test
    void csvRoundTripIsBitExact() throws IOException {
        History h = sample();
        h.stop("Training stopped: the loss became NaN at epoch 3, batch 1/3, \"quoted\"\nsecond line");
        Path file = dir.resolve("run.csv");
        h.saveCsv(file);
        History back = History.loadCsv(file);
        assertEquals(h.name(), back.name());
        assertEquals(3, back.batchesPerEpoch());
        assertArrayEquals(h.batchLosses(), back.batchLosses());
        assertArrayEquals(h.trainLoss(), back.trainLoss());
        assertArrayEquals(h.trainAccuracy(), back.trainAccuracy());
        assertArrayEquals(h.valLoss(), back.valLoss());
        assertArrayEquals(h.valAccuracy(), back.valAccuracy());
        assertArrayEquals(h.learningRates(), back.learningRates());
        assertArrayEquals(h.seconds(), back.seconds());
        assertEquals(h.stopReason(), back.stopReason());
        assertTrue(back.diverged());
        assertEquals("digits, \"padded\"", back.trainSet());
        assertEquals(96, back.trainSize());
        assertEquals("digits test", back.validationSet());
        assertEquals(61_706L, back.paramCount());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void summaryValues() {
        History h = sample();
        assertEquals(2, h.epochs());
        assertEquals(2.75, h.totalSeconds());
        assertEquals(0.875, h.finalAccuracy());
        assertEquals(1.375, h.secondsPerEpoch());
        assertEquals(96, h.named("other").trainSize(), "a renamed copy keeps the description");
        assertTrue(h.hasValidation());
        assertEquals("other", h.named("other").name());
        assertArrayEquals(h.batchLosses(), h.named("other").batchLosses());
        assertTrue(h.toString().contains("87.50%"), h.toString());
        assertTrue(h.toString().contains(" - "), "unmeasured validation shows as -: " + h);
    }

    @Test
    void aCsvWithoutTheRunDescriptionReadsWithAnEmptyOne() throws IOException {
        Path file = dir.resolve("older.csv");
        sample().saveCsv(file);
        List<String> lines = Files.readAllLines(file);
        lines.removeIf(l -> l.matches(".*,(train_set|train_size|val_set|params),0,.*"));
        Files.write(file, lines);
        History back = History.loadCsv(file);
        assertEquals("", back.trainSet());
        assertEquals(0, back.trainSize());
        assertEquals("", back.validationSet());
        assertEquals(0, back.paramCount());
        assertArrayEquals(sample().valAccuracy(), back.valAccuracy());
    }

    @Test
    void aDamagedCsvFailsNamingTheLine() throws IOException {
        Path file = dir.resolve("bad.csv");
        sample().saveCsv(file);
        List<String> lines = Files.readAllLines(file);
        lines.set(4, lines.get(4).replace("batch_loss", "batch_los"));
        Files.write(file, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> History.loadCsv(file));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("line 5")
                && e.getMessage().contains("batch_los"), e.getMessage());
    }

    @Test
    void aCsvWithMissingEpochRowsIsRejected() throws IOException {
        Path file = dir.resolve("short.csv");
        sample().saveCsv(file);
        List<String> lines = Files.readAllLines(file);
        lines.removeIf(l -> l.contains(",seconds,1,"));
        Files.write(file, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> History.loadCsv(file));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void aMissingCsvSaysNoSuchFile() {
        Path missing = dir.resolve("none.csv");
        Exception e = assertThrows(java.io.UncheckedIOException.class, () -> History.loadCsv(missing));
        assertEquals(missing + ": cannot read: no such file", e.getMessage());
    }
}
