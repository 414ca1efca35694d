package cnnkit.engine;

import cnnkit.tensor.Tensor;
import java.util.Arrays;

/**
 * The fast convolution behind {@link Engine#conv2d} and {@link Engine#conv2dBackward}: the same
 * sums as the teaching loops of {@code Conv2D}, computed as matrix products.
 *
 * <p>Per image, out (F, H'W') = W (F, C k k) x cols (C k k, H'W') + b, where {@link Im2Col} unrolls
 * every window into a column. Several images are put side by side (their columns next to each
 * other) so that small maps still give long rows to the vectorised kernel of {@link MatMul}, and
 * the blocks of images are spread over the cores ({@link Parallel}). An image's output depends
 * only on that image, whichever thread computes it. Temporaries live in per-thread
 * {@link RowBuffer}s, reused from call to call.
 *
 * <p>Backward, per block with g = dOut (F, positions) and cols (C k k, positions):
 * dW += g x cols^T, db += row sums of g, dCols = W^T x g, folded back into dX by col2im. The
 * blocks are cut into a fixed number of groups ({@link #gradientGroups}); each group sums dW and
 * db over its blocks in order into its own buffer, and the group sums are added to the gradients
 * in group order. The cut depends only on the shapes, so results are bit for bit the same in
 * every run and on any number of cores.
 */
final class FastConv2D {
    /** Most partial gradient sums the backward uses, see {@link #gradientGroups}. */
    static final int MAX_GRADIENT_GROUPS = 8;
    /** Shortest row of columns the kernels aim for: a few hundred values keep the vector loops busy. */
    private static final int MIN_ROW = 256;
    /** From this many weights per filter (C k k) on, the weight gradient uses the vector loop. */
    static final int MIN_WINDOW_FOR_VECTOR_GRAD = 32;
    /** From this many filters on, the weight gradient is computed transposed (a vector loop along F). */
    static final int MIN_FILTERS_FOR_TRANSPOSED_GRAD = 16;

    // Scratch rows per thread, shared by all convolutions (a thread runs one at a time).
    private static final ThreadLocal<RowBuffer> UNROLLED = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> PLANES = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> TRANSPOSED = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> WEIGHT_T = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> UNROLLED_GRAD = ThreadLocal.withInitial(RowBuffer::new);
    /** The group sums of the calling thread's backward: [group][filter][weight], and the bias sums after them. */
    private static final ThreadLocal<double[][][]> PARTIALS = ThreadLocal.withInitial(() -> new double[0][0][0]);

    private FastConv2D() {
    }

    static Tensor forward(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        int filters = weight.dim(0);
        int kernel = weight.dim(2);
        Im2Col geometry = new Im2Col(x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding);
        int n = x.dim(0);
        int rows = geometry.rows();
        int positions = geometry.positions();
        Tensor out = Tensor.zeros(n, filters, geometry.outHeight(), geometry.outWidth());
        int perBlock = imagesPerBlock(positions, n);
        int blocks = (n + perBlock - 1) / perBlock;
        double[] xd = x.data();
        double[] wd = weight.data();
        double[] bd = bias.data();
        double[] od = out.data();
        Parallel.forEach(blocks, block -> {
            int b0 = block * perBlock;
            int b1 = Math.min(n, b0 + perBlock);
            int width = (b1 - b0) * positions;
            double[][] cols = unroll(geometry, xd, b0, b1);
            double[][] planes = PLANES.get().rows(filters, width);
            for (int f = 0; f < filters; f++) {
                Arrays.fill(planes[f], 0, width, bd[f]);
            }
            MatMul.rowsAdd(planes, 0, filters, wd, 0, rows, 1, cols, rows, width);
            for (int b = b0; b < b1; b++) {
                for (int f = 0; f < filters; f++) {
                    System.arraycopy(planes[f], (b - b0) * positions, od, (b * filters + f) * positions, positions);
                }
            }
        });
        return out;
    }

    /** Adds dW and db into {@code dWeight}, {@code dBias}; returns dX if {@code inputGradient}, else null. */
    static Tensor backward(Tensor x, Tensor weight, Tensor dOut, Tensor dWeight, Tensor dBias, int stride, int padding,
            boolean inputGradient) {
        int filters = weight.dim(0);
        int kernel = weight.dim(2);
        Im2Col geometry = new Im2Col(x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding);
        int n = x.dim(0);
        int rows = geometry.rows();
        int positions = geometry.positions();
        int perBlock = imagesPerBlock(positions, n);
        int blocks = (n + perBlock - 1) / perBlock;
        int groups = gradientGroups(n, positions);
        double[][][] partials = partials(groups, filters, rows);
        double[] xd = x.data();
        double[] wd = weight.data();
        double[] gd = dOut.data();
        Tensor dx = inputGradient ? Tensor.zeros(x.shape()) : null;
        double[] dxd = inputGradient ? dx.data() : null;
        Parallel.forEach(groups, group -> {
            double[][] partialW = partials[group];
            double[] partialB = partials[partials.length / 2 + group][0];
            for (int f = 0; f < filters; f++) {
                Arrays.fill(partialW[f], 0, rows, 0.0);
            }
            Arrays.fill(partialB, 0, filters, 0.0);
            for (int block = blocks * group / groups; block < blocks * (group + 1) / groups; block++) {
                int b0 = block * perBlock;
                int b1 = Math.min(n, b0 + perBlock);
                double[][] unrolled = unroll(geometry, xd, b0, b1);
                backwardBlock(geometry, filters, b0, b1, unrolled, wd, gd, dxd, partialW, partialB);
            }
        });
        addPartials(partials, groups, filters, rows, dWeight.data(), dBias.data());
        return dx;
    }

