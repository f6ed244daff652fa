package org.frontdoor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A phone callback an SLA escalation asked for: someone calls the customer back. Listed by {@code GET
 * /api/v1/callbacks} and {@code frontdoor:callback-list}, answered by a call a door places ({@code
 * frontdoor:callback-call}), closed by {@code frontdoor:callback-done}.
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
 * @param callId         the provider's id of the latest call an agent placed from the task ({@code POST
 *                       /api/v1/callbacks/{id}/call}), or null when none was placed
 * @param calledBy       who placed that call, or null
 * @param calledAt       when, or null
 */
public record CallbackTask(long id, long conversationId, String department, long customerId, String customerName,
                           String phone, String note, Instant createdAt, String doneBy, Instant doneAt,
                           String callId, String calledBy, Instant calledAt) {

    public CallbackTask {
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A task no call was placed from. */
    public CallbackTask(long id, long conversationId, String department, long customerId, String customerName,
                        String phone, String note, Instant createdAt, String doneBy, Instant doneAt) {
        this(id, conversationId, department, customerId, customerName, phone, note, createdAt, doneBy, doneAt, null,
                null, null);
    }

    /** Whether it still waits for someone to call. */
    public boolean open() {
        return doneAt == null;
    }
}
