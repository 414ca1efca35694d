package cnnkit.plot;

import cnnkit.data.Batch;
import cnnkit.data.Dataset;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import cnnkit.train.Prediction;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Grids of small images drawn with Java2D: dataset samples with captions, conv kernels and
 * feature maps. Samples share one grey range so their brightness can be compared; named images
 * are each scaled to their own minimum..maximum, as matplotlib's {@code imshow} does.
 *
 * <p>Kernels and feature maps are drawn large (about 96 pixels a tile), each tile captioned,
 * and all tiles of one grid on one shared scale, printed with a colour bar under the title, so
 * that a weak filter looks weak. Signed values (any value below 0) use a diverging colour map:
 * blue for negative, white for 0, red for positive, symmetric around 0 over plus or minus the
 * largest magnitude; values that are all 0 or more are grey, black at 0 and white at the
 * maximum. Tiles are enlarged by an integer factor with nearest-neighbour pixels so that single
 * weights stay visible.
 */
public final class ImageGrid {
    static {
        Style.ensureHeadless();
    }

    private static final int GAP = 4;
    private static final int TITLE_HEIGHT = 24;
    static final Color CORRECT = new Color(0, 110, 0);
    static final Color WRONG = new Color(200, 0, 0);

    /** One cell of a grid: an image and an optional caption below it. */
    record Tile(BufferedImage image, String caption, Color captionColor) {
    }

    private ImageGrid() {
    }

    // ---- samples ----

