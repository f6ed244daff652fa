package org.frontdoor.api.inbox;

/**
 * How a reply's text counts on its conversation's door, before it is sent: the composer's live counter, from the
 * same counting that refuses a reply too long.
 *
 * @param length   the text's length as the door counts it
 * @param unit     what is counted, in words ("code points", "characters as X counts them", "GSM-7 units", ...)
 * @param max      the most the door takes in one message (one segment where it segments), 0 for no limit
 * @param segments the messages the reply becomes (1 unless the door segments)
 * @param fits     whether the door takes it
 * @param refusal  why the door would not take it, or null when it fits
 * @param door     the door that would send it, {@code channel/instance}, or null when it is not running (nothing is
 *                 counted then: fits is true, length is the code points)
 */
public record ReplyPreview(int length, String unit, int max, int segments, boolean fits, String refusal,
                           String door) {
}