    private static void backwardBlock(Im2Col geometry, int filters, int b0, int b1, double[][] unrolled, double[] wd,
            double[] gd, double[] dxd, double[][] partialW, double[] partialB) {
        int rows = geometry.rows();
        int positions = geometry.positions();
        int width = (b1 - b0) * positions;
        double[][] g = PLANES.get().rows(filters, width);
        for (int b = b0; b < b1; b++) {
            for (int f = 0; f < filters; f++) {
                System.arraycopy(gd, (b * filters + f) * positions, g[f], (b - b0) * positions, positions);
            }
        }
        for (int f = 0; f < filters; f++) {
            double s = 0;
            for (int q = 0; q < width; q++) {
                s += g[f][q];
            }
            partialB[f] += s;
        }
        weightGradient(partialW, g, unrolled, filters, rows, width);
        if (dxd == null) {
            return; // the caller needs no dX
        }
        double[][] dCols = UNROLLED_GRAD.get().rows(rows, width);
        // dCols (C k k, .) = W^T x g: the weight is read transposed in place (row stride 1, column stride C k k).
        MatMul.rowsSet(dCols, 0, rows, wd, 0, 1, rows, g, filters, width);
        for (int b = b0; b < b1; b++) {
            geometry.col2imAddRows(dCols, b, dxd, (b - b0) * positions);
        }
    }

    /** The columns of images b0 .. b1 side by side: (C k k, positions of all of them). */
    private static double[][] unroll(Im2Col geometry, double[] xd, int b0, int b1) {
        int positions = geometry.positions();
        double[][] cols = UNROLLED.get().rows(geometry.rows(), (b1 - b0) * positions);
        for (int b = b0; b < b1; b++) {
            geometry.im2colRows(xd, b, cols, (b - b0) * positions);
        }
        return cols;
    }

    /**
     * dW (F, C k k) += g (F, positions) x cols^T, in whichever form keeps the vector loops long and
     * the copying small:
     * <ul>
     *   <li>short windows (C k k below {@link #MIN_WINDOW_FOR_VECTOR_GRAD}, a first layer on grey
     *       images): each dW element as a dot product of a row of g and a row of cols;</li>
     *   <li>at least {@link #MIN_FILTERS_FOR_TRANSPOSED_GRAD} filters: dW^T (C k k, F) =
     *       cols x g^T, the vector loop running along F; only g (F rows) needs transposing, not
     *       cols (C k k rows), and dW^T is then added to dW;</li>
     *   <li>else: cols transposed to (positions, C k k) rows and dW += g x that, the vector loop
     *       running along C k k.</li>
     * </ul>
     */
    private static void weightGradient(double[][] partialW, double[][] g, double[][] cols, int filters, int rows,
            int width) {
        if (rows < MIN_WINDOW_FOR_VECTOR_GRAD) {
            MatMul.dotRowsAdd(partialW, g, filters, cols, rows, width);
        } else if (filters >= MIN_FILTERS_FOR_TRANSPOSED_GRAD) {
            double[][] gT = TRANSPOSED.get().rows(width, filters);
            MatMul.transposeRows(g, filters, width, gT);
            double[][] dWT = WEIGHT_T.get().rows(rows, filters);
            MatMul.rowsSet(dWT, 0, rows, cols, gT, width, filters);
            for (int r = 0; r < rows; r++) {
                double[] row = dWT[r];
                for (int f = 0; f < filters; f++) {
                    partialW[f][r] += row[f];
                }
            }
        } else {
            double[][] windows = TRANSPOSED.get().rows(width, rows);
            MatMul.transposeRows(cols, rows, width, windows);
            MatMul.rowsAdd(partialW, 0, filters, g, windows, width, rows);
        }
    }

    /** Images whose columns are put side by side: enough for rows of about {@link #MIN_ROW} values. */
    private static int imagesPerBlock(int positions, int images) {
        return Math.max(1, Math.min(images, (MIN_ROW + positions - 1) / positions));
    }

    /**
     * How many partial gradient sums the batch is cut into: one per block of images, at most
     * {@link #MAX_GRADIENT_GROUPS} (enough to keep several cores busy). Depends only on the
     * shapes, never on the machine.
     */
    static int gradientGroups(int images, int positions) {
        int blocks = (images + imagesPerBlock(positions, images) - 1) / imagesPerBlock(positions, images);
        return Math.max(1, Math.min(MAX_GRADIENT_GROUPS, blocks));
    }

    /** The calling thread's partial sums: groups weight blocks (filters x rows), then groups bias rows. */
    private static double[][][] partials(int groups, int filters, int rows) {
        double[][][] p = PARTIALS.get();
        boolean fits = p.length >= 2 * groups && p[0].length >= filters && p[0][0].length >= rows
                && p[p.length / 2][0].length >= filters;
        if (!fits) {
            int g = Math.max(groups, p.length / 2);
            int f = Math.max(filters, p.length == 0 ? 0 : p[0].length);
            int r = Math.max(rows, p.length == 0 ? 0 : p[0][0].length);
            p = new double[2 * g][][];
            for (int i = 0; i < g; i++) {
                p[i] = new double[f][r];
                p[g + i] = new double[1][f];
            }
            PARTIALS.set(p);
        }
        return p;
    }

    /** Adds the group sums to the parameter gradients, always in group order. */
    private static void addPartials(double[][][] partials, int groups, int filters, int rows, double[] dwd, double[] dbd) {
        int biasBase = partials.length / 2;
        for (int f = 0; f < filters; f++) {
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int group = 0; group < groups; group++) {
                    s += partials[group][f][r];
                }
                dwd[f * rows + r] += s;
            }
            double s = 0;
            for (int group = 0; group < groups; group++) {
                s += partials[biasBase + group][0][f];
            }
            dbd[f] += s;
        }
    }
}
