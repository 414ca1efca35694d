package cnnkit.tensor;

import cnnkit.engine.MatMul;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntToDoubleFunction;

/**
 * An n-dimensional array of doubles stored row-major in one flat {@code double[]}.
 *
 * <p>Images use the layout (N, C, H, W): batch, channels, height, width. The element
 * (n, c, h, w) lives at {@code ((n * C + c) * H + h) * W + w}. {@link #data()} returns the
 * backing array itself, so layers loop over it directly and notebooks can set weights in place.
 *
 * <p>Operations that return a Tensor allocate a new one unless their name ends in
 * {@code InPlace}; {@link #reshape} shares the backing array.
 */
public final class Tensor {
    private final double[] data;
    private final int[] shape;

    private Tensor(double[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor of(double[] data, int... shape) {
        if (data == null || shape == null) {
            throw new IllegalArgumentException("Tensor.of: the " + (data == null ? "data array" : "shape") + " is null");
        }
        checkShape(shape);
        if (data.length != Shape.size(shape)) {
            throw new IllegalArgumentException("Tensor.of: shape " + Shape.str(shape) + " needs "
                    + Shape.size(shape) + " values, got " + data.length);
        }
        return new Tensor(data, shape.clone());
    }

    /** Copies a 2-D array of rows into an (rows, cols) tensor. */
    public static Tensor of(double[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("Tensor.of: the rows array is null");
        }
        int cols = rows.length == 0 || rows[0] == null ? 0 : rows[0].length;
        double[] d = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " is null");
            }
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length
                        + " values, expected " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(d, new int[] {rows.length, cols});
    }

