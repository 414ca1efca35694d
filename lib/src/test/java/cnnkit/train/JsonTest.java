package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void plainTextIsOnlyQuoted() {
        assertEquals("\"conv1 ok: 0.5\"", Json.quote("conv1 ok: 0.5"));
        assertEquals("\"\"", Json.quote(""));
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("\"say \\\"hi\\\"\"", Json.quote("say \"hi\""));
        assertEquals("\"C:\\\\data\"", Json.quote("C:\\data"));
        assertEquals("\"a\\nb\\rc\\td\"", Json.quote("a\nb\rc\td"));
        assertEquals("\"bell\\u0007\"", Json.quote("bell\u0007"));
    }

    @Test
    void otherCharactersPassUnchanged() {
        assertEquals("\"x\u00b2 \u2264 1\"", Json.quote("x\u00b2 \u2264 1"));
    }
}
