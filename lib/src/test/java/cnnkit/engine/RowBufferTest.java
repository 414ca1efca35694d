package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RowBufferTest {
    @Test
    void givesAtLeastTheRowsAskedFor() {
        double[][] rows = new RowBuffer().rows(3, 5);
        assertTrue(rows.length >= 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(rows[i].length >= 5);
        }
    }

    @Test
    void reusesRowsThatAreLongEnough() {
        RowBuffer buffer = new RowBuffer();
        double[] first = buffer.rows(2, 8)[0];
        assertSame(first, buffer.rows(2, 4)[0]);
    }

    @Test
    void tallThenWideDoesNotGrowToTheProductOfBoth() {
        // A dense layer's backward asks for (64 x 25088) and then (25088 x 64): growing both sides
        // to their maximum would need 25088 x 25088 doubles (5 GB).
        RowBuffer buffer = new RowBuffer();
        buffer.rows(4, 1000);
        double[][] rows = buffer.rows(1000, 4);
        assertEquals(1000, rows[0].length);
        assertEquals(4, rows[999].length);
    }
}
