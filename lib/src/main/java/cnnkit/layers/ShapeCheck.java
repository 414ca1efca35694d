package cnnkit.layers;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/** Input checks shared by the layers, so that every bad shape fails with the same clear message. */
public final class ShapeCheck {
    private ShapeCheck() {
    }

    /** Requires an (N, C, H, W) input with C = {@code channels} (any C when channels < 0). */
    public static void image(Layer layer, Tensor x, int channels) {
        if (x.rank() != 4 || (channels >= 0 && x.dim(1) != channels)) {
            String want = channels >= 0 ? "(N, " + channels + ", H, W)" : "(N, C, H, W)";
            throw new IllegalArgumentException(layer + ": expected input " + want + ", got " + Shape.str(x.shape()));
        }
    }

    /** Requires a window of {@code kernel} to fit in the padded input. */
    public static void window(Layer layer, Tensor x, int kernel, int padding) {
        int h = x.dim(2) + 2 * padding;
        int w = x.dim(3) + 2 * padding;
        if (h < kernel || w < kernel) {
            throw new IllegalArgumentException(layer + ": input " + Shape.str(x.shape()) + " is too small for a "
                    + kernel + "x" + kernel + " window with padding " + padding
                    + " (padded size " + h + "x" + w + ")");
        }
    }

    /**
     * The smallest input size of a sliding window ({@code kernel}, {@code stride}, {@code padding})
     * whose output is at least {@code outputSize}: out = (in + 2 padding - kernel) / stride + 1, solved for in.
     */
    public static int windowInput(int outputSize, int kernel, int stride, int padding) {
        return Math.max(1, (outputSize - 1) * stride + kernel - 2 * padding);
    }

    /**
     * The output shape of a sliding window over an (N, C, H, W) shape {@code in}: (N, channels, H', W')
     * with H' = (H + 2 padding - kernel) / stride + 1 (floored), the same for W'.
     */
    public static int[] windowOutput(int[] in, int channels, int kernel, int stride, int padding) {
        return new int[] {in[0], channels, Shape.convOut(in[2], kernel, stride, padding),
            Shape.convOut(in[3], kernel, stride, padding)};
    }

    /** Requires dOut to have the shape the forward pass produced. */
    public static void sameAs(Layer layer, String what, Tensor actual, int[] expected) {
        if (!java.util.Arrays.equals(actual.shape(), expected)) {
            throw new IllegalArgumentException(layer + ": expected " + what + " " + Shape.str(expected)
                    + ", got " + Shape.str(actual.shape()));
        }
    }
}
