/**
 * What a supervisor's dashboard shows: each department's queue (conversations by status, the longest wait, SLA
 * timers at risk and breached) and the messages each door brought in, hour by hour. Computed by the store in SQL
 * within the caller's {@link org.frontdoor.api.Scope}; served by {@link org.frontdoor.api.inbox.Inbox#queues} and
 * {@link org.frontdoor.api.inbox.Inbox#volumes}. Implemented by core, used by the REST API and the console.
 */
@Version("1.0.0")
package org.frontdoor.api.dashboard;

import org.osgi.annotation.versioning.Version;
