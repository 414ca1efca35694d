package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;

/**
 * A layer with a learned weight and one bias per output unit or channel: {@link Dense} and the
 * convolutions ({@link ConvLayer}). Params in order: weight, then bias. The layer gives the
 * weight's starting values and shape; the bias starts at zero.
 */
public abstract class WeightedLayer extends Layer {
    /** The weight, in the layout the layer's Javadoc gives. */
    protected final Param weight;
    /** One bias per output unit or channel. */
    protected final Param bias;

    /** Keeps {@code initialWeight} as the weight and a zero bias of {@code biasSize}. */
    protected WeightedLayer(Tensor initialWeight, int biasSize) {
        this.weight = new Param("weight", initialWeight);
        this.bias = new Param("bias", Tensor.zeros(biasSize));
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }
}
