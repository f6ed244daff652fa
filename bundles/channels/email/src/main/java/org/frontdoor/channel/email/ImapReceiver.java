package org.frontdoor.channel.email;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;
import org.frontdoor.api.IngestReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one mailbox on a thread of its own: every unseen mail, oldest first, is sent to Frontdoor, and marked
 * \Seen (or moved to the processed folder) only once Frontdoor has stored it. Then it waits for new mail with IDLE
 * where the server offers it, else for the poll interval. A lost connection is tried again with a growing wait.
 */
final class ImapReceiver implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapReceiver.class);

    /** Where the receiver reports how the mailbox is doing. */
    interface Health {
        void imapUp();

        void imapLoginRefused(String reason);

        void imapDown(String reason);

        void ingestFailing(String reason);
    }

    /** Frontdoor could not store some mail now: it stays unseen and is tried again after the poll interval. */
    private static final class IngestNotNow extends Exception {
        IngestNotNow(String message) {
            super(message);
        }
    }

    private final MailSettings settings;
    private final MailReader reader;
    private final Function<org.frontdoor.api.Message, CompletableFuture<IngestReceipt>> ingest;
    private final Health health;
    private final Session session;
    private final Object wait = new Object();
    private final ScheduledExecutorService watchdog;
    /** Seconds to wait before the next attempt: 1, doubling up to reconnectMaxSeconds, 1 again once connected. */
    private volatile long backoff = 1;
    private volatile boolean running = true;
    /** Set by {@link #reconnectNow()}: the connection it closes is not a failure, and the back-off is cut short. */
    private volatile boolean reconnecting;
    private volatile IMAPFolder open;
    private volatile Store store;
    private Thread thread;

    ImapReceiver(MailSettings settings, MailReader reader,
                 Function<org.frontdoor.api.Message, CompletableFuture<IngestReceipt>> ingest, Health health) {
        this.settings = settings;
        this.reader = reader;
        this.ingest = ingest;
        this.health = health;
        this.session = settings.imapSession();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "frontdoor-email-" + settings.instance() + "-idle-watch");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        thread = new Thread(this, "frontdoor-email-" + settings.instance() + "-imap");
        thread.setDaemon(true);
        thread.setContextClassLoader(ImapReceiver.class.getClassLoader());
        thread.start();
    }

    void stop() {
        running = false;
        synchronized (wait) {
            wait.notifyAll();
        }
        wakeFromIdle();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(settings.timeoutSeconds() + 5L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            closeQuietly();
            thread.interrupt();
        }
        watchdog.shutdownNow();
    }

    @Override
    public void run() {
        while (running) {
            try {
                serve();
            } catch (AuthenticationFailedException e) {
                if (running) {
                    health.imapLoginRefused("the IMAP server refused the login of " + settings.username() + " at "
                            + settings.imapHost() + ":" + settings.imapPort() + ": check 'password' in "
                            + settings.source());
                }
            } catch (MessagingException | IOException | RuntimeException e) {
                if (running) {
                    if (reconnecting) {
                        reconnecting = false;
                        LOG.info("E-mail channel instance {} reconnects to its mailbox now", settings.instance());
                        continue;
                    }
                    String explained = MailTrouble.imap(settings, e);
                    String reason = "cannot read the mailbox at " + settings.imapHost() + ":" + settings.imapPort()
                            + ": " + (explained != null ? explained : what(e)) + "; trying again in " + backoff + " s";
                    LOG.warn("E-mail channel instance {}: {}", settings.instance(), reason);
                    health.imapDown(reason);
                }
            } finally {
                closeQuietly();
            }
            if (running) {
                pause(backoff);
                backoff = Math.min(backoff * 2, settings.reconnectMaxSeconds());
            }
        }
    }

    /** Connects, takes in what waits, then waits for more; returns only when stopped. */
    private void serve() throws MessagingException, IOException {
        Store connected = session.getStore(settings.imapProtocol());
        store = connected;
        connected.connect(settings.imapHost(), settings.imapPort(), settings.username(), settings.password());
        IMAPFolder folder = (IMAPFolder) connected.getFolder(settings.folder());
        if (!folder.exists()) {
            throw new MessagingException("the folder '" + settings.folder() + "' does not exist (setting 'folder' in "
                    + settings.source() + ")");
        }
        folder.open(Folder.READ_WRITE);
        open = folder;
        Folder processed = null;
        if (!settings.processedFolder().isEmpty()) {
            processed = connected.getFolder(settings.processedFolder());
            if (!processed.exists() && !processed.create(Folder.HOLDS_MESSAGES)) {
                throw new MessagingException("cannot create the folder '" + settings.processedFolder()
                        + "' (setting 'processedFolder' in " + settings.source() + ")");
            }
        }
        boolean idle = settings.idle() && connected instanceof IMAPStore imap && imap.hasCapability("IDLE");
        boolean move = connected instanceof IMAPStore imap && imap.hasCapability("MOVE");
        LOG.info("E-mail channel instance {} reads {} at {}:{} ({})", settings.instance(), settings.folder(),
                settings.imapHost(), settings.imapPort(), idle ? "IDLE" : "every " + settings.pollSeconds() + " s");
        // a good connection: the next outage starts waiting from 1 s again, not where the last one ended
        backoff = 1;
        health.imapUp();
        while (running) {
            try {
                takeIn(folder, processed, move);
                health.imapUp();
            } catch (IngestNotNow e) {
                health.ingestFailing(e.getMessage());
                pause(settings.pollSeconds());
                continue;
            }
            if (!running) {
                return;
            }
            if (idle) {
                // IDLE waits for the server; the watchdog ends it now and then to look anyway (RFC 2177: within 29 min)
                ScheduledFuture<?> wake = watchdog.schedule(this::wakeFromIdle, settings.pollSeconds(),
                        TimeUnit.SECONDS);
                try {
                    folder.idle(true);
                } finally {
                    wake.cancel(false);
                }
            } else {
                pause(settings.pollSeconds());
                if (!folder.isOpen()) {
                    throw new MessagingException("the server closed the folder");
                }
            }
        }
    }

    /** A mail fetched by UID: its source and when the server received it. */
    private record Fetched(long uid, byte[] raw, Instant received) {
    }

    /**
     * Takes in every unseen mail, a batch at a time, oldest first. Everything goes by UID (UID SEARCH, UID FETCH, UID
     * STORE, UID MOVE): stable whatever other clients expunge meanwhile, and one command per batch.
     */
    private void takeIn(IMAPFolder folder, Folder processed, boolean move)
            throws MessagingException, IngestNotNow {
        while (running) {
            long[] unseen = unseen(folder);
            if (unseen.length == 0) {
                return;
            }
            // one search per pass (a search costs the server a look at every mail), then a batch at a time
            for (int from = 0; from < unseen.length && running; from += settings.batchSize()) {
                takeIn(folder, processed, move,
                        Arrays.copyOfRange(unseen, from, Math.min(unseen.length, from + settings.batchSize())));
            }
        }
    }

    /** Takes in one batch: fetched, sent to Frontdoor together, then marked. */
    private void takeIn(IMAPFolder folder, Folder processed, boolean move, long[] batch)
            throws MessagingException, IngestNotNow {
        List<Fetched> fetched = fetch(folder, batch);
        List<Long> sent = new ArrayList<>();
        List<CompletableFuture<IngestReceipt>> results = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        String notNow = null;
        for (Fetched mail : fetched) {
            try {
                org.frontdoor.api.Message message = reader.read(mail.raw(), mail.received());
                sent.add(mail.uid());
                results.add(ingest.apply(message));
            } catch (IllegalArgumentException e) {
                LOG.warn("E-mail channel instance {}: mail UID {} in {} is refused for good and marked \\Seen "
                        + "and \\Flagged: {}", settings.instance(), mail.uid(), settings.folder(), e.getMessage());
                refused.add(mail.uid());
            } catch (IOException e) {
                notNow = "a mail (UID " + mail.uid() + ") could not be read or its attachments stored now: "
                        + what(e);
            }
        }
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            try {
                results.get(i).get(settings.ingestTimeoutSeconds(), TimeUnit.SECONDS);
                stored.add(sent.get(i));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IllegalArgumentException) {
                    LOG.warn("E-mail channel instance {}: Frontdoor refused mail UID {} for good, marked \\Seen "
                            + "and \\Flagged: {}", settings.instance(), sent.get(i), cause.getMessage());
                    refused.add(sent.get(i));
                } else {
                    notNow = "Frontdoor could not store mail now (" + what(cause) + "): it stays unseen and is "
                            + "tried again in " + settings.pollSeconds() + " s";
                }
            } catch (TimeoutException e) {
                notNow = "Frontdoor did not store mail within " + settings.ingestTimeoutSeconds() + " s: it stays "
                        + "unseen and is tried again in " + settings.pollSeconds() + " s";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                notNow = "stopped while mail was being stored";
            }
        }
        if (!refused.isEmpty()) {
            command(folder, "UID STORE", uids(refused), "+FLAGS.SILENT (\\Seen \\Flagged)");
        }
        if (!stored.isEmpty()) {
            done(folder, processed, move, uids(stored));
        }
        if (notNow != null) {
            LOG.warn("E-mail channel instance {}: {}", settings.instance(), notNow);
            throw new IngestNotNow(notNow);
        }
    }

    /** The UIDs of the unseen mail, lowest (oldest) first. */
    private static long[] unseen(IMAPFolder folder) throws MessagingException {
        return (long[]) folder.doCommand(protocol -> {
            Response[] responses = protocol.command("UID SEARCH UNSEEN", null);
            Response status = responses[responses.length - 1];
            List<Long> uids = new ArrayList<>();
            if (status.isOK()) {
                for (Response response : responses) {
                    if (response instanceof IMAPResponse untagged && untagged.keyEquals("SEARCH")) {
                        for (long uid; (uid = untagged.readLong()) != -1; ) {
                            uids.add(uid);
                        }
                    }
                }
            }
            protocol.notifyResponseHandlers(responses);
            protocol.handleResult(status);
            return uids.stream().mapToLong(Long::longValue).sorted().toArray();
        });
    }

    /** The sources of the given mails, in one UID FETCH that does not mark them \Seen (BODY.PEEK). */
    @SuppressWarnings("unchecked")
    private static List<Fetched> fetch(IMAPFolder folder, long[] uids) throws MessagingException {
        return (List<Fetched>) folder.doCommand(protocol -> {
            Response[] responses = protocol.command("UID FETCH " + UIDSet.toString(UIDSet.createUIDSets(uids))
                    + " (UID INTERNALDATE BODY.PEEK[])", null);
            Response status = responses[responses.length - 1];
            List<Fetched> fetched = new ArrayList<>();
            if (status.isOK()) {
                for (Response response : responses) {
                    if (response instanceof FetchResponse fetch) {
                        UID uid = fetch.getItem(UID.class);
                        BODY body = fetch.getItem(BODY.class);
                        INTERNALDATE date = fetch.getItem(INTERNALDATE.class);
                        if (uid != null && body != null) {
                            fetched.add(new Fetched(uid.uid, body.getByteArray().getNewBytes(),
                                    date == null || date.getDate() == null ? Instant.now()
                                            : date.getDate().toInstant()));
                        }
                    }
                }
            }
            protocol.notifyResponseHandlers(responses);
            protocol.handleResult(status);
            fetched.sort(Comparator.comparingLong(Fetched::uid));
            return fetched;
        });
    }

    /** Marks stored mail \Seen, and moves it to the processed folder when there is one. */
    private static void done(IMAPFolder folder, Folder processed, boolean move, long[] stored)
            throws MessagingException {
        command(folder, "UID STORE", stored, "+FLAGS.SILENT (\\Seen)");
        if (processed == null) {
            return;
        }
        String target = BASE64MailboxEncoder.encode(processed.getFullName());
        if (move) {
            commandToFolder(folder, "UID MOVE", stored, target);
        } else {
            commandToFolder(folder, "UID COPY", stored, target);
            command(folder, "UID STORE", stored, "+FLAGS.SILENT (\\Deleted)");
            folder.doCommand(protocol -> {
                if (protocol.hasCapability("UIDPLUS")) {
                    protocol.uidexpunge(UIDSet.createUIDSets(stored));
                } else {
                    protocol.expunge();
                }
                return null;
            });
        }
    }

    private static void command(IMAPFolder folder, String command, long[] uids, String rest)
            throws MessagingException {
        folder.doCommand(protocol -> {
            Response[] responses = protocol.command(command + " " + UIDSet.toString(UIDSet.createUIDSets(uids))
                    + " " + rest, null);
            protocol.notifyResponseHandlers(responses);
            protocol.handleResult(responses[responses.length - 1]);
            return null;
        });
    }

    private static void commandToFolder(IMAPFolder folder, String command, long[] uids, String target)
            throws MessagingException {
        folder.doCommand(protocol -> {
            Argument arguments = new Argument();
            arguments.writeAtom(UIDSet.toString(UIDSet.createUIDSets(uids)));
            arguments.writeString(target);
            Response[] responses = protocol.command(command, arguments);
            protocol.notifyResponseHandlers(responses);
            protocol.handleResult(responses[responses.length - 1]);
            return null;
        });
    }

    private static long[] uids(List<Long> uids) {
        return uids.stream().mapToLong(Long::longValue).toArray();
    }

    private void wakeFromIdle() {
        IMAPFolder folder = open;
        if (folder != null) {
            try {
                // a command on the folder from another thread ends its IDLE
                folder.doCommand(protocol -> {
                    protocol.simpleCommand("NOOP", null);
                    return null;
                });
            } catch (MessagingException | RuntimeException e) {
                // the receiver finds out itself
            }
        }
    }

    /**
     * Drops the connection and connects again at once ({@code frontdoor:channel-reconnect}), instead of at the end of
     * the back-off.
     */
    void reconnectNow() {
        backoff = 1;
        boolean connected = store != null;
        reconnecting = connected;
        wakeFromIdle();
        closeQuietly();
        synchronized (wait) {
            wake = true;
            wait.notifyAll();
        }
    }

    /** Ends the current pause early, once. */
    private boolean wake;

    private void pause(long seconds) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (wait) {
            if (wake) {
                wake = false;
                return;
            }
            for (long left; running && !wake && (left = until - System.nanoTime()) > 0; ) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(wait, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            wake = false;
        }
    }

    private void closeQuietly() {
        IMAPFolder folder = open;
        open = null;
        Store s = store;
        store = null;
        try {
            if (folder != null && folder.isOpen()) {
                folder.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            // closing anyway
        }
        try {
            if (s != null) {
                s.close();
            }
        } catch (MessagingException | RuntimeException e) {
            // closing anyway
        }
    }

    /** What went wrong, for an admin: the innermost cause's message, never a password. */
    static String what(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String kind = root.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }
}
