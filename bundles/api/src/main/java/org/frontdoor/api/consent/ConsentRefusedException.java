package org.frontdoor.api.consent;

/**
 * A reply refused before it was queued: its recipient opted out. The message is the sentence an agent reads (the
 * customer texted STOP on ...; they must text START). An {@link IllegalStateException}: the request was well formed,
 * the customer's state refuses it (REST answers 409 with the message).
 */
public class ConsentRefusedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ConsentRefusedException(String reason) {
        super(reason);
    }
}
