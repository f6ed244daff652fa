package org.frontdoor.store.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ProofChallenge;
import org.frontdoor.api.ProofLimits;
import org.frontdoor.api.ProofOutcome;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.InboxCounts;
import org.frontdoor.api.inbox.MergeSuggestion;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.api.inbox.SlaState;
import org.frontdoor.api.inbox.StoreCheck;
import org.frontdoor.api.Department;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.store.AgentStore;
import org.frontdoor.store.DeliveryStore;
import org.frontdoor.store.Door;
import org.frontdoor.store.EventStore;
import org.frontdoor.store.EventStore.Lease;
import org.frontdoor.store.EventStore.Retention;
import org.frontdoor.store.InboxStore;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.IngestStore;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.OutboxStore;
import org.frontdoor.store.ReplyClaim;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.RoutingStore;
import org.frontdoor.store.SlaStore;
import org.frontdoor.store.StoreConflictException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Frontdoor database: one service per use (ingest, routing, inbox, outbox, events), so each part of core sees
 * what it needs. Writes are plain JDBC on the entities' tables, each with its events and audit in its own
 * transaction; the agents' reads go through EclipseLink. Migrates the schema at start and refuses to start on one
 * whose id sequences would hand out an id twice.
 */
@Component(service = {IngestStore.class, RoutingStore.class, InboxStore.class, OutboxStore.class, EventStore.class,
        SlaStore.class, Blobs.class, AgentStore.class, DeliveryStore.class}, immediate = true)
