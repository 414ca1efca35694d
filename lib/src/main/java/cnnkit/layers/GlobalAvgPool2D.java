package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Global average pooling: the mean of each channel over the whole image.
 *
 * <p>{@code x (N, C, H, W) -> (N, C)}. The output is already flat, so a {@link Dense} can follow
 * directly (a {@link Flatten} after it is harmless but not needed). Caches the input shape;
 * backward spreads {@code g / (H * W)} evenly over each channel's H x W positions.
 */
public class GlobalAvgPool2D extends Layer {
    private int[] inputShape;

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, -1);
        inputShape = x.shape();
        int planes = x.dim(0) * x.dim(1);
        int area = x.dim(2) * x.dim(3);
        Tensor out = Tensor.zeros(x.dim(0), x.dim(1));
        double[] xd = x.data();
        double[] od = out.data();
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int k = 0; k < area; k++) {
                sum += xd[p * area + k];
            }
            od[p] = sum / area;
        }
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] in = requireForward(inputShape);
        ShapeCheck.sameAs(this, "dOut", dOut, new int[] {in[0], in[1]});
        int planes = in[0] * in[1];
        int area = in[2] * in[3];
        Tensor dx = Tensor.zeros(in);
        double[] dd = dx.data();
        double[] gd = dOut.data();
        for (int p = 0; p < planes; p++) {
            double share = gd[p] / area;
            for (int k = 0; k < area; k++) {
                dd[p * area + k] = share;
            }
        }
        return dx;
    }

    /** Any input size will do: the spatial size ends here. */
    @Override
    public int minInputSize(int outputSize) {
        return 1;
    }
}
