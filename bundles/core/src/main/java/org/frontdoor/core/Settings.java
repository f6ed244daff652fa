package org.frontdoor.core;

import java.time.Duration;

import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.RoutingStore;

/**
 * Core's settings as the stages read them: one immutable value, replaced whole when the configuration changes, so a
 * group, batch or attempt works with one consistent set.
 */
record Settings(String defaultDepartment, int ingestBatchSize, int ingestWriters, int ingestQueueCapacity,
                Duration ingestTimeout, IngestLimits ingestLimits, int routingBatchSize, Duration routingClaim,
                Duration classifierTimeout, Duration retryInitial, Duration retryMax, int replyMaxAttempts,
                int replyConcurrency, Duration replyClaim, Duration eventRetention, Duration eventPoll,
                Duration eventRetentionMax, Duration replySendDeadline) {

    Settings {
        if (defaultDepartment == null || defaultDepartment.isBlank() || defaultDepartment.length() > RoutingStore.MAX_DEPARTMENT) {
            throw new IllegalArgumentException("defaultDepartment must be 1 to " + RoutingStore.MAX_DEPARTMENT + " characters");
        }
    }

    static Settings of(CoreConfig c) {
        Duration ingestTimeout = Duration.ofSeconds(atLeast(1, c.ingestTimeoutSeconds()));
        return new Settings(c.defaultDepartment().trim(), atLeast(1, c.ingestBatchSize()), atLeast(1, c.ingestWriters()),
                atLeast(1, c.ingestQueueCapacity()), ingestTimeout,
                new IngestLimits(ingestTimeout.toMillis(), atLeast(1, c.ingestLockWaitMillis())),
                atLeast(1, c.routingBatchSize()), Duration.ofSeconds(atLeast(5, c.routingClaimSeconds())),
                Duration.ofMillis(atLeast(1, c.classifierTimeoutMillis())),
                Duration.ofSeconds(atLeast(1, c.retryInitialSeconds())), Duration.ofSeconds(atLeast(1, c.retryMaxSeconds())),
                atLeast(1, c.replyMaxAttempts()), atLeast(1, c.replyConcurrency()),
                Duration.ofSeconds(atLeast(10, c.replyClaimSeconds())), Duration.ofHours(atLeast(1, c.eventRetentionHours())),
                Duration.ofMillis(atLeast(10, c.eventPollMillis())),
                Duration.ofHours(Math.max(atLeast(1, c.eventRetentionHours()), c.eventRetentionMaxHours())),
                Duration.ofSeconds(atLeast(1, c.replySendDeadlineSeconds())));
    }

    private static int atLeast(int min, int value) {
        return Math.max(min, value);
    }

    /** The configured node name, or the one this node keeps in its data folder (see {@link NodeName}). */
    static String nodeName(CoreConfig c) {
        if (!c.nodeName().isBlank()) {
            return c.nodeName().trim();
        }
        return NodeName.kept();
    }
}
