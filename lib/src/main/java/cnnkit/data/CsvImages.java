package cnnkit.data;

import java.nio.file.FileSystemException;
import cnnkit.train.FileErrors;
import cnnkit.tensor.Shape;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Images from a CSV file with one sample per row: a label column and one column per pixel, read with
 * Apache Commons CSV. This is how a learner brings their own data.
 *
 * <pre>{@code
 * Dataset mine = CsvImages.load(Path.of("my_digits.csv"));   // defaults below
 * Dataset mnist = CsvImages.reader()
 *         .labelColumn("label").numClasses(10).scale(1 / 255.0).shape(1, 28, 28)
 *         .read(Path.of("mnist_train.csv"));
 * }</pre>
 *
 * <p>Defaults: header row detected, label in the first column, pixels as they are (scale 1), square single-channel images (64 pixel
 * columns give (1, 8, 8)), classes 0..(largest label) unless {@link #numClasses} says otherwise.
 * Pixel columns are taken in file order, so they must be row-major (C, H, W).
 *
 * <p>The header rule: unless {@link #header(boolean)} says otherwise, the first row is a header when
 * none of its cells is a number ({@code label,p0,p1,...}) or when its numbers are the column
 * numbers {@code 0,1,2,...} in order, at least two of them, with or without names between them. So
 * the header pandas writes for a frame without column names ({@code 0,1,...,n-1}) is not read as a
 * sample. Any other first row with a number in it is data. A file whose first sample really is
 * {@code 0,1,2,...} needs {@code header(false)}. A header whose first cell is empty is the row
 * index pandas adds unless told {@code index=False}; it is refused, since that column would be read
 * as labels or pixels.
 *
 * <p>Rows are numbered from 1 counting the header, so "row 5" is line 5 of a file without quoted
 * line breaks. A ragged row, a non-numeric or non-finite cell, a label that is not a whole number
 * or is outside 0..numClasses-1, a pixel beyond the float range pixels are stored in (1e39, say,
 * which would become infinite) throws {@link DataFormatException} naming the file, the row and the
 * column; no dataset is returned.
 */
public final class CsvImages {
    private Boolean header;
    private String labelName;
    private int labelIndex;
    private double scale = 1;
    private int[] shape;
    private int numClasses = -1;
    private char delimiter = ',';
    private String name;

    private CsvImages() {
    }

    /** A reader with the default options, to be changed with the fluent setters. */
    public static CsvImages reader() {
        return new CsvImages();
    }

    /** Reads {@code file} with the default options. */
    public static Dataset load(Path file) {
        return reader().read(file);
    }

    /** Whether the first row is a header (default: detected by the rule in the class comment). */
    public CsvImages header(boolean hasHeader) {
        this.header = hasHeader;
        return this;
    }

    /** The label column by its header name (needs a header row). */
    public CsvImages labelColumn(String columnName) {
        this.labelName = columnName;
        return this;
    }

    /** The label column by 0-based index; negative counts from the end (-1 = last column). Default 0. */
    public CsvImages labelColumn(int index) {
        this.labelName = null;
        this.labelIndex = index;
        return this;
    }

    /** Pixel value = cell * scale, e.g. 1/255.0 for 0..255 grey levels. Default 1. */
    public CsvImages scale(double factor) {
        if (!(Double.isFinite(factor) && factor != 0)) {
            throw new IllegalArgumentException("CsvImages: scale must be finite and non-zero, got " + factor);
        }
        this.scale = factor;
        return this;
    }

    /** Sample shape (C, H, W); C*H*W must equal the number of pixel columns. Default: (1, s, s). */
    public CsvImages shape(int c, int h, int w) {
        if (c < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("CsvImages: shape sizes must be positive, got " + Shape.str(c, h, w));
        }
        this.shape = new int[] {c, h, w};
        return this;
    }

    /** Number of classes: labels must be 0..k-1. Default: largest label + 1. */
    public CsvImages numClasses(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("CsvImages: numClasses must be at least 1, got " + k);
        }
        this.numClasses = k;
        return this;
    }

    /** Cell separator, default ','. */
    public CsvImages delimiter(char c) {
        this.delimiter = c;
        return this;
    }

    /** Dataset name, default the file name without its extension. */
    public CsvImages name(String datasetName) {
        this.name = datasetName;
        return this;
    }

    /** Parses the whole file and returns the dataset, or throws {@link DataFormatException}. */
    public Dataset read(Path file) {
        if (Files.isDirectory(file)) {
            // Opening a directory succeeds; its first read would fail as a "malformed CSV".
            throw FileErrors.reading(file, new FileSystemException(file.toString(), null, "is a directory"));
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setTrim(true)
                .setIgnoreEmptyLines(false).build();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(r, format)) {
            return new Parse(file).run(parser.iterator());
        } catch (IOException e) {
            throw FileErrors.reading(file, e);
        }
    }

    /** The state of one read: columns fixed by the first row, then rows appended one by one. */
    private final class Parse {
        private final Path file;
        private String[] columnNames;
        private int columns = -1;
        private int label;
        private int[] sampleShape;
        private float[] pixels = new float[1 << 12];
        private int filled;
        private final List<Integer> labels = new ArrayList<>();
        private long row;

        Parse(Path file) {
            this.file = file;
        }

        Dataset run(Iterator<CSVRecord> records) {
            boolean more = true;
            while (more) {
                more = next(records);
            }
            if (labels.isEmpty()) {
                throw DataFormatException.atRow(file, row + 1, "no data rows" + (row > 0 ? " after the header" : ""));
            }
            int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
            int k = numClasses > 0 ? numClasses : Arrays.stream(y).max().getAsInt() + 1;
            return new Dataset(name != null ? name : baseName(file), Arrays.copyOf(pixels, filled), y, sampleShape, k);
        }

        private boolean next(Iterator<CSVRecord> records) {
            CSVRecord rec;
            try {
                if (!records.hasNext()) {
                    return false;
                }
                rec = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw DataFormatException.atRow(file, row + 1, "malformed CSV (" + e.getMessage() + ")");
            }
            row = rec.getRecordNumber();
            String[] cells = rec.values();
            if (cells.length == 1 && cells[0].isEmpty()) {
                return true; // a blank line
            }
            if (row == 1 && cells.length > 0 && cells[0].startsWith("\uFEFF")) {
                cells[0] = cells[0].substring(1); // byte-order mark written by some spreadsheet programs
            }
            if (columns < 0) {
                firstRow(cells);
                if (columnNames != null) {
                    return true;
                }
            }
            dataRow(cells);
            return true;
        }

        private void firstRow(String[] cells) {
            columns = cells.length;
            boolean isHeader = header != null ? header : looksLikeHeader(cells);
            if (isHeader) {
                columnNames = cells;
                if (cells.length > 1 && cells[0].isEmpty()) {
                    throw DataFormatException.atCell(file, row, 1, null, "the header has no name for column 1: that is "
                            + "the row index pandas writes by default, which would be read as a label or a pixel; "
                            + "save the file with to_csv(path, index=False)");
                }
            }
            label = labelColumnIndex();
            int pixelsPerRow = columns - 1;
            if (pixelsPerRow < 1) {
                throw DataFormatException.atRow(file, row, "has " + columns + " column(s); need a label and pixels"
                        + delimiterHint(cells));
            }
            sampleShape = shape != null ? shape : squareShape(pixelsPerRow);
            if (Shape.size(sampleShape) != pixelsPerRow) {
                throw DataFormatException.atRow(file, row, "shape " + Shape.str(sampleShape) + " needs "
                        + Shape.size(sampleShape) + " pixel columns, but the file has " + pixelsPerRow
                        + " (" + columns + " columns less the label)");
            }
        }

        /** " (is the delimiter ';'?)" when a lone cell holds another usual separator, else "". */
        private String delimiterHint(String[] cells) {
            for (char c : new char[] {';', '\t', ',', '|'}) {
                if (c != delimiter && cells.length == 1 && cells[0].indexOf(c) >= 0) {
                    return " (the cells are split at '" + delimiter + "'; is the separator '"
                            + (c == '\t' ? "\\t" : String.valueOf(c)) + "'? set it with delimiter(...))";
                }
            }
            return "";
        }

        private int labelColumnIndex() {
            if (labelName != null) {
                if (columnNames == null) {
                    throw DataFormatException.atRow(file, row, "label column \"" + labelName
                            + "\" is named, but the first row is data, not a header");
                }
                int i = Arrays.asList(columnNames).indexOf(labelName);
                if (i < 0) {
                    throw DataFormatException.atRow(file, row, "no column named \"" + labelName + "\" in the header "
                            + Arrays.toString(columnNames));
                }
                return i;
            }
            int i = labelIndex < 0 ? columns + labelIndex : labelIndex;
            if (i < 0 || i >= columns) {
                throw DataFormatException.atRow(file, row, "label column index " + labelIndex + " is outside the "
                        + columns + " columns");
            }
            return i;
        }

        private int[] squareShape(int n) {
            int s = (int) Math.round(Math.sqrt(n));
            if (s * s != n) {
                throw DataFormatException.atRow(file, row, n + " pixel columns do not make a square image; "
                        + "give the shape with shape(c, h, w)");
            }
            return new int[] {1, s, s};
        }

        private void dataRow(String[] cells) {
            if (cells.length != columns) {
                throw DataFormatException.atRow(file, row, "ragged row: " + cells.length + " cells, expected "
                        + columns + " like row " + (columnNames != null ? "1 (the header)" : "1"));
            }
            labels.add(parseLabel(cells[label]));
            if (filled + columns > pixels.length) {
                pixels = Arrays.copyOf(pixels, Math.max(pixels.length * 2, filled + columns));
            }
            for (int c = 0; c < columns; c++) {
                if (c != label) {
                    pixels[filled++] = pixel(cells[c], c);
                }
            }
        }

        /** The cell times the scale, as the float it is stored in; one that would be infinite throws. */
        private float pixel(String cell, int c) {
            double v = number(cell, c) * scale;
            if (Float.isInfinite((float) v)) {
                throw DataFormatException.atCell(file, row, c + 1, column(c), "'" + cell + "'"
                        + (scale != 1 ? " times the scale " + scale : "") + " is beyond the largest float ("
                        + Float.MAX_VALUE + ") that pixels are stored in");
            }
            return (float) v;
        }

        private int parseLabel(String cell) {
            double v = number(cell, label);
            int k = numClasses;
            if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE - 1) {
                throw DataFormatException.atCell(file, row, label + 1, column(label), "label '" + cell
                        + "' is not a whole number >= 0");
            }
            if (k > 0 && v >= k) {
                throw DataFormatException.atCell(file, row, label + 1, column(label), "label " + (int) v
                        + " is outside 0.." + (k - 1));
            }
            return (int) v;
        }

        private double number(String cell, int c) {
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw DataFormatException.atCell(file, row, c + 1, column(c), "'" + cell + "' is not a number");
            }
            if (!Double.isFinite(v)) {
                throw DataFormatException.atCell(file, row, c + 1, column(c), "'" + cell + "' is not a finite number");
            }
            return v;
        }

        private String column(int c) {
            return columnNames != null ? columnNames[c] : null;
        }
    }

    /**
     * The detection rule for a header row: none of its cells is a number (names such as
     * {@code label,p0,p1}), or its numbers are the column numbers {@code 0, 1, 2, ...} in order,
     * at least two of them, whatever names stand between them (pandas' default header
     * {@code 0,1,...,n-1}, or {@code label,0,1,...} when only the label column was named).
     */
    static boolean looksLikeHeader(String[] cells) {
        int numbers = 0;
        boolean numbered = true;
        for (String cell : cells) {
            if (isNumber(cell)) {
                numbered &= cell.equals(Integer.toString(numbers));
                numbers++;
            }
        }
        return numbers == 0 || (numbered && numbers >= 2);
    }

    static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
