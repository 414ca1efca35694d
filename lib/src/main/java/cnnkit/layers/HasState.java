package cnnkit.layers;

import cnnkit.tensor.Param;
import java.util.List;

/**
 * A layer with values that are not trained by gradients but still define what it computes,
 * such as batch normalisation's running mean and variance. Model files save and restore
 * them next to the trainable parameters.
 *
 * <p>The returned tensors must be the layer's own (restoring copies values into them in
 * place). A composite layer other than {@link Sequential} that contains stateful layers
 * implements this interface too and returns its children's state, in a fixed order.
 */
public interface HasState {
    /** Non-trainable tensors, in a fixed order; their gradients are unused. */
    List<Param> state();
}
