package cnnkit.data;

import cnnkit.train.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 of data files. The kit records the hash of every file it ships or expects, and checks it
 * before parsing, so a corrupted download or an edited file fails loudly instead of training on
 * subtly wrong data.
 */
public final class Checksums {
    private Checksums() {
    }

    /** Lower-case hex SHA-256 of the file's bytes (as stored on disk, so of the .gz for a gzipped file). */
    public static String sha256(Path file) {
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw FileErrors.reading(file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Lower-case hex SHA-256 of a byte array. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /**
     * Throws {@link DataFormatException} naming the file, the expected and the actual hash when the
     * file's SHA-256 differs from {@code expectedHex} (case-insensitive).
     */
    public static void verify(Path file, String expectedHex) {
        String actual = sha256(file);
        String expected = expectedHex.toLowerCase(Locale.ROOT);
        if (!actual.equals(expected)) {
            throw new DataFormatException(file, "whole file", "SHA-256 mismatch: expected " + expected
                    + ", actual " + actual + " (the file is corrupted or not the one the kit expects; "
                    + "restore the original)");
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
