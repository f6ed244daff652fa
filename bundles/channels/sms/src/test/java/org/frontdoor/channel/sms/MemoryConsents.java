package org.frontdoor.channel.sms;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.frontdoor.api.consent.Consent;
import org.frontdoor.api.consent.ConsentChange;
import org.frontdoor.api.consent.Consents;

/**
 * Core's consent as the store keeps it (the latest statement by time wins, an opt-out at the same instant), in memory:
 * the door's tests check what the door records and how it obeys it; the store's own tests check the database.
 */
final class MemoryConsents implements Consents {

    private record Row(Consent consent, Instant latest) {
    }

    private final Map<List<String>, Row> rows = new HashMap<>();
    private boolean down;

    /** Makes every call fail as a database that cannot be reached does. */
    synchronized void down(boolean down) {
        this.down = down;
    }

    @Override
    public synchronized Outcome record(ConsentChange change, String actor) {
        check();
        List<String> key = List.of(change.channel(), change.handle());
        Row row = rows.get(key);
        Consent stated = new Consent(change.channel(), change.handle(), change.optedIn(), change.at(),
                change.source(), change.reference(), change.reason());
        if (row == null) {
            rows.put(key, new Row(stated, change.at()));
            return change.optedIn() ? Outcome.CONFIRMED : Outcome.CHANGED;
        }
        if (change.at().isBefore(row.latest()) || change.at().equals(row.latest()) && change.optedIn()
                && !row.consent().optedIn()) {
            return Outcome.OUTDATED;
        }
        if (row.consent().optedIn() == change.optedIn()) {
            rows.put(key, new Row(row.consent(), change.at()));
            return Outcome.CONFIRMED;
        }
        rows.put(key, new Row(stated, change.at()));
        return Outcome.CHANGED;
    }

    @Override
    public synchronized Optional<Consent> find(String channel, String handle) {
        check();
        return Optional.ofNullable(rows.get(List.of(channel, handle))).map(Row::consent);
    }

    @Override
    public synchronized List<Consent> findAll(String channel, Collection<String> handles) {
        check();
        return handles.stream().map(h -> rows.get(List.of(channel, h))).filter(r -> r != null).map(Row::consent)
                .toList();
    }

    private void check() {
        if (down) {
            throw new IllegalStateException("the database cannot be reached");
        }
    }
}