public class JpaStore implements IngestStore, RoutingStore, InboxStore, OutboxStore, EventStore, SlaStore, Blobs,
        AgentStore, DeliveryStore {

    static final int PREVIEW_LENGTH = 200;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JpaStore.class);

    private final IngestWriter ingest;
    private final RoutingWrites routing;
    private final InboxWrites inboxWrites;
    private final InboxReads inboxReads;
    private final InboxViews inboxViews;
    private final DashboardReads dashboard;
    private final OutboxWrites outbox;
    private final DeliveryWrites delivery;
    private final EventLog events;
    private final BlobTable blobs;
    private final CustomerLinks customers;
    private final CustomerMerges merges;
    private final IdentityProofs proofs;
    private final SlaWrites sla;
    private final AgentWrites agents;
    private final Jdbc jdbc;

    @Activate
    public JpaStore(@Reference(target = "(osgi.unit.name=frontdoor)") EntityManagerFactory emf,
                    @Reference(target = "(dataSourceName=frontdoor)") DataSource dataSource) throws SQLException {
        new Migrations(dataSource).migrate();
        Migrations.Dialect dialect;
        try (Connection c = dataSource.getConnection()) {
            dialect = Migrations.Dialect.of(c);
            SequenceIds.checkAllocation(c);
        }
        Jdbc jdbc = new Jdbc(dataSource, dialect);
        this.jdbc = jdbc;
        // one pool of ids per store, kept across transactions, so a block of a sequence serves several of them
        SequenceIds ids = new SequenceIds(dialect);
        this.ingest = new IngestWriter(jdbc, ids);
        this.routing = new RoutingWrites(jdbc, ids);
        this.inboxWrites = new InboxWrites(jdbc, ids);
        this.inboxReads = new InboxReads(emf);
        this.inboxViews = new InboxViews(emf);
        this.dashboard = new DashboardReads(jdbc);
        this.outbox = new OutboxWrites(jdbc, ids);
        this.delivery = new DeliveryWrites(jdbc, ids);
        this.events = new EventLog(jdbc);
        this.blobs = new BlobTable(jdbc);
        this.customers = new CustomerLinks(jdbc);
        this.merges = new CustomerMerges(jdbc, ids);
        this.proofs = new IdentityProofs(jdbc, merges);
        this.sla = new SlaWrites(jdbc, ids);
        this.agents = new AgentWrites(jdbc, ids);
    }

    /** Test only: how long an event-writing transaction waits for the event log's counter row (10 s otherwise). */
    void eventLogLockWait(long millis) {
        jdbc.eventLogLockWaitMillis = millis;
    }

    static String preview(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= PREVIEW_LENGTH ? flat : flat.substring(0, PREVIEW_LENGTH - 1) + "…";
    }

    // ---------------------------------------------------------------- SLA timers, callbacks, out of hours

    @Override
    public Optional<SlaStore.Subject> subject(long conversationId) {
        return sla.subject(conversationId);
    }

    @Override
    public int startTimers(long conversationId, String department, long position, Instant startedAt,
                           List<SlaStore.NewTimer> timers) {
        return sla.start(conversationId, department, position, startedAt, timers);
    }

    @Override
    public int stopTimers(long conversationId, java.util.Set<SlaStore.Kind> kinds, long position) {
        return sla.stop(conversationId, kinds, position);
    }

    @Override
    public List<SlaStore.Timer> claimDueTimers(String node, Instant now, Instant leaseUntil, int limit) {
        return sla.claim(node, now, leaseUntil, limit);
    }

    @Override
    public boolean fire(SlaStore.Timer claimed, SlaStore.Firing firing, Instant now) {
        return sla.fire(claimed, firing, now);
    }

    @Override
    public List<SlaStore.Timer> runningTimers(long conversationId) {
        return sla.running(conversationId);
    }

    @Override
    public List<org.frontdoor.api.CallbackTask> callbacks(org.frontdoor.api.Scope scope, boolean openOnly, int limit) {
        return sla.callbacks(scope, openOnly, limit);
    }

    @Override
    public Optional<org.frontdoor.api.CallbackTask> callback(long id) {
        return sla.callback(id);
    }

    @Override
    public Optional<org.frontdoor.api.CallbackTask> callbackDone(long id, String actor, Instant at) {
        return sla.callbackDone(id, actor, at);
    }

    @Override
    public Optional<org.frontdoor.api.CallbackTask> callbackCalled(long id, String door, String callId, String actor,
                                                                   Instant at) {
        return sla.callbackCalled(id, door, callId, actor, at);
    }

    @Override
    public void callbackCallFailed(long id, long conversationId, String door, String reason, String actor,
                                   Instant at) {
        sla.callbackCallFailed(id, conversationId, door, reason, actor, at);
    }

    @Override
    public Optional<Long> queueClosedReply(long conversationId, String department, String text, Instant at) {
        return sla.closedReply(conversationId, department, text, at);
    }

    // ---------------------------------------------------------------- attachments

    @Override
    public Attachment store(String name, String mediaType, InputStream content, long maxBytes) throws IOException {
        return blobs.store(name, mediaType, content, maxBytes);
    }

    @Override
    public Optional<InputStream> open(String blobRef) throws IOException {
        return blobs.open(blobRef);
    }

    @Override
    public boolean attach(long messageId, int ordinal, Attachment stored) throws IOException {
        return blobs.attach(messageId, ordinal, stored);
    }

    // ---------------------------------------------------------------- ingest

    @Override
    public List<Ingested> ingest(List<Message> messages, IngestLimits limits) {
        return messages.isEmpty() ? List.of() : ingest.ingest(messages, limits);
    }

    /** Groups that waited out their lock wait (for tests and diagnostics). */
    long ingestWaits() {
        return ingest.waits();
    }

    // ---------------------------------------------------------------- routing

    @Override
    public List<PendingRoute> claimConversationsToRoute(String node, Instant until, int limit) {
        return routing.claim(node, until, limit);
    }

    @Override
    public List<Long> routed(String node, List<RouteResult> results) {
        return routing.routed(node, results);
    }

    // ---------------------------------------------------------------- inbox

    @Override
    public List<org.frontdoor.api.dashboard.DepartmentQueue> queues(Scope scope, java.time.Instant now) {
        return dashboard.queues(scope, now);
    }

    @Override
    public org.frontdoor.api.dashboard.Volumes volumes(Scope scope, java.time.Instant now, int hours) {
        return dashboard.volumes(scope, now, hours);
    }

    @Override
    public Page<ConversationSummary> conversations(Scope scope, ConversationQuery query) {
        return inboxViews.conversations(scope, query, Instant.now());
    }

    @Override
    public InboxCounts counts(Scope scope, String me) {
        return inboxViews.counts(scope, me, Instant.now());
    }

    @Override
    public Map<Long, SlaState> sla(Scope scope, Collection<Long> conversationIds) {
        return inboxViews.sla(scope, conversationIds, Instant.now());
    }

    @Override
    public Optional<ConversationDetail> conversation(Scope scope, long id) {
        return inboxReads.conversation(scope, id);
    }

    @Override
    public Optional<ConversationWhy> why(Scope scope, long id) {
        return inboxReads.why(scope, id);
    }

    @Override
    public Optional<CustomerView> customer(Scope scope, long id) {
        return inboxReads.customer(scope, id);
    }

    @Override
    public Optional<ReplyTarget> replyTarget(Scope scope, long conversationId) {
        return inboxReads.replyTarget(scope, conversationId);
    }

    @Override
    public ModerationTarget moderationTarget(Scope scope, long conversationId, long messageId) {
        return inboxWrites.moderationTarget(scope, conversationId, messageId);
    }

    @Override
    public boolean recordHidden(Scope scope, long conversationId, long messageId, boolean hidden, String reason,
                                String actor) {
        return inboxWrites.recordHidden(scope, conversationId, messageId, hidden, reason, actor);
    }

    @Override
    public void auditModerationFailure(Scope scope, long conversationId, long messageId, boolean hidden,
                                       String reason, String failure, String actor) {
        inboxWrites.auditModerationFailure(scope, conversationId, messageId, hidden, reason, failure, actor);
    }

    @Override
    public org.frontdoor.api.inbox.NoteView addNote(Scope scope, long conversationId, String text, String agent) {
        return inboxWrites.addNote(scope, conversationId, text, agent);
    }

    @Override
    public ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent) {
        return inboxWrites.queueReply(scope, conversationId, text, visibility, agent);
    }

    @Override
    public ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent,
                                ReplyRoute via, boolean verifiedOnly) {
        return inboxWrites.queueReply(scope, conversationId, text, visibility, agent, via, verifiedOnly);
    }

    @Override
    public ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent,
                                ReplyRoute via, boolean verifiedOnly, String idempotencyKey, String fingerprint) {
        return inboxWrites.queueReply(scope, conversationId, text, visibility, agent, via, verifiedOnly, idempotencyKey,
                fingerprint);
    }

    @Override
    public long linkVerified(Identity known, Identity proven, String actor) {
        return merges.linkVerified(known, proven, actor);
    }

    @Override
    public ProofChallenge startProof(Identity known, Identity address, ProofLimits limits, String actor) {
        return proofs.start(known, address, limits, actor);
    }

    @Override
    public ProofOutcome proveByCode(String challengeId, Identity known, String code, String actor) {
        return proofs.prove(challengeId, known, code, actor);
    }

    @Override
    public boolean tryTake(String key, int limit, Duration window) {
        return proofs.tryTake(key, limit, window);
    }

    @Override
    public CustomerMerge merge(Scope scope, long from, long into, String actor) {
        return merges.merge(scope, from, into, actor);
    }

    @Override
    public CustomerMerge unmerge(Scope scope, long mergeId, String actor) {
        return merges.unmerge(scope, mergeId, actor);
    }

    @Override
    public List<MergeSuggestion> mergeSuggestions(Scope scope) {
        return merges.suggestions(scope);
    }

    @Override
    public List<String> departments() {
        return inboxReads.departments();
    }

    @Override
    public StoreCheck storeCheck() {
        return merges.check();
    }

    @Override
    public List<Identity> verifiedIdentities(Identity of, String channel) {
        return customers.verifiedIdentities(of, channel);
    }

    @Override
    public ReplyView retryReply(Scope scope, long replyId, String agent) {
        inboxWrites.retryReply(scope, replyId, agent);
        return inboxReads.reply(scope, replyId).orElseThrow(
                () -> new NoSuchElementException("reply " + replyId + " does not exist"));
    }

    @Override
    public ConversationSummary assign(Scope scope, long conversationId, String agent, String actor) {
        inboxWrites.assign(scope, conversationId, agent, actor);
        return inboxReads.summary(conversationId);
    }

    @Override
    public ConversationSummary transfer(Scope scope, long conversationId, String department, String actor) {
        inboxWrites.transfer(scope, conversationId, department, actor);
        return inboxReads.summary(conversationId);
    }

    @Override
    public ConversationSummary snooze(Scope scope, long conversationId, Instant until, String actor) {
        inboxWrites.snooze(scope, conversationId, until, actor);
        return inboxReads.summary(conversationId);
    }

    @Override
    public ConversationSummary resolve(Scope scope, long conversationId, String actor) {
        inboxWrites.resolve(scope, conversationId, actor);
        return inboxReads.summary(conversationId);
    }

    @Override
    public ConversationSummary reopen(Scope scope, long conversationId, String actor) {
        inboxWrites.reopen(scope, conversationId, actor);
        return inboxReads.summary(conversationId);
    }

    @Override
    public long markRead(Scope scope, long conversationId, long upToMessageId, String actor) {
        return inboxWrites.markRead(scope, conversationId, upToMessageId, actor);
    }

    @Override
    public boolean typing(Scope scope, long conversationId, String actor, Instant since) {
        try {
            return inboxWrites.typing(scope, conversationId, actor, since);
        } catch (StoreConflictException e) {
            return false; // another node said it for this agent at the same moment
        }
    }

    @Override
    public EventPage events(Scope scope, long after, int limit, EventFilter filter) {
        return events.page(scope, after, limit, filter);
    }

    // ---------------------------------------------------------------- agents

    @Override
    public List<Agent> agents() {
        return agents.agents();
    }

    @Override
    public Optional<Agent> agent(String name) {
        return agents.agent(name);
    }

    @Override
    public Agent createAgent(Agent agent, String actor) {
        return agents.create(agent, actor);
    }

    @Override
    public Agent updateAgent(Agent agent, String actor) {
        return agents.update(agent, actor);
    }

    @Override
    public Agent setPresence(String name, Presence presence, String actor) {
        return agents.setPresence(name, presence, actor);
    }

    @Override
    public List<Assigned> assignQueued(String department, Department.Assignment strategy, int limit) {
        return agents.assignQueued(department, strategy, limit);
    }

    @Override
    public int giveBack(int limit) {
        return agents.giveBack(limit);
    }

    @Override
    public List<Long> wakeSnoozed(Instant now, int limit) {
        return agents.wakeSnoozed(now, limit);
    }

    // ---------------------------------------------------------------- outbox

    @Override
    public List<Door> doorsWithDueReplies(Collection<String> channels, Instant now) {
        return outbox.doorsWithDueReplies(channels, now);
    }

    @Override
    public org.frontdoor.store.QueueDepths queueDepths() {
        return outbox.queueDepths();
    }

    @Override
    public List<ReplyClaim> claimDueReplies(Door door, String node, String token, Instant now, Instant until,
                                            int limit) {
        return outbox.claim(door, node, token, now, until, limit);
    }

    @Override
    public boolean renewClaim(ReplyClaim claim, Instant until) {
        return outbox.renew(claim, until);
    }

    @Override
    public boolean replySent(ReplyClaim claim, Instant at, String vendorId) {
        String id = vendorId == null || vendorId.isBlank() ? null
                : Jdbc.cut(vendorId.strip(), DeliveryReceipt.MAX_VENDOR_ID);
        boolean recorded = outbox.sent(claim, at, id);
        if (recorded && id != null) {
            try {
                delivery.applyReceipts(claim.reply().channel(), claim.reply().instance(), id);
            } catch (RuntimeException e) {
                // they stay kept: the next receipt for this id applies them all
                LOG.warn("Could not apply the receipts waiting for reply {}: {}", claim.replyId(), e.getMessage());
            }
        }
        return recorded;
    }

    @Override
    public ReceiptOutcome receipt(DeliveryReceipt receipt, Instant now) {
        return delivery.receipt(receipt, now);
    }

    @Override
    public int applyReceipts(String channel, String instance, String vendorId) {
        return delivery.applyReceipts(channel, instance, vendorId);
    }

    @Override
    public boolean replyFailed(ReplyClaim claim, String reason, Instant nextAttemptAt, int maxAttempts) {
        return outbox.failed(claim, reason, nextAttemptAt, maxAttempts);
    }

    @Override
    public boolean replyRefused(ReplyClaim claim, String reason) {
        return outbox.refused(claim, reason);
    }

    @Override
    public void releaseClaims(Collection<ReplyClaim> notStarted) {
        outbox.release(notStarted);
    }

    @Override
    public int takeBackClaims(String node, String runPrefix) {
        return outbox.takeBack(node, runPrefix);
    }

    @Override
    public void releaseRouteClaims(String node) {
        outbox.releaseRouteClaims(node);
    }

    // ---------------------------------------------------------------- events

    @Override
    public List<ConversationEvent> eventsAfter(long position, int limit) {
        return events.after(position, limit);
    }

    @Override
    public long head() {
        return events.head();
    }

    @Override
    public void ping(java.time.Duration timeout) {
        jdbc.ping(timeout);
    }

    @Override
    public Optional<Lease> claimConsumer(String name, String node, Duration lease, long startAt, EventFilter filter) {
        return events.claimConsumer(name, node, lease, startAt, filter);
    }

    @Override
    public boolean advanceConsumer(String name, String node, long generation, long position, Duration lease,
                                   String lastError, boolean gapTold) {
        return events.advanceConsumer(name, node, generation, position, lease, lastError, gapTold);
    }

    @Override
    public void releaseConsumer(String name, String node, long generation, long position) {
        events.releaseConsumer(name, node, generation, position);
    }

    @Override
    public List<ConsumerState> consumers() {
        return events.consumers();
    }

    @Override
    public Optional<ConsumerState> resetConsumer(String name, long position) {
        return events.resetConsumer(name, position);
    }

    @Override
    public int forgetNodeConsumers(Instant idleBefore) {
        return events.forgetNodeConsumers(idleBefore);
    }

    @Override
    public List<ConversationEvent> typingSince(Instant since) {
        return events.typingSince(since);
    }

    @Override
    public int forgetTypingBefore(Instant before) {
        return events.forgetTypingBefore(before);
    }

    @Override
    public Retention deleteOldEvents(Instant readCutoff, Instant hardCutoff, int limit) {
        return events.deleteOldEvents(readCutoff, hardCutoff, limit);
    }

    @Override
    public long countAfter(long position, EventFilter filter) {
        return events.countAfter(position, filter);
    }
}
