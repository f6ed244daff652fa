package org.frontdoor.core;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.twitter.twittertext.Extractor;
import com.twitter.twittertext.TwitterTextConfiguration;
import com.twitter.twittertext.TwitterTextParseResults;
import com.twitter.twittertext.TwitterTextParser;
import org.frontdoor.api.ChannelCapabilities;

/**
 * How long a reply is as its door counts it ({@link ChannelCapabilities#counting()}), and whether the door takes it.
 *
 * <ul>
 * <li>{@code CODE_POINTS}: Unicode code points. A door that segments cuts between any two of them.</li>
 * <li>{@code X_WEIGHTED}: X's weighted length, counted by twitter-text 3.1.0 (X's own library) on the text in NFC: a
 *     link counts 23, an emoji (a whole ZWJ or skin-tone sequence) 2, most CJK characters 2, Latin to Georgian and
 *     common punctuation 1. A thread is cut where twitter-text says a post is full, never inside a link or an emoji;
 *     a blank rest is not posted. twitter-text is slow on some texts, so a reply of more than
 *     {@value #X_LONGEST_COUNTED} code points, or whose dotted words exceed {@link #X_DOTS_COUNTED}, is refused
 *     without being counted.</li>
 * <li>{@code SMS_SEGMENTS}: GSM 03.38 7-bit when every character is in its default alphabet (basic table 1, extension
 *     table {@code ^ { } \ [ ~ ] | €} and form feed 2), otherwise UCS-2 in UTF-16 code units (an emoji beyond the BMP
 *     counts 2). One SMS holds 160 GSM-7 or 70 UCS-2 units; parts of a concatenated SMS hold 153 or 67, and an
 *     extension character or a surrogate pair is never split between two parts. The text is taken as it will be
 *     sent, not normalized.</li>
 * <li>{@code UTF16_UNITS}: UTF-16 code units, as Telegram counts (an emoji beyond the BMP counts 2). A door that
 *     segments cuts where a message is full, never inside a surrogate pair.</li>
 * <li>{@code MASTODON}: as Mastodon's StatusLengthValidator counts: a link with http:// or https:// (as twitter-text
 *     extracts it) counts 23, a mention {@code @user@domain} counts as {@code @user}, and the rest in user-perceived
 *     characters (extended grapheme clusters: a family emoji counts 1). Mastodon has no threads here: a door with
 *     this counting does not segment.</li>
 * </ul>
 *
 * <p>{@code maxLength} 0 means no limit. Otherwise, for {@code CODE_POINTS} and {@code X_WEIGHTED}, a door without
 * segmentation takes a reply of at most {@code maxLength}, and a door with segmentation one that it can cut into at
 * most {@link #MAX_SEGMENTS} messages of at most {@code maxLength} each. {@code SMS_SEGMENTS} does not read
 * {@code maxLength}: the encoding sets the size of a segment, so a door without segmentation takes one SMS (160 GSM-7
 * or 70 UCS-2 units) and a door with segmentation at most {@link #MAX_SEGMENTS} segments (or fewer, as the door's
 * {@link org.frontdoor.api.Channel#REPLY_MAX_SEGMENTS} says); such a door declares 160. An SMS refusal says how many
 * characters to cut at least.
 */
final class ReplyLength {

    /**
     * The most messages (SMS segments, posts of a thread) one reply becomes where its door segments: ten SMS segments
     * are 1530 GSM-7 or 670 UCS-2 characters, already a letter; a longer answer belongs behind a link.
     */
    static final int MAX_SEGMENTS = 10;

    /**
     * Code points beyond which a reply to X is refused without being counted: twitter-text's regular expressions take
     * some 6 us a character of prose here (30 000: 0.2 s), and X's longest post (Premium) is 25 000.
     */
    static final int X_LONGEST_COUNTED = 30_000;

