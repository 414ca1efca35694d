package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvImagesTest {
    @TempDir
    Path dir;

    Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void withHeaderLabelByName() throws IOException {
        Path f = csv("h.csv", "a,b,label,c,d\n1,2,3,4,5\n6,7,0,8,9\n");
        Dataset d = CsvImages.reader().labelColumn("label").read(f);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {1, 2, 2}, d.sampleShape());
        assertArrayEquals(new int[] {3, 0}, d.labels());
        assertEquals(4, d.numClasses());
        assertArrayEquals(new double[] {1, 2, 4, 5}, d.image(0).data());
        assertEquals("h", d.name());
    }

    @Test
    void withoutHeaderLabelLastScaledAndShaped() throws IOException {
        Path f = csv("n.csv", "0,255,51,102,0,0,1\n\n1,1,1,1,1,1,0\n");
        Dataset d = CsvImages.reader().header(false).labelColumn(-1).scale(1 / 255.0).shape(1, 2, 3)
                .numClasses(2).read(f);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {1, 2, 3}, d.sampleShape());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertArrayEquals(new double[] {0, 1, 0.2, 0.4, 0, 0}, d.image(0).data(), 1e-6);
    }

    @Test
    void headerIsDetectedWhenNoCellIsANumber() throws IOException {
        Dataset withHeader = CsvImages.load(csv("a.csv", "label,p0,p1,p2,p3\n2,1,2,3,4\n"));
        assertEquals(1, withHeader.size());
        Dataset without = CsvImages.load(csv("b.csv", "2,1,2,3,4\n1,5,6,7,8\n"));
        assertEquals(2, without.size());
        assertArrayEquals(new int[] {2, 1}, without.labels());
    }

    @Test
    void pandasNumberedHeaderIsAHeaderNotASample() throws IOException {
        // pandas' to_csv(index=False) of a frame without column names: the header is 0,1,...,n-1.
        Dataset d = CsvImages.load(csv("pd.csv", "0,1,2,3,4\n1,5,6,7,8\n0,1,1,1,1\n"));
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertArrayEquals(new double[] {5, 6, 7, 8}, d.image(0).data());
        Dataset named = CsvImages.reader().labelColumn("label").read(csv("pdl.csv", "label,0,1,2,3\n2,1,2,3,4\n"));
        assertEquals(1, named.size());
        assertArrayEquals(new double[] {1, 2, 3, 4}, named.image(0).data());
    }

    @Test
    void onlyTheExactNumberingCountsAsAHeader() throws IOException {
        assertEquals(2, CsvImages.load(csv("one.csv", "1,2,3,4,5\n0,0,0,0,0\n")).size(), "starts at 1: data");
        assertEquals(2, CsvImages.load(csv("swap.csv", "0,2,1,3,4\n0,0,0,0,0\n")).size(), "out of order: data");
        assertEquals(2, CsvImages.load(csv("real.csv", "0,1.0,2,3,4\n0,0,0,0,0\n")).size(), "1.0 is a value: data");
        Dataset forced = CsvImages.reader().header(false).read(csv("forced.csv", "0,1,2,3,4\n1,5,6,7,8\n"));
        assertEquals(2, forced.size(), "header(false) keeps a first sample that happens to be 0,1,2,...");
        assertTrue(CsvImages.looksLikeHeader(new String[] {"label", "p0"}));
        assertTrue(CsvImages.looksLikeHeader(new String[] {"0", "1"}));
        assertTrue(!CsvImages.looksLikeHeader(new String[] {"0"}), "a single 0 is a value");
    }

    @Test
    void pandasRowIndexColumnIsRefused() throws IOException {
        Path f = csv("index.csv", ",0,1,2,3,4\n0,1,5,6,7,8\n1,0,1,1,1,1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvImages.load(f));
        assertMentions(e, f.toString(), "row 1, column 1", "row index", "index=False");
    }

    @Test
    void aFileWithAnotherSeparatorSaysSo() throws IOException {
        Path f = csv("semi.csv", "label;p0;p1;p2;p3\n1;0;0;0;0\n");
        assertMentions(assertThrows(DataFormatException.class, () -> CsvImages.load(f)), "row 1", "1 column(s)",
                "is the separator ';'? set it with delimiter(...)");
    }

    @Test
    void semicolonsAndSpaces() throws IOException {
        Path f = csv("s.csv", "label; x1; x2; x3; x4\n1; 0.5; 1.5; 2; 3\n");
        Dataset d = CsvImages.reader().delimiter(';').read(f);
        assertArrayEquals(new double[] {0.5, 1.5, 2, 3}, d.image(0).data(), 1e-6);
    }

    @Test
    void raggedRowNamesFileAndRow() throws IOException {
        Path f = csv("ragged.csv", "label,p0,p1,p2,p3\n1,0,0,0,0\n2,0,0,0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvImages.load(f));
        assertMentions(e, f.toString(), "row 3", "4 cells", "expected 5");
        assertEquals(f, e.file());
    }

    @Test
    void nonNumericCellNamesRowAndColumn() throws IOException {
        Path f = csv("text.csv", "label,p0,p1,p2,p3\n1,0,0,0,0\n0,1,2,x7,4\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvImages.load(f));
        assertMentions(e, f.toString(), "row 3, column 4 (p2)", "'x7' is not a number");
        Path nan = csv("nan.csv", "1,NaN,0,0,0\n");
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> CsvImages.load(nan));
        assertMentions(e2, "row 1, column 2", "not a finite number");
    }

    @Test
    void aCellBeyondTheFloatRangeIsRejectedNotStoredAsInfinity() throws IOException {
        Path f = csv("big.csv", "label,p0,p1,p2,p3\n1,0,0,0,0\n0,1,1e39,0,0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvImages.load(f));
        assertMentions(e, f.toString(), "row 3, column 3 (p1)", "'1e39' is beyond the largest float");
        Path scaled = csv("scaled.csv", "1,3e38,0,0,0\n");
        assertMentions(assertThrows(DataFormatException.class, () -> CsvImages.reader().scale(10).read(scaled)),
                "row 1, column 2", "'3e38' times the scale 10.0 is beyond the largest float");
        assertEquals(3e38f, CsvImages.load(scaled).image(0).data()[0], 1e31, "3e38 itself is a float");
    }

    @Test
    void labelOutOfRangeNamesRowAndValue() throws IOException {
        Path f = csv("labels.csv", "label,p0,p1,p2,p3\n1,0,0,0,0\n9,0,0,0,0\n10,0,0,0,0\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvImages.reader().numClasses(10).read(f));
        assertMentions(e, f.toString(), "row 4, column 1", "label 10", "outside 0..9");
        Path neg = csv("neg.csv", "0,0,0,0,0\n-1,0,0,0,0\n");
        assertMentions(assertThrows(DataFormatException.class, () -> CsvImages.load(neg)), "row 2", "'-1'");
        Path frac = csv("frac.csv", "1.5,0,0,0,0\n");
        assertMentions(assertThrows(DataFormatException.class, () -> CsvImages.load(frac)), "row 1", "whole number");
    }

    @Test
    void shapeProblemsAreReported() throws IOException {
        Path f = csv("odd.csv", "1,0,0,0\n");
        assertMentions(assertThrows(DataFormatException.class, () -> CsvImages.load(f)), "3 pixel columns", "square");
        assertMentions(assertThrows(DataFormatException.class, () -> CsvImages.reader().shape(1, 2, 2).read(f)),
                "needs 4 pixel columns");
        Path noName = csv("noname.csv", "a,b,c,d,e\n1,2,3,4,5\n");
        assertMentions(assertThrows(DataFormatException.class,
                () -> CsvImages.reader().labelColumn("label").read(noName)), "no column named \"label\"");
        Path empty = csv("empty.csv", "label,p0\n");
        assertMentions(assertThrows(DataFormatException.class, () -> CsvImages.load(empty)), "no data rows");
    }

    @Test
    void aShapeWithAZeroOrNegativeSizeIsRefusedWhereItIsGiven() {
        assertEquals("CsvImages: shape sizes must be positive, got (0, 8, 8)",
                assertThrows(IllegalArgumentException.class, () -> CsvImages.reader().shape(0, 8, 8)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvImages.reader().shape(1, -8, 8));
    }

    @Test
    void malformedQuotingIsADataFormatException() throws IOException {
        Path f = csv("quote.csv", "1,0,0,0,0\n2,\"0\"x,0,0,0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvImages.load(f));
        assertMentions(e, f.toString(), "row 2");
    }
}
