package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum and L2 weight decay.
 *
 * <p>Per parameter: {@code g = grad + weightDecay * w}; with momentum,
 * {@code v = momentum * v + g} and {@code w -= lr * v}; without, {@code w -= lr * g}.
 * The velocity buffers are this optimizer's state, one per parameter. The constructor needs a
 * finite lr &gt; 0, a momentum in [0, 1) and a finite weight decay &gt;= 0 ({@link HyperParameters}).
 */
public class SGD extends Optimizer {
    private double lr;
    private final double momentum;
    private final double weightDecay;
    private final List<double[]> velocity = new ArrayList<>();

    public SGD(List<Param> params, double lr) {
        this(params, lr, 0.0, 0.0);
    }

    public SGD(List<Param> params, double lr, double momentum, double weightDecay) {
        super(params);
        this.lr = HyperParameters.positive("SGD", "lr", lr);
        this.momentum = HyperParameters.fraction("SGD", "momentum", momentum);
        this.weightDecay = HyperParameters.nonNegative("SGD", "weightDecay", weightDecay);
        for (Param p : this.params) {
            velocity.add(momentum > 0 ? new double[p.size()] : null);
        }
    }

    @Override
    public void step() {
        for (int k = 0; k < params.size(); k++) {
            double[] w = params.get(k).value().data();
            double[] g = params.get(k).grad().data();
            double[] v = velocity.get(k);
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + weightDecay * w[i];
                if (v != null) {
                    v[i] = momentum * v[i] + gi;
                    gi = v[i];
                }
                w[i] -= lr * gi;
            }
        }
    }

    @Override
    public double lr() {
        return lr;
    }

    /** Changes the learning rate, e.g. for a step-decay schedule; 0 (a frozen step) is allowed, NaN and negatives are not. */
    @Override
    public void setLr(double lr) {
        this.lr = HyperParameters.nonNegative("SGD.setLr", "lr", lr);
    }
}
