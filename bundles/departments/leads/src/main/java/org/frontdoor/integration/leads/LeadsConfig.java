package org.frontdoor.integration.leads;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor lead export",
        description = "Conversations annotated as leads, posted once each as JSON to a CRM; one file per instance, "
                + "etc/org.frontdoor.integration.leads-<name>.cfg")
@interface LeadsConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'leads-'")
    String instance() default "";

    @AttributeDefinition(description = "Only this department's conversations; blank for all")
    String department() default "";

    @AttributeDefinition(description = "The CRM endpoint leads are POSTed to (http or https)")
    String url();

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "A bearer token for the CRM, sent as "
            + "Authorization: Bearer; prefer tokenFile or tokenEnv. Blank: no Authorization header")
    String token() default "";

    @AttributeDefinition(description = "An environment variable holding the token (used when tokenFile is blank)")
    String tokenEnv() default "";

    @AttributeDefinition(description = "A file holding the token, read whole and trimmed (takes precedence)")
    String tokenFile() default "";

    @AttributeDefinition(description = "The annotation that makes a conversation a lead (set by a classifier or the "
            + "channel on one of its messages)")
    String annotation() default "lead";

    @AttributeDefinition(description = "The least confidence of that annotation that counts, 0 to 1")
    double minConfidence() default 0.5;

    @AttributeDefinition(description = "Where a consumer name never seen before starts: end or beginning")
    String start() default "end";

    @AttributeDefinition(description = "Seconds to wait for the CRM's answer", min = "1")
    int timeoutSeconds() default 10;

    @AttributeDefinition(description = "Longest Retry-After honoured, in seconds", min = "1")
    int maxRetryAfterSeconds() default 600;
}
