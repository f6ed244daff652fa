package org.frontdoor.api;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The phone callbacks SLA escalations asked for ({@code callback} in a department's {@code escalation}), published by
 * core. A caller sees the tasks of the departments in its scope; the rest do not exist for it.
 */
public interface Callbacks {

    /** Tasks, newest first: the open ones only, or all; at most {@code limit} (1 to 1000). */
    List<CallbackTask> list(Caller caller, boolean openOnly, int limit);

    /**
     * Marks a task done, with the caller as who did it.
     *
     * @throws NoSuchElementException when there is no such task in the caller's scope
     * @throws IllegalStateException  when it is done already
     */
    CallbackTask done(Caller caller, long id);
}
