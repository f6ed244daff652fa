package org.frontdoor.channel.x;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.SecretFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which conversation a post of an X thread belongs to, for the posts X's payload cannot tell: a customer's reply names
 * only the post it answers ({@code in_reply_to_status_id_str}), and when that is one of the account's own posts (a
 * reply an agent sent) it must join the conversation that reply was sent in, not open one keyed by our post. Kept per
 * instance in a file of {@code <post id> <threadRef>} lines (appended; the newest {@link #KEPT} kept at start), so a
 * restart still threads replies to posts sent before it. The file is the node's own: on several nodes behind one
 * webhook URL a reply to a post another node sent is threaded by the account's own post X delivers to every
 * subscription ({@link #ownPost}), when it reached this node.
 */
final class XThreads {

    static final int KEPT = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(XThreads.class);

    private final Path file;
    private final Map<String, String> threads;

    XThreads(Path file) {
        this.file = file;
        this.threads = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > KEPT;
            }
        };
        if (file != null && Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (String line : lines) {
                    int space = line.indexOf(' ');
                    if (space > 0) {
                        threads.put(line.substring(0, space), line.substring(space + 1));
                    }
                }
                if (lines.size() > 2 * KEPT) {
                    StringBuilder kept = new StringBuilder();
                    threads.forEach((post, thread) -> kept.append(post).append(' ').append(thread).append('\n'));
                    SecretFile.writeOwnerOnly(file, kept.toString().strip());
                }
            } catch (IOException e) {
                LOG.warn("X threads file {} cannot be read ({}): replies to posts sent before may open new "
                        + "conversations", file, SecretFile.describe(e));
            }
        }
    }

    /** The thread of a customer's post that answers {@code answered}: the conversation of ours, else the post's. */
    synchronized String threadOf(String answered) {
        String known = threads.get(answered);
        return known != null ? known : "post:" + answered;
    }

    /** Whether the post is one whose conversation this door knows. */
    synchronized boolean knows(String post) {
        return threads.containsKey(post);
    }

    /** A post that belongs to a conversation: ours (sent in it), or a customer's that joined it through ours. */
    void remember(String post, String threadRef) {
        if (post == null || post.isEmpty() || threadRef == null || !post.matches("[0-9]{1,20}")
                || threadRef.indexOf('\n') >= 0) {
            return;
        }
        synchronized (this) {
            if (threadRef.equals(threads.put(post, threadRef))) {
                return;
            }
        }
        if (file == null) {
            return;
        }
        try {
            synchronized (this) {
                if (!Files.exists(file)) {
                    SecretFile.writeOwnerOnly(file, post + " " + threadRef);
                } else {
                    Files.writeString(file, post + " " + threadRef + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            LOG.warn("X threads file {} cannot be written ({}): after a restart a reply to post {} may open a new "
                    + "conversation", file, SecretFile.describe(e), post);
        }
    }

    /** The account's own post as X delivers it: it belongs to the thread of the post it answers. */
    void ownPost(String post, String answered) {
        if (answered != null) {
            remember(post, threadOf(answered));
        }
    }
}
