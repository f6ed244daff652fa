package org.frontdoor.rule.keyword;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Words and phrases looked for in a message's text, on word boundaries, after both are folded the same way: NFKC
 * (full-width and other compatibility forms become plain letters), case folded ({@code REFUND}, {@code Refund} and
 * {@code ＲＥＦＵＮＤ} are {@code refund}; {@code Straße} is {@code strasse}), invisible format characters dropped and
 * every run of white space made one space (so a phrase matches across a line break).
 *
 * <p>A word boundary is a place where a word character (letter, mark, digit, {@code _}) does not touch another one:
 * {@code refund} is found in "a refund!" and "non-refund", not in "refunds" nor "refunded". Scripts written without
 * spaces between words (Chinese, Japanese, Thai, ...) have no such boundaries to find without a dictionary: next to
 * one of their characters any place counts as a boundary, so {@code 退款} is found in {@code 我要退款}.
 */
final class Keywords {

    /**
     * The text folded last on this thread: routing asks every keyword rule about the same message in turn, so with
     * fifty rules one fold serves fifty questions (one entry per thread, replaced by the next message).
     */
    private static final ThreadLocal<String[]> LAST_FOLDED = new ThreadLocal<>();

    private final List<String> folded;

    private Keywords(List<String> folded) {
        this.folded = folded;
    }

    /**
     * The keywords of a configuration: each value may hold several, separated by commas (a {@code .cfg} line
     * {@code keywords = refund, money back}); blanks and repeats are dropped.
     */
    static Keywords of(String... values) {
        Set<String> keywords = new LinkedHashSet<>();
        if (values != null) {
            for (String value : values) {
                if (value == null) {
                    continue;
                }
                for (String keyword : value.split(",")) {
                    String f = fold(keyword);
                    if (!f.isEmpty()) {
                        keywords.add(f);
                    }
                }
            }
        }
        return new Keywords(List.copyOf(keywords));
    }

    boolean isEmpty() {
        return folded.isEmpty();
    }

    /** The keywords as they are compared: folded. */
    List<String> folded() {
        return folded;
    }

    /** Whether any keyword occurs in the text on word boundaries. */
    boolean foundIn(String text) {
        if (folded.isEmpty() || text == null || text.isEmpty()) {
            return false;
        }
        String t = foldedOnce(text);
        for (String keyword : folded) {
            if (occursIn(t, keyword)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #fold} of the text, reused when this thread folded the same text last. */
    static String foldedOnce(String text) {
        String[] last = LAST_FOLDED.get();
        if (last != null && text.equals(last[0])) {
            return last[1];
        }
        String f = fold(text);
        LAST_FOLDED.set(new String[] {text, f});
        return f;
    }

    /** Whether an already folded keyword occurs in an already folded text on word boundaries. */
    static boolean occursIn(String text, String keyword) {
        for (int at = text.indexOf(keyword); at >= 0; at = text.indexOf(keyword, at + 1)) {
            if (boundary(text, at) && boundary(text, at + keyword.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the place before index i of s is a word boundary. */
    static boolean boundary(String s, int i) {
        if (i == 0 || i == s.length()) {
            return true;
        }
        int before = s.codePointBefore(i);
        int after = s.codePointAt(i);
        return !(wordCharacter(before) && wordCharacter(after)) || withoutSpaces(before) || withoutSpaces(after);
    }

    private static boolean wordCharacter(int c) {
        if (Character.isLetterOrDigit(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.CONNECTOR_PUNCTUATION;
    }

    private static boolean withoutSpaces(int c) {
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return switch (script) {
            case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR, TIBETAN -> true;
            default -> false;
        };
    }

    /**
     * NFKC, then full case folding (upper case then lower case turns {@code ß} into {@code ss} and {@code ς} into
     * {@code σ}, which lower case alone does not), without format characters (a soft hyphen inside a word), each
     * run of white space as one space and none at the ends.
     */
    static String fold(String s) {
        String cased = Normalizer.normalize(s, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT)
                .replace('ς', 'σ');
        String n = Normalizer.normalize(cased, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(n.length());
        boolean space = false;
        for (int i = 0; i < n.length(); ) {
            int c = n.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
            } else if (Character.getType(c) != Character.FORMAT) {
                if (space && out.length() > 0) {
                    out.append(' ');
                }
                space = false;
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return String.join(", ", folded);
    }
}
