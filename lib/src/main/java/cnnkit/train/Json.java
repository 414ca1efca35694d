package cnnkit.train;

/**
 * The one place that writes a Java string as a JSON string literal, for the kit's small
 * hand-written JSON (the sandbox's replies, benchmark reports).
 */
public final class Json {
    private Json() {
    }

    /**
     * {@code s} in double quotes, with the quote, the backslash and every control character
     * escaped as JSON requires: {@code a"b} becomes {@code "a\"b"}.
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
