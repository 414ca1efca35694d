package cnnkit.train;

import cnnkit.layers.CompositeLayer;
import cnnkit.layers.HasState;
import cnnkit.layers.Layer;
import cnnkit.layers.Sequential;
import cnnkit.tensor.Param;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Saves a model's parameters to a small binary file and loads them back into a model of the
 * same architecture. The architecture itself is code (the notebook rebuilds the model), so
 * the file holds numbers only; it is never Java serialization.
 *
 * <h2>Format, version 1</h2>
 * All numbers big-endian, as {@link java.io.DataOutputStream} writes them:
 * <pre>
 *   4 bytes   magic "CNNK"
 *   int       format version (1)
 *   int       entry count E
 *   E times:
 *     UTF     name: 2-byte length, then modified UTF-8 (DataOutput.writeUTF)
 *     int     rank R
 *     R ints  dimensions
 *     doubles the values, row-major, as many as the dimensions multiply to
 *   int       CRC-32 of every preceding byte, magic included
 * </pre>
 * Entries are the model's {@link Layer#params()} in order, named {@code "<index>.<param name>"}
 * (e.g. {@code "0.weight"}, {@code "1.bias"}) so equal names stay distinct, followed by any
 * non-trainable state of layers implementing {@link HasState} (found directly or inside
 * {@link Sequential} and {@link CompositeLayer} parts, at any depth), named {@code "state.<index>.<name>"}.
 *
 * <p>Writing is atomic (a temporary file renamed over the target). Loading reads and checks
 * the whole file first (magic, checksum, structure, then every name and shape against the model)
 * and only then copies the values in, so a failed load leaves the model unchanged. The checksum
 * is checked before the structure is read, so any damaged byte is reported as a damaged file.
 */
public final class ModelFile {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "CNNK".getBytes(StandardCharsets.US_ASCII);

    /** One stored tensor: its name, shape and values. */
    public record Entry(String name, int[] shape, double[] values) {
        @Override
        public String toString() {
            return name + " " + Shape.str(shape);
        }
    }

    private ModelFile() {
    }

