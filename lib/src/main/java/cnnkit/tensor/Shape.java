package cnnkit.tensor;

import java.util.Arrays;
import java.util.StringJoiner;

/** Small helpers for shapes: sizes, printing as {@code (N, C, H, W)}, and output-size arithmetic. */
public final class Shape {
    private Shape() {
    }

    /**
     * The number of elements, the product of the sizes. A negative size, or a product above
     * {@code Integer.MAX_VALUE} (the most a Java array holds), throws. The product is checked
     * after every factor, so it is refused before it can wrap around: (65536, 65536, 65536, 65536)
     * must not come out as 0. A shape with a zero size has no elements, whatever its other sizes.
     */
    public static int size(int... shape) {
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("shape " + str(shape) + " has a negative size");
            }
            if (s == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int s : shape) {
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + str(shape) + " has more than " + Integer.MAX_VALUE
                        + " elements, more than a Java array holds");
            }
        }
        return (int) n;
    }

    /** {@code (2, 3, 5)}: the way Javadoc and error messages write shapes. */
    public static String str(int... shape) {
        StringJoiner j = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (int s : shape) {
            j.add(Integer.toString(s));
        }
        return j.toString();
    }

    /**
     * Output length of a sliding window: {@code (in + 2 * padding - kernel) / stride + 1}.
     * The division floors, so a last partial window is dropped, as in every framework.
     */
    public static int convOut(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    static int[] resolve(int[] shape, int total) {
        int[] r = shape.clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one axis may be -1 in " + Arrays.toString(shape));
                }
                infer = i;
            } else if (r[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension " + r[i] + " in " + Arrays.toString(shape));
            } else {
                known *= r[i];
            }
        }
        boolean inferred = infer >= 0 && known > 0 && total % known == 0;
        if (inferred) {
            r[infer] = total / known;
        }
        if ((infer >= 0 && !inferred) || size(r) != total) {
            throw new IllegalArgumentException("reshape: cannot view " + total + " values as "
                    + Arrays.toString(shape));
        }
        return r;
    }
}
