package org.frontdoor.channel.xmpp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * customers' messages in (retrying those core cannot take now, never dropping one while the bundle runs) and sends
 * the replies. Its state is its {@link #health()}.
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
    private final Queue<org.frontdoor.api.Message> waiting = new ConcurrentLinkedQueue<>();
    /** Every message received and not stored yet (nor refused for good), by external id. */
    private final Map<String, org.frontdoor.api.Message> unstored = new ConcurrentHashMap<>();
    private final Spool spool;
    /** Whether the spool file may hold messages: it is removed once everything in it is stored. */
    private boolean spooled;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile XMPPTCPConnection connection;
    private volatile ChannelHealth link;
    private volatile ChannelHealth backlogSince;
    private volatile String lastIngestFailure = "";
    private volatile boolean closed;
    private volatile boolean paused;
    private volatile Duration backoff;

    /**
     * @param spoolFile where the messages core has not stored are kept while it cannot take them, and when the door
     *                  stops (see {@link Spool})
     */
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

    /** Starts connecting (unless misconfigured) and takes in what an earlier start left in the spool. */
    XmppDoor start() {
        List<org.frontdoor.api.Message> kept;
        try {
            kept = spool.read(settings.instance());
        } catch (IOException | RuntimeException e) {
            LOG.error("XMPP channel instance {} cannot read the messages its previous start kept in {}: {}; the file "
                    + "stays for an admin to look at", settings.instance(), spool.file(), e.toString());
            kept = List.of();
        }
        if (!kept.isEmpty()) {
            LOG.info("XMPP channel instance {} takes in {} messages its previous start kept in {}", settings.instance(),
                    kept.size(), spool.file());
            synchronized (spool) {
                spooled = true;
            }
            for (org.frontdoor.api.Message message : kept) {
                unstored.put(message.externalId(), message);
            }
            for (org.frontdoor.api.Message message : kept) {
                outstanding.incrementAndGet();
                submit(message, 0);
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
        XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder()
                .setUsernameAndPassword(settings.jid().getLocalpart().toString(), settings.password())
                .setXmppDomain(settings.jid().asDomainBareJid())
                .setResource(settings.resource())
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
        if (closed || paused || connection != null) {
            return;
        }
        XMPPTCPConnection c = null;
        try (SmackContext ignored = SmackContext.enter()) {
            c = new XMPPTCPConnection(configuration());
            XMPPTCPConnection self = c;
            c.setReplyTimeout(settings.timeout().toMillis());
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
            c.addSyncStanzaListener(stanza -> received(self, (Message) stanza),
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
            link = DoorHealth.cannotConnect(settings, DoorHealth.describe(e), wait, clock.instant());
            if (first) {
                LOG.warn("XMPP channel instance {}: {}", settings.instance(), link.reason());
            } else {
                LOG.debug("XMPP channel instance {}: {}", settings.instance(), link.reason());
            }
            schedule(wait);
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
        outstanding.incrementAndGet();
        unstored.put(message.externalId(), message);
        submit(message, 0);
        if (outstanding.get() > settings.inboundQueue() && !paused) {
            paused = true;
            connector.execute(this::pause);
        }
    }

    private void submit(org.frontdoor.api.Message message, int failures) {
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
                done(message);
                return;
            }
            Throwable cause = error instanceof CompletionException || error instanceof ExecutionException
                    ? error.getCause() : error;
            if (cause instanceof IllegalArgumentException) {
                LOG.warn("XMPP channel instance {}: Frontdoor refused message {} from {} for good: {}",
                        settings.instance(), message.externalId(), message.author().handle(), cause.getMessage());
                done(message);
                return;
            }
            retry(message, failures + 1, cause);
        });
    }

    private void retry(org.frontdoor.api.Message message, int failures, Throwable cause) {
        lastIngestFailure = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (closed) {
            return; // close() kept it in the spool
        }
        if (failures == 1) {
            keepUnstored(); // the server keeps no copy: from now on it is on disk until core has it
        }
        if (waiting.isEmpty()) {
            backlogSince = ChannelHealth.of(ChannelHealth.Status.DEGRADED, null);
        }
        waiting.add(message);
        long seconds = Math.min(settings.reconnectMin().toSeconds() << Math.min(failures - 1, 20),
                settings.reconnectMax().toSeconds());
        if (failures == 1) {
            LOG.warn("XMPP channel instance {} could not take in message {} from {} now ({}): trying again in {} s",
                    settings.instance(), message.externalId(), message.author().handle(), lastIngestFailure, seconds);
        }
        try {
            retrier.schedule(() -> {
                if (waiting.remove(message)) {
                    submit(message, failures);
                }
            }, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // close() parks what waits
        }
    }

    private void done(org.frontdoor.api.Message message) {
        unstored.remove(message.externalId());
        if (unstored.isEmpty()) {
            synchronized (spool) {
                if (spooled && !closed && unstored.isEmpty()) {
                    forgetSpool();
                }
            }
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

    /** Writes every message not stored yet to the spool, oldest first, in place of what it held. */
    private void keepUnstored() {
        synchronized (spool) {
            List<org.frontdoor.api.Message> all = new ArrayList<>(unstored.values());
            all.sort(Comparator.comparing(org.frontdoor.api.Message::receivedAt));
            try {
                spool.keep(all);
                spooled = !all.isEmpty();
            } catch (IOException | RuntimeException e) {
                LOG.error("XMPP channel instance {} cannot keep {} incoming messages in {}: {}; they are held in "
                        + "memory only", settings.instance(), all.size(), spool.file(), e.toString());
            }
        }
    }

    private void forgetSpool() {
        try {
            spool.keep(List.of());
            spooled = false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("XMPP channel instance {} cannot remove {}: {}; its messages are stored, a next start takes "
                    + "them in again as repeats", settings.instance(), spool.file(), e.toString());
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
        if (!unstored.isEmpty()) {
            // waiting for a retry, or being stored right now: a message core stores after all is a repeat next time
            keepUnstored();
            LOG.warn("XMPP channel instance {} stops with {} incoming messages not stored yet: kept in {}, taken in at "
                    + "its next start", settings.instance(), unstored.size(), spool.file());
        }
        if (c != null) {
            try (SmackContext ignored = SmackContext.enter()) {
                c.disconnect();
            } catch (RuntimeException e) {
                LOG.debug("XMPP channel instance {}: disconnecting: {}", settings.instance(), e.getMessage());
            }
        }
        LOG.info("XMPP channel instance {} disconnected", settings.instance());
    }

    /** Whether the door is connected and logged in. */
    boolean connected() {
        XMPPConnection c = connection;
        return c != null && c.isAuthenticated();
    }
}