    public static Tensor zeros(int... shape) {
        checkShape(shape);
        return new Tensor(new double[Shape.size(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    public static Tensor full(double value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** The values 0, 1, 2, ... laid out in the given shape; handy for worked examples. */
    public static Tensor arange(int... shape) {
        return generate(shape, i -> i);
    }

    /** Standard normal values from {@code new Random(seed)}: the same seed gives the same tensor. */
    public static Tensor randn(long seed, int... shape) {
        return randn(new Random(seed), shape);
    }

    public static Tensor randn(Random rng, int... shape) {
        return generate(shape, i -> rng.nextGaussian());
    }

    /** Uniform values in [0, 1) from {@code new Random(seed)}, like numpy's {@code rand}. */
    public static Tensor rand(long seed, int... shape) {
        return rand(new Random(seed), shape);
    }

    public static Tensor rand(Random rng, int... shape) {
        return generate(shape, i -> rng.nextDouble());
    }

    /** A tensor of {@code shape} whose flat element i is {@code value(i)}, computed in order i = 0, 1, 2, ... */
    private static Tensor generate(int[] shape, IntToDoubleFunction value) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = value.applyAsDouble(i);
        }
        return t;
    }

    /** The row-major backing array: not a copy. */
    public double[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public double get(int... index) {
        return data[offset(index)];
    }

    public void set(double value, int... index) {
        data[offset(index)] = value;
    }

    /** Adds {@code value} to the element at {@code index}: how a backward pass accumulates a gradient. */
    public void addAt(double value, int... index) {
        data[offset(index)] += value;
    }

    /** The scalar value of a one-element tensor. */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, got shape " + Shape.str(shape));
        }
        return data[0];
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " axes, tensor " + Shape.str(shape) + " has " + shape.length);
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index)
                        + " is outside shape " + Shape.str(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** A view with a new shape over the same data; one axis may be -1 to be inferred. */
    public Tensor reshape(int... newShape) {
        int[] resolved = Shape.resolve(newShape, data.length);
        return new Tensor(data, resolved);
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** Item {@code n} of the first axis, copied into a new tensor of shape {@code shape[1:]}. */
    public Tensor slice(int n) {
        if (shape.length == 0 || n < 0 || n >= shape[0]) {
            // Without this, n == shape[0] would silently return zeros (copyOfRange pads).
            throw new IndexOutOfBoundsException("slice " + n + " is outside shape " + Shape.str(shape));
        }
        int inner = data.length / shape[0];
        double[] d = Arrays.copyOfRange(data, n * inner, (n + 1) * inner);
        return new Tensor(d, Arrays.copyOfRange(shape, 1, shape.length));
    }

    public Tensor add(Tensor other) {
        requireSameShape("add", other);
        Tensor r = copy();
        for (int i = 0; i < data.length; i++) {
            r.data[i] += other.data[i];
        }
        return r;
    }

    public Tensor sub(Tensor other) {
        requireSameShape("sub", other);
        Tensor r = copy();
        for (int i = 0; i < data.length; i++) {
            r.data[i] -= other.data[i];
        }
        return r;
    }

    /** Element-wise (Hadamard) product. */
    public Tensor mul(Tensor other) {
        requireSameShape("mul", other);
        Tensor r = copy();
        for (int i = 0; i < data.length; i++) {
            r.data[i] *= other.data[i];
        }
        return r;
    }

    public Tensor mul(double s) {
        Tensor r = copy();
        for (int i = 0; i < data.length; i++) {
            r.data[i] *= s;
        }
        return r;
    }

    public Tensor add(double s) {
        Tensor r = copy();
        for (int i = 0; i < data.length; i++) {
            r.data[i] += s;
        }
        return r;
    }

    /** this += other, element-wise; returns this. */
    public Tensor addInPlace(Tensor other) {
        requireSameShape("addInPlace", other);
        for (int i = 0; i < data.length; i++) {
            data[i] += other.data[i];
        }
        return this;
    }

    /** this += s * other, element-wise; returns this. */
    public Tensor addScaledInPlace(double s, Tensor other) {
        requireSameShape("addScaledInPlace", other);
        for (int i = 0; i < data.length; i++) {
            data[i] += s * other.data[i];
        }
        return this;
    }

    public Tensor fill(double value) {
        Arrays.fill(data, value);
        return this;
    }

    public Tensor map(java.util.function.DoubleUnaryOperator f) {
        Tensor r = zeros(shape);
        for (int i = 0; i < data.length; i++) {
            r.data[i] = f.applyAsDouble(data[i]);
        }
        return r;
    }

    public double sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    /** The mean of all values; an empty tensor has none, and is refused. */
    public double mean() {
        requireValues("mean");
        return sum() / data.length;
    }

    /** The largest value; an empty tensor has none, and is refused. */
    public double max() {
        return extreme("max", Double.NEGATIVE_INFINITY, Math::max);
    }

    /** The smallest value; an empty tensor has none, and is refused. */
    public double min() {
        return extreme("min", Double.POSITIVE_INFINITY, Math::min);
    }

    /** {@code pick} (Math.max or Math.min) folded over all values from {@code start}; refuses an empty tensor. */
    private double extreme(String what, double start, DoubleBinaryOperator pick) {
        requireValues(what);
        double m = start;
        for (double v : data) {
            m = pick.applyAsDouble(m, v);
        }
        return m;
    }

    /** Euclidean (Frobenius) norm of all elements. */
    public double norm() {
        double s = 0;
        for (double v : data) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** Matrix product of (M, K) and (K, N) tensors; computed by the engine's {@link MatMul}. */
    public Tensor matmul(Tensor other) {
        if (rank() != 2 || other.rank() != 2 || shape[1] != other.shape[0]) {
            throw new IllegalArgumentException("matmul: expected (M, K) x (K, N), got "
                    + Shape.str(shape) + " x " + Shape.str(other.shape));
        }
        Tensor r = zeros(shape[0], other.shape[1]);
        MatMul.multiply(data, other.data, r.data, shape[0], shape[1], other.shape[1]);
        return r;
    }

    /** Transpose of a 2-D tensor. */
    public Tensor transpose() {
        if (rank() != 2) {
            throw new IllegalArgumentException("transpose: expected a 2-D tensor, got " + Shape.str(shape));
        }
        int rows = shape[0];
        int cols = shape[1];
        Tensor r = zeros(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r.data[j * rows + i] = data[i * cols + j];
            }
        }
        return r;
    }

    /** Exact equality of shape and values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** True when shapes match and every element differs by at most {@code tol}. */
    public boolean allClose(Tensor other, double tol) {
        if (!sameShape(other)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (!(Math.abs(data[i] - other.data[i]) <= tol)) {
                return false;
            }
        }
        return true;
    }

    /** Nested brackets like numpy for small tensors; a summary line for large ones. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    private void requireSameShape(String op, Tensor other) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException(op + ": shapes differ, " + Shape.str(shape)
                    + " vs " + Shape.str(other.shape));
        }
    }

    /** Fails for an empty tensor, whose mean, max or min does not exist (rather than NaN or an infinity). */
    private void requireValues(String what) {
        if (data.length == 0) {
            throw new IllegalArgumentException("Tensor." + what + "(): the tensor " + Shape.str(shape)
                    + " is empty (0 values), so it has no " + what);
        }
    }

    private static void checkShape(int[] shape) {
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
    }
}
