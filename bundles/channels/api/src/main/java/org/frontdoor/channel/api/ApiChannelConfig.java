package org.frontdoor.channel.api;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor HTTP channel instance",
        description = "One door of the generic HTTP channel: POST /webhooks/api/<instance>; one file per instance, "
                + "etc/org.frontdoor.channel.api-<instance>.cfg")
@interface ApiChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'api-'")
    String instance() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "HMAC-SHA256 key shared with the sender; signs requests and callbacks. Leave it blank "
                    + "with generateSecret = true to have one generated")
    String secret();

    @AttributeDefinition(description = "When secret is blank: generate a random secret at first start into "
            + "frontdoor/secrets/channel-api-<instance>.secret under the Karaf data directory (readable by its owner "
            + "only) and read it from there on later starts. When false, an instance without a secret stays DOWN")
    boolean generateSecret() default false;

    @AttributeDefinition(description = "Where replies to this instance's customers are POSTed")
    String callbackUrl() default "";

    @AttributeDefinition(description = "Largest accepted difference between X-Frontdoor-Timestamp and now, in seconds",
            min = "1")
    long maxSkewSeconds() default 300;

    @AttributeDefinition(description = "Largest accepted request body, in bytes", min = "1")
    int maxBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "Seconds to wait for the callback peer's answer", min = "1")
    int callbackTimeoutSeconds() default 10;

    @AttributeDefinition(description = "After the callback peer refused our signature (401 or 403), seconds the "
            + "instance reports AUTH_EXPIRED (core holds its replies) before replies are tried again; a changed "
            + "configuration tries at once", min = "1")
    int authRetrySeconds() default 300;
}
