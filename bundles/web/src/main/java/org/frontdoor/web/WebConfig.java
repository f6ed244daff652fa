package org.frontdoor.web;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The REST API's settings ({@code etc/org.frontdoor.web.cfg}). A change applies to the next request; failed logins
 * counted so far are kept.
 */
@ObjectClassDefinition(name = "Frontdoor REST API", description = "HTTP Basic logins to /api/v1 and how failed ones "
        + "are throttled")
public @interface WebConfig {

    @AttributeDefinition(description = "Failed logins of one user name within loginWindowSeconds after which that "
            + "name is refused (429 with Retry-After) for loginWindowSeconds, even with the right password; a "
            + "successful login forgets the name's failures", min = "1")
    int loginMaxFailuresPerUser() default 5;

    @AttributeDefinition(description = "Failed logins from one client address, whatever the user names, within "
            + "loginWindowSeconds after which that address is refused (429 with Retry-After) for loginWindowSeconds; "
            + "a successful login does not forget them", min = "1")
    int loginMaxFailuresPerAddress() default 20;

    @AttributeDefinition(description = "Seconds over which failed logins are counted, and how long a lock lasts",
            min = "1")
    int loginWindowSeconds() default 900;

    @AttributeDefinition(description = "User names, and separately client addresses, whose failed logins are "
            + "remembered at most; beyond that the least recently seen is forgotten, so a flood of made-up names "
            + "cannot exhaust memory", min = "1")
    int loginMaxTrackedEntries() default 10000;

    @AttributeDefinition(description = "Minutes a browser session (the console's login) may go unused before it "
            + "ends and its cookie no longer works", min = "1")
    int sessionIdleMinutes() default 30;
}
