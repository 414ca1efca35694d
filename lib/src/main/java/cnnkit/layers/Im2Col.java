package cnnkit.layers;

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
 * <p>The row-array variants serve the fast paths of {@link Conv2D}: {@link #im2colRows} and
 * {@link #col2imAddRows} use the same layout with one array per row, and {@link #im2rowRows}
 * writes the transpose, one row of C * kernel * kernel values per output position, which is
 * the operand the weight gradient needs (see {@code cnnkit.tensor.MatMul} for why rows).
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
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < kernel; ki++) {
                for (int kj = 0; kj < kernel; kj++) {
                    double[] dst = rows[(c * kernel + ki) * kernel + kj];
                    for (int i = 0; i < outH; i++) {
                        int row = i * stride + ki - padding;
                        int d = offset + i * outW;
                        if (row < 0 || row >= height) {
                            java.util.Arrays.fill(dst, d, d + outW, 0.0);
                            continue;
                        }
                        copyRow(x, imageBase + (c * height + row) * width, kj - padding, dst, d);
                    }
                }
            }
        }
    }

    /** Output row {@code i}'s pixels for kernel column offset {@code shift}: {@code dst[d + j] = src[j * stride + shift]}, 0 off the edge. */
    private void copyRow(double[] x, int src, int shift, double[] dst, int d) {
        // Only the columns j with 0 <= j * stride + shift < width read the image; the rest are padding.
        int jStart = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int jEnd = Math.min(outW, Math.max(jStart, (width - shift + stride - 1) / stride));
        java.util.Arrays.fill(dst, d, d + jStart, 0.0);
        if (stride == 1) {
            System.arraycopy(x, src + jStart + shift, dst, d + jStart, jEnd - jStart);
        } else {
            for (int j = jStart; j < jEnd; j++) {
                dst[d + j] = x[src + j * stride + shift];
            }
        }
        java.util.Arrays.fill(dst, d + jEnd, d + outW, 0.0);
    }

    /**
     * The transpose of {@link #im2colRows}: {@code rows[i * W' + j][(c * kernel + ki) * kernel + kj]},
     * one row per output position holding the window it reads.
     */
    public void im2rowRows(double[] x, int n, double[][] rows) {
        int imageBase = n * channels * height * width;
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                double[] dst = rows[i * outW + j];
                int d = 0;
                for (int c = 0; c < channels; c++) {
                    for (int ki = 0; ki < kernel; ki++) {
                        int row = i * stride + ki - padding;
                        if (row < 0 || row >= height) {
                            java.util.Arrays.fill(dst, d, d + kernel, 0.0);
                            d += kernel;
                            continue;
                        }
                        int src = imageBase + (c * height + row) * width;
                        for (int kj = 0; kj < kernel; kj++) {
                            int col = j * stride + kj - padding;
                            dst[d++] = col >= 0 && col < width ? x[src + col] : 0.0;
                        }
                    }
                }
            }
        }
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
                    int jStart = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
                    int jEnd = Math.min(outW, Math.max(jStart, (width - shift + stride - 1) / stride));
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
