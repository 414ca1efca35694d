package cnnkit.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.data.Dataset;
import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.Flatten;
import cnnkit.layers.ReLU;
import cnnkit.layers.Sequential;
import cnnkit.optim.SGD;
import cnnkit.tensor.Tensor;
import cnnkit.train.Evaluation;
import cnnkit.train.History;
import cnnkit.train.Prediction;
import cnnkit.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    static Path dir;

    static Dataset train;
    static Dataset test;
    static Sequential model;
    static History run;
    static History noValidation;

    /** Two classes told apart by brightness, 1x6x6 images. */
    private static Dataset brightness(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(2);
            for (int k = 0; k < 36; k++) {
                x[i * 36 + k] = (y[i] == 0 ? -0.3 : 0.3) + 0.6 * rng.nextGaussian();
            }
        }
        return Dataset.of("brightness", Tensor.of(x, n, 1, 6, 6), y, 2);
    }

    private static Sequential model(long seed) {
        Random rng = new Random(seed);
        return new Sequential(new Conv2D(1, 3, 3, 1, 0, rng), new ReLU(), new Flatten(), new Dense(48, 2, rng));
    }

    @BeforeAll
    static void trainOnce() {
        train = brightness(80, 1);
        test = brightness(40, 2);
        model = model(3);
        run = Trainer.of(model, new SGD(model.params(), 0.05)).epochs(4).batchSize(4).validation(test)
                .name("small net").quiet().fit(train);
        Sequential other = model(4);
        noValidation = Trainer.of(other, new SGD(other.params(), 0.01)).epochs(3).batchSize(8).name("slow")
                .quiet().fit(train);
    }

    /** Saves the image, reads the PNG back, checks its size and that it shows something. */
    private static BufferedImage roundTrip(BufferedImage image, String name) throws IOException {
        Path file = dir.resolve(name + ".png");
        assertTrue(image == Charts.save(image, file));
        BufferedImage back = ImageIO.read(file.toFile());
        assertEquals(image.getWidth(), back.getWidth(), name);
        assertEquals(image.getHeight(), back.getHeight(), name);
        Set<Integer> colours = new HashSet<>();
        long notWhite = 0;
        for (int y = 0; y < back.getHeight(); y++) {
            for (int x = 0; x < back.getWidth(); x++) {
                int rgb = back.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) {
                    notWhite++;
                }
            }
        }
        assertTrue(colours.size() > 8, name + ": only " + colours.size() + " colours");
        assertTrue(notWhite > 0.01 * back.getWidth() * back.getHeight(), name + ": nearly blank");
        return back;
    }

    private static void assertChartSize(BufferedImage img) {
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
    }

    @Test
    void curves() throws IOException {
        assertChartSize(roundTrip(Charts.loss(run), "loss"));
        assertChartSize(roundTrip(Charts.accuracy(run), "accuracy"));
        assertChartSize(roundTrip(Charts.accuracy(noValidation), "accuracy-train-only"));
        assertChartSize(roundTrip(Charts.compareLoss(run, noValidation), "compare-loss"));
        assertChartSize(roundTrip(Charts.compareAccuracy(List.of(run, noValidation)), "compare-accuracy"));
        Map<String, double[]> lr = new LinkedHashMap<>();
        lr.put("lr", run.learningRates());
        assertChartSize(roundTrip(Charts.lines("learning rate", "epoch", "lr", lr), "lines"));
    }

    @Test
    void aLongLegendMovesBesideThePlotInsteadOfRunningOffTheImage() throws IOException {
        List<History> runs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            runs.add(run.named("run number " + i));   // 7 runs with validation: 14 legend entries
        }
        BufferedImage many = roundTrip(Charts.compareAccuracy(runs), "compare-many");
        assertChartSize(many);
        // Two runs keep the legend in one row below the plot; with 14 entries only the axis title
        // remains there, and the legend column (swatches and text) is in the right-most fifth.
        BufferedImage two = Charts.compareAccuracy(run, noValidation);
        int h = many.getHeight();
        long bottomMany = nonWhite(many, 0, many.getWidth(), h - 30, h);
        long bottomTwo = nonWhite(two, 0, two.getWidth(), h - 30, h);
        assertTrue(bottomMany < bottomTwo / 2, "legend not below: " + bottomMany + " vs " + bottomTwo);
        assertTrue(nonWhite(many, many.getWidth() * 4 / 5, many.getWidth(), 60, 340) > 500, "legend on the right");
        assertTrue(nonWhite(two, two.getWidth() * 4 / 5, two.getWidth(), 60, 340)
                < nonWhite(many, many.getWidth() * 4 / 5, many.getWidth(), 60, 340) / 4, "no legend on the right");
    }

    private static long nonWhite(BufferedImage img, int x0, int x1, int y0, int y1) {
        long n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void bars() throws IOException {
        Map<String, double[]> norms = new LinkedHashMap<>();
        norms.put("plain", new double[] {1e-6, 1e-4, 1e-2, 1});
        norms.put("residual", new double[] {0.1, 0.2, 0.4, 1});
        List<String> layers = List.of("conv1", "conv2", "conv3", "fc");
        assertChartSize(roundTrip(Charts.bars("gradient norm per layer", layers, norms, true), "bars-log"));
        assertChartSize(roundTrip(Charts.bars("gradient norm per layer", layers, norms, false), "bars"));
        norms.put("broken", new double[] {0, 1, 1, 1});
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("t", layers, norms, true));
    }

    @Test
    void aHistoryWithNothingToPlotIsRefusedClearly() throws IOException {
        History empty = History.loadCsv(emptyCsv());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.loss(empty));
        assertTrue(e.getMessage().contains("no batches"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Charts.accuracy(empty));
        assertTrue(e.getMessage().contains("no completed epoch"), e.getMessage());
    }

    private static Path emptyCsv() throws IOException {
        Path f = dir.resolve("empty.csv");
        Files.writeString(f, "run,series,index,value\nx,batches_per_epoch,0,5\n");
        return f;
    }

    @Test
    void sampleGrids() throws IOException {
        BufferedImage plain = roundTrip(Charts.samples(train, 12), "samples");
        assertEquals(0, redPixels(plain), "no predictions, no red captions");
        Prediction p = Prediction.of(model, test);
        Evaluation ev = Evaluation.of(model, test);
        assertTrue(ev.correct() < ev.total(), "the test needs at least one mistake");
        assertTrue(ev.correct() > 0, "and at least one correct prediction");
        BufferedImage mistakes = roundTrip(Charts.mistakes(test, p, 6, List.of("dark", "bright")), "mistakes");
        assertTrue(redPixels(mistakes) > 10, "mistakes are captioned in red");
        BufferedImage predictions = roundTrip(Charts.predictions(test, p, 20), "predictions");
        assertTrue(redPixels(predictions) > 0 || firstMistake(p) >= 20);
    }

    private static int firstMistake(Prediction p) {
        for (int i = 0; i < test.size(); i++) {
            if (p.label(i) != test.label(i)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void aGridOfOnlyCorrectPredictionsHasNoRed() {
        Tensor images = Tensor.randn(7, 3, 1, 5, 5);
        BufferedImage img = ImageGrid.samples("ok", images, new int[] {0, 1, 2}, new int[] {0, 1, 2},
                List.of("zero", "one", "two"), 3);
        assertEquals(0, redPixels(img));
        BufferedImage wrong = ImageGrid.samples("wrong", images, new int[] {0, 1, 2}, new int[] {0, 2, 2},
                List.of("zero", "one", "two"), 3);
        assertTrue(redPixels(wrong) > 10);
    }

    private static int redPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int b = rgb & 255;
                if (r > 150 && g < 90 && b < 90) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void kernelsAndFeatureMaps() throws IOException {
        Conv2D conv = (Conv2D) model.get(0);
        BufferedImage k = roundTrip(Charts.kernels(conv), "kernels");
        assertTrue(k.getWidth() >= 3 * 39, "three 3x3 kernels enlarged to about 40 px");
        Tensor multi = Tensor.randn(8, 4, 3, 5, 5);
        BufferedImage km = roundTrip(Charts.kernels(multi), "kernels-rgb");
        assertTrue(km.getWidth() >= 12 * 40);
        Tensor maps = conv.forward(test.batch(new int[] {0}).x());
        BufferedImage fm = roundTrip(Charts.featureMaps(maps), "feature-maps");
        assertTrue(fm.getWidth() >= 3 * 48);
        assertThrows(IllegalArgumentException.class, () -> Charts.featureMaps(Tensor.zeros(2, 3, 4, 4)));
    }

    @Test
    void namedImagesAreCaptionedAndEachScaledToItsOwnRange() throws IOException {
        Map<String, Tensor> images = new LinkedHashMap<>();
        images.put("a", Tensor.of(new double[] {0, 1, 2, 3}, 2, 2));             // 2x2, enlarged 48 times
        images.put("b", Tensor.of(new double[] {-5, 5, 5, 5}, 1, 1, 2, 2));
        images.put("c", Tensor.arange(1, 4, 4).add(100));                        // 4x4, enlarged 24 times
        images.put("d", Tensor.zeros(1, 1, 128, 128));                           // large: not enlarged
        BufferedImage img = roundTrip(Charts.images("three", images, 2), "named");
        // Cells are as wide as the widest tile (d, 128 px); tile "a" (96 px) is centred in the first
        // cell, after the 4 px gap and below the 24 px title band.
        int ax = 4 + (128 - 96) / 2;
        int ay = 24 + 4;
        assertEquals(0, img.getRGB(ax + 1, ay + 1) & 0xFFFFFF, "a's minimum is black");
        assertEquals(0xFFFFFF, img.getRGB(ax + 94, ay + 94) & 0xFFFFFF, "a's maximum is white");
        assertEquals(0xFFFFFF, img.getRGB(ax - 1, ay + 1) & 0xFFFFFF, "white page left of the tile");
        assertTrue(img.getWidth() >= 4 + 2 * (128 + 4) && img.getHeight() >= 24 + 2 * 128, "two rows of two columns");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.images("bad", Map.of("rgb", Tensor.zeros(3, 4, 4)), 1));
        assertTrue(e.getMessage().contains("'rgb'") && e.getMessage().contains("(3, 4, 4)"), e.getMessage());
    }

    @Test
    void tilesAreScaledToTheirOwnRangeAndEnlarged() {
        BufferedImage t = ImageGrid.tile(new double[] {9, -1, 2, 5, 8}, 1, 1, 2, 2, 3);
        assertEquals(6, t.getWidth());
        assertEquals(6, t.getHeight());
        // values -1, 2, 5, 8 over the range -1..8 -> 0, 85, 170, 255
        assertEquals(0, t.getRGB(0, 0) & 255);
        assertEquals(0, t.getRGB(2, 2) & 255);
        assertEquals(85, t.getRGB(3, 0) & 255);
        assertEquals(170, t.getRGB(0, 5) & 255);
        assertEquals(255, t.getRGB(5, 5) & 255);
    }

    @Test
    void confusionHeatmap() throws IOException {
        Evaluation ev = Evaluation.of(model, test);
        roundTrip(Charts.confusion(ev), "confusion");
        roundTrip(Charts.confusion(ev, List.of("dark", "bright")), "confusion-named");
        int[][] ten = new int[10][10];
        for (int i = 0; i < 10; i++) {
            ten[i][i] = 90 + i;
            ten[i][(i + 3) % 10] = 10 - i;
        }
        BufferedImage big = roundTrip(Heatmap.confusion(ten, null, "ten classes"), "confusion-10");
        assertTrue(big.getWidth() >= 10 * 48 && big.getHeight() >= 10 * 48);
        assertThrows(IllegalArgumentException.class, () -> Heatmap.confusion(new int[][] {{1, 2}}, null, "x"));
    }

    @Test
    void movingAverageIsTrailing() {
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3.5}, Charts.movingAverage(new double[] {1, 2, 3, 4}, 2));
        assertArrayEquals(new double[] {4, 3, 2}, Charts.movingAverage(new double[] {4, 2, 0}, 5));
    }
}
