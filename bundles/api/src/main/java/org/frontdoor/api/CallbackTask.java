package org.frontdoor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A phone callback an SLA escalation asked for: someone calls the customer back. Listed by {@code GET
 * /api/v1/callbacks} and {@code frontdoor:callback-list}, closed by {@code frontdoor:callback-done}.
 *
 * @param id             its id
 * @param conversationId the conversation whose SLA was breached
 * @param department     the conversation's department when it escalated
 * @param customerId     the conversation's customer
 * @param customerName   that customer's name as agents see it, or null
 * @param phone          the number to call, from the customer's identities (a phone number, or a handle on a phone or
 *                       SMS door); null when none is known
 * @param note           what the task is, in words; says "no number known" when {@code phone} is null
 * @param createdAt      when it was written
 * @param doneBy         who marked it done, or null while open
 * @param doneAt         when, or null while open
 */
public record CallbackTask(long id, long conversationId, String department, long customerId, String customerName,
                           String phone, String note, Instant createdAt, String doneBy, Instant doneAt) {

    public CallbackTask {
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether it still waits for someone to call. */
    public boolean open() {
        return doneAt == null;
    }
}
