package org.frontdoor.api.inbox;

import java.util.Objects;

/**
 * A reply as its conversation's door would count it, before it is sent ({@link Inbox#measureReply}).
 *
 * @param channel     the door's channel id
 * @param instance    the door's instance
 * @param length      the reply's length in {@code unit}
 * @param unit        what was counted: "characters", "characters in GSM-7", "characters in UCS-2", "characters as X
 *                    counts them"...
 * @param maxLength   the most the door takes in one message, in {@code unit} (one segment where it segments: 160
 *                    GSM-7 or 70 UCS-2 characters for one SMS), 0 for no limit
 * @param messages    the messages (SMS segments, posts of a thread) it becomes
 * @param maxMessages the most messages the door sends for one reply (1 where it does not segment)
 * @param fits        whether the door takes it
 * @param refusal     why it does not, with how much to cut; empty when it fits
 * @param doorRunning false when the door is not running now: then nothing could be counted as the door counts, and
 *                    the reply is measured when it returns
 * @param visibilities how the door can answer: {@code PUBLIC}, {@code PRIVATE} or both (empty when the door is not
 *                     running); through another door ({@link Inbox#replyVia}) only {@code PRIVATE}
 */
public record ReplyMeasure(String channel, String instance, int length, String unit, int maxLength, int messages, int maxMessages,
                           boolean fits, String refusal, boolean doorRunning,
                           java.util.List<org.frontdoor.api.Visibility> visibilities) {

    public ReplyMeasure {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(refusal, "refusal");
        visibilities = visibilities == null ? java.util.List.of() : java.util.List.copyOf(visibilities);
    }

    /** A measure that does not say how the door can answer. */
    public ReplyMeasure(String channel, String instance, int length, String unit, int maxLength, int messages,
                        int maxMessages, boolean fits, String refusal, boolean doorRunning) {
        this(channel, instance, length, unit, maxLength, messages, maxMessages, fits, refusal, doorRunning, null);
    }
}