    /** Writes every parameter (and state tensor) of {@code model} to {@code file}. */
    public static void save(Layer model, Path file) {
        List<Entry> entries = new ArrayList<>();
        for (Named t : tensorsOf(model)) {
            entries.add(new Entry(t.name, t.tensor.shape(), t.tensor.data()));
        }
        AtomicFile.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                writeEntry(out, e);
            }
            out.flush();
            // The checksum itself is written around the checked stream.
            new DataOutputStream(raw).writeInt((int) crc.getValue());
        });
    }

    /**
     * Loads {@code file} into {@code model}, which must have the same parameters (count, names
     * and shapes) in the same order. Throws {@link ModelFileException} naming the file and the
     * problem; the model is changed only if everything checks out.
     */
    public static void load(Layer model, Path file) {
        List<Entry> stored = read(file);
        List<Named> expected = tensorsOf(model);
        if (stored.size() != expected.size()) {
            throw new ModelFileException(file + ": holds " + stored.size() + " tensors but the model has "
                    + expected.size() + "; the file was saved from a different model.\n  file:  " + stored
                    + "\n  model: " + expected);
        }
        for (int i = 0; i < stored.size(); i++) {
            Entry e = stored.get(i);
            Named t = expected.get(i);
            if (!e.name().equals(t.name)) {
                throw new ModelFileException(file + ": tensor " + i + " is named '" + e.name() + "' in the file but '"
                        + t.name + "' in the model");
            }
            if (!Arrays.equals(e.shape(), t.tensor.shape())) {
                throw new ModelFileException(file + ": tensor " + i + " '" + t.name + "' has shape "
                        + Shape.str(e.shape()) + " in the file but " + Shape.str(t.tensor.shape()) + " in the model");
            }
        }
        for (int i = 0; i < stored.size(); i++) {
            double[] dst = expected.get(i).tensor.data();
            System.arraycopy(stored.get(i).values(), 0, dst, 0, dst.length);
        }
    }

    /** Reads and verifies a model file without a model, e.g. to list what it holds. */
    public static List<Entry> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw FileErrors.reading(file, e);
        }
        return parse(bytes, file.toString());
    }

    /** One line per stored tensor: name and shape. */
    public static String describe(Path file) {
        StringBuilder sb = new StringBuilder(file + ":\n");
        long total = 0;
        for (Entry e : read(file)) {
            sb.append("  ").append(e).append('\n');
            total += e.values().length;
        }
        return sb.append(String.format("  %,d values%n", total)).toString();
    }

    // ---- writing and parsing ----

    private static void writeEntry(DataOutputStream out, Entry e) throws IOException {
        out.writeUTF(e.name());
        out.writeInt(e.shape().length);
        for (int d : e.shape()) {
            out.writeInt(d);
        }
        for (double v : e.values()) {
            out.writeDouble(v);
        }
    }

    /**
     * Checks the magic number, then the checksum, and only then reads the structure: a damaged
     * byte anywhere (a dimension, say) is reported as a checksum failure, not as whatever the
     * damaged structure happens to look like ("the file ends early").
     */
    static List<Entry> parse(byte[] bytes, String file) {
        if (bytes.length >= MAGIC.length && !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelFileException(file + ": not a cnnkit model file (it does not start with \"CNNK\")");
        }
        int minimum = MAGIC.length + 3 * Integer.BYTES; // magic, version, count, checksum
        if (bytes.length < minimum) {
            throw corrupted(file, "the file ends early, at byte " + bytes.length + " of at least " + minimum);
        }
        verifyChecksum(bytes, file);
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, bytes.length - Integer.BYTES);
        buf.position(MAGIC.length);
        int version = buf.getInt();
        if (version != VERSION) {
            throw new ModelFileException(file + ": format version " + version + ", this cnnkit reads version "
                    + VERSION);
        }
        try {
            List<Entry> entries = parseEntries(buf, file);
            if (buf.hasRemaining()) {
                throw corrupted(file, buf.remaining() + " unexpected bytes before the checksum");
            }
            return entries;
        } catch (BufferUnderflowException e) {
            // Only a file written wrongly gets here: the checksum matched.
            throw corrupted(file, "the entries run past the checksum at byte " + (bytes.length - Integer.BYTES));
        }
    }

    private static List<Entry> parseEntries(ByteBuffer buf, String file) {
        int count = buf.getInt();
        if (count < 0 || count > buf.remaining()) {
            throw corrupted(file, "impossible tensor count " + count);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(parseEntry(buf, i, file));
        }
        return entries;
    }

    private static Entry parseEntry(ByteBuffer buf, int i, String file) {
        int nameLength = Short.toUnsignedInt(buf.getShort());
        byte[] nameBytes = new byte[nameLength];
        buf.get(nameBytes);
        // Names are plain ASCII ("3.weight"), where modified UTF-8 and UTF-8 agree.
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        int rank = buf.getInt();
        if (rank < 0 || rank > 8) {
            throw corrupted(file, "tensor " + i + " '" + name + "' has impossible rank " + rank);
        }
        int[] shape = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = buf.getInt();
            if (shape[d] < 0) {
                throw corrupted(file, "tensor " + i + " '" + name + "' has a negative dimension");
            }
            size *= shape[d];
            if (size * Double.BYTES > buf.remaining()) {
                break; // reported below; stopping early also keeps the product from overflowing
            }
        }
        // Check before allocating: a damaged dimension must not ask for gigabytes.
        if (size * Double.BYTES > buf.remaining()) {
            throw corrupted(file, "tensor " + i + " '" + name + "' of shape " + Shape.str(shape) + " needs "
                    + size * Double.BYTES + " bytes but only " + buf.remaining() + " remain");
        }
        double[] values = new double[(int) size];
        buf.asDoubleBuffer().get(values);
        buf.position(buf.position() + values.length * Double.BYTES);
        return new Entry(name, shape, values);
    }

    /** The last 4 bytes are the CRC-32 of all bytes before them. */
    private static void verifyChecksum(byte[] bytes, String file) {
        int end = bytes.length - Integer.BYTES;
        int storedCrc = ByteBuffer.wrap(bytes, end, Integer.BYTES).getInt();
        if (crc(bytes, end) == storedCrc) {
            return;
        }
        int extra = bytesAfterChecksum(bytes);
        if (extra > 0) {
            throw corrupted(file, extra + " unexpected bytes after the checksum");
        }
        int version = ByteBuffer.wrap(bytes, MAGIC.length, Integer.BYTES).getInt();
        throw corrupted(file, "checksum mismatch (stored " + Integer.toHexString(storedCrc) + ", computed "
                + Integer.toHexString(crc(bytes, end)) + "): the file is damaged or was cut short at " + bytes.length
                + " bytes" + (version != VERSION ? "; or it has format version " + version + ", and this cnnkit reads version "
                        + VERSION : ""));
    }

    /**
     * How many bytes follow a valid checksum, when the file is a whole model file with something
     * appended; 0 otherwise. Reads the structure without trusting it: any oddity gives 0.
     */
    private static int bytesAfterChecksum(byte[] bytes) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            buf.position(MAGIC.length + Integer.BYTES);
            parseEntries(buf, "");
            int end = buf.position();
            if (end + Integer.BYTES < bytes.length && buf.getInt() == crc(bytes, end)) {
                return bytes.length - end - Integer.BYTES;
            }
        } catch (BufferUnderflowException | ModelFileException e) {
            // not a whole file followed by extra bytes
        }
        return 0;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static ModelFileException corrupted(String file, String detail) {
        return new ModelFileException(file + ": the model file is truncated or corrupted: " + detail);
    }

    // ---- the model's tensors, named as in the file ----

    private record Named(String name, Tensor tensor) {
        @Override
        public String toString() {
            return name + " " + Shape.str(tensor.shape());
        }
    }

    private static List<Named> tensorsOf(Layer model) {
        List<Named> out = new ArrayList<>();
        List<Param> params = model.params();
        for (int i = 0; i < params.size(); i++) {
            out.add(new Named(i + "." + params.get(i).name(), params.get(i).value()));
        }
        List<Param> state = new ArrayList<>();
        collectState(model, state);
        for (int i = 0; i < state.size(); i++) {
            out.add(new Named("state." + i + "." + state.get(i).name(), state.get(i).value()));
        }
        return out;
    }

    private static void collectState(Layer layer, List<Param> out) {
        if (layer instanceof HasState s) {
            out.addAll(s.state());
        } else if (layer instanceof Sequential seq) {
            for (Layer child : seq.layers()) {
                collectState(child, out);
            }
        } else if (layer instanceof CompositeLayer composite) {
            // e.g. the batch normalisations inside a residual block or a dense block
            for (Layer part : composite.parts()) {
                collectState(part, out);
            }
        }
    }
}