    /**
     * Samples {@code indices} of {@code data} captioned with their label, or, when
     * {@code p} (predictions for the whole dataset, in order) is given, "true -> predicted"
     * in red when wrong and the label alone in green when right. {@code classNames} may be
     * null to show class numbers.
     */
    public static BufferedImage samples(Dataset data, int[] indices, Prediction p, List<String> classNames) {
        if (p != null && p.size() != data.size()) {
            throw new IllegalArgumentException("ImageGrid: " + p.size() + " predictions for dataset '" + data.name()
                    + "' of " + data.size() + " samples");
        }
        String title = p == null ? data.name() : data.name() + ": true -> predicted, red when wrong";
        if (indices.length == 0) {
            return layout(title + " (nothing to show)", List.of(), 1);
        }
        Batch b = data.batch(indices);
        int[] predicted = null;
        if (p != null) {
            predicted = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                predicted[i] = p.label(indices[i]);
            }
        }
        return samples(title, b.x(), b.y(), predicted, classNames, Math.min(indices.length, 10));
    }

    /** Images {@code (N, C, H, W)} with labels and optional predictions (may be null), in a grid. */
    public static BufferedImage samples(String title, Tensor images, int[] labels, int[] predicted,
                                        List<String> classNames, int columns) {
        if (images.rank() != 4 || labels.length != images.dim(0)
                || (predicted != null && predicted.length != labels.length)) {
            throw new IllegalArgumentException("ImageGrid.samples: expected images (N, C, H, W) with N labels"
                    + " and N predictions, got " + Shape.str(images.shape()) + ", " + labels.length + " labels, "
                    + (predicted == null ? "no" : predicted.length) + " predictions");
        }
        int c = images.dim(1);
        int h = images.dim(2);
        int w = images.dim(3);
        int scale = Math.max(1, (int) Math.ceil(56.0 / Math.max(h, w)));
        // One range for all samples, so that a darker image looks darker (unlike kernels, whose
        // tiles are scaled separately).
        double[] range = range(images.data(), 0, images.size());
        List<Tile> tiles = new ArrayList<>();
        for (int n = 0; n < labels.length; n++) {
            BufferedImage img = tile(images.data(), n * c * h * w, c, h, w, scale, range[0], range[1]);
            String truth = name(labels[n], classNames);
            if (predicted == null) {
                tiles.add(new Tile(img, truth, Color.BLACK));
            } else if (predicted[n] == labels[n]) {
                tiles.add(new Tile(img, truth, CORRECT));
            } else {
                tiles.add(new Tile(img, truth + " -> " + name(predicted[n], classNames), WRONG));
            }
        }
        return layout(title, tiles, columns);
    }

    static int[] firstN(int size, int count) {
        int[] idx = new int[Math.max(0, Math.min(size, count))];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** Indices of the first {@code count} samples whose prediction differs from the label. */
    static int[] mistakes(Dataset data, Prediction p, int count) {
        int[] found = new int[Math.max(0, count)];
        int k = 0;
        for (int i = 0; i < data.size() && i < p.size() && k < found.length; i++) {
            if (p.label(i) != data.label(i)) {
                found[k++] = i;
            }
        }
        return Arrays.copyOf(found, k);
    }

    private static String name(int label, List<String> classNames) {
        return classNames != null && label < classNames.size() ? classNames.get(label) : String.valueOf(label);
    }

    // ---- kernels and feature maps ----

    /** Side, in pixels, that kernel and feature-map tiles are enlarged to (about). */
    static final int BIG_TILE = 96;
    /** Tiles beyond this many get half the size, so a large filter bank stays on one screen. */
    static final int MANY_TILES = 32;
    static final Color NEGATIVE = new Color(33, 102, 172);
    static final Color POSITIVE = new Color(178, 24, 43);

    /**
     * Conv weights {@code (F, C, k, k)}: one tile per filter and input channel, in filter order,
     * captioned with the filter number (and the channel when C > 1), all on one shared scale.
     * With several channels each row holds whole filters (all their channels).
     */
    public static BufferedImage kernels(Tensor weight) {
        requireRank(weight, 4, "kernels", "(F, C, k, k)");
        int f = weight.dim(0);
        int c = weight.dim(1);
        int columns = c == 1 ? Math.min(f, 8) : c <= 8 ? c * Math.max(1, 8 / c) : 8;
        return kernels(weight, Math.min(columns, f * c));
    }

    public static BufferedImage kernels(Tensor weight, int columns) {
        requireRank(weight, 4, "kernels", "(F, C, k, k)");
        int f = weight.dim(0);
        int c = weight.dim(1);
        int kh = weight.dim(2);
        int kw = weight.dim(3);
        int scale = bigScale(kh, kw, f * c);
        Scale sc = Scale.of(weight.data());
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < f * c; i++) {
            String caption = c == 1 ? "filter " + i : "f" + (i / c) + " ch" + (i % c);
            tiles.add(new Tile(sc.tile(weight.data(), i * kh * kw, kh, kw, scale), caption, Color.DARK_GRAY));
        }
        String title = "kernels " + Shape.str(weight.shape()) + (c == 1 ? ", one tile per filter"
                : ", one tile per filter and input channel");
        return layout(title, sc, tiles, columns, columns % c == 0 ? c : 1);
    }

    /**
     * Feature maps {@code (1, F, H, W)} or {@code (F, H, W)}: one tile per channel, captioned
     * "map i", all on one shared scale.
     */
    public static BufferedImage featureMaps(Tensor activations) {
        Tensor a = activations;
        if (a.rank() == 4 && a.dim(0) == 1) {
            a = a.reshape(a.dim(1), a.dim(2), a.dim(3));
        }
        requireRank(a, 3, "featureMaps", "(1, F, H, W) or (F, H, W)");
        return featureMaps(a, Math.min(a.dim(0), 8));
    }

    public static BufferedImage featureMaps(Tensor maps, int columns) {
        requireRank(maps, 3, "featureMaps", "(F, H, W)");
        int f = maps.dim(0);
        int h = maps.dim(1);
        int w = maps.dim(2);
        int scale = bigScale(h, w, f);
        Scale sc = Scale.of(maps.data());
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < f; i++) {
            tiles.add(new Tile(sc.tile(maps.data(), i * h * w, h, w, scale), "map " + i, Color.DARK_GRAY));
        }
        return layout("feature maps " + Shape.str(maps.shape()), sc, tiles, columns, 1);
    }

    /**
     * Grey images {@code (H, W)}, {@code (1, H, W)} or {@code (1, 1, H, W)} captioned with their
     * names, each on its own symmetric diverging scale (blue negative, white 0, red positive, over
     * plus or minus its largest magnitude; the caption gives that magnitude): for gradients,
     * saliency and differences between images, where the sign matters.
     */
    public static BufferedImage signed(String title, Map<String, Tensor> images, int columns) {
        List<Tile> tiles = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : images.entrySet()) {
            int[] hw = greyShape("signed", e.getKey(), e.getValue());
            double limit = 0;
            for (double v : e.getValue().data()) {
                limit = Math.max(limit, Math.abs(v));
            }
            Scale sc = new Scale(true, limit);
            int scale = bigScale(hw[0], hw[1], 1);
            tiles.add(new Tile(sc.tile(e.getValue().data(), 0, hw[0], hw[1], scale),
                    e.getKey() + String.format(java.util.Locale.ROOT, " (±%.2g)", limit), Color.BLACK));
        }
        return layout(title + ": blue < 0 < red, each tile on its own scale", tiles, columns);
    }

    /** Enlargement that brings an h x w tile to about {@link #BIG_TILE} pixels (half with many tiles). */
    static int bigScale(int h, int w, int tiles) {
        double target = tiles > MANY_TILES ? BIG_TILE / 2.0 : BIG_TILE;
        return Math.max(1, (int) Math.round(target / Math.max(h, w)));
    }

    /**
     * One colour scale for a whole grid: diverging (blue, white at 0, red) over plus or minus
     * {@code limit} when signed, grey from 0 (black) to {@code limit} (white) otherwise.
     */
    record Scale(boolean signed, double limit) {
        static Scale of(double[] data) {
            double[] r = range(data, 0, data.length);
            boolean signed = r[0] < 0;
            return new Scale(signed, signed ? Math.max(-r[0], r[1]) : r[1]);
        }

        int rgb(double v) {
            double t = limit > 0 ? Math.max(-1, Math.min(1, v / limit)) : 0;
            if (!signed) {
                int g = (int) Math.round(255 * Math.max(0, t));
                return (g << 16) | (g << 8) | g;
            }
            Color end = t < 0 ? NEGATIVE : POSITIVE;
            double a = Math.abs(t);
            return (Style.mix(255, end.getRed(), a) << 16) | (Style.mix(255, end.getGreen(), a) << 8)
                    | Style.mix(255, end.getBlue(), a);
        }

        BufferedImage tile(double[] data, int offset, int h, int w, int scale) {
            BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = rgb(data[offset + y * w + x]);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(x * scale + dx, y * scale + dy, rgb);
                        }
                    }
                }
            }
            return img;
        }

        String low() {
            return String.format(java.util.Locale.ROOT, "%.3g", signed ? -limit : 0.0);
        }

        String high() {
            return String.format(java.util.Locale.ROOT, "%.3g", limit);
        }
    }

    // ---- named images ----

    /**
     * Images captioned with their names, in map order, {@code columns} per row: one grey image
     * each, of shape {@code (H, W)}, {@code (1, H, W)} or {@code (1, 1, H, W)} (sizes may differ).
     * Each tile is scaled to its own minimum..maximum, as matplotlib's {@code imshow} does, and
     * images smaller than 96 pixels are enlarged by a whole factor to about that size.
     */
    public static BufferedImage named(String title, Map<String, Tensor> images, int columns) {
        List<Tile> tiles = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : images.entrySet()) {
            int[] hw = greyShape("named", e.getKey(), e.getValue());
            int scale = Math.max(1, (int) Math.round(96.0 / Math.max(hw[0], hw[1])));
            tiles.add(new Tile(tile(e.getValue().data(), 0, 1, hw[0], hw[1], scale), e.getKey(), Color.BLACK));
        }
        return layout(title, tiles, columns);
    }

    /** {H, W} of a grey image (H, W), (1, H, W) or (1, 1, H, W); a clear error otherwise. */
    private static int[] greyShape(String what, String name, Tensor image) {
        int[] s = image.shape();
        int r = s.length;
        boolean grey = r >= 2 && r <= 4 && (r < 3 || s[0] == 1) && (r < 4 || s[1] == 1);
        if (!grey) {
            throw new IllegalArgumentException("ImageGrid." + what + ": image '" + name
                    + "' must be grey, (H, W), (1, H, W) or (1, 1, H, W), got " + Shape.str(s));
        }
        return new int[] {s[r - 2], s[r - 1]};
    }

    private static void requireRank(Tensor t, int rank, String what, String expected) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException("ImageGrid." + what + ": expected " + expected + ", got "
                    + Shape.str(t.shape()));
        }
    }

    // ---- drawing ----

    /**
     * One image from {@code channels} planes of h x w values starting at {@code offset}:
     * grayscale for 1 channel, colour for 3, the channel mean otherwise; scaled to the tile's
     * own range (a constant tile is black) and enlarged {@code scale} times.
     */
    static BufferedImage tile(double[] data, int offset, int channels, int h, int w, int scale) {
        double[] range = range(data, offset, offset + channels * h * w);
        return tile(data, offset, channels, h, w, scale, range[0], range[1]);
    }

    /** {min, max} of {@code data[from..to)}. */
    static double[] range(double[] data, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            min = Math.min(min, data[i]);
            max = Math.max(max, data[i]);
        }
        return new double[] {min, max};
    }

    /** Like {@link #tile(double[], int, int, int, int, int)} with a given min..max mapped to black..white. */
    static BufferedImage tile(double[] data, int offset, int channels, int h, int w, int scale, double min,
                              double max) {
        int plane = h * w;
        double range = max - min;
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb;
                if (channels == 3) {
                    int r = level(data[offset + y * w + x], min, range);
                    int g = level(data[offset + plane + y * w + x], min, range);
                    int b = level(data[offset + 2 * plane + y * w + x], min, range);
                    rgb = (r << 16) | (g << 8) | b;
                } else {
                    double sum = 0;
                    for (int ch = 0; ch < channels; ch++) {
                        sum += data[offset + ch * plane + y * w + x];
                    }
                    int v = level(sum / channels, min, range);
                    rgb = (v << 16) | (v << 8) | v;
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    private static int level(double v, double min, double range) {
        return range > 0 ? (int) Math.round(255 * (v - min) / range) : 0;
    }

    static BufferedImage layout(String title, List<Tile> tiles, int columns) {
        return layout(title, null, tiles, columns, 1);
    }

    /** Height of the colour-bar band under the title of a grid with a shared scale. */
    static final int BAR_BAND = 22;

    /**
     * Tiles in rows of {@code columns}, captions centred below, an optional title on top;
     * every {@code group} columns a wider gap (e.g. between the channels of two filters); with a
     * {@code scale}, a colour bar with its end values under the title.
     */
    static BufferedImage layout(String title, Scale scale, List<Tile> tiles, int columns, int group) {
        columns = Math.max(1, Math.min(columns, Math.max(1, tiles.size())));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(Style.TEXT_FONT);
        int tileW = 0;
        int tileH = 0;
        int captionW = 0;
        boolean captions = false;
        for (Tile t : tiles) {
            tileW = Math.max(tileW, t.image().getWidth());
            tileH = Math.max(tileH, t.image().getHeight());
            if (t.caption() != null) {
                captions = true;
                captionW = Math.max(captionW, fm.stringWidth(t.caption()) + 4);
            }
        }
        pg.dispose();
        int cellW = Math.max(tileW, captionW);
        int cellH = tileH + (captions ? fm.getHeight() + 2 : 0);
        int rows = (tiles.size() + columns - 1) / columns;
        int titleH = (title == null ? 0 : TITLE_HEIGHT) + (scale == null ? 0 : BAR_BAND);
        int groupGap = group > 1 ? 3 * GAP : 0;
        int groups = group > 1 ? (columns - 1) / group : 0;
        int width = Math.max(title == null ? 0 : fm.stringWidth(title) + 2 * GAP,
                columns * (cellW + GAP) + GAP + groups * groupGap);
        if (scale != null) {
            width = Math.max(width, colourBarWidth(fm, scale));
        }
        int height = titleH + rows * (cellH + GAP) + GAP;
        BufferedImage img = new BufferedImage(width, Math.max(height, titleH + GAP), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Style.canvas(img);
        g.setFont(Style.TEXT_FONT);
        if (title != null) {
            g.setColor(Color.BLACK);
            g.drawString(title, GAP, TITLE_HEIGHT - 8);
        }
        if (scale != null) {
            drawColourBar(g, fm, scale, titleH - BAR_BAND);
        }
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            int col = i % columns;
            int x0 = GAP + col * (cellW + GAP) + (group > 1 ? col / group * groupGap : 0);
            int y0 = titleH + GAP + (i / columns) * (cellH + GAP);
            g.drawImage(t.image(), x0 + (cellW - t.image().getWidth()) / 2, y0, null);
            if (t.caption() != null) {
                g.setColor(t.captionColor());
                int cx = x0 + (cellW - fm.stringWidth(t.caption())) / 2;
                g.drawString(t.caption(), cx, y0 + tileH + fm.getAscent() + 1);
            }
        }
        g.dispose();
        return img;
    }

    private static final int BAR_LENGTH = 160;

    private static int colourBarWidth(FontMetrics fm, Scale scale) {
        return 3 * GAP + fm.stringWidth(scale.low()) + BAR_LENGTH + fm.stringWidth(scale.high()) + 2 * GAP;
    }

    /** "low [gradient] high" on one line at {@code top}, the gradient drawn with the scale itself. */
    private static void drawColourBar(Graphics2D g, FontMetrics fm, Scale scale, int top) {
        int x = GAP;
        int base = top + fm.getAscent() + 2;
        g.setColor(Color.BLACK);
        g.drawString(scale.low(), x, base);
        x += fm.stringWidth(scale.low()) + GAP;
        double lo = scale.signed() ? -scale.limit() : 0;
        for (int i = 0; i < BAR_LENGTH; i++) {
            double v = lo + (scale.limit() - lo) * i / (BAR_LENGTH - 1);
            g.setColor(new Color(scale.rgb(v)));
            g.fillRect(x + i, top + 3, 1, 12);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, top + 3, BAR_LENGTH, 12);
        g.setColor(Color.BLACK);
        g.drawString(scale.high(), x + BAR_LENGTH + GAP, base);
    }
}
