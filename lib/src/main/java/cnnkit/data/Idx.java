package cnnkit.data;

import cnnkit.train.FileErrors;
import cnnkit.train.AtomicFile;
import cnnkit.tensor.Shape;
import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reader and writer for the IDX format of MNIST and Fashion-MNIST, raw or gzipped.
 *
 * <p>Layout (big-endian): a 4-byte magic number {@code 00 00 08 r} (0x08 = unsigned bytes, r = number
 * of dimensions), then r 4-byte sizes, then the bytes. Labels files are {@code 0x00000801} (N),
 * images files {@code 0x00000803} (N, H, W). A file is gzipped when it starts with the bytes
 * {@code 1f 8b}, whatever its name.
 *
 * <p>Every problem (wrong magic, impossible size, truncated data, trailing bytes, corrupt gzip) throws
 * {@link DataFormatException} with the file and the byte offset (of the uncompressed data for a gzip
 * file); the file is read completely before anything is returned.
 */
public final class Idx {
    /** Magic number of an unsigned-byte labels file: (N). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an unsigned-byte images file: (N, H, W). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private Idx() {
    }

    /** Reads an unsigned-byte IDX file of any rank. */
    public static IdxArray read(Path file) {
        return read(file, -1);
    }

    /** Reads an IDX file and requires its magic number to be {@code expectedMagic} (e.g. {@link #IMAGES_MAGIC}). */
    public static IdxArray read(Path file, int expectedMagic) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            boolean gz = isGzip(raw);
            InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
            return parse(file, in, gz, expectedMagic);
        } catch (ZipException e) {
            // GZIPInputStream checks the gzip header in its constructor.
            throw new DataFormatException(file, "byte offset 0", "not a valid gzip file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw FileErrors.reading(file, e);
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static IdxArray parse(Path file, InputStream in, boolean gz, int expectedMagic) {
        byte[] head = new byte[4];
        need(file, gz, in, head, 0, "the 4-byte magic number");
        int magic = readInt(head, 0);
        checkMagic(file, magic, expectedMagic);
        int rank = magic & 0xFF;
        byte[] dimBytes = new byte[4 * rank];
        need(file, gz, in, dimBytes, 4, rank + " dimension sizes");
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(dimBytes, 4 * i);
            if (dims[i] < 0) {
                throw new DataFormatException(file, where(4 + 4L * i, gz), "dimension " + i + " is "
                        + Integer.toUnsignedString(dims[i]) + ", too large for this reader");
            }
            total *= dims[i];
        }
        long headerSize = 4 + 4L * rank;
        if (total > Integer.MAX_VALUE - 64) {
            throw new DataFormatException(file, where(4, gz), "dimensions " + Shape.str(dims) + " describe "
                    + total + " bytes, more than a Java array holds");
        }
        byte[] data = new byte[(int) total];
        need(file, gz, in, data, headerSize, "the " + total + " data bytes of dims " + Shape.str(dims));
        int extra = readSome(file, gz, in, new byte[1], headerSize + total);
        if (extra > 0) {
            throw new DataFormatException(file, where(headerSize + total, gz), "unexpected bytes after the "
                    + total + " data bytes that dims " + Shape.str(dims) + " promise");
        }
        return new IdxArray(dims, data);
    }

    private static void checkMagic(Path file, int magic, int expected) {
        String got = String.format("0x%08X", magic);
        if (expected >= 0 && magic != expected) {
            throw DataFormatException.atByte(file, 0, "wrong IDX magic number " + got + ", expected "
                    + String.format("0x%08X", expected) + " (" + describe(expected) + ")");
        }
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
            throw DataFormatException.atByte(file, 0, "wrong IDX magic number " + got
                    + ": expected 0x000008nn (unsigned bytes, nn dimensions); this reader supports only unsigned bytes");
        }
    }

    private static String describe(int magic) {
        return switch (magic) {
            case LABELS_MAGIC -> "unsigned-byte labels, 1 dimension";
            case IMAGES_MAGIC -> "unsigned-byte images, 3 dimensions";
            default -> "unsigned bytes, " + (magic & 0xFF) + " dimensions";
        };
    }

    /** Fills {@code buf} completely or throws a truncation error at the offset where the file ended. */
    private static void need(Path file, boolean gz, InputStream in, byte[] buf, long offset, String what) {
        int got = readSome(file, gz, in, buf, offset);
        if (got < buf.length) {
            throw new DataFormatException(file, where(offset + got, gz), "file is truncated: it ends here, "
                    + (buf.length - got) + " bytes short of " + what + " (expected "
                    + (offset + buf.length) + " bytes" + (gz ? " uncompressed" : "") + ")");
        }
    }

    /** Reads up to {@code buf.length} bytes; returns how many, stopping early only at end of file. */
    private static int readSome(Path file, boolean gz, InputStream in, byte[] buf, long offset) {
        int got = 0;
        try {
            while (got < buf.length) {
                int n = in.read(buf, got, buf.length - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file, where(offset + got, gz),
                    "gzip data is truncated or corrupt (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw FileErrors.reading(file, e);
        }
        return got;
    }

    private static String where(long offset, boolean gz) {
        return "byte offset " + offset + (gz ? " of the uncompressed data" : "");
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /**
     * Loads an images file (N, H, W) and a labels file (N) as a dataset of (1, H, W) samples whose
     * pixel values are {@code byte * scale} (1/255.0 gives [0, 1]).
     *
     * @throws DataFormatException if either file is malformed, the counts differ, or a label is
     *                             outside 0..numClasses-1 (naming the label's byte offset)
     */
    public static Dataset load(Path images, Path labels, String name, int numClasses, double scale) {
        IdxArray img = read(images, IMAGES_MAGIC);
        IdxArray lab = read(labels, LABELS_MAGIC);
        int[] d = img.dims();
        if (d[1] == 0 || d[2] == 0) {
            throw DataFormatException.atByte(images, 8, "images of size " + d[1] + "x" + d[2] + " hold no pixels");
        }
        int n = lab.dims()[0];
        if (n != d[0]) {
            throw DataFormatException.atByte(labels, 4, "holds " + n + " labels, but " + images
                    + " holds " + d[0] + " images");
        }
        byte[] lb = lab.data();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lb[i] & 0xFF;
            if (y[i] >= numClasses) {
                throw DataFormatException.atByte(labels, 8L + i, "label " + y[i] + " of item " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        return Dataset.ofBytes(name, img.data(), y, new int[] {1, d[1], d[2]}, numClasses, scale);
    }

    /**
     * Writes an unsigned-byte IDX file, gzipped when the name ends in ".gz", atomically through
     * {@link AtomicFile}: a failed write (a full disk, say) leaves any previous file as it was.
     */
    public static void write(Path file, IdxArray array) {
        boolean gz = file.toString().endsWith(".gz");
        AtomicFile.write(file, raw -> {
            // AtomicFile closes raw; the gzip stream must only be finished, so that its trailer is written.
            GZIPOutputStream zip = gz ? new GZIPOutputStream(raw, 1 << 16) : null;
            DataOutputStream out = new DataOutputStream(gz ? zip : raw);
            out.writeInt(array.magic());
            for (int d : array.dims()) {
                out.writeInt(d);
            }
            out.write(array.data());
            out.flush();
            if (zip != null) {
                zip.finish();
            }
        });
    }
}
