package cnnkit.engine;

import cnnkit.tensor.Shape;

/**
 * Unrolls the sliding windows of one image into the columns of a matrix, so a convolution
 * becomes a single matrix multiply.
 *
 * <p>For an image (C, H, W), {@code cols} has C * kernel * kernel rows, one per weight position
 * (c, ki, kj), and H' * W' columns, one per output position. Padding positions hold 0.
 * {@link #col2imAdd} is its adjoint: it adds every column entry back onto the pixel it came
 * from, which is exactly how a gradient flows back through the unrolling.
 *
 * <p>The row-array variants {@link #im2colRows} and {@link #col2imAddRows} serve the fast paths
 * of the convolution ({@link FastConv2D}): the same layout with one array per row (see {@link MatMul} for
 * why rows), and an offset, so that the columns of several images can sit side by side.
 */
public final class Im2Col {
    private final int channels;
    private final int height;
    private final int width;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outH;
    private final int outW;

    public Im2Col(int channels, int height, int width, int kernel, int stride, int padding) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outH = Shape.convOut(height, kernel, stride, padding);
        this.outW = Shape.convOut(width, kernel, stride, padding);
    }

    /** C * kernel * kernel. */
    public int rows() {
        return channels * kernel * kernel;
    }

    /** H', the output height. */
    public int outHeight() {
        return outH;
    }

    /** W', the output width. */
    public int outWidth() {
        return outW;
    }

    /** H' * W'. */
    public int positions() {
        return outH * outW;
    }

    /** Fills {@code cols} (rows x positions) from image {@code n} of an (N, C, H, W) array. */
    public void im2col(double[] x, int n, double[] cols) {
        int imageBase = n * channels * height * width;
        int positions = positions();
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < kernel; ki++) {
                for (int kj = 0; kj < kernel; kj++) {
                    int rowBase = ((c * kernel + ki) * kernel + kj) * positions;
                    for (int i = 0; i < outH; i++) {
                        int row = i * stride + ki - padding;
                        int dst = rowBase + i * outW;
                        if (row < 0 || row >= height) {
                            java.util.Arrays.fill(cols, dst, dst + outW, 0.0);
                            continue;
                        }
                        int src = imageBase + (c * height + row) * width;
                        for (int j = 0; j < outW; j++) {
                            int col = j * stride + kj - padding;
                            cols[dst + j] = col >= 0 && col < width ? x[src + col] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /** Adds {@code cols} back into image {@code n} of the (N, C, H, W) array {@code dx}. */
    public void col2imAdd(double[] cols, int n, double[] dx) {
        int imageBase = n * channels * height * width;
        int positions = positions();
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < kernel; ki++) {
                for (int kj = 0; kj < kernel; kj++) {
                    int rowBase = ((c * kernel + ki) * kernel + kj) * positions;
                    for (int i = 0; i < outH; i++) {
                        int row = i * stride + ki - padding;
                        if (row < 0 || row >= height) {
                            continue; // gradient that lands on padding is dropped
                        }
                        int src = rowBase + i * outW;
                        int dst = imageBase + (c * height + row) * width;
                        for (int j = 0; j < outW; j++) {
                            int col = j * stride + kj - padding;
                            if (col >= 0 && col < width) {
                                dx[dst + col] += cols[src + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Like {@link #im2col}, into row arrays: {@code rows[(c * kernel + ki) * kernel + kj][i * W' + j]}. */
    public void im2colRows(double[] x, int n, double[][] rows) {
        im2colRows(x, n, rows, 0);
    }

    /**
     * Like {@link #im2colRows(double[], int, double[][])} with the image's H' * W' columns starting
     * at column {@code offset}, so that several images can sit side by side in one set of rows.
     */
    public void im2colRows(double[] x, int n, double[][] rows, int offset) {
        int imageBase = n * channels * height * width;
        for (int kj = 0; kj < kernel; kj++) {
            // Output columns j read image column j * stride + kj - padding; those off the edge read padding (0).
            int shift = kj - padding;
            int jStart = firstInside(shift);
            int jEnd = endInside(shift, jStart);
            for (int c = 0; c < channels; c++) {
                for (int ki = 0; ki < kernel; ki++) {
                    double[] dst = rows[(c * kernel + ki) * kernel + kj];
                    for (int i = 0; i < outH; i++) {
                        int row = i * stride + ki - padding;
                        int d = offset + i * outW;
                        if (row < 0 || row >= height) {
                            java.util.Arrays.fill(dst, d, d + outW, 0.0);
                            continue;
                        }
                        int src = imageBase + (c * height + row) * width + shift;
                        // The padding at either end is a value or two: plain loops beat Arrays.fill's call there.
                        for (int j = 0; j < jStart; j++) {
                            dst[d + j] = 0.0;
                        }
                        if (stride == 1) {
                            System.arraycopy(x, src + jStart, dst, d + jStart, jEnd - jStart);
                        } else {
                            for (int j = jStart; j < jEnd; j++) {
                                dst[d + j] = x[src + j * stride];
                            }
                        }
                        for (int j = jEnd; j < outW; j++) {
                            dst[d + j] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /** First output column j whose image column j * stride + shift is not left of the image. */
    private int firstInside(int shift) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** One past the last output column whose image column j * stride + shift is inside the image. */
    private int endInside(int shift, int jStart) {
        return Math.min(outW, Math.max(jStart, (width - shift + stride - 1) / stride));
    }

    /** Like {@link #col2imAdd}, from row arrays laid out as {@link #im2colRows} writes them. */
    public void col2imAddRows(double[][] rows, int n, double[] dx) {
        col2imAddRows(rows, n, dx, 0);
    }

    /** Like {@link #col2imAddRows(double[][], int, double[])}, reading the image's columns from {@code offset}. */
    public void col2imAddRows(double[][] rows, int n, double[] dx, int offset) {
        int imageBase = n * channels * height * width;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < kernel; ki++) {
                for (int kj = 0; kj < kernel; kj++) {
                    double[] src = rows[(c * kernel + ki) * kernel + kj];
                    int shift = kj - padding;
                    int jStart = firstInside(shift);
                    int jEnd = endInside(shift, jStart);
                    for (int i = 0; i < outH; i++) {
                        int row = i * stride + ki - padding;
                        if (row < 0 || row >= height) {
                            continue; // gradient that lands on padding is dropped
                        }
                        int dst = imageBase + (c * height + row) * width + shift;
                        int s = offset + i * outW;
                        for (int j = jStart; j < jEnd; j++) {
                            dx[dst + j * stride] += src[s + j];
                        }
                    }
                }
            }
        }
    }
}
