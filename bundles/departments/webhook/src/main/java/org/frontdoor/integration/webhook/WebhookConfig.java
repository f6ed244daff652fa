package org.frontdoor.integration.webhook;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor webhook integration",
        description = "A department's conversation events POSTed as signed JSON to a CRM or ticketing tool; one file "
                + "per instance, etc/org.frontdoor.integration.webhook-<name>.cfg")
@interface WebhookConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'webhook-'")
    String instance() default "";

    @AttributeDefinition(description = "Only this department's events (and transfers out of it); blank for all")
    String department() default "";

    @AttributeDefinition(description = "Where events are POSTed (http or https); shown as scheme, host and port only")
    String url();

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "HMAC-SHA256 key shared with the peer. "
            + "Prefer secretFile or secretEnv, which keep it out of etc/")
    String secret() default "";

    @AttributeDefinition(description = "An environment variable holding the key (used when secretFile is blank)")
    String secretEnv() default "";

    @AttributeDefinition(description = "A file holding the key, read whole and trimmed (takes precedence)")
    String secretFile() default "";

    @AttributeDefinition(description = "Event types delivered, comma separated ids (docs/events.md)")
    String types() default "routed,transferred,resolved";

    @AttributeDefinition(description = "Where a consumer name never seen before starts: end or beginning")
    String start() default "end";

    @AttributeDefinition(description = "Seconds to wait for the peer's answer", min = "1")
    int timeoutSeconds() default 10;

    @AttributeDefinition(description = "Longest Retry-After honoured, in seconds", min = "1")
    int maxRetryAfterSeconds() default 600;
}
