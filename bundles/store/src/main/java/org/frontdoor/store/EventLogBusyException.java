package org.frontdoor.store;

/**
 * The event log's counter row stayed held by other writers for longer than its own bound: every transaction that writes
 * events commits one at a time on that row, so this says the database is taking more event-writing transactions than
 * it can commit, not that some conversation is held. Nothing was written; trying again later may succeed.
 */
public class EventLogBusyException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    public EventLogBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
