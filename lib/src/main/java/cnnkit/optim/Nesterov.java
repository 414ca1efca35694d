package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.List;

/**
 * Stochastic gradient descent with Nesterov momentum: the gradient is taken where the momentum
 * is about to carry the weights, not where they are.
 *
 * <p>The textbook form evaluates the gradient at the look-ahead point {@code w - lr * mu * v}:
 * <pre>
 *   v = mu * v + grad(w - lr * mu * v)
 *   w = w - lr * v
 * </pre>
 * A training loop only has the gradient at the current weights. Writing the stored weights as the
 * look-ahead point {@code u = w - lr * mu * v} turns the same method into an update that needs
 * only that gradient, which is the form used here (and by PyTorch's {@code nesterov=True}):
 * <pre>
 *   g = grad + weightDecay * w
 *   v = mu * v + g
 *   w = w - lr * (g + mu * v)
 * </pre>
 * Compared with plain momentum ({@code w -= lr * v}) the step uses {@code g + mu * v}: the fresh
 * gradient counts once more, so the method corrects itself sooner when the velocity points the
 * wrong way. Hyper-parameters, their checks, the velocity buffers and the loop of the step are those
 * of {@link SGD}; only the direction of the step differs.
 */
public class Nesterov extends SGD {
    /** Momentum 0.9, no weight decay. */
    public Nesterov(List<Param> params, double lr) {
        this(params, lr, 0.9, 0.0);
    }

    public Nesterov(List<Param> params, double lr, double momentum, double weightDecay) {
        super(params, lr, momentum, weightDecay);
    }

    /** The fresh gradient once more on top of the velocity: {@code g + mu * v}. */
    @Override
    protected double direction(double g, double v) {
        return g + momentum * v;
    }
}
