package cnnkit.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.data.Dataset;
import cnnkit.layers.Dense;
import cnnkit.layers.Flatten;
import cnnkit.layers.Sequential;
import cnnkit.optim.SGD;
import cnnkit.tensor.Tensor;
import cnnkit.train.History;
import cnnkit.train.Trainer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiveChartTest {

    private static Dataset twoClasses(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(2);
            for (int k = 0; k < 4; k++) {
                x[i * 4 + k] = (y[i] == 0 ? -0.5 : 0.5) + rng.nextGaussian();
            }
        }
        return Dataset.of("two classes", Tensor.of(x, n, 1, 2, 2), y, 2);
    }

    /** Every pixel of img's region at (x0, 0) equals part's. */
    private static boolean contains(BufferedImage img, BufferedImage part, int x0) {
        for (int y = 0; y < part.getHeight(); y++) {
            for (int x = 0; x < part.getWidth(); x++) {
                if ((img.getRGB(x0 + x, y) & 0xFFFFFF) != (part.getRGB(x, y) & 0xFFFFFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void redrawnAfterEveryEpochWithLossLeftAndAccuracyRight() {
        Sequential model = new Sequential(new Flatten(), new Dense(4, 2, new Random(1)));
        List<BufferedImage> frames = new ArrayList<>();
        History run = Trainer.of(model, new SGD(model.params(), 0.1)).epochs(3).batchSize(8)
                .validation(twoClasses(16, 2)).name("tiny").quiet()
                .onEpochEnd(h -> frames.add(LiveChart.of(h)))
                .fit(twoClasses(32, 3));

        assertEquals(3, frames.size());
        BufferedImage last = frames.get(2);
        assertEquals(2 * Style.WIDTH, last.getWidth());
        assertEquals(Style.HEIGHT, last.getHeight());
        BufferedImage loss = Charts.loss(run);
        assertTrue(contains(last, loss, 0), "left half is the loss chart");
        assertTrue(contains(last, Charts.accuracy(run), loss.getWidth()), "right half is the accuracy chart");
        assertTrue(!contains(frames.get(0), loss, 0), "the first frame shows one epoch, not three");
    }

    @Test
    void waitingHasTheSameSizeAndSaysSomething() {
        BufferedImage w = LiveChart.waiting("tiny");
        assertEquals(2 * Style.WIDTH, w.getWidth());
        assertEquals(Style.HEIGHT, w.getHeight());
        long notWhite = 0;
        for (int y = 0; y < w.getHeight(); y++) {
            for (int x = 0; x < w.getWidth(); x++) {
                notWhite += (w.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
            }
        }
        assertNotEquals(0, notWhite, "the placeholder has its text");
    }
}
