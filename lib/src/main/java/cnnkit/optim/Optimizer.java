package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Updates parameters from their gradients. Each optimizer owns its own per-parameter state; the
 * parameter list and the learning rate, which every optimizer has, are kept here.
 */
public abstract class Optimizer {
    protected final List<Param> params;
    /** The step size; read it in {@link #step()}, change it through {@link #setLr}. */
    protected double lr;

    /**
     * Refuses an empty list, a null entry and a parameter listed twice ({@link HyperParameters#params}),
     * and a learning rate that is not a finite number &gt; 0.
     */
    protected Optimizer(List<Param> params, double lr) {
        this.params = HyperParameters.params(name(), params);
        this.lr = HyperParameters.positive(name(), "lr", lr);
    }

    /** Applies one update to every parameter from its current gradient. */
    public abstract void step();

    /** The current learning rate. */
    public final double lr() {
        return lr;
    }

    /**
     * Changes the learning rate, e.g. for a schedule; the optimizer's state is kept. 0 (a frozen
     * step, where a warm-up starts or a cosine decay ends) is allowed, NaN and negatives are not.
     */
    public final void setLr(double lr) {
        this.lr = HyperParameters.nonNegative(name() + ".setLr", "lr", lr);
    }

    /** One zeroed array per parameter, the size of its values: the usual shape of an optimizer's state. */
    protected final List<double[]> zerosPerParam() {
        List<double[]> state = new ArrayList<>();
        for (Param p : params) {
            state.add(new double[p.size()]);
        }
        return state;
    }

    private String name() {
        return getClass().getSimpleName();
    }

    /** Clears every gradient, ready for the next backward pass. */
    public void zeroGrad() {
        for (Param p : params) {
            p.zeroGrad();
        }
    }

    public List<Param> params() {
        return params;
    }
}
