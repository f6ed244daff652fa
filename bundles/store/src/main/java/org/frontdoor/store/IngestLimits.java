package org.frontdoor.store;

/**
 * How long an ingest transaction may wait.
 *
 * @param statementTimeoutMillis the longest any statement may run, and the network timeout of the connection
 * @param lockWaitMillis         the longest a statement waits for a row another transaction holds
 */
public record IngestLimits(long statementTimeoutMillis, long lockWaitMillis) {

    public IngestLimits {
        if (statementTimeoutMillis < 1 || lockWaitMillis < 1) {
            throw new IllegalArgumentException("ingest limits are positive");
        }
    }
}
