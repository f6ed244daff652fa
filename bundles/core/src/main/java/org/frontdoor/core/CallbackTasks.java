package org.frontdoor.core;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Callbacks;
import org.frontdoor.store.SlaStore;

/**
 * The phone callback tasks SLA escalations raise, as a caller may see them: only those of departments within the
 * caller's scope; one outside it reads as one that does not exist ("no callback task N").
 */
public final class CallbackTasks implements Callbacks {

    private final SlaStore store;

    public CallbackTasks(SlaStore store) {
        this.store = store;
    }

    @Override
    public List<CallbackTask> list(Caller caller, boolean openOnly, int limit) {
        return store.callbacks(caller.scope(), openOnly, Math.max(1, Math.min(limit, 1000)));
    }

    @Override
    public CallbackTask done(Caller caller, long id) {
        CallbackTask task = store.callback(id).filter(t -> caller.scope().covers(t.department()))
                .orElseThrow(() -> new NoSuchElementException("no callback task " + id));
        return store.callbackDone(task.id(), caller.name(), Instant.now())
                .orElseThrow(() -> new NoSuchElementException("no callback task " + id));
    }
}
