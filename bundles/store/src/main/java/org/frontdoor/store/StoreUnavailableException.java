package org.frontdoor.store;

/**
 * The database could not be reached, or did not answer in time: nothing was written. Splitting the work would not
 * help; trying again later may.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
