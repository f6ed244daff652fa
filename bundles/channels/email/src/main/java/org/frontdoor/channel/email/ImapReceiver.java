package org.frontdoor.channel.email;

import java.io.ByteArrayOutputStream;
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
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
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
    private volatile boolean running = true;
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
        long backoff = 1;
        while (running) {
            try {
                serve();
                backoff = 1;
            } catch (AuthenticationFailedException e) {
                if (running) {
                    health.imapLoginRefused("the IMAP server refused the login of " + settings.username() + " at "
                            + settings.imapHost() + ":" + settings.imapPort() + ": check 'password' in "
                            + settings.source());
                }
            } catch (MessagingException | IOException | RuntimeException e) {
                if (running) {
                    String reason = "cannot read the mailbox at " + settings.imapHost() + ":" + settings.imapPort()
                            + ": " + what(e) + "; trying again in " + backoff + " s";
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

    /** Takes in every unseen mail, a batch at a time, oldest first. */
    private void takeIn(IMAPFolder folder, Folder processed, boolean move)
            throws MessagingException, IngestNotNow {
        while (running) {
            Message[] unseen = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
            if (unseen.length == 0) {
                return;
            }
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add(FetchProfile.Item.ENVELOPE);
            folder.fetch(unseen, profile);
            Message[] batch = Arrays.stream(unseen).sorted(Comparator.comparingLong(m -> uid(folder, m)))
                    .limit(settings.batchSize()).toArray(Message[]::new);
            List<Message> sent = new ArrayList<>();
            List<CompletableFuture<IngestReceipt>> results = new ArrayList<>();
            List<Message> refused = new ArrayList<>();
            String notNow = null;
            for (Message mail : batch) {
                long uid = uid(folder, mail);
                try {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    mail.writeTo(raw);
                    Instant received = mail.getReceivedDate() == null ? Instant.now()
                            : mail.getReceivedDate().toInstant();
                    org.frontdoor.api.Message message = reader.read(raw.toByteArray(), received);
                    sent.add(mail);
                    results.add(ingest.apply(message));
                } catch (IllegalArgumentException e) {
                    LOG.warn("E-mail channel instance {}: mail UID {} in {} is refused for good and marked \\Seen "
                            + "and \\Flagged: {}", settings.instance(), uid, settings.folder(), e.getMessage());
                    refused.add(mail);
                } catch (IOException e) {
                    notNow = "a mail (UID " + uid + ") could not be read or its attachments stored now: " + what(e);
                }
            }
            List<Message> stored = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    results.get(i).get(settings.ingestTimeoutSeconds(), TimeUnit.SECONDS);
                    stored.add(sent.get(i));
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IllegalArgumentException) {
                        LOG.warn("E-mail channel instance {}: Frontdoor refused mail UID {} for good, marked \\Seen "
                                        + "and \\Flagged: {}", settings.instance(), uid(folder, sent.get(i)),
                                cause.getMessage());
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
                Message[] marked = refused.toArray(Message[]::new);
                folder.setFlags(marked, new Flags(Flags.Flag.SEEN), true);
                folder.setFlags(marked, new Flags(Flags.Flag.FLAGGED), true);
            }
            if (!stored.isEmpty()) {
                done(folder, processed, move, stored.toArray(Message[]::new));
            }
            if (notNow != null) {
                LOG.warn("E-mail channel instance {}: {}", settings.instance(), notNow);
                throw new IngestNotNow(notNow);
            }
        }
    }

    /** Marks stored mail \Seen, and moves it to the processed folder when there is one. */
    private static void done(IMAPFolder folder, Folder processed, boolean move, Message[] stored)
            throws MessagingException {
        folder.setFlags(stored, new Flags(Flags.Flag.SEEN), true);
        if (processed == null) {
            return;
        }
        if (move) {
            folder.moveMessages(stored, processed);
        } else {
            folder.copyMessages(stored, processed);
            folder.setFlags(stored, new Flags(Flags.Flag.DELETED), true);
            folder.expunge(stored);
        }
    }

    private static long uid(IMAPFolder folder, Message mail) {
        try {
            return folder.getUID(mail);
        } catch (MessagingException e) {
            return Long.MAX_VALUE;
        }
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

    private void pause(long seconds) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (wait) {
            for (long left; running && (left = until - System.nanoTime()) > 0; ) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(wait, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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
