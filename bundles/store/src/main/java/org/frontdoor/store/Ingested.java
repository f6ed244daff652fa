package org.frontdoor.store;

import java.util.Objects;

import org.frontdoor.api.IngestReceipt;

/**
 * The outcome of storing one inbound message: stored (or found stored before), or deferred.
 *
 * @param receipt         the ids (those of the first delivery when it is a duplicate); null when deferred
 * @param newConversation true when the message opened a conversation (or reopened a resolved one)
 * @param deferredReason  why the message was not stored this time (its conversation is locked by another
 *                        transaction); null when stored. The sender is asked to try again.
 */
public record Ingested(IngestReceipt receipt, boolean newConversation, String deferredReason) {

    public Ingested {
        if ((receipt == null) == (deferredReason == null)) {
            throw new IllegalArgumentException("a message is either stored or deferred");
        }
    }

    public static Ingested stored(IngestReceipt receipt, boolean newConversation) {
        return new Ingested(Objects.requireNonNull(receipt), newConversation, null);
    }

    public static Ingested deferred(String reason) {
        return new Ingested(null, false, Objects.requireNonNull(reason));
    }

    public boolean isDeferred() {
        return deferredReason != null;
    }
}
