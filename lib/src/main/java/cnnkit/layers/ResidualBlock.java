package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * The basic residual block of ResNet (He et al., 2015): two 3x3 convolutions learn a residual
 * F(x) that is added to a shortcut S(x), and a ReLU follows the sum.
 *
 * <pre>
 *   main path F:  conv 3x3 (in -> out, stride, padding 1) [-> BN] -> ReLU -> conv 3x3 (out -> out, padding 1) [-> BN]
 *   shortcut  S:  identity                                        if stride == 1 and in == out
 *                 conv 1x1 (in -> out, stride, padding 0) [-> BN]   otherwise (a projection)
 *   y = ReLU(F(x) + S(x))
 * </pre>
 * Without batch normalisation this is the plainest residual block; the optional batch normalisation
 * after each convolution (including the projection) is the layout of the ResNet paper. With batch normalisation the
 * convolutions have no bias ({@link BiasFreeConv2D}): BN subtracts the channel mean and would
 * cancel it.
 *
 * <p>{@code x (N, in, H, W) -> (N, out, H', W')}, {@code H' = (H - 1) / stride + 1} (the padded
 * 3x3 convolution and the 1x1 projection agree on it), same for W'. Params: the main path's
 * then the projection's (when there is one): without batch normalisation conv1 weight, bias,
 * conv2 weight, bias, [projection weight, bias]; with it conv1 weight, bn1 gamma, beta, conv2
 * weight, bn2 gamma, beta, [projection weight, gamma, beta]. Each part caches what its own
 * backward needs; the block caches only its output shape.
 *
 * <p>Backward: the ReLU turns dOut into g = dL/d(F + S). A sum passes its gradient unchanged to
 * each term, so g goes to BOTH paths. x fed both paths, so dX is the sum of the two paths' dX;
 * through an identity shortcut that second term is g itself, which is why gradients reach early
 * layers of a deep ResNet undiminished.
 */
public class ResidualBlock extends CompositeLayer {
    private final int in;
    private final int out;
    private final int stride;
    private final boolean batchNorm;
    private final Sequential main;
    /** Null for the identity shortcut. */
    private final Sequential projection;
    private final ReLU outRelu;

    public ResidualBlock(int in, int out, int stride) {
        this(in, out, stride, false, new Random(Init.DEFAULT_SEED));
    }

    public ResidualBlock(int in, int out, int stride, Random rng) {
        this(in, out, stride, false, rng);
    }

    public ResidualBlock(int in, int out, int stride, boolean batchNorm) {
        this(in, out, stride, batchNorm, new Random(Init.DEFAULT_SEED));
    }

    /** Weights drawn from {@code rng} in the order conv1, conv2, projection. */
    public ResidualBlock(int in, int out, int stride, boolean batchNorm, Random rng) {
        if (in <= 0 || out <= 0 || stride <= 0) {
            throw new IllegalArgumentException("ResidualBlock: need positive channels and stride, got in=" + in
                    + " out=" + out + " stride=" + stride);
        }
        this.in = in;
        this.out = out;
        this.stride = stride;
        this.batchNorm = batchNorm;
        this.main = part(new Sequential());
        main.add(conv(in, out, 3, stride, 1, rng));
        addBatchNorm(main, out);
        main.add(new ReLU());
        main.add(conv(out, out, 3, 1, 1, rng));
        addBatchNorm(main, out);
        if (stride != 1 || in != out) {
            this.projection = part(new Sequential(conv(in, out, 1, stride, 0, rng)));
            addBatchNorm(projection, out);
        } else {
            this.projection = null;
        }
        this.outRelu = part(new ReLU());
    }

    /** A convolution; without bias when batch normalisation follows, since BN would cancel it. */
    private Conv2D conv(int cin, int cout, int kernel, int convStride, int padding, Random rng) {
        return BiasFreeConv2D.ifBatchNorm(batchNorm, cin, cout, kernel, convStride, padding, rng);
    }

    private void addBatchNorm(Sequential path, int channels) {
        if (batchNorm) {
            path.add(new BatchNorm2D(channels));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, in);
        Tensor residual = main.forward(x);                                      // F(x)
        Tensor shortcut = projection == null ? x : projection.forward(x);      // S(x)
        Tensor y = outRelu.forward(residual.add(shortcut));                     // ReLU(F(x) + S(x))
        return keepOutputShape(y);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        checkDOut(dOut);
        Tensor g = outRelu.backward(dOut);                                      // dL/d(F + S)
        // The sum hands the same g to both of its terms.
        Tensor dxMain = main.backward(g);
        Tensor dxShortcut = projection == null ? g : projection.backward(g);   // identity: g passes unchanged
        // x was used twice, so its gradient is the sum of what each path sends back.
        return dxMain.add(dxShortcut);
    }

    /** True when the shortcut is a 1x1 projection rather than the identity. */
    public boolean hasProjection() {
        return projection != null;
    }

    /** (N, in, H, W) -> (N, out, H', W'). */
    public int[] outputShape(int[] inShape) {
        return ShapeCheck.windowOutput(inShape, out, 3, stride, 1);
    }

    @Override
    public String toString() {
        return "ResidualBlock(" + in + "->" + out + ", stride=" + stride + (projection == null ? ", identity" : ", projection")
                + (batchNorm ? ", bn" : "") + ")";
    }
}
