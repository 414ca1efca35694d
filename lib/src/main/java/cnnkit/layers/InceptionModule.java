package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * The Inception module of GoogLeNet (Szegedy et al., 2014): four branches look at the same input
 * with different receptive fields and their outputs are stacked along the channels.
 *
 * <pre>
 *   branch 1:  conv 1x1 (in -> c1) -> ReLU
 *   branch 2:  conv 1x1 (in -> c3r) -> ReLU -> conv 3x3 pad 1 (c3r -> c3) -> ReLU
 *   branch 3:  conv 1x1 (in -> c5r) -> ReLU -> conv 5x5 pad 2 (c5r -> c5) -> ReLU
 *   branch 4:  max pool 3x3 stride 1 pad 1 -> conv 1x1 (in -> pool) -> ReLU
 *   y = concat(branch 1, 2, 3, 4) on channels
 * </pre>
 * The 1x1 "reduce" convolutions (c3r, c5r) shrink the channels before the expensive 3x3 and 5x5
 * ones. Every branch keeps H and W, so {@code x (N, in, H, W) -> (N, c1 + c3 + c5 + pool, H, W)}.
 *
 * <p>Two details matter: a ReLU follows every convolution, as in the paper (without them the 1x1
 * and pool branches would be purely linear); and the pool branch pads with minus infinity
 * ({@link PaddedMaxPool2D}), because padding with zeros would make the border pixels' maximum at
 * least 0.
 *
 * <p>Params, branch by branch: conv weight and bias for the convolutions in the order above.
 * Each branch caches what its layers need; the module caches the four channel counts.
 *
 * <p>Backward: concatenation only moved values, so dOut is cut back into four pieces by channel;
 * each piece runs back through its own branch. All four branches read the same x, so dX is the
 * SUM of the four branch gradients.
 */
public class InceptionModule extends CompositeLayer {
    private final int in;
    private final int[] widths;
    private final int reduce3;
    private final int reduce5;
    private final Sequential branch1;
    private final Sequential branch3x3;
    private final Sequential branch5x5;
    private final Sequential branchPool;

    public InceptionModule(int in, int c1, int c3r, int c3, int c5r, int c5, int pool) {
        this(in, c1, c3r, c3, c5r, c5, pool, new Random(Init.DEFAULT_SEED));
    }

    /** Weights drawn from {@code rng} branch by branch, in the order of the table above. */
    public InceptionModule(int in, int c1, int c3r, int c3, int c5r, int c5, int pool, Random rng) {
        if (in <= 0 || c1 <= 0 || c3r <= 0 || c3 <= 0 || c5r <= 0 || c5 <= 0 || pool <= 0) {
            throw new IllegalArgumentException("InceptionModule: all channel counts must be positive, got in=" + in
                    + " c1=" + c1 + " c3r=" + c3r + " c3=" + c3 + " c5r=" + c5r + " c5=" + c5 + " pool=" + pool);
        }
        this.in = in;
        this.widths = new int[] {c1, c3, c5, pool};
        this.reduce3 = c3r;
        this.reduce5 = c5r;
        this.branch1 = part(new Sequential(new Conv2D(in, c1, 1, 1, 0, rng), new ReLU()));
        this.branch3x3 = part(new Sequential(new Conv2D(in, c3r, 1, 1, 0, rng), new ReLU(),
                new Conv2D(c3r, c3, 3, 1, 1, rng), new ReLU()));
        this.branch5x5 = part(new Sequential(new Conv2D(in, c5r, 1, 1, 0, rng), new ReLU(),
                new Conv2D(c5r, c5, 5, 1, 2, rng), new ReLU()));
        this.branchPool = part(new Sequential(new PaddedMaxPool2D(3, 1, 1),
                new Conv2D(in, pool, 1, 1, 0, rng), new ReLU()));
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, in);
        Tensor y = Concat.concat(branch1.forward(x), branch3x3.forward(x), branch5x5.forward(x), branchPool.forward(x));
        return keepOutputShape(y);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        checkDOut(dOut);
        // Undo the concatenation: each branch gets the gradient of its own channels.
        List<Tensor> g = Concat.split(dOut, widths);
        // Every branch read the same x: add up the four contributions.
        Tensor dx = branch1.backward(g.get(0));
        dx.addInPlace(branch3x3.backward(g.get(1)));
        dx.addInPlace(branch5x5.backward(g.get(2)));
        dx.addInPlace(branchPool.backward(g.get(3)));
        return dx;
    }

    /** c1 + c3 + c5 + pool. */
    public int outChannels() {
        return widths[0] + widths[1] + widths[2] + widths[3];
    }

    @Override
    public String toString() {
        return "Inception(" + in + "->" + widths[0] + "+" + widths[1] + "+" + widths[2] + "+" + widths[3] + "="
                + outChannels() + ", reduce " + reduce3 + "/" + reduce5 + ")";
    }
}
