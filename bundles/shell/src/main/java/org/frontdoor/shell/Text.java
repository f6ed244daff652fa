package org.frontdoor.shell;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the commands put text on a terminal. Customer text is data: it never reaches the terminal as control codes. */
public final class Text {

    /** Stands for a character a terminal would interpret (escape sequences, bidi overrides). */
    static final char REPLACEMENT = '\uFFFD';

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Text() {
    }

    /** One line of at most {@code max} characters (code points), cut with an ellipsis; null becomes "". */
    public static String oneLine(String text, int max) {
        String line = safe(text).replaceAll("\\s+", " ").strip();
        if (line.codePointCount(0, line.length()) <= max) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** Text of several lines, the lines after the first indented by {@code indent}; null becomes "". */
    public static String block(String text, String indent) {
        return safe(text).strip().replace("\n", "\n" + indent);
    }

    /**
     * The text with line ends as {@code \n}, tabs as spaces, and every other control or bidi formatting character
     * replaced by {@value #REPLACEMENT}, so that no customer can move the cursor, recolour or reorder an agent's
     * terminal. Null becomes "".
     */
    public static String safe(String text) {
        if (text == null) {
            return "";
        }
        String lines = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(lines.length());
        lines.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append('\n');
            } else if (c == '\t') {
                out.append(' ');
            } else if (Character.getType(c) == Character.CONTROL || isBidiControl(c)) {
                out.append(REPLACEMENT);
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean isBidiControl(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /** A time in the console's zone, to the second; null becomes "". */
    public static String time(Instant instant) {
        return time(instant, ZoneId.systemDefault());
    }

    static String time(Instant instant, ZoneId zone) {
        return instant == null ? "" : TIME.format(instant.atZone(zone));
    }
}
