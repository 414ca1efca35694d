package cnnkit.data;

import java.nio.file.Path;

/**
 * A data file that cannot be trusted: wrong magic number, truncated, checksum mismatch, ragged or
 * non-numeric CSV row, label out of range. The message always names the file and where in it the
 * problem is (a byte offset, or a 1-based row and column), so a learner can open the file and look.
 *
 * <p>Loaders throw this before building anything, so a bad file never yields a half-loaded dataset.
 */
public class DataFormatException extends RuntimeException {
    private final Path file;
    private final String location;

    /**
     * @param file     the offending file
     * @param location where in it, e.g. {@code "byte offset 16"} or {@code "row 3, column 5"}
     * @param problem  what is wrong, with the expected and the actual value
     */
    public DataFormatException(Path file, String location, String problem) {
        super(file + ": " + location + ": " + problem);
        this.file = file;
        this.location = location;
    }

    public DataFormatException(Path file, String location, String problem, Throwable cause) {
        super(file + ": " + location + ": " + problem, cause);
        this.file = file;
        this.location = location;
    }

    static DataFormatException atByte(Path file, long offset, String problem) {
        return new DataFormatException(file, "byte offset " + offset, problem);
    }

    static DataFormatException atRow(Path file, long row, String problem) {
        return new DataFormatException(file, "row " + row, problem);
    }

    /** @param columnName the header name of the column, or null when the file has no header */
    static DataFormatException atCell(Path file, long row, int column, String columnName, String problem) {
        return new DataFormatException(file, "row " + row + ", column " + column
                + (columnName != null ? " (" + columnName + ")" : ""), problem);
    }

    /** The file that failed to load. */
    public Path file() {
        return file;
    }

    /** Where in the file: {@code "byte offset N"}, {@code "row R"}, {@code "row R, column C (name)"} or {@code "whole file"}. */
    public String location() {
        return location;
    }
}