    /**
     * twitter-text's link pattern takes time growing with the square of the dots in a word of letters, digits, '.',
     * '-' and '_' ("a.a.a…" with 200 dots: 0.15 s here, 2000: 20 s). A reply whose words' dots, squared and summed,
     * exceed this (a quarter of a second) is refused for X without being counted.
     */
    static final int X_DOTS_COUNTED = 50_000;

    private static final int GSM_SINGLE = 160;
    private static final int GSM_PART = 153;
    private static final int UCS2_SINGLE = 70;
    private static final int UCS2_PART = 67;

    /** GSM 03.38 default alphabet, in table order, without 0x1B (the escape to the extension table). */
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";
    private static final BitSet GSM = setOf(GSM_BASIC + GSM_EXTENSION);
    private static final BitSet GSM_ESCAPED = setOf(GSM_EXTENSION);

    private static final TwitterTextConfiguration X_DEFAULT = TwitterTextParser.TWITTER_TEXT_DEFAULT_CONFIG;
    private static final TwitterTextConfiguration X_UNLIMITED = xConfig(Integer.MAX_VALUE / X_DEFAULT.getScale());
    private static final String X_UNIT = "characters as X counts them";

    private ReplyLength() {
    }

    /**
     * A reply measured for its door.
     *
     * @param length   the reply's length in {@code unit}
     * @param unit     what was counted, for people: "characters", "characters as X counts them", "characters in
     *                 GSM-7" or "characters in UCS-2"
     * @param segments the messages the reply becomes: the SMS segments, or the posts or messages a segmenting door
     *                 cuts it into (the least possible, {@code length / maxLength} rounded up, when that is over
     *                 {@link #MAX_SEGMENTS}); 1 where the door does not segment
     * @param fits     whether the door takes the reply
     * @param refusal  why it does not, a sentence for the agent; empty when it fits
     */
    record Measure(int length, String unit, int segments, boolean fits, String refusal) {

        Measure {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(refusal, "refusal");
            if (length < 0 || segments < 1) {
                throw new IllegalArgumentException("a length is not negative and a reply is at least one message");
            }
            if (fits != refusal.isEmpty()) {
                throw new IllegalArgumentException("a reply that does not fit says why, one that fits has no refusal");
            }
        }
    }

    /** Measures {@code text} as {@code door} counts it, with at most {@link #MAX_SEGMENTS} messages. */
    static Measure measure(String text, ChannelCapabilities door) {
        return measure(text, door, MAX_SEGMENTS);
    }

    /**
     * Measures {@code text} as {@code door} counts it, a segmenting door sending at most {@code most} messages for
     * one reply ({@link org.frontdoor.api.Channel#REPLY_MAX_SEGMENTS}; taken within 1 and {@link #MAX_SEGMENTS}).
     */
    static Measure measure(String text, ChannelCapabilities door, int most) {
        Objects.requireNonNull(text, "text");
        int m = Math.max(1, Math.min(MAX_SEGMENTS, most));
        return switch (door.counting()) {
            case CODE_POINTS -> codePoints(text, door.maxLength(), door.segmentation(), m);
            case X_WEIGHTED -> xWeighted(text, door.maxLength(), door.segmentation(), m);
            case SMS_SEGMENTS -> sms(text, door.segmentation(), m);
            case UTF16_UNITS -> utf16Units(text, door.maxLength(), door.segmentation(), m);
            case MASTODON -> mastodon(text, door.maxLength());
        };
    }

    private static Measure codePoints(String text, int max, boolean segmentation, int most) {
        int length = text.codePointCount(0, text.length());
        String unit = "characters";
        if (max == 0 || length <= max) {
            return fits(length, unit, 1);
        }
        if (!segmentation) {
            return refused(length, unit, 1, "the reply is " + length + " characters; this channel takes at most "
                    + max);
        }
        int messages = ceilDiv(length, max);
        return messages <= most ? fits(length, unit, messages) : refused(length, unit, messages,
                "the reply needs " + messages + " messages of at most " + max + " characters; at most " + most
                        + " are sent");
    }

