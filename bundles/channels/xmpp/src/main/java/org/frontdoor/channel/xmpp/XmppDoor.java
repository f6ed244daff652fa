package org.frontdoor.channel.xmpp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;
import org.jxmpp.jid.BareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One door's XMPP account: keeps it connected (its own backoff, capped), present with a status text, takes the
 * customers' messages in (each on disk in the {@link Spool} before the server is told it arrived, retried until core
 * stores it) and sends the replies. Its state is its {@link #health()}.
 */
final class XmppDoor implements AutoCloseable {

    /** Hands a message to core: completes when it is durably stored. */
    interface Ingest {
        CompletableFuture<IngestReceipt> ingest(org.frontdoor.api.Message message);
    }

    private static final Logger LOG = LoggerFactory.getLogger(XmppDoor.class);
    private static final int PING_INTERVAL_SECONDS = 60;

    private final XmppSettings settings;
    private final Ingest ingest;
    private final Clock clock;
    private final ScheduledExecutorService connector;
    private final ScheduledExecutorService retrier;
    private final Queue<Long> waiting = new ConcurrentLinkedQueue<>();
    /** Every message received and not stored yet (nor refused for good), by its number in the spool. */
    private final Map<Long, org.frontdoor.api.Message> unstored = new ConcurrentHashMap<>();
    private final Spool spool;
    /** Whether the spool is open: without it the door does not connect, since it could not keep what it receives. */
    private volatile boolean spoolOpen;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile XMPPTCPConnection connection;
    private volatile ChannelHealth link;
    private volatile ChannelHealth backlogSince;
    private volatile String lastIngestFailure = "";
    private volatile boolean closed;
    private volatile boolean paused;
    private volatile Duration backoff;

    /** @param spoolFile the journal of the messages received and not stored yet (see {@link Spool}) */
    XmppDoor(XmppSettings settings, Ingest ingest, Clock clock, Path spoolFile) {
        this.settings = settings;
        this.spool = new Spool(spoolFile);
        this.ingest = ingest;
        this.clock = clock;
        this.backoff = settings.reconnectMin();
        String name = "frontdoor-xmpp-" + settings.instance();
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
        this.retrier = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-retry"));
        this.link = settings.problem() != null ? DoorHealth.misconfigured(settings.problem(), clock.instant())
                : DoorHealth.connecting(settings, clock.instant());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Takes in what an earlier start left in the spool and starts connecting, unless misconfigured or the spool cannot
     * be opened.
     */
    XmppDoor start() {
        Map<Long, org.frontdoor.api.Message> kept;
        try {
            kept = spool.open(settings.instance());
            spoolOpen = true;
        } catch (IOException | RuntimeException e) {
            String problem = "cannot open its spool file " + spool.file() + " (" + e.getMessage() + "): it does not "
                    + "connect, so the XMPP server keeps the chats; fix the file or its folder and restart the instance";
            link = DoorHealth.misconfigured(problem, clock.instant());
            LOG.error("XMPP channel instance {} {}", settings.instance(), problem);
            return this;
        }
        if (spool.cutOff() > 0) {
            LOG.warn("XMPP channel instance {}: the last {} bytes of {} were cut short (a crash while writing) and are "
                    + "dropped; the XMPP server had not been told they were received, so it handed them over again",
                    settings.instance(), spool.cutOff(), spool.file());
        }
        if (!kept.isEmpty()) {
            LOG.info("XMPP channel instance {} takes in {} messages its previous start kept in {}", settings.instance(),
                    kept.size(), spool.file());
            unstored.putAll(kept);
            for (Map.Entry<Long, org.frontdoor.api.Message> entry : kept.entrySet()) {
                outstanding.incrementAndGet();
                submit(entry.getKey(), entry.getValue(), 0);
            }
        }
        if (settings.problem() == null) {
            connector.execute(this::connect);
        } else {
            LOG.error("XMPP channel instance {} cannot connect: {}", settings.instance(), settings.problem());
        }
        return this;
    }

    ChannelHealth health() {
        ChannelHealth current = link;
        int backlog = outstanding.get();
        if (current.status() == ChannelHealth.Status.UP && !waiting.isEmpty()) {
            ChannelHealth since = backlogSince;
            return DoorHealth.backlog(backlog, lastIngestFailure, since == null ? clock.instant() : since.since());
        }
        return current;
    }

    /** The door's own account and server, for logs. */
    XmppSettings settings() {
        return settings;
    }

    // ---- connection ----

    private XMPPTCPConnectionConfiguration configuration() throws Exception {
        return configuration(settings.resource().toString());
    }

    private XMPPTCPConnectionConfiguration configuration(String resource) throws Exception {
        XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder()
                .setUsernameAndPassword(settings.jid().getLocalpart().toString(), settings.password())
                .setXmppDomain(settings.jid().asDomainBareJid())
                .setResource(resource)
                .setSecurityMode(settings.securityMode())
                .setConnectTimeout((int) settings.timeout().toMillis())
                .setSendPresence(false)
                .setPort(settings.port());
        if (!settings.host().isEmpty()) {
            builder.setHost(settings.host());
        }
        if (settings.securityMode() == ConnectionConfiguration.SecurityMode.disabled) {
            // without TLS the password must not cross the wire: SCRAM only, never PLAIN
            builder.addEnabledSaslMechanism("SCRAM-SHA-1");
        }
        return builder.build();
    }

    private void connect() {
        if (closed || paused || connection != null || !spoolOpen) {
            return;
        }
        XMPPTCPConnection c = null;
        try (SmackContext ignored = SmackContext.enter()) {
            c = new XMPPTCPConnection(configuration());
            XMPPTCPConnection self = c;
            c.setReplyTimeout(settings.timeout().toMillis());
            // XEP-0198: the server keeps what it sent until the door acknowledges it, which Smack does only after the
            // spool listener below returned; no resumption (its state dies with the JVM): the server puts what was not
            // acknowledged into offline storage and hands it over at the next login
            c.setUseStreamManagement(true);
            c.setUseStreamManagementResumption(false);
            ReconnectionManager.getInstanceFor(c).disableAutomaticReconnection();
            Roster.getInstanceFor(c).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            c.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    lost(self, DoorHealth.describe(e));
                }

                @Override
                public void connectionClosed() {
                    lost(self, "the server closed the connection");
                }
            });
            // in Smack's reader thread, which counts the stanza as handled (for the server's ack) only after this
            c.addStanzaListener(stanza -> received(self, (Message) stanza),
                    stanza -> stanza instanceof Message m && Stanzas.isCustomerMessage(m));
            c.addSyncStanzaListener(stanza -> bounced((Message) stanza), XmppDoor::isBouncedReply);
            PingManager ping = PingManager.getInstanceFor(c);
            ping.setPingInterval(PING_INTERVAL_SECONDS);
            ping.registerPingFailedListener(() -> {
                self.instantShutdown();
                lost(self, "the server stopped answering pings");
            });
            c.connect();
            c.login();
            connection = c;
            Presence presence = c.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                    .setStatus(settings.presenceStatus().isBlank() ? null : settings.presenceStatus()).build();
            // offline messages come after the first presence: the listeners are in place
            c.sendStanza(presence);
            backoff = settings.reconnectMin();
            link = DoorHealth.connected(clock.instant());
            LOG.info("XMPP channel instance {} connected to {} as {}", settings.instance(), settings.server(),
                    c.getUser());
        } catch (SASLErrorException e) {
            discard(c);
            boolean first = link.status() != ChannelHealth.Status.AUTH_EXPIRED;
            link = DoorHealth.authRefused(settings, e.getSASLFailure().getSASLErrorString(), clock.instant());
            if (first) {
                LOG.error("XMPP channel instance {}: {}", settings.instance(), link.reason());
            } else {
                LOG.debug("XMPP channel instance {}: {}", settings.instance(), link.reason());
            }
            schedule(settings.reconnectMax());
        } catch (InterruptedException e) {
            discard(c);
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            discard(c);
            if (closed) {
                return;
            }
            Duration wait = backoff;
            backoff = min(backoff.multipliedBy(2), settings.reconnectMax());
            boolean first = link.status() != ChannelHealth.Status.DOWN || !link.reason().startsWith("cannot connect");
            link = DoorHealth.cannotConnect(settings, DoorHealth.explain(settings, e), wait, clock.instant());
            if (first) {
                LOG.warn("XMPP channel instance {}: {}", settings.instance(), link.reason());
            } else {
                LOG.debug("XMPP channel instance {}: {}", settings.instance(), link.reason());
            }
            schedule(wait);
        }
    }

    /**
     * Logs in once more on a connection of its own, with the resource {@code <resource>-check} so the door's own
     * session is not replaced, and hangs up: what works and what to fix.
     */
    org.frontdoor.api.CheckReport.Step check() {
        String what = "XMPP connect and login";
        if (settings.problem() != null) {
            return org.frontdoor.api.CheckReport.Step.failed(what, settings.problem());
        }
        XMPPTCPConnection c = null;
        try (SmackContext ignored = SmackContext.enter()) {
            c = new XMPPTCPConnection(configuration(settings.resource() + "-check"));
            c.setReplyTimeout(settings.timeout().toMillis());
            ReconnectionManager.getInstanceFor(c).disableAutomaticReconnection();
            c.connect();
            boolean secure = c.isSecureConnection();
            c.login();
            return org.frontdoor.api.CheckReport.Step.ok(what, "logged in as " + settings.jid() + " at "
                    + settings.server() + (secure ? " over TLS" : " without TLS (securityMode "
                    + settings.securityMode() + ")"));
        } catch (SASLErrorException e) {
            return org.frontdoor.api.CheckReport.Step.failed(what, DoorHealth.authRefused(settings,
                    e.getSASLFailure().getSASLErrorString(), clock.instant()).reason()
                    .replaceFirst("; trying again every \\d+ s$", ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return org.frontdoor.api.CheckReport.Step.failed(what, "interrupted");
        } catch (Exception e) {
            return org.frontdoor.api.CheckReport.Step.failed(what, "cannot connect to the XMPP server "
                    + settings.server() + ": " + DoorHealth.explain(settings, e));
        } finally {
            if (c != null) {
                try (SmackContext ignored = SmackContext.enter()) {
                    c.disconnect();
                } catch (RuntimeException e) {
                    // hanging up anyway
                }
            }
        }
    }

    /** Drops the connection, if any, and connects again now instead of at the end of the back-off. */
    void reconnect() {
        if (closed || !spoolOpen || settings.problem() != null) {
            return;
        }
        backoff = settings.reconnectMin();
        XMPPTCPConnection c = connection;
        try {
            connector.execute(() -> {
                if (c != null && c == connection) {
                    connection = null;
                    discard(c);
                }
                connect();
            });
        } catch (RejectedExecutionException stopping) {
            // closed meanwhile
        }
    }

    private void lost(XMPPTCPConnection c, String what) {
        if (closed || c != connection) {
            return;
        }
        connection = null;
        Duration wait = settings.reconnectMin();
        backoff = min(wait.multipliedBy(2), settings.reconnectMax());
        link = DoorHealth.lost(settings, what, wait, clock.instant());
        LOG.warn("XMPP channel instance {}: {}", settings.instance(), link.reason());
        schedule(wait);
    }

    private void schedule(Duration wait) {
        if (closed) {
            return;
        }
        try {
            connector.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // closed meanwhile
        }
    }

    private static void discard(XMPPTCPConnection c) {
        if (c != null) {
            try {
                c.instantShutdown();
            } catch (RuntimeException ignored) {
                // it never was connected
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // ---- messages in ----

    private void received(XMPPTCPConnection c, Message stanza) {
        BareJid from = stanza.getFrom().asBareJid();
        if (from.equals(settings.jid())) {
            return;
        }
        String rosterName = null;
        RosterEntry entry = Roster.getInstanceFor(c).getEntry(from);
        if (entry != null) {
            rosterName = entry.getName();
        }
        org.frontdoor.api.Message message;
        try {
            message = Stanzas.inbound(stanza, settings.instance(), settings.jid(), rosterName, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("XMPP channel instance {} could not read message {} from {}: {}", settings.instance(),
                    stanza.getStanzaId(), from, e.getMessage());
            return;
        }
        long sequence;
        try {
            sequence = spool.append(message);
        } catch (IOException | RuntimeException e) {
            // not acknowledged: cut the connection before Smack tells the server it was handled
            c.instantShutdown();
            LOG.error("XMPP channel instance {} cannot write message {} from {} to {}: {}; it disconnects, so the XMPP "
                    + "server keeps the message", settings.instance(), stanza.getStanzaId(), from, spool.file(),
                    e.toString());
            lost(c, "cannot write to its spool file " + spool.file() + " (" + e.getMessage() + ")");
            return;
        }
        outstanding.incrementAndGet();
        unstored.put(sequence, message);
        submit(sequence, message, 0);
        if (outstanding.get() > settings.inboundQueue() && !paused) {
            paused = true;
            connector.execute(this::pause);
        }
    }

    private void submit(long sequence, org.frontdoor.api.Message message, int failures) {
        CompletableFuture<IngestReceipt> stored;
        try {
            stored = ingest.ingest(message);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((receipt, error) -> {
            if (error == null) {
                if (failures > 0) {
                    LOG.info("XMPP channel instance {} took in message {} after {} failed attempts",
                            settings.instance(), message.externalId(), failures);
                }
                done(sequence);
                return;
            }
            Throwable cause = error instanceof CompletionException || error instanceof ExecutionException
                    ? error.getCause() : error;
            if (cause instanceof IllegalArgumentException) {
                LOG.warn("XMPP channel instance {}: Frontdoor refused message {} from {} for good: {}",
                        settings.instance(), message.externalId(), message.author().handle(), cause.getMessage());
                done(sequence);
                return;
            }
            retry(sequence, message, failures + 1, cause);
        });
    }

    private void retry(long sequence, org.frontdoor.api.Message message, int failures, Throwable cause) {
        lastIngestFailure = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (closed) {
            return; // it stays in the spool for the next start
        }
        if (waiting.isEmpty()) {
            backlogSince = ChannelHealth.of(ChannelHealth.Status.DEGRADED, null);
        }
        waiting.add(sequence);
        long seconds = Math.min(settings.reconnectMin().toSeconds() << Math.min(failures - 1, 20),
                settings.reconnectMax().toSeconds());
        if (failures == 1) {
            LOG.warn("XMPP channel instance {} could not take in message {} from {} now ({}): trying again in {} s",
                    settings.instance(), message.externalId(), message.author().handle(), lastIngestFailure, seconds);
        }
        try {
            retrier.schedule(() -> {
                if (waiting.remove(sequence)) {
                    submit(sequence, message, failures);
                }
            }, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // close() parks what waits
        }
    }

    private void done(long sequence) {
        unstored.remove(sequence);
        try {
            spool.done(sequence);
        } catch (IOException | RuntimeException e) {
            LOG.warn("XMPP channel instance {} cannot mark a stored message done in {}: {}; a next start hands it to "
                    + "core again, as a repeat", settings.instance(), spool.file(), e.toString());
        }
        int left = outstanding.decrementAndGet();
        if (paused && left <= settings.inboundQueue() / 2) {
            paused = false;
            LOG.info("XMPP channel instance {}: the incoming messages are in; connecting again", settings.instance());
            try {
                connector.execute(this::connect);
            } catch (RejectedExecutionException stopping) {
                // closed
            }
        }
    }

    /** Too many messages wait for core: offline, so that the server keeps new ones until these are in. */
    private void pause() {
        XMPPTCPConnection c = connection;
        connection = null;
        link = DoorHealth.paused(outstanding.get(), lastIngestFailure, clock.instant());
        LOG.warn("XMPP channel instance {}: {}", settings.instance(), link.reason());
        if (c != null) {
            c.disconnect();
        }
    }

    // ---- replies out ----

    private static boolean isBouncedReply(Stanza stanza) {
        return stanza instanceof Message m && m.getType() == Message.Type.error && m.getStanzaId() != null
                && m.getStanzaId().startsWith(Stanzas.REPLY_ID_PREFIX);
    }

    private void bounced(Message error) {
        StanzaError e = error.getError();
        LOG.warn("XMPP channel instance {}: the XMPP server returned reply {} to {}: {}", settings.instance(),
                error.getStanzaId(), error.getFrom(), e == null ? "no reason" : e.getCondition());
    }

    /**
     * Sends a reply. Not connected: a passing failure (the reply waits). The server answering the message with an
     * error of type cancel, modify or auth before it answers the ping that follows it (a local account that does not
     * exist): {@link ReplyRefusedException}; of type wait: a passing failure.
     */
    void send(OutboundReply reply) throws Exception {
        XMPPTCPConnection c = connection;
        if (c == null || !c.isAuthenticated()) {
            throw new IllegalStateException("not connected to the XMPP server " + settings.server()
                    + ": the reply waits until the door is connected again");
        }
        try (SmackContext ignored = SmackContext.enter()) {
            Message stanza = Stanzas.reply(reply);
            String id = stanza.getStanzaId();
            StanzaCollector bounce = c.createStanzaCollector(s -> isBouncedReply(s) && id.equals(s.getStanzaId()));
            try {
                c.sendStanza(stanza);
                // the server handles a stream's stanzas in order: once it answered the ping, an error it gives
                // the message at once (an unknown local account) has come in before
                boolean answered = PingManager.getInstanceFor(c).pingMyServer(false, settings.timeout().toMillis());
                Message error = bounce.pollResult();
                if (error != null) {
                    throw refusal(error, stanza);
                }
                if (!answered) {
                    throw new IllegalStateException("the XMPP server " + settings.server() + " did not answer within "
                            + settings.timeout().toSeconds() + " s after the reply was sent");
                }
            } finally {
                bounce.cancel();
            }
        } catch (SmackException.NotConnectedException e) {
            throw new IllegalStateException("the connection to the XMPP server " + settings.server()
                    + " closed while the reply was sent");
        }
    }

    private static Exception refusal(Message error, Message sent) {
        StanzaError e = error.getError();
        String condition = e == null ? "no reason" : e.getCondition().toString();
        if (e != null && e.getType() == StanzaError.Type.WAIT) {
            return new IllegalStateException("the XMPP server could not deliver the reply to " + sent.getTo()
                    + " now (" + condition + ")");
        }
        return new ReplyRefusedException("the XMPP server will not deliver the reply to " + sent.getTo() + " ("
                + condition + "): the address does not exist or takes no messages");
    }

    @Override
    public void close() {
        closed = true;
        XMPPTCPConnection c = connection;
        connection = null;
        connector.shutdownNow();
        retrier.shutdownNow();
        waiting.clear();
        if (c != null) {
            try (SmackContext ignored = SmackContext.enter()) {
                c.disconnect();
            } catch (RuntimeException e) {
                LOG.debug("XMPP channel instance {}: disconnecting: {}", settings.instance(), e.getMessage());
            }
        }
        if (!unstored.isEmpty()) {
            // waiting for a retry, or being stored right now: a message core stores after all is a repeat next time
            LOG.warn("XMPP channel instance {} stops with {} incoming messages not stored yet: kept in {}, taken in at "
                    + "its next start", settings.instance(), unstored.size(), spool.file());
        }
        try {
            spool.close();
        } catch (IOException e) {
            LOG.warn("XMPP channel instance {} cannot close {}: {}", settings.instance(), spool.file(), e.toString());
        }
        LOG.info("XMPP channel instance {} disconnected", settings.instance());
    }

    /** Whether the server resends what the door has not acknowledged (XEP-0198 enabled on the connection). */
    boolean acknowledges() {
        XMPPTCPConnection c = connection;
        return c != null && c.isSmEnabled();
    }

    /** Whether the door is connected and logged in. */
    boolean connected() {
        XMPPConnection c = connection;
        return c != null && c.isAuthenticated();
    }
}
