package org.frontdoor.api.live;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells listeners that this node has just committed events to the log (a message stored, a conversation changed, a
 * reply's state). Published by core. It says nothing of other nodes on the same database: a listener that must see
 * their events also looks at the log now and then.
 *
 * <p>A listener runs on the committing thread: it must only note the news and return (raise a flag, hand work to its
 * own thread), never block or read the log itself.
 */
@ProviderType
public interface EventCommits {

    /** Calls {@code listener} after each commit of events on this node, until the returned subscription is closed. */
    Subscription listen(Runnable listener);

    /** A listener's registration. */
    interface Subscription extends AutoCloseable {
        /** Stops the calls; idempotent. */
        @Override
        void close();
    }
}
