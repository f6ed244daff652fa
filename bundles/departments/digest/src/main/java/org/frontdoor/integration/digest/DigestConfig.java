package org.frontdoor.integration.digest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor e-mail digest",
        description = "A department's new and unresolved conversations, e-mailed every interval; one file per "
                + "instance, etc/org.frontdoor.integration.digest-<name>.cfg")
@interface DigestConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'digest-'")
    String instance() default "";

    @AttributeDefinition(description = "The department the digest is about (required)")
    String department();

    @AttributeDefinition(description = "Recipients, comma separated")
    String to();

    @AttributeDefinition(description = "The sender's address")
    String from();

    @AttributeDefinition(description = "Minutes between two digests", min = "1")
    int intervalMinutes() default 60;

    @AttributeDefinition(description = "The most conversations listed in one digest", min = "1", max = "500")
    int limit() default 100;

    @AttributeDefinition(description = "SMTP server (the e-mail door's, or another)")
    String smtpHost();

    @AttributeDefinition(description = "SMTP port", min = "1", max = "65535")
    int smtpPort() default 587;

    @AttributeDefinition(description = "starttls (required), tls (implicit, usually port 465) or none")
    String smtpSecurity() default "starttls";

    @AttributeDefinition(description = "SMTP login; blank to send without one")
    String smtpUsername() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "SMTP password; prefer smtpPasswordFile or "
            + "smtpPasswordEnv")
    String smtpPassword() default "";

    @AttributeDefinition(description = "An environment variable holding the SMTP password")
    String smtpPasswordEnv() default "";

    @AttributeDefinition(description = "A file holding the SMTP password (takes precedence)")
    String smtpPasswordFile() default "";

    @AttributeDefinition(description = "Seconds to wait for the SMTP server", min = "1")
    int timeoutSeconds() default 20;

    @AttributeDefinition(description = "Where a consumer name never seen before starts: end or beginning")
    String start() default "end";
}
