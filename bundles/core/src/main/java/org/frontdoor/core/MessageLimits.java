package org.frontdoor.core;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;

/** What the store can hold; a message beyond it is refused with the reason (the channel answers 400). */
final class MessageLimits {

    static final int NAME = 64;
    static final int KEY = 255;
    static final int EMAIL = 320;
    static final int PHONE = 32;
    static final int TEXT = 1_000_000;

    private MessageLimits() {
    }

    static void check(Message m) {
        within("channel", m.channel(), NAME);
        within("instance", m.instance(), NAME);
        within("id", m.externalId(), KEY);
        within("thread", m.threadRef(), KEY);
        within("text", m.text(), TEXT);
        Identity a = m.author();
        within("from.id", a.handle(), KEY);
        within("from.name", a.displayName(), KEY);
        within("from.email", a.email(), EMAIL);
        within("from.phone", a.phone(), PHONE);
        within("raw payload", m.rawPayload(), Integer.MAX_VALUE);
    }

    private static void within(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(field + " is " + value.length() + " characters long, at most " + max
                    + " are accepted");
        }
        // PostgreSQL refuses U+0000 in text: without this the message fails as "store down" and is retried forever
        if (value != null && value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " contains a NUL character, which cannot be stored");
        }
    }
}
