package org.frontdoor.core;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;

/** Inbound messages for tests. */
final class Messages {

    private Messages() {
    }

    static Message inbound(String channel, String instance, String externalId, String handle, String text) {
        return Message.inbound(channel, instance).externalId(externalId)
                .author(new Identity(channel, handle, "Name " + handle, null, null, 0))
                .text(text).rawPayload("{\"id\":\"" + externalId + "\"}").build();
    }

    static Message api(String externalId, String handle, String text) {
        return inbound("api", "demo", externalId, handle, text);
    }
}
