package org.frontdoor.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Callbacks;
import org.frontdoor.api.calls.CallRefusedException;
import org.frontdoor.api.calls.CallRequest;
import org.frontdoor.api.calls.CallUnavailableException;
import org.frontdoor.api.calls.ChannelCalls;
import org.frontdoor.api.calls.PlacedCall;
import org.frontdoor.store.Door;
import org.frontdoor.store.SlaStore;

/**
 * The phone callback tasks SLA escalations raise, as a caller may see them: only those of departments within the
 * caller's scope; one outside it reads as one that does not exist ("no callback task N"). A call from a task goes
 * through a door that can call ({@link ChannelCalls}) and is recorded only once its provider accepted it.
 */
public final class CallbackTasks implements Callbacks {

    /** An agent's phone as given in a request: E.164, or digits with spaces, dots, dashes and brackets. */
    private static final String PHONE = "\\+?[0-9][0-9 ().\\-]{5,30}";

    private final SlaStore store;
    private final Doors doors;
    /** One call at a time per task on this node: a double click places one call. */
    private final Object[] calling = new Object[64];

    public CallbackTasks(SlaStore store, Doors doors) {
        this.store = store;
        this.doors = doors;
        for (int i = 0; i < calling.length; i++) {
            calling[i] = new Object();
        }
    }

    @Override
    public List<CallbackTask> list(Caller caller, boolean openOnly, int limit) {
        return store.callbacks(caller.scope(), openOnly, Math.max(1, Math.min(limit, 1000)));
    }

    @Override
    public CallbackTask done(Caller caller, long id) {
        CallbackTask task = visible(caller, id);
        return store.callbackDone(task.id(), caller.name(), Instant.now())
                .orElseThrow(() -> new NoSuchElementException("no callback task " + id));
    }

    @Override
    public CallbackTask call(Caller caller, long id, String door, String agentNumber) {
        if (agentNumber != null && !agentNumber.isBlank() && !agentNumber.strip().matches(PHONE)) {
            throw new IllegalArgumentException("agentPhone is not a phone number (E.164 such as +14155552671)");
        }
        CallbackTask task = visible(caller, id);
        if (!task.open()) {
            throw new IllegalStateException("callback task " + id + " is done already");
        }
        if (task.phone() == null) {
            throw new CallRefusedException("callback task " + id + " has no number to call: the customer has no "
                    + "phone number in Frontdoor");
        }
        Map.Entry<Door, ChannelCalls> through = door(door);
        synchronized (calling[(int) Math.floorMod(id, (long) calling.length)]) {
            PlacedCall placed;
            try {
                placed = through.getValue().call(new CallRequest(task.phone(), caller.name(), agentNumber,
                        "callback task " + id));
            } catch (CallRefusedException | CallUnavailableException e) {
                failed(caller, task, through.getKey(), e.getMessage());
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallUnavailableException("the request was interrupted before door " + through.getKey()
                        + " answered: the call may have been placed; look at the phone before calling again", 0);
            } catch (RuntimeException e) {
                String said = "door " + through.getKey() + " failed to place the call: " + e;
                failed(caller, task, through.getKey(), said);
                throw new CallUnavailableException(said, 0);
            }
            try {
                return store.callbackCalled(id, through.getKey().toString(), placed.callId(), caller.name(),
                        Instant.now()).orElseThrow(() -> new NoSuchElementException("no callback task " + id));
            } catch (RuntimeException e) {
                throw new CallUnavailableException("door " + through.getKey() + " placed call " + placed.callId()
                        + ", but Frontdoor could not record it (" + e.getMessage() + "): do not call again, mark "
                        + "the task done after the talk", 0);
            }
        }
    }

    private CallbackTask visible(Caller caller, long id) {
        return store.callback(id).filter(t -> caller.scope().covers(t.department()))
                .orElseThrow(() -> new NoSuchElementException("no callback task " + id));
    }

    /** The named door, or the only one that can call now. */
    private Map.Entry<Door, ChannelCalls> door(String named) {
        Map<Door, ChannelCalls> callers = doors.calling();
        if (named != null && !named.isBlank()) {
            Door wanted = callers.keySet().stream().filter(d -> d.toString().equals(named.strip())).findFirst()
                    .orElse(null);
            if (wanted == null) {
                throw new CallRefusedException("door " + named.strip() + " cannot place calls"
                        + (callers.isEmpty() ? ": no door can" : "; these can: " + names(callers)));
            }
            return Map.entry(wanted, callers.get(wanted));
        }
        if (callers.isEmpty()) {
            throw new CallRefusedException("no door can place calls: install and configure a voice door (the SMS and "
                    + "voice door with a phone number, docs/channels/sms.md)");
        }
        if (callers.size() > 1) {
            throw new CallRefusedException("several doors can place calls: name one (door: " + names(callers) + ")");
        }
        return callers.entrySet().iterator().next();
    }

    private static String names(Map<Door, ChannelCalls> callers) {
        return String.join(", ", callers.keySet().stream().map(Door::toString).sorted().toList());
    }

    private void failed(Caller caller, CallbackTask task, Door door, String reason) {
        try {
            store.callbackCallFailed(task.id(), task.conversationId(), door.toString(), reason, caller.name(),
                    Instant.now());
        } catch (RuntimeException e) {
            // the agent is told the provider's answer; the audit row of a failed attempt is not worth hiding it
        }
    }
}
