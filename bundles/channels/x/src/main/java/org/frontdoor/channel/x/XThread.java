package org.frontdoor.channel.x;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

import com.twitter.twittertext.TwitterTextConfiguration;
import com.twitter.twittertext.TwitterTextParseResults;
import com.twitter.twittertext.TwitterTextParser;

/**
 * X's weighted count and the cutting of a long public reply into a thread, with twitter-text 3.1.0 (X's own library,
 * the configuration v3 core counts replies with): a link counts 23, an emoji (a whole ZWJ or skin-tone sequence) 2,
 * code points in 0-4351, 8192-8205, 8208-8223 and 8242-8247 1, every other code point 2; the text in NFC.
 *
 * <p>Core has already measured the reply with the same library and refused one that needs more than 10 posts, so
 * cutting where twitter-text says a post is full never gives more posts than core counted. A cut is moved back to
 * the last space of the post when that costs no extra post.
 */
final class XThread {

    static final int MAX_POSTS = 10;
    private static final TwitterTextConfiguration DEFAULT = TwitterTextParser.TWITTER_TEXT_DEFAULT_CONFIG;

    private XThread() {
    }

    /** The weighted length of a text as X counts it. */
    static int weightedLength(String text) {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        return TwitterTextParser.parseTweet(nfc, config(Integer.MAX_VALUE / DEFAULT.getScale())).weightedLength;
    }

    /** The posts of the thread, each at most {@code max} as X counts it; one post when the text fits. */
    static List<String> posts(String text, int max) {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC).strip();
        TwitterTextConfiguration post = config(max);
        List<String> atWords = cut(nfc, post, true);
        if (atWords != null && atWords.size() <= MAX_POSTS) {
            return atWords;
        }
        List<String> hard = cut(nfc, post, false);
        if (hard == null) {
            throw new IllegalArgumentException("the reply cannot be cut into posts of at most " + max
                    + " characters as X counts them");
        }
        return hard;
    }

    private static List<String> cut(String nfc, TwitterTextConfiguration post, boolean atWords) {
        List<String> posts = new ArrayList<>();
        String rest = nfc;
        while (!rest.isEmpty()) {
            TwitterTextParseResults parsed = TwitterTextParser.parseTweet(rest, post);
            int end = Math.min(parsed.validTextRange.end + 1, rest.length());
            if (end <= 0) {
                return null;
            }
            if (end < rest.length() && atWords) {
                int space = lastSpace(rest, end);
                if (space > end / 2) {
                    end = space;
                }
            }
            String part = rest.substring(0, end).strip();
            if (!part.isEmpty()) {
                posts.add(part);
            }
            rest = rest.substring(end).strip();
        }
        return posts;
    }

    /** The last whitespace at or before {@code end} (where the post would be cut), or -1. */
    private static int lastSpace(String text, int end) {
        if (Character.isWhitespace(text.charAt(end))) {
            return end;
        }
        for (int i = end - 1; i > 0; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static TwitterTextConfiguration config(int maxWeightedLength) {
        return new TwitterTextConfiguration.Builder()
                .setVersion(DEFAULT.getVersion())
                .setMaxWeightedTweetLength(maxWeightedLength)
                .setScale(DEFAULT.getScale())
                .setDefaultWeight(DEFAULT.getDefaultWeight())
                .setEmojiParsingEnabled(DEFAULT.getEmojiParsingEnabled())
                .setTransformedURLLength(DEFAULT.getTransformedURLLength())
                .setRanges(DEFAULT.getRanges())
                .build();
    }
}
