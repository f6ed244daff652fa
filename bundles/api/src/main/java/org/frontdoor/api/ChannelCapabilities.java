package org.frontdoor.api;

import java.util.Objects;

/**
 * What a channel can carry, so replies are shaped to it before they are sent.
 *
 * @param maxLength       largest text of one message (or one segment where segmentation is allowed), 0 for no limit
 * @param counting        how the length is counted
 * @param segmentation    whether a long reply may be split into several messages (SMS segments, X threads)
 * @param publicReplies   whether the channel can answer in public
 * @param privateReplies  whether the channel can answer in private
 * @param threading       whether replies can be attached to a thread
 * @param markup          markup the channel renders
 * @param attachments     whether replies may carry attachments
 */
public record ChannelCapabilities(int maxLength, LengthCounting counting, boolean segmentation, boolean publicReplies,
                                  boolean privateReplies, boolean threading, Markup markup, boolean attachments) {

    /** How a channel counts the length of a text. */
    public enum LengthCounting {
        /** Unicode code points. */
        CODE_POINTS,
        /** X's weighted count: most CJK and emoji count 2, URLs count 23. */
        X_WEIGHTED,
        /** SMS: 160 GSM-7 characters or 70 UCS-2 units per segment (153 / 67 when concatenated). */
        SMS_SEGMENTS,
        /**
         * UTF-16 code units, as Telegram counts a message's 4096 (an emoji beyond the BMP counts 2); a door that
         * segments never cuts a surrogate pair.
         */
        UTF16_UNITS,
        /**
         * Mastodon's count: user-perceived characters (extended grapheme clusters), where a link (http or https)
         * counts 23 and a mention {@code @user@domain} counts only {@code @user}.
         */
        MASTODON
    }

    /** What markup a channel renders. */
    public enum Markup {
        NONE,
        MARKDOWN,
        HTML
    }

    public ChannelCapabilities {
        Objects.requireNonNull(counting, "counting");
        Objects.requireNonNull(markup, "markup");
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative");
        }
        if (!publicReplies && !privateReplies) {
            throw new IllegalArgumentException("a channel answers in public, in private, or both");
        }
    }

    /** Private text messages of any length, no markup, threaded: a plain webhook or API. */
    public static ChannelCapabilities plainPrivate() {
        return new ChannelCapabilities(0, LengthCounting.CODE_POINTS, false, false, true, true, Markup.NONE, false);
    }
}
