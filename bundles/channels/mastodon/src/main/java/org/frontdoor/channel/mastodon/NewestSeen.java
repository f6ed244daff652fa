package org.frontdoor.channel.mastodon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.frontdoor.api.doorstate.DoorStates;

/**
 * The newest notification id a Mastodon door instance has seen and stored, kept in core's door state (key
 * {@value #KEY}, value {@code <server base URL>\n<id>}), so another node or a reinstalled door catches up from it. It
 * only moves forward: a write loses to another in between (compare-and-set) and is tried again against what that
 * one wrote. The mark of another server (the cfg now names another) means nothing here. An older door's file
 * ({@code mastodon-<instance>.since} under the Karaf data directory) is moved in once.
 */
final class NewestSeen {

    static final String KEY = "notifications.newest";

    private final DoorStates states;
    private final String instance;
    private final String base;

    NewestSeen(DoorStates states, String instance, String base) {
        this.states = states;
        this.instance = instance;
        this.base = base;
    }

    /** The newest id seen on this server, or null before the first. */
    String read() {
        return states.read(MastodonInstance.CHANNEL_ID, instance, KEY).map(e -> idOf(e.value())).orElse(null);
    }

    /** Moves the mark to {@code id} unless it is already there or past it; returns the mark after. */
    String advance(String id) {
        while (true) {
            Optional<DoorStates.Entry> now = states.read(MastodonInstance.CHANNEL_ID, instance, KEY);
            String seen = now.map(e -> idOf(e.value())).orElse(null);
            if (seen != null && MastodonInstance.compareIds(id, seen) <= 0) {
                return seen;
            }
            long version = now.map(DoorStates.Entry::version).orElse(0L);
            if (states.compareAndSet(MastodonInstance.CHANNEL_ID, instance, KEY, version, base + "\n" + id)
                    .isPresent()) {
                return id;
            }
        }
    }

    /**
     * Moves an older door's file into the door state (when it names this server), then deletes it; nothing to do
     * without a file.
     *
     * @throws IOException when the file cannot be read or deleted (it stays and is read at the next start)
     */
    void importFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() >= 2 && lines.get(0).equals(base) && !lines.get(1).isBlank()) {
            advance(lines.get(1).strip());
        }
        Files.delete(file);
    }

    private String idOf(String value) {
        int newline = value.indexOf('\n');
        return newline > 0 && value.substring(0, newline).equals(base) ? value.substring(newline + 1) : null;
    }
}
