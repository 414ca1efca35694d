package cnnkit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.layers.Conv2D;
import cnnkit.layers.ReLU;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SourceTest {
    @Test
    void theWholeFileOfALayerIsItsSource() {
        String src = Source.of(ReLU.class);
        assertTrue(src.startsWith("package cnnkit.layers;"), src.substring(0, 40));
        assertTrue(src.contains("public class ReLU extends Layer"));
    }

    @Test
    void oneMethodComesWithItsJavadocAndEndsAtItsClosingBrace() {
        String m = Source.method(Conv2D.class, "backward");
        String[] lines = m.split("\n");
        assertTrue(lines[0].trim().startsWith("/**") || lines[0].trim().startsWith("@"), lines[0]);
        assertTrue(m.contains("public Tensor backward(Tensor dOut)"), m);
        assertEquals("    }", lines[lines.length - 1]);
        assertEquals(count(m, '{'), count(m, '}'), "balanced braces in\n" + m);
        assertFalse(m.contains("public Tensor forward("), "only the method asked for");
        assertTrue(m.contains("private static boolean inside("), "with the private helper it calls:\n" + m);
        assertFalse(m.contains("private static double pixel("), "but not helpers it does not call");
    }

    @Test
    void overloadsAllComeInFileOrder() {
        String m = Source.method(Tensor.class, "zeros");
        assertTrue(m.contains("zeros("), m);
        String relu = Source.method(ReLU.class, "forward");
        assertTrue(relu.contains("@Override") && relu.contains("public Tensor forward(Tensor x)"), relu);
    }

    @Test
    void anUnknownNameIsRefusedWithTheNamesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Source.method(ReLU.class, "backwards"));
        assertTrue(e.getMessage().contains("ReLU has no method or constructor 'backwards'"), e.getMessage());
        assertTrue(e.getMessage().contains("forward, backward"), e.getMessage());
    }

    @Test
    void classesOutsideCnnkitHaveNoSourceHere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Source.of(String.class));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    private static long count(String s, char c) {
        return s.chars().filter(ch -> ch == c).count();
    }
}
