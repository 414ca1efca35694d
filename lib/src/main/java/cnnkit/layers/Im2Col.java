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
}
