package org.frontdoor.integration.slack;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor Slack integration",
        description = "A department's conversations announced in a Slack channel through an incoming webhook; one file "
                + "per instance, etc/org.frontdoor.integration.slack-<name>.cfg")
@interface SlackConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'slack-'")
    String instance() default "";

    @AttributeDefinition(description = "Only this department's events (and transfers out of it); blank for all")
    String department() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "The incoming webhook's URL "
            + "(https://hooks.slack.com/services/...). Its path is a secret: prefer urlFile or urlEnv")
    String url() default "";

    @AttributeDefinition(description = "An environment variable holding the webhook URL (used when urlFile is blank)")
    String urlEnv() default "";

    @AttributeDefinition(description = "A file holding the webhook URL, read whole and trimmed (takes precedence)")
    String urlFile() default "";

    @AttributeDefinition(description = "Event types announced, comma separated ids (docs/events.md)")
    String types() default "routed,transferred,resolved";

    @AttributeDefinition(description = "Where a consumer name never seen before starts: end or beginning")
    String start() default "end";

    @AttributeDefinition(description = "Seconds to wait for Slack's answer", min = "1")
    int timeoutSeconds() default 10;

    @AttributeDefinition(description = "Longest Retry-After honoured, in seconds", min = "1")
    int maxRetryAfterSeconds() default 600;
}
