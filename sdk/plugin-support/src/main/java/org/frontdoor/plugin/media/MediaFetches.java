package org.frontdoor.plugin.media;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.IngestReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A door's worker for the files of inbound messages: the webhook stores the message with each file's metadata and a
 * null {@code blobRef}, answers the vendor, and hands the fetches here with the receipt; each is done off the
 * request, stored into {@link Blobs} and filled in with {@link Blobs#attach}. A failed fetch is tried again with a
 * doubling delay (or the delay the vendor asked for), logged each time through the door's mask (a vendor URL may hold
 * a token), and given up after {@code attempts}, leaving the attachment without content as a refused one is.
 */
public final class MediaFetches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFetches.class);

    /** Fetches one file and stores it; null when the door refuses it (too large): it stays without content. */
    @FunctionalInterface
    public interface Fetch {
        Attachment fetch() throws Exception;
    }

    /** A failure that says when to try again (a vendor's 429 with Retry-After). */
    public interface RetryAfter {
        Duration retryAfter();
    }

    /**
     * A failed fetch in words an admin can read (never the URL: a vendor's may hold a token), and for a 429 when to try
     * again; without a stack trace, since the words say it all.
     */
    public static final class Failed extends Exception implements RetryAfter {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        public Failed(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }

        @Override
        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * A vendor's file address a door may fetch: http or https, with a host and no user name or password in it (such an
     * address would send credentials the door did not choose); null for anything else.
     */
    public static URI fetchable(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getUserInfo() == null ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One file of a stored message: its place in the message's attachments and how to fetch it. */
    public record Pending(int ordinal, String what, Fetch fetch) {
        public Pending {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(fetch, "fetch");
        }
    }

    private final String door;
    private final Blobs blobs;
    private final UnaryOperator<String> mask;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final int attempts;
    private final ScheduledExecutorService worker;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    /**
     * @param door       the door's name for logs and the thread ("telegram")
     * @param mask       hides what must never be logged (a token) in a failure's text
     * @param firstDelay the wait before the second attempt, doubled after each failure up to {@code maxDelay}
     * @param attempts   how many attempts before giving up
     */
    public MediaFetches(String door, Blobs blobs, UnaryOperator<String> mask, Duration firstDelay, Duration maxDelay,
                        int attempts) {
        this.door = door;
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.mask = mask;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.attempts = attempts;
        this.worker = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "frontdoor-" + door + "-media");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The defaults of the doors: 2 s doubling to 10 min, 10 attempts (about an hour). */
    public MediaFetches(String door, Blobs blobs, UnaryOperator<String> mask) {
        this(door, blobs, mask, Duration.ofSeconds(2), Duration.ofMinutes(10), 10);
    }

    /**
     * Fetches the files of a stored message, off the caller's thread. A redelivery's receipt (duplicate) names the
     * first message: its files are fetched again only where they are still missing ({@link Blobs#attach} keeps
     * content already there).
     */
    public void after(IngestReceipt receipt, List<Pending> files) {
        for (Pending file : files) {
            waiting.incrementAndGet();
            submit(receipt.messageId(), file, 1, Duration.ZERO);
        }
    }

    /** Fetches waiting or under way. */
    public int waiting() {
        return waiting.get();
    }

    /** The last failure's sentence (masked), or null when none failed yet. */
    public String lastFailure() {
        return lastFailure.get();
    }

    private void submit(long messageId, Pending file, int attempt, Duration delay) {
        try {
            worker.schedule(() -> run(messageId, file, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            waiting.decrementAndGet();
            LOG.warn("{}: the door stopped before {} of message {} was fetched; it stays without content", door,
                    file.what(), messageId);
        }
    }

    private void run(long messageId, Pending file, int attempt) {
        try {
            Attachment stored = file.fetch().fetch();
            if (stored != null && stored.blobRef() != null) {
                blobs.attach(messageId, file.ordinal(), stored);
            }
            waiting.decrementAndGet();
            LOG.debug("{}: {} of message {} fetched", door, file.what(), messageId);
        } catch (InterruptedException e) {
            waiting.decrementAndGet();
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String reason = mask.apply(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            String sentence = "fetching " + file.what() + " of message " + messageId + " failed (attempt " + attempt
                    + " of " + attempts + "): " + reason;
            lastFailure.set(sentence);
            if (attempt >= attempts) {
                waiting.decrementAndGet();
                LOG.error("{}: {}; given up, the attachment stays without content", door, sentence);
                return;
            }
            Duration delay = e instanceof RetryAfter r && r.retryAfter() != null ? r.retryAfter() : backoff(attempt);
            LOG.warn("{}: {}; trying again in {} ms", door, sentence, delay.toMillis());
            submit(messageId, file, attempt + 1, delay);
        }
    }

    private Duration backoff(int attempt) {
        Duration delay = firstDelay.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
