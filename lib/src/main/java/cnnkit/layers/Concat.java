package cnnkit.layers;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joining tensors along the channel axis (axis 1), and splitting a gradient back, for blocks
 * whose branches meet: an Inception module concatenates its four branches, a DenseNet block
 * concatenates every earlier feature map with the new one.
 *
 * <p>{@link #concat} takes parts of shape (N, C_i, H, W) (or any rank >= 2: (N, C_i, ...)) that
 * agree on every axis except 1, and returns (N, C_1 + C_2 + ..., H, W). Because concatenation
 * only moves values, its backward is {@link #split}: cut dOut into pieces of C_1, C_2, ...
 * channels; {@link #channels} records those counts during forward.
 *
 * <pre>{@code
 * int[] sizes = Concat.channels(branchOutputs);   // forward: remember the split points
 * Tensor y = Concat.concat(branchOutputs);
 * ...
 * List<Tensor> grads = Concat.split(dOut, sizes); // backward: one gradient per branch
 * }</pre>
 * Not a {@link Layer}, since a layer has one input; the blocks that use it are the layers.
 */
public final class Concat {
    private Concat() {
    }

    public static Tensor concat(Tensor... parts) {
        return concat(Arrays.asList(parts));
    }

    /** Concatenates (N, C_i, ...) parts along axis 1; every other axis must match the first part's. */
    public static Tensor concat(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Concat: nothing to concatenate (empty list)");
        }
        int[] first = parts.get(0).shape();
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            requireCompatible(parts.get(i), i, first);
            total += parts.get(i).dim(1);
        }
        int[] shape = first.clone();
        shape[1] = total;
        Tensor out = Tensor.zeros(shape);
        int n = first[0];
        int inner = innerSize(first);
        double[] od = out.data();
        for (int b = 0; b < n; b++) {
            int at = b * total * inner;
            for (Tensor part : parts) {
                int block = part.dim(1) * inner;
                System.arraycopy(part.data(), b * block, od, at, block);
                at += block;
            }
        }
        return out;
    }

    /** The channel counts C_i of the parts, in order: what {@link #split} needs to undo a concat. */
    public static int[] channels(List<Tensor> parts) {
        int[] c = new int[parts.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = parts.get(i).rank() >= 2 ? parts.get(i).dim(1) : -1;
        }
        return c;
    }

    /** Cuts (N, sum C_i, ...) into parts (N, C_i, ...); the counts must add up to axis 1 exactly. */
    public static List<Tensor> split(Tensor t, int[] channels) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("Concat.split: expected a tensor (N, C, ...), got " + Shape.str(t.shape()));
        }
        int sum = 0;
        for (int c : channels) {
            if (c <= 0) {
                throw new IllegalArgumentException("Concat.split: channel counts must be positive, got "
                        + Arrays.toString(channels));
            }
            sum += c;
        }
        if (sum != t.dim(1)) {
            throw new IllegalArgumentException("Concat.split: channel counts " + Arrays.toString(channels)
                    + " add up to " + sum + " but the tensor " + Shape.str(t.shape()) + " has " + t.dim(1) + " channels");
        }
        int n = t.dim(0);
        int inner = innerSize(t.shape());
        List<Tensor> parts = new ArrayList<>();
        int offset = 0;
        for (int c : channels) {
            int[] shape = t.shape();
            shape[1] = c;
            Tensor part = Tensor.zeros(shape);
            int block = c * inner;
            for (int b = 0; b < n; b++) {
                System.arraycopy(t.data(), (b * sum + offset) * inner, part.data(), b * block, block);
            }
            parts.add(part);
            offset += c;
        }
        return parts;
    }

    private static void requireCompatible(Tensor part, int index, int[] first) {
        int[] s = part.shape();
        boolean ok = s.length == first.length && s.length >= 2 && s[0] == first[0];
        for (int a = 2; ok && a < s.length; a++) {
            ok = s[a] == first[a];
        }
        if (!ok) {
            String want = first.length < 2 ? "(N, C, ...)" : axisOneFree(first);
            throw new IllegalArgumentException("Concat: part " + index + " has shape " + Shape.str(s)
                    + ", expected " + want + " to match part 0 " + Shape.str(first)
                    + " on every axis except 1 (channels)");
        }
    }

    /** Part 0's shape written with "C" for the channel axis, e.g. (2, C, 5, 5). */
    private static String axisOneFree(int[] shape) {
        StringBuilder sb = new StringBuilder("(").append(shape[0]).append(", C");
        for (int a = 2; a < shape.length; a++) {
            sb.append(", ").append(shape[a]);
        }
        return sb.append(')').toString();
    }

    private static int innerSize(int[] shape) {
        int inner = 1;
        for (int a = 2; a < shape.length; a++) {
            inner *= shape[a];
        }
        return inner;
    }
}
