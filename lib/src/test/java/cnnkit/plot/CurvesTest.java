package cnnkit.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurvesTest {
    @Test
    void histogramByHand() {
        // bins [0,1) [1,2) [2,3]; the largest value goes into the last bin
        double[][] h = Curves.histogram(new double[] {0, 0.5, 1.5, 3}, 0, 1, 3);
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, h[0], 1e-15);
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, h[1], 1e-15);
    }

    @Test
    void chartsRender() {
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put("a", new double[] {1, 2, 2, 3});
        samples.put("b", new double[] {5, 5, 5});
        BufferedImage h = Curves.histograms("values", "v", samples, 10);
        assertEquals(640, h.getWidth());
        BufferedImage xy = Curves.xy("lr", "lr", "loss", Map.of("loss", new double[][] {{1e-3, 1e-2, 1e-1}, {2, 1, 3}}),
                true);
        assertEquals(400, xy.getHeight());
        double[][][] contours = {{{-1, 0, 1, 0, -1}, {0, 1, 0, -1, 0}}};
        BufferedImage p = Curves.paths("paths", contours, Map.of("sgd", new double[][] {{-1, 0}, {0.5, 0}}));
        assertEquals(640, p.getWidth());
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class,
                () -> Curves.histograms("t", "v", Map.of("a", new double[] {1, Double.NaN}), 10));
        assertThrows(IllegalArgumentException.class, () -> Curves.histograms("t", "v", Map.of("a", new double[0]), 10));
        assertThrows(IllegalArgumentException.class,
                () -> Curves.xy("t", "x", "y", Map.of("a", new double[][] {{1, 2}, {1}}), false));
    }
}
