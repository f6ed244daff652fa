package org.frontdoor.api.admin;

import java.util.Objects;

import org.frontdoor.api.Visibility;

/**
 * A text to route as a dry run.
 *
 * @param text       the customer's words
 * @param channel    the channel id the message comes through, such as {@code email}; it need not be running
 * @param instance   the door (channel instance), or null for the channel's first running door
 * @param visibility a public post or a private message
 * @param author     the author's handle on the channel, or null for a made-up one
 * @param subject    a subject, given to rules as the annotation {@code subject} as the e-mail door does; null for none
 */
public record RuleTestRequest(String text, String channel, String instance, Visibility visibility, String author,
                              String subject) {

    public RuleTestRequest {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(visibility, "visibility");
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("a channel id is required");
        }
    }
}