    private static Measure utf16Units(String text, int max, boolean segmentation, int most) {
        int length = text.length();
        String unit = "characters as UTF-16 counts them";
        if (max == 0 || length <= max) {
            return fits(length, unit, 1);
        }
        if (!segmentation) {
            return refused(length, unit, 1, "the reply is " + length + " " + unit + " (an emoji counts 2); this "
                    + "channel takes at most " + max);
        }
        // cut where a message is full, one unit earlier where that would split a surrogate pair
        int messages = 0;
        for (int start = 0; start < length && messages <= most; messages++) {
            int end = Math.min(length, start + max);
            if (end < length && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            start = end;
        }
        return messages <= most ? fits(length, unit, messages) : refused(length, unit,
                Math.max(messages, ceilDiv(length, max)), "the reply needs " + Math.max(messages, ceilDiv(length, max))
                        + " messages of at most " + max + " " + unit + "; at most " + most + " are sent");
    }

    /** Mastodon's link placeholder length. */
    static final int MASTODON_URL = 23;
    private static final String MASTODON_UNIT = "characters as Mastodon counts them";
    /** Mastodon's Account::MENTION_RE: the user part, then an optional domain. */
    private static final Pattern MASTODON_MENTION = Pattern.compile(
            "(?<![=/\\p{L}\\p{N}_])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@[\\p{L}\\p{N}_.-]+[\\p{L}\\p{N}_]+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    private static Measure mastodon(String text, int max) {
        // the link pattern is twitter-text's, as slow on long or dotted texts as for X
        int characters = text.codePointCount(0, text.length());
        if (characters > X_LONGEST_COUNTED) {
            return refused(characters, "characters", 1, "the reply is " + characters + " characters long; replies to "
                    + "Mastodon are counted up to " + X_LONGEST_COUNTED);
        }
        String dotted = tooDotted(text);
        if (dotted != null) {
            return refused(characters, "characters", 1, "the reply has words with too many dots for Mastodon's link "
                    + "rules to count, such as " + dotted + "; break them with spaces");
        }
        int length = mastodonLength(text);
        if (max == 0 || length <= max) {
            return fits(length, MASTODON_UNIT, 1);
        }
        return refused(length, MASTODON_UNIT, 1, "the reply is " + length + " " + MASTODON_UNIT + " (a link counts "
                + MASTODON_URL + ", a mention its user name); this Mastodon account takes at most " + max
                + ": cut " + (length - max));
    }

    /** The length Mastodon gives a status text. */
    static int mastodonLength(String text) {
        StringBuilder countable = new StringBuilder(text.length());
        Extractor extractor = new Extractor();
        extractor.setExtractURLWithoutProtocol(false);
        List<Extractor.Entity> urls = extractor.extractURLsWithIndices(text);
        int at = 0;
        for (Extractor.Entity url : urls) {
            if (url.getStart() < at) {
                continue;
            }
            mentions(text.substring(at, url.getStart()), countable);
            countable.append("x".repeat(MASTODON_URL));
            at = url.getEnd();
        }
        mentions(text.substring(at), countable);
        return (int) GRAPHEME.matcher(countable).results().count();
    }

    private static void mentions(String part, StringBuilder countable) {
        Matcher m = MASTODON_MENTION.matcher(part);
        int at = 0;
        while (m.find()) {
            countable.append(part, at, m.start()).append('@').append(m.group(1));
            at = m.end();
        }
        countable.append(part, at, part.length());
    }

    private static Measure xWeighted(String text, int max, boolean segmentation, int most) {
        int characters = text.codePointCount(0, text.length());
        if (characters > X_LONGEST_COUNTED) {
            return refused(characters, "characters", 1, "the reply is " + characters + " characters long; replies to X "
                    + "are counted up to " + X_LONGEST_COUNTED);
        }
        String dotted = tooDotted(text);
        if (dotted != null) {
            return refused(characters, "characters", 1, "the reply has words with too many dots for X's link rules to "
                    + "count, such as " + dotted + "; break them with spaces");
        }
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        if (nfc.trim().isEmpty()) {
            // twitter-text counts a blank text 0 and calls it invalid: whether a reply may be empty is not a length
            return fits(0, X_UNIT, 1);
        }
        TwitterTextParseResults whole = TwitterTextParser.parseTweet(nfc, X_UNLIMITED);
        int length = whole.weightedLength;
        if (!whole.isValid) {
            // without a limit twitter-text objects only to a character X refuses, where its valid range stops
            int refusedCharacter = nfc.codePointAt(whole.validTextRange.end + 1);
            return refused(length, X_UNIT, 1, "the reply contains " + shown(refusedCharacter)
                    + ", which X does not accept");
        }
        if (max == 0 || length <= max) {
            return fits(length, X_UNIT, 1);
        }
        if (!segmentation) {
            return refused(length, X_UNIT, 1, "the reply is " + length + " characters as X counts them; "
                    + "X takes at most " + max);
        }
        int atLeast = ceilDiv(length, max);
        if (atLeast > most) {
            return refused(length, X_UNIT, atLeast, postsRefusal(atLeast, max, most));
        }
        int posts = xPosts(nfc, max);
        if (posts < 0) {
            return refused(length, X_UNIT, atLeast, "the reply cannot be cut into posts of at most " + max
                    + " characters as X counts them (a link counts 23)");
        }
        return posts <= most ? fits(length, X_UNIT, posts) : refused(length, X_UNIT, posts,
                postsRefusal(posts, max, most));
    }

    private static String postsRefusal(int posts, int max, int most) {
        return "the reply needs " + posts + " posts of at most " + max + " characters as X counts them; at most "
                + most + " are sent";
    }

    /** The posts of a thread, each filled as far as twitter-text's valid range reaches; -1 if one item is too long. */
    private static int xPosts(String nfc, int max) {
        TwitterTextConfiguration post = xConfig(max);
        int posts = 0;
        for (String rest = nfc; !rest.trim().isEmpty(); posts++) {
            // rest is a piece of an NFC text, so twitter-text's range is an index into it
            int end = Math.min(TwitterTextParser.parseTweet(rest, post).validTextRange.end + 1, rest.length());
            if (end <= 0) {
                return -1;
            }
            rest = rest.substring(end);
        }
        return posts;
    }

    /** The word with the most dots (its first 40 characters) when all words' dots squared add up beyond budget. */
    private static String tooDotted(String text) {
        long squares = 0;
        int dots = 0;
        int start = 0;
        int worstDots = 0;
        int worstStart = 0;
        for (int i = 0; i <= text.length(); ) {
            int c = i < text.length() ? text.codePointAt(i) : ' ';
            int next = i + Character.charCount(c);
            if (c == '.') {
                dots++;
            } else if (!inDottedWord(c)) {
                squares += (long) dots * dots;
                if (dots > worstDots) {
                    worstDots = dots;
                    worstStart = start;
                }
                dots = 0;
                start = next;
            }
            i = next;
        }
        if (squares <= X_DOTS_COUNTED) {
            return null;
        }
        int end = worstStart;
        while (end < text.length() && inDottedWord(text.codePointAt(end))) {
            end += Character.charCount(text.codePointAt(end));
        }
        String word = text.substring(worstStart, end);
        return word.codePointCount(0, word.length()) <= 40 ? word : word.substring(0, word.offsetByCodePoints(0, 40))
                + "…";
    }

    private static boolean inDottedWord(int c) {
        return c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c);
    }

