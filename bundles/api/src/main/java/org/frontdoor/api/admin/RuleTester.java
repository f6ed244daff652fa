package org.frontdoor.api.admin;

import org.frontdoor.api.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A dry run of routing ({@code frontdoor:rule-test}): a text is made into a message as a door would bring it in, the
 * registered classifiers look at it (each within core's classifier timeout) and every registered rule is asked, in the
 * order routing asks them. Nothing is stored: no conversation, message, event or audit row. An OSGi service published
 * by core.
 */
@ProviderType
public interface RuleTester {

    /**
     * @throws SecurityException        when the caller is not an admin, a supervisor or a system caller
     * @throws IllegalArgumentException when core would refuse such a message (a field too long, a NUL character)
     */
    RuleTestResult test(Caller caller, RuleTestRequest request);
}
