package cnnkit.data;

import cnnkit.tensor.Shape;

/**
 * The content of one IDX file of unsigned bytes: its dimensions (e.g. (60000, 28, 28) for MNIST's
 * training images, (60000) for its labels) and the bytes in row-major order.
 *
 * @param dims the sizes from the file's header
 * @param data {@code Shape.size(dims)} unsigned bytes, not copied
 */
public record IdxArray(int[] dims, byte[] data) {
    public IdxArray {
        dims = dims.clone();
        if (Shape.size(dims) != data.length) {
            throw new IllegalArgumentException("IDX dims " + Shape.str(dims) + " need " + Shape.size(dims)
                    + " bytes, got " + data.length);
        }
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The IDX magic number for these dims: {@code 0x0000_08_<rank>} (0x08 = unsigned byte). */
    public int magic() {
        return 0x0800 | dims.length;
    }

    @Override
    public String toString() {
        return "IdxArray" + Shape.str(dims);
    }
}
