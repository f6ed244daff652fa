package org.frontdoor.store;

/**
 * Another transaction wrote the same rows at the same time (a unique key taken meanwhile, a deadlock, a
 * serialization failure): nothing was written, and the same work tried again sees the other's rows.
 */
public class StoreConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
