package org.frontdoor.core;

import java.util.function.Supplier;

import org.frontdoor.api.inbox.InboxUnavailableException;
import org.frontdoor.store.StoreConflictException;
import org.frontdoor.store.StoreUnavailableException;

/** How core's services call the store on a caller's behalf: once more after a collision, then a clear refusal. */
final class StoreCalls {

    private StoreCalls() {
    }

    /**
     * The store's answer, tried once more when another transaction collided with it; a database that cannot answer
     * (or collides twice) is said so as an {@link InboxUnavailableException}.
     *
     * @param what what cannot answer, for the refusal: "the inbox", "the agents"
     */
    static <T> T retryOnce(Supplier<T> work, String what) {
        try {
            try {
                return work.get();
            } catch (StoreConflictException collided) {
                return work.get();
            }
        } catch (StoreUnavailableException | StoreConflictException e) {
            throw new InboxUnavailableException(what + " cannot answer now: " + e.getMessage(), e);
        }
    }
}
