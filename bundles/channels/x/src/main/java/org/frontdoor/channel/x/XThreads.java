package org.frontdoor.channel.x;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.frontdoor.api.doorstate.DoorStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which conversation a post of an X thread belongs to, for the posts X's payload cannot tell: a customer's reply names
 * only the post it answers ({@code in_reply_to_status_id_str}), and when that is one of the account's own posts (a
 * reply an agent sent) it must join the conversation that reply was sent in, not open one keyed by our post. Kept in
 * core's door state (key {@code post:<id>}, value the threadRef), so every node behind the webhook URL and a restarted
 * or reinstalled door thread replies to posts any of them sent; the newest {@link #KEPT} are also cached in memory.
 * An older door's file ({@code channel-x-<instance>.threads}, lines of {@code <post id> <threadRef>}) is moved in
 * once.
 */
final class XThreads {

    static final int KEPT = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(XThreads.class);

    private final DoorStates states;
    private final String instance;
    private final Map<String, String> threads;

    /** @param states core's door state, or null for a parse that remembers nothing beyond this object */
    XThreads(DoorStates states, String instance) {
        this.states = states;
        this.instance = instance;
        this.threads = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > KEPT;
            }
        };
    }

    /**
     * Moves an older door's file into the door state (its newest {@link #KEPT} posts), then deletes it; nothing to do
     * without a file.
     *
     * @throws IOException when the file cannot be read or deleted (it stays and is read at the next start)
     */
    int importFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> newest = new LinkedHashMap<>();
        for (String line : lines.subList(Math.max(0, lines.size() - KEPT), lines.size())) {
            int space = line.indexOf(' ');
            if (space > 0) {
                newest.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        newest.forEach(this::store);
        Files.delete(file);
        return newest.size();
    }

    /** The thread of a customer's post that answers {@code answered}: the conversation of ours, else the post's. */
    String threadOf(String answered) {
        return known(answered).orElse("post:" + answered);
    }

    /** Whether the post is one whose conversation this door knows. */
    boolean knows(String post) {
        return known(post).isPresent();
    }

    /** A post that belongs to a conversation: ours (sent in it), or a customer's that joined it through ours. */
    void remember(String post, String threadRef) {
        if (post == null || post.isEmpty() || threadRef == null || !post.matches("[0-9]{1,20}")
                || threadRef.length() > DoorStates.MAX_VALUE) {
            return;
        }
        synchronized (this) {
            if (threadRef.equals(threads.put(post, threadRef))) {
                return;
            }
        }
        try {
            store(post, threadRef);
        } catch (RuntimeException e) {
            LOG.warn("X channel instance {}: post {} could not be kept in the database ({}): a reply to it reaching "
                    + "another node, or this one after a restart, may open a new conversation", instance, post,
                    e.getMessage());
        }
    }

    /** The account's own post as X delivers it: it belongs to the thread of the post it answers. */
    void ownPost(String post, String answered) {
        if (answered != null) {
            remember(post, threadOf(answered));
        }
    }

    private Optional<String> known(String post) {
        synchronized (this) {
            String cached = threads.get(post);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        if (states == null || post == null || !post.matches("[0-9]{1,20}")) {
            return Optional.empty();
        }
        try {
            Optional<String> stored = states.read(XInstance.CHANNEL_ID, instance, "post:" + post)
                    .map(DoorStates.Entry::value);
            stored.ifPresent(t -> {
                synchronized (this) {
                    threads.put(post, t);
                }
            });
            return stored;
        } catch (RuntimeException e) {
            LOG.warn("X channel instance {}: the thread of post {} could not be read from the database ({}); it is "
                    + "taken as a new one", instance, post, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes the post's thread unless it is already that (compare-and-set: a write in between is read again). */
    private void store(String post, String threadRef) {
        if (states == null) {
            return;
        }
        String key = "post:" + post;
        while (true) {
            Optional<DoorStates.Entry> now = states.read(XInstance.CHANNEL_ID, instance, key);
            if (now.isPresent() && now.get().value().equals(threadRef)) {
                return;
            }
            if (states.compareAndSet(XInstance.CHANNEL_ID, instance, key, now.map(DoorStates.Entry::version)
                    .orElse(0L), threadRef).isPresent()) {
                return;
            }
        }
    }
}
