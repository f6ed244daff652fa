package org.frontdoor.core;

import org.frontdoor.api.ChannelCapabilities;

/** PLACEHOLDER until the measuring branch is merged: code points only. */
final class ReplyLength {

    record Measure(int length, int max, boolean fits) {
        String refusal(String channel) {
            return "reply is " + length + " characters, " + channel + " takes at most " + max;
        }
    }

    static Measure measure(String text, ChannelCapabilities caps) {
        int length = text.codePointCount(0, text.length());
        return new Measure(length, caps.maxLength(), caps.maxLength() == 0 || caps.segmentation()
                || length <= caps.maxLength());
    }
}
