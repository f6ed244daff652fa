package org.frontdoor.channel.mastodon;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor Mastodon channel instance",
        description = "One Mastodon account: its mentions from the streaming API (caught up from the notifications "
                + "endpoint after any gap), replies as statuses; one file per account, "
                + "etc/org.frontdoor.channel.mastodon-<instance>.cfg")
@interface MastodonChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'mastodon-'")
    String instance() default "";

    @AttributeDefinition(description = "The account's Mastodon server, such as https://mastodon.social (tests set a "
            + "local one)")
    String baseUrl();

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The access token of an application of the account (Preferences > Development), with the "
                    + "scopes read:notifications and write:statuses. Sent as 'Authorization: Bearer', never in a URL")
    String accessToken();

    @AttributeDefinition(description = "The streaming API's address when the server names another one "
            + "(configuration.urls.streaming of GET /api/v2/instance); blank: asked from the server, else baseUrl")
    String streamingUrl() default "";

    @AttributeDefinition(description = "The longest status the server takes, in characters as Mastodon counts them; "
            + "0: asked from GET /api/v2/instance (configuration.statuses.max_characters), 500 when it does not say",
            min = "0")
    int maxCharacters() default 0;

    @AttributeDefinition(description = "Mentions fetched from the notifications endpoint the first time this "
            + "instance starts (it has seen none yet): 0 takes only mentions from now on", min = "0", max = "400")
    int initialBacklog() default 0;

    @AttributeDefinition(description = "Seconds without a byte from the stream (Mastodon sends a heartbeat about "
            + "every 15 s) after which it is taken as dropped and opened again", min = "5")
    int streamIdleSeconds() default 60;

    @AttributeDefinition(description = "Longest wait, in seconds, between two attempts to open the stream again "
            + "(the wait doubles from 1 s up to it)", min = "1")
    int maxReconnectSeconds() default 60;

    @AttributeDefinition(description = "Seconds to wait for an answer of the REST API", min = "1")
    int requestTimeoutSeconds() default 10;

    @AttributeDefinition(description = "After Mastodon refused the token (401), seconds the instance reports "
            + "AUTH_EXPIRED (core holds its replies) before the stream and replies are tried again; a new cfg tries "
            + "at once", min = "1")
    int authRetrySeconds() default 300;
}
