package cnnkit.layers;

import cnnkit.tensor.MatMul;
import cnnkit.tensor.Parallel;
import cnnkit.tensor.Param;
import cnnkit.tensor.RowBuffer;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * 2-D convolution (strictly, cross-correlation, as in every deep-learning framework).
 *
 * <p>{@code x (N, C, H, W) -> (N, F, H', W')} with
 * {@code H' = (H + 2 * padding - kernel) / stride + 1} and the same for W'.
 * Weight (F, C, kernel, kernel), bias (F). Caches the input for backward.
 *
 * <p>Three implementations compute the same numbers (the tests hold them equal):
 * <ul>
 *   <li>{@link #forwardNaive}/{@link #backwardNaive}: plain loops that read like the formulas;</li>
 *   <li>{@link #forwardIm2col}/{@link #backwardIm2col}: unroll every window into a column
 *       ({@link Im2Col}) so each image needs one matrix multiply;</li>
 *   <li>{@link #forwardFast}/{@link #backwardFast}, which {@link #forward} and {@link #backward}
 *       use: the im2col idea again, with the images of the batch spread over all cores, the
 *       vectorised row kernel of {@link MatMul}, and per-thread buffers reused from call to call.</li>
 * </ul>
 * {@link #backwardParamsOnly} is the fast backward without dX, for a first layer whose input
 * (the data) needs no gradient.
 */
public class Conv2D extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Param weight;
    private final Param bias;
    private Tensor input;
    /** Per-group partial weight and bias gradients of {@link #backwardFast}, kept between calls. */
    private double[][][] partialWeightGrad;
    private double[][] partialBiasGrad;

    /** Most partial gradient sums the fast backward uses, see {@link #gradientGroups}. */
    static final int MAX_GRADIENT_GROUPS = 8;
    /** Shortest row of columns the fast paths aim for: a few hundred values keep the vector loops busy. */
    private static final int MIN_ROW = 256;
    /** From this many weights per filter (C k k) on, the weight gradient uses the vector loop, see {@link #backwardBlock}. */
    static final int MIN_WINDOW_FOR_VECTOR_GRAD = 32;

    // Scratch rows per thread, shared by all Conv2D layers (only one layer runs at a time).
    private static final ThreadLocal<RowBuffer> UNROLLED = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> PLANES = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> UNROLLED_GRAD = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> TRANSPOSED = ThreadLocal.withInitial(RowBuffer::new);

    public Conv2D(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, new Random(Init.DEFAULT_SEED));
    }

    /** He-normal weights drawn from {@code rng}, zero bias. */
    public Conv2D(int inChannels, int outChannels, int kernel, int stride, int padding, Random rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2D: need positive channels, kernel and stride and padding >= 0, got in="
                    + inChannels + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        int fanIn = inChannels * kernel * kernel;
        this.weight = new Param("weight", Init.heNormal(rng, fanIn, outChannels, inChannels, kernel, kernel));
        this.bias = new Param("bias", Tensor.zeros(outChannels));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardFast(x);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return backwardFast(dOut);
    }

    /** The teaching version: slide the kernel over every output position and sum the products. */
    public Tensor forwardNaive(Tensor x) {
        Tensor out = prepareForward(x);
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = out.dim(2);
        int outW = out.dim(3);
        double[] xd = x.data();
        double[] wd = weight.value().data();
        double[] od = out.data();
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < outChannels; f++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double sum = bias.value().data()[f];
                        for (int c = 0; c < inChannels; c++) {
                            for (int ki = 0; ki < kernel; ki++) {
                                int row = i * stride + ki - padding;
                                if (row < 0 || row >= h) {
                                    continue; // a zero from the padding
                                }
                                for (int kj = 0; kj < kernel; kj++) {
                                    int col = j * stride + kj - padding;
                                    if (col < 0 || col >= w) {
                                        continue;
                                    }
                                    sum += xd[((b * inChannels + c) * h + row) * w + col]
                                            * wd[((f * inChannels + c) * kernel + ki) * kernel + kj];
                                }
                            }
                        }
                        od[((b * outChannels + f) * outH + i) * outW + j] = sum;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The teaching version of backward. Each output (b, f, i, j) was a sum of x * w over one
     * window plus the bias, so its gradient g flows back as: g * x into dW for that window,
     * g * w into dX for that window, and g into db[f].
     */
    public Tensor backwardNaive(Tensor dOut) {
        Tensor x = cached(input, this);
        checkGrad(dOut);
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = dOut.dim(2);
        int outW = dOut.dim(3);
        double[] xd = x.data();
        double[] wd = weight.value().data();
        double[] dwd = weight.grad().data();
        double[] dbd = bias.grad().data();
        double[] god = dOut.data();
        Tensor dx = Tensor.zeros(x.shape());
        double[] dxd = dx.data();
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < outChannels; f++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double g = god[((b * outChannels + f) * outH + i) * outW + j];
                        dbd[f] += g;
                        for (int c = 0; c < inChannels; c++) {
                            for (int ki = 0; ki < kernel; ki++) {
                                int row = i * stride + ki - padding;
                                if (row < 0 || row >= h) {
                                    continue;
                                }
                                for (int kj = 0; kj < kernel; kj++) {
                                    int col = j * stride + kj - padding;
                                    if (col < 0 || col >= w) {
                                        continue;
                                    }
                                    int xi = ((b * inChannels + c) * h + row) * w + col;
                                    int wi = ((f * inChannels + c) * kernel + ki) * kernel + kj;
                                    dwd[wi] += g * xd[xi];
                                    dxd[xi] += g * wd[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** The fast version: per image, out (F, H'W') = W (F, C k k) x cols (C k k, H'W') + b. */
    public Tensor forwardIm2col(Tensor x) {
        Tensor out = prepareForward(x);
        Im2Col geometry = geometry(x);
        int n = x.dim(0);
        int positions = geometry.positions();
        double[] cols = new double[geometry.rows() * positions];
        double[] od = out.data();
        double[] bd = bias.value().data();
        double[] plane = new double[outChannels * positions];
        for (int b = 0; b < n; b++) {
            geometry.im2col(x.data(), b, cols);
            MatMul.multiply(weight.value().data(), cols, plane, outChannels, geometry.rows(), positions);
            int base = b * outChannels * positions;
            for (int f = 0; f < outChannels; f++) {
                for (int p = 0; p < positions; p++) {
                    od[base + f * positions + p] = plane[f * positions + p] + bd[f];
                }
            }
        }
        return out;
    }

    /** The fast backward: dW += dOut x cols^T, dCols = W^T x dOut, then dCols folds back into dX. */
    public Tensor backwardIm2col(Tensor dOut) {
        Tensor x = cached(input, this);
        checkGrad(dOut);
        Im2Col geometry = geometry(x);
        int n = x.dim(0);
        int positions = geometry.positions();
        int rows = geometry.rows();
        double[] cols = new double[rows * positions];
        double[] dCols = new double[rows * positions];
        double[] gPlane = new double[outChannels * positions];
        double[] dbd = bias.grad().data();
        Tensor dx = Tensor.zeros(x.shape());
        for (int b = 0; b < n; b++) {
            System.arraycopy(dOut.data(), b * outChannels * positions, gPlane, 0, gPlane.length);
            for (int f = 0; f < outChannels; f++) {
                for (int p = 0; p < positions; p++) {
                    dbd[f] += gPlane[f * positions + p];
                }
            }
            geometry.im2col(x.data(), b, cols);
            MatMul.multiplyTransBAdd(gPlane, cols, weight.grad().data(), outChannels, positions, rows);
            java.util.Arrays.fill(dCols, 0.0);
            MatMul.multiplyTransAAdd(weight.value().data(), gPlane, dCols, rows, outChannels, positions);
            geometry.col2imAdd(dCols, b, dx.data());
        }
        return dx;
    }

    /**
     * The fast forward: the product of {@link #forwardIm2col}, out (F, H'W') = W (F, C k k) x
     * cols (C k k, H'W') + b, for a block of images at once (their columns side by side, so that
     * small maps still give long rows to the vectorised kernel), with the blocks spread over the
     * cores. An image's output depends only on that image, whichever thread computes it.
     * (Backward unrolls the input again: keeping the windows measured no faster, and costs memory.)
     */
    public Tensor forwardFast(Tensor x) {
        Tensor out = prepareForward(x);
        Im2Col geometry = geometry(x);
        int n = x.dim(0);
        int rows = geometry.rows();
        int positions = geometry.positions();
        int perBlock = imagesPerBlock(positions, n);
        int blocks = (n + perBlock - 1) / perBlock;
        double[] xd = x.data();
        double[] wd = weight.value().data();
        double[] bd = bias.value().data();
        double[] od = out.data();
        Parallel.forEach(blocks, block -> {
            int b0 = block * perBlock;
            int b1 = Math.min(n, b0 + perBlock);
            int width = (b1 - b0) * positions;
            double[][] cols = UNROLLED.get().rows(rows, width);
            double[][] planes = PLANES.get().rows(outChannels, width);
            for (int b = b0; b < b1; b++) {
                geometry.im2colRows(xd, b, cols, (b - b0) * positions);
            }
            for (int f = 0; f < outChannels; f++) {
                java.util.Arrays.fill(planes[f], 0, width, bd[f]);
            }
            MatMul.rowsAdd(planes, 0, outChannels, wd, 0, rows, 1, cols, rows, width);
            for (int b = b0; b < b1; b++) {
                for (int f = 0; f < outChannels; f++) {
                    System.arraycopy(planes[f], (b - b0) * positions, od, (b * outChannels + f) * positions, positions);
                }
            }
        });
        return out;
    }

    /**
     * The fast backward. For a block of images (the blocks of {@link #forwardFast}) with
     * g = dOut (F, H'W') and cols (C k k, H'W'), their columns side by side:
     * dW += g x cols^T, db += row sums of g, dCols = W^T x g, folded back into dX by col2im.
     *
     * <p>The blocks are cut into a fixed number of groups ({@link #gradientGroups}); each group,
     * on whichever thread, sums dW and db over its blocks in order into its own buffer, and the
     * group sums are then added to the gradients in group order. The cut depends only on the
     * shapes, so results are bit for bit the same in every run and on any number of cores.
     */
    public Tensor backwardFast(Tensor dOut) {
        return backwardFast(dOut, true);
    }

    /**
     * Parameter gradients only, as {@link #backwardFast} computes them; dX (its product and
     * col2im, about a third of the backward pass) is skipped. A subclass that overrides
     * {@link #backward} must override this too.
     */
    @Override
    public void backwardParamsOnly(Tensor dOut) {
        backwardFast(dOut, false);
    }

    /** Returns dX if {@code inputGradient}, else null. */
    private Tensor backwardFast(Tensor dOut, boolean inputGradient) {
        Tensor x = cached(input, this);
        checkGrad(dOut);
        Im2Col geometry = geometry(x);
        int n = x.dim(0);
        int rows = geometry.rows();
        int positions = geometry.positions();
        int perBlock = imagesPerBlock(positions, n);
        int blocks = (n + perBlock - 1) / perBlock;
        int groups = gradientGroups(n, positions);
        ensurePartials(groups, rows);
        double[] xd = x.data();
        double[] wd = weight.value().data();
        double[] gd = dOut.data();
        Tensor dx = inputGradient ? Tensor.zeros(x.shape()) : null;
        double[] dxd = inputGradient ? dx.data() : null;
        Parallel.forEach(groups, group -> {
            double[][] partialW = partialWeightGrad[group];
            double[] partialB = partialBiasGrad[group];
            for (double[] row : partialW) {
                java.util.Arrays.fill(row, 0.0);
            }
            java.util.Arrays.fill(partialB, 0.0);
            for (int block = blocks * group / groups; block < blocks * (group + 1) / groups; block++) {
                int b0 = block * perBlock;
                int b1 = Math.min(n, b0 + perBlock);
                double[][] cols = UNROLLED.get().rows(rows, (b1 - b0) * positions);
                for (int b = b0; b < b1; b++) {
                    geometry.im2colRows(xd, b, cols, (b - b0) * positions);
                }
                backwardBlock(geometry, b0, b1, cols, wd, gd, dxd, partialW, partialB);
            }
        });
        addPartials(groups, rows);
        return dx;
    }

    private void backwardBlock(Im2Col geometry, int b0, int b1, double[][] cols, double[] wd, double[] gd, double[] dxd,
            double[][] partialW, double[] partialB) {
        int rows = geometry.rows();
        int positions = geometry.positions();
        int width = (b1 - b0) * positions;
        double[][] g = PLANES.get().rows(outChannels, width);
        for (int b = b0; b < b1; b++) {
            for (int f = 0; f < outChannels; f++) {
                System.arraycopy(gd, (b * outChannels + f) * positions, g[f], (b - b0) * positions, positions);
            }
        }
        for (int f = 0; f < outChannels; f++) {
            double s = 0;
            for (int q = 0; q < width; q++) {
                s += g[f][q];
            }
            partialB[f] += s;
        }
        if (rows >= MIN_WINDOW_FOR_VECTOR_GRAD) {
            // dW (F, C k k) += g x cols^T: with cols transposed to (positions, C k k) rows this is the
            // vector loop along C k k, which beats dot products once C k k is a few vectors long.
            double[][] windows = TRANSPOSED.get().rows(width, rows);
            MatMul.transposeRows(cols, rows, width, windows);
            MatMul.rowsAdd(partialW, 0, outChannels, g, windows, width, rows);
        } else {
            // Narrow C k k (a first layer on grey images): each dW element as a dot product of a row of g and a row of cols.
            MatMul.dotRowsAdd(partialW, g, outChannels, cols, rows, width);
        }
        if (dxd == null) {
            return; // the caller needs no dX
        }
        double[][] dCols = UNROLLED_GRAD.get().rows(rows, width);
        // dCols (C k k, .) = W^T x g: the weight is read transposed in place (row stride 1, column stride C k k).
        MatMul.rowsSet(dCols, 0, rows, wd, 0, 1, rows, g, outChannels, width);
        for (int b = b0; b < b1; b++) {
            geometry.col2imAddRows(dCols, b, dxd, (b - b0) * positions);
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

    private void ensurePartials(int groups, int rows) {
        if (partialWeightGrad == null || partialWeightGrad.length < groups) {
            partialWeightGrad = new double[groups][outChannels][rows];
            partialBiasGrad = new double[groups][outChannels];
        }
    }

    /** Adds the group sums to the parameter gradients, always in group order. */
    private void addPartials(int groups, int rows) {
        double[] dwd = weight.grad().data();
        double[] dbd = bias.grad().data();
        for (int f = 0; f < outChannels; f++) {
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int group = 0; group < groups; group++) {
                    s += partialWeightGrad[group][f][r];
                }
                dwd[f * rows + r] += s;
            }
            double s = 0;
            for (int group = 0; group < groups; group++) {
                s += partialBiasGrad[group][f];
            }
            dbd[f] += s;
        }
    }

    private Tensor prepareForward(Tensor x) {
        ShapeCheck.image(this, x, inChannels);
        ShapeCheck.window(this, x, kernel, padding);
        input = x;
        return Tensor.zeros(outputShape(x.shape()));
    }

    private void checkGrad(Tensor dOut) {
        ShapeCheck.sameAs(this, "dOut", dOut, outputShape(input.shape()));
    }

    private Im2Col geometry(Tensor x) {
        return new Im2Col(inChannels, x.dim(2), x.dim(3), kernel, stride, padding);
    }

    /** (N, C, H, W) -> (N, F, H', W'). */
    public int[] outputShape(int[] in) {
        return new int[] {in[0], outChannels, Shape.convOut(in[2], kernel, stride, padding),
            Shape.convOut(in[3], kernel, stride, padding)};
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    public String toString() {
        return "Conv2D(" + inChannels + "->" + outChannels + ", kernel=" + kernel + ", stride=" + stride
                + ", padding=" + padding + ")";
    }
}
