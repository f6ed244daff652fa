package org.frontdoor.api.inbox;

import java.util.Objects;

import org.frontdoor.api.Identity;

/**
 * Where a reply goes when not through the conversation's own door: a channel instance and the recipient on that
 * channel. A web chat visitor who left continues by e-mail; a door sends the code that confirms an address. Such a
 * reply starts a new thread on its door (no thread reference, no message answered).
 *
 * @param channel   the channel, such as {@code email}
 * @param instance  the instance of that channel to send through, such as {@code support}
 * @param recipient who receives it; its channel is {@code channel}
 */
public record ReplyRoute(String channel, String instance, Identity recipient) {

    public ReplyRoute {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(recipient, "recipient");
        if (!recipient.channel().equals(channel)) {
            throw new IllegalArgumentException("the recipient is on channel " + recipient.channel() + ", not "
                    + channel);
        }
    }
}
