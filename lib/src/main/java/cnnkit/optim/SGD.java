package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum and L2 weight decay.
 *
 * <p>Per parameter: {@code g = grad + weightDecay * w}, {@code v = momentum * v + g},
 * {@code w -= lr * v}. With momentum 0 (the default) the velocity v is just g, and the step is
 * plain gradient descent, {@code w -= lr * g}. The velocity buffers are this optimizer's state,
 * one per parameter. The constructor needs a finite lr &gt; 0, a momentum in [0, 1) and a finite
 * weight decay &gt;= 0 ({@link HyperParameters}).
 */
public class SGD extends Optimizer {
    protected final double momentum;
    private final double weightDecay;
    /** One velocity buffer per parameter, the size of its values. */
    private final List<double[]> velocity;

    public SGD(List<Param> params, double lr) {
        this(params, lr, 0.0, 0.0);
    }

    public SGD(List<Param> params, double lr, double momentum, double weightDecay) {
        super(params, lr);
        String name = getClass().getSimpleName();
        this.momentum = HyperParameters.fraction(name, "momentum", momentum);
        this.weightDecay = HyperParameters.nonNegative(name, "weightDecay", weightDecay);
        this.velocity = zerosPerParam();
    }

    @Override
    public void step() {
        for (int k = 0; k < params.size(); k++) {
            double[] w = params.get(k).value().data();
            double[] g = params.get(k).grad().data();
            double[] v = velocity.get(k);
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + weightDecay * w[i];
                v[i] = momentum * v[i] + gi;
                w[i] -= lr * direction(gi, v[i]);
            }
        }
    }

    /** The direction of the step for gradient {@code g} and new velocity {@code v}: here v itself. */
    protected double direction(double g, double v) {
        return v;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lr=" + lr + ", momentum=" + momentum + ", weightDecay=" + weightDecay + ")";
    }
}
