package cnnkit.loss;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/**
 * Mean squared error over all elements: {@code L = mean((pred - target)^2)}.
 * Caches the difference; backward returns {@code dL/dpred = 2 (pred - target) / size}.
 */
public class MSELoss implements Loss {
    private Tensor diff;

    @Override
    public double forward(Tensor pred, Tensor target) {
        if (!pred.sameShape(target)) {
            throw new IllegalArgumentException("MSELoss: prediction " + Shape.str(pred.shape())
                    + " and target " + Shape.str(target.shape()) + " must have the same shape");
        }
        if (pred.size() == 0) {
            throw new IllegalArgumentException("MSELoss: empty batch " + Shape.str(pred.shape()) + "; the mean of no values is undefined");
        }
        diff = pred.sub(target);
        double sum = 0;
        for (double d : diff.data()) {
            sum += d * d;
        }
        return sum / diff.size();
    }

    @Override
    public Tensor backward() {
        if (diff == null) {
            throw new IllegalStateException("MSELoss: backward called before forward");
        }
        return diff.mul(2.0 / diff.size());
    }
}