    private static TwitterTextConfiguration xConfig(int maxWeightedLength) {
        return new TwitterTextConfiguration.Builder()
                .setVersion(X_DEFAULT.getVersion())
                .setMaxWeightedTweetLength(maxWeightedLength)
                .setScale(X_DEFAULT.getScale())
                .setDefaultWeight(X_DEFAULT.getDefaultWeight())
                .setEmojiParsingEnabled(X_DEFAULT.getEmojiParsingEnabled())
                .setTransformedURLLength(X_DEFAULT.getTransformedURLLength())
                .setRanges(X_DEFAULT.getRanges())
                .build();
    }

    /**
     * The most one message of the door holds, in the unit {@link #measure} counts this text in: one SMS (160 GSM-7 or
     * 70 UCS-2 units, as the text's alphabet decides) for an SMS door, the door's {@code maxLength} otherwise (0 for
     * no limit). The composer shows it beside the length.
     */
    static int oneMessage(String text, ChannelCapabilities door) {
        if (door.counting() != ChannelCapabilities.LengthCounting.SMS_SEGMENTS) {
            return door.maxLength();
        }
        return text.codePoints().allMatch(GSM::get) ? GSM_SINGLE : UCS2_SINGLE;
    }

    private static Measure sms(String text, boolean segmentation, int most) {
        int outside = text.codePoints().filter(c -> !GSM.get(c)).findFirst().orElse(-1);
        boolean gsm = outside < 0;
        int single = gsm ? GSM_SINGLE : UCS2_SINGLE;
        int part = gsm ? GSM_PART : UCS2_PART;
        int length = text.codePoints().map(c -> smsUnits(c, gsm)).sum();
        int segments = 1;
        if (length > single) {
            int used = 0;
            for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
                int units = smsUnits(text.codePointAt(i), gsm);
                if (used + units > part) {
                    segments++;
                    used = 0;
                }
                used += units;
            }
        }
        String encoding = gsm ? "GSM-7" : "UCS-2";
        String unit = "characters in " + encoding;
        if (segmentation ? segments <= most : segments == 1) {
            return fits(length, unit, segments);
        }
        String why = gsm ? escapedNote(text) : ", because of characters outside the GSM alphabet such as "
                + shown(outside) + (Character.isSupplementaryCodePoint(outside) ? ", which counts 2" : "");
        int room = segmentation && most > 1 ? most * part : single;
        return refused(length, unit, segments, (segmentation && most > 1
                ? "the reply needs " + segments + " SMS segments (" + encoding + why + "); at most " + most
                        + " are sent"
                : "the reply is " + length + " " + unit + why + "; one SMS holds " + single)
                + ": cut at least " + characters(length - room));
    }

    /** "1 character", "14 characters". */
    private static String characters(int n) {
        return n + (n == 1 ? " character" : " characters");
    }

    private static int smsUnits(int codePoint, boolean gsm) {
        return gsm ? (GSM_ESCAPED.get(codePoint) ? 2 : 1) : Character.charCount(codePoint);
    }

    /** ", where € and ~ count 2" for the extension characters a GSM-7 text holds, or nothing. */
    private static String escapedNote(String text) {
        Set<String> escaped = text.codePoints().filter(GSM_ESCAPED::get).mapToObj(ReplyLength::shown)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (escaped.isEmpty()) {
            return "";
        }
        String[] names = escaped.toArray(String[]::new);
        String last = names[names.length - 1];
        return names.length == 1 ? ", where " + last + " counts 2"
                : ", where " + String.join(", ", Arrays.copyOf(names, names.length - 1)) + " and " + last
                        + " count 2";
    }

    /** A character as an agent can see it: itself, or U+XXXX when it is invisible or not a character. */
    private static String shown(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.PRIVATE_USE, Character.SURROGATE,
                    Character.UNASSIGNED -> String.format("U+%04X", codePoint);
            default -> Character.toString(codePoint);
        };
    }

    private static Measure fits(int length, String unit, int segments) {
        return new Measure(length, unit, segments, true, "");
    }

    private static Measure refused(int length, String unit, int segments, String refusal) {
        return new Measure(length, unit, segments, false, refusal);
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    private static BitSet setOf(String characters) {
        BitSet set = new BitSet();
        characters.codePoints().forEach(set::set);
        return set;
    }
}
