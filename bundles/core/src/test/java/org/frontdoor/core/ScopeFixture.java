package org.frontdoor.core;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;

/**
 * Two departments on a real store, for the access tests of the REST API and the shell (they use core's test-jar):
 * <ul>
 * <li>{@link #salesConversation}: alice on the api door, routed to sales;</li>
 * <li>{@link #supportConversation}: bob on the email door, routed to support, with a message carrying an attachment
 * ({@link #supportMessage}, index 0), a failed reply ({@link #supportReply}), an internal note and their events;</li>
 * <li>{@link #supportMerge}: bob's second customer (bob on sms, also support) merged into bob;</li>
 * <li>{@link #supportSuggestion}: an open merge suggestion between two support customers (carl into bob);</li>
 * <li>{@link #supportPost}: erin's public comment ({@link #supportPostMessage}) on the wall door, which can hide
 * comments ({@link #wall} records what it was asked), routed to support;</li>
 * <li>{@link #sharedCustomer}: carol, one customer with a sales conversation on the api door and a support one on
 * the sms door; sales may see carol, but not her sms identity.</li>
 * </ul>
 * {@link #SALES} and {@link #SUPPORT} are agents of one department each; {@link #ADMIN} sees everything.
 */
public final class ScopeFixture implements AutoCloseable {

    public static final Caller SALES = new Caller("sam", Set.of("agent"), Scope.departments(Set.of("sales")));
    public static final Caller SUPPORT = new Caller("sue", Set.of("agent"), Scope.departments(Set.of("support")));
    public static final Caller ADMIN = new Caller("ada", Set.of("admin"), Scope.ALL);
    private static final IngestLimits LIMITS = new IngestLimits(30_000, 2_000);

    private final StoreTestDatabase db;
    public final JpaStore store;
    public final Inbox inbox;
    /** frontdoor:rule-test's service on this store, with the email door running and no rules. */
    public final org.frontdoor.api.admin.RuleTester ruleTester;
    public final long salesConversation;
    public final long salesCustomer;
    public final long supportConversation;
    public final long supportCustomer;
    public final long supportMessage;
    public final long supportReply;
    public final long supportMerge;
    public final long supportSuggestion;
    public final long sharedCustomer;
    /** carl: a second support customer, to merge bob into. */
    public final long carlCustomer;
    public final long sharedSupportConversation;
    /** dora's conversation: routed to sales, then transferred to support, where she wrote again. */
    public final long movedToSupport;
    public final Attachment attachment;
    /** The callback tasks as core serves them; {@link #supportCallback} is support's. */
    public final org.frontdoor.api.Callbacks callbacks;
    /** The agents as core serves them: sam works in sales, sue in support. */
    public final org.frontdoor.api.agents.Agents agents;
    /** The login accounts: sam (agent) and sue (agent), each with {@link #PASSWORD}. */
    public final org.frontdoor.api.accounts.Accounts accounts;
    public static final String PASSWORD = "a-long-enough-password-1";
    public final long supportCallback = 9101;
    /** erin's conversation on the wall door: one public comment, routed to support. */
    public final long supportPost;
    public final long supportPostMessage;
    /** The wall door, which hides comments on its network. */
    public final WallDoor wall = new WallDoor();
    /** Consent recorded by hand on this store; support's customer has the identity below. */
    public final org.frontdoor.api.consent.ConsentDesk consentDesk;
    public final String supportChannel = "email";
    public final String supportHandle = "bob@example.org";
    /** The phone door, which places calls from callback tasks. */
    public final PhoneDoor phone = new PhoneDoor();

    private ScopeFixture(StoreTestDatabase db) throws Exception {
        this.db = db;
        this.store = db.store();
        Doors doors = new Doors();
        doors.add(door("email", "mail"), Map.of(org.osgi.framework.Constants.SERVICE_ID, 1L, Channel.CHANNEL, "email",
                Channel.INSTANCE, "mail"));
        doors.add(wall, Map.of(org.osgi.framework.Constants.SERVICE_ID, 3L, Channel.CHANNEL, "wall",
                Channel.INSTANCE, "page"));
        this.inbox = new InboxService(store, doors, () -> { }, () -> { });
        // the phone door only where calls are placed, so that the other doors' lists stay as they were
        Doors calling = new Doors();
        calling.add(phone, Map.of(org.osgi.framework.Constants.SERVICE_ID, 4L, Channel.CHANNEL, "voice",
                Channel.INSTANCE, "desk"));
        this.callbacks = new CallbackTasks(store, calling);
        this.consentDesk = new ConsentDeskService(inbox, new org.frontdoor.store.jpa.ConsentStore(db.dataSource()));
        org.frontdoor.api.Departments departments = new org.frontdoor.api.Departments() {
            private final List<org.frontdoor.api.Department> all = List.of(
                    org.frontdoor.api.Department.seenOnly("sales"), org.frontdoor.api.Department.seenOnly("support"));

            @Override
            public List<org.frontdoor.api.Department> list() {
                return all;
            }

            @Override
            public java.util.Optional<org.frontdoor.api.Department> get(String id) {
                return all.stream().filter(d -> d.id().equals(id)).findFirst();
            }
        };
        this.accounts = new org.frontdoor.store.jpa.AccountStore(db.dataSource());
        accounts.create(SALES.name(), PASSWORD.toCharArray(), Set.of("agent"));
        accounts.create(SUPPORT.name(), PASSWORD.toCharArray(), Set.of("agent"));
        this.agents = new AgentService(store, departments, java.time.Clock.systemUTC(), () -> { }, false);
        agents.create(org.frontdoor.api.agents.Agent.of(SALES.name(), "Sam", Set.of("sales"), Set.of(), Set.of(), 5),
                ADMIN.name());
        agents.create(org.frontdoor.api.agents.Agent.of(SUPPORT.name(), "Sue", Set.of("support"), Set.of(), Set.of(),
                5), ADMIN.name());
        Settings settings = Configs.settings();
        this.ruleTester = new RuleTesterService(new RoutingStage(store, new RuleRegistry(), new Classifiers(),
                () -> settings, "node-a", () -> { }), doors);
        attachment = store.store("invoice.txt", "text/plain",
                new ByteArrayInputStream("the invoice".getBytes(StandardCharsets.UTF_8)), 1_000);
        salesConversation = ingest(Messages.inbound("api", "demo", "m-1", "alice", "I want to buy"));
        supportConversation = ingest(Message.inbound("email", "mail").externalId("m-2")
                .author(new Identity("email", "bob@example.org", "Bob", "bob@example.org", null, 0))
                .text("it is broken, see the invoice").rawPayload("{}").attachments(List.of(attachment)).build());
        long bobOnSms = ingest(Messages.inbound("sms", "phone", "m-3", "+15550001", "me again"));
        long carl = ingest(Messages.inbound("email", "mail", "m-4", "carl@example.org", "same problem"));
        long carolApi = ingest(Messages.inbound("api", "demo", "m-5", "carol", "a quote please"));
        sharedSupportConversation = ingest(Messages.inbound("sms", "phone", "m-6", "+15550002", "and a fix"));
        movedToSupport = ingest(Messages.inbound("api", "demo", "m-7", "dora", "a discount?"));
        supportPost = ingest(Messages.inbound("wall", "page", "c-1", "erin", "worst service ever").toBuilder()
                .visibility(Visibility.PUBLIC).build());
        route(Map.of(salesConversation, "sales", supportConversation, "support", bobOnSms, "support",
                carl, "support", carolApi, "sales", sharedSupportConversation, "support", movedToSupport, "sales",
                supportPost, "support"));
        store.transfer(Scope.ALL, movedToSupport, "support", "sam");
        ingest(Messages.inbound("api", "demo", "m-8", "dora", "my account number is 12345"));

        var support = store.conversation(Scope.ALL, supportConversation).orElseThrow();
        supportCustomer = support.summary().customerId();
        supportMessage = support.messages().get(0).id();
        supportPostMessage = store.conversation(Scope.ALL, supportPost).orElseThrow().messages().get(0).id();
        salesCustomer = customerOf(salesConversation);
        sharedCustomer = customerOf(carolApi);
        carlCustomer = customerOf(carl);
        supportReply = store.queueReply(Scope.ALL, supportConversation, "we are on it", Visibility.PRIVATE, "sue").id();
        store.addNote(Scope.ALL, supportConversation, "@sam is this a sale?", "sue");
        supportMerge = store.merge(Scope.ALL, customerOf(bobOnSms), supportCustomer, "sue").id();
        store.merge(Scope.ALL, customerOf(sharedSupportConversation), sharedCustomer, "ada");
        supportSuggestion = 9001;
        try (Connection c = db.connection()) {
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET status = 'FAILED' WHERE id = ?")) {
                u.setLong(1, supportReply); // a door gave up on it: an agent may send it again
                u.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO merge_suggestion (id, from_customer, "
                    + "into_customer, reason, suggested_by, suggested_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                i.setLong(1, supportSuggestion);
                i.setLong(2, customerOf(carl));
                i.setLong(3, supportCustomer);
                i.setString(4, "same company");
                i.setString(5, "sue");
                i.setTimestamp(6, Timestamp.from(Instant.now()));
                i.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO callback_task (id, conversation_id, "
                    + "department_id, customer_id, customer_name, phone, note, timer_id, step, state, created_at) "
                    + "VALUES (?, ?, 'support', ?, 'Bob', '+15550001', 'first response breached', 1, 1, 'OPEN', ?)")) {
                i.setLong(1, supportCallback); // an SLA escalation asked support to call Bob
                i.setLong(2, supportConversation);
                i.setLong(3, supportCustomer);
                i.setTimestamp(4, Timestamp.from(Instant.now()));
                i.executeUpdate();
            }
        }
    }

    /** Its database, for tests that read what a change wrote (the audit trail). */
    public StoreTestDatabase db() {
        return db;
    }

    /** The fixture on a fresh database of this kind ({@link StoreTestDatabase#kinds}). */
    public static ScopeFixture create(String kind) throws Exception {
        StoreTestDatabase db = StoreTestDatabase.create(kind);
        try {
            return new ScopeFixture(db);
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    /** A running door that takes private replies. */
    public static Channel door(String channel, String instance) {
        ChannelHealth up = ChannelHealth.up();
        ChannelCapabilities caps = new ChannelCapabilities(10_000, ChannelCapabilities.LengthCounting.CODE_POINTS,
                false, false, true, true, ChannelCapabilities.Markup.NONE, false);
        return new Channel() {
            @Override
            public String id() {
                return channel;
            }

            @Override
            public String instance() {
                return instance;
            }

            @Override
            public ChannelCapabilities capabilities() {
                return caps;
            }

            @Override
            public ChannelHealth health() {
                return up;
            }
        };
    }

    /** A running door answering in public that hides and shows comments, and records what it was asked. */
    public static final class WallDoor implements Channel, org.frontdoor.api.ChannelModeration {

        /** "hide c-1", "unhide c-1", in the order asked. */
        public final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "wall";
        }

        @Override
        public String instance() {
            return "page";
        }

        @Override
        public ChannelCapabilities capabilities() {
            return new ChannelCapabilities(1_000, ChannelCapabilities.LengthCounting.CODE_POINTS, false, true, false,
                    true, ChannelCapabilities.Markup.NONE, false);
        }

        @Override
        public ChannelHealth health() {
            return ChannelHealth.up();
        }

        @Override
        public Set<Action> moderationActions() {
            return Set.of(Action.HIDE, Action.UNHIDE);
        }

        @Override
        public void setHidden(String externalId, boolean hidden) {
            asked.add((hidden ? "hide " : "unhide ") + externalId);
        }
    }

    /**
     * A door that places calls: answers each with the next call id, or throws what a test put in {@link #failure}.
     */
    public static final class PhoneDoor implements Channel, org.frontdoor.api.calls.ChannelCalls {

        /** What it was asked, in order. */
        public final List<org.frontdoor.api.calls.CallRequest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Thrown by the next calls while set. */
        public volatile RuntimeException failure;
        public volatile boolean canCall = true;

        @Override
        public String id() {
            return "voice";
        }

        @Override
        public String instance() {
            return "desk";
        }

        @Override
        public ChannelCapabilities capabilities() {
            return new ChannelCapabilities(160, ChannelCapabilities.LengthCounting.CODE_POINTS, false, false, true,
                    false, ChannelCapabilities.Markup.NONE, false);
        }

        @Override
        public ChannelHealth health() {
            return ChannelHealth.up();
        }

        @Override
        public boolean canCall() {
            return canCall;
        }

        @Override
        public org.frontdoor.api.calls.PlacedCall call(org.frontdoor.api.calls.CallRequest request) {
            asked.add(request);
            if (failure != null) {
                throw failure;
            }
            return new org.frontdoor.api.calls.PlacedCall("CA" + asked.size(),
                    request.agentNumber() == null ? "+15550100" : request.agentNumber(), "+15550199");
        }
    }

    private long ingest(Message message) {
        return store.ingest(List.of(message), LIMITS).get(0).receipt().conversationId();
    }

    private long customerOf(long conversation) {
        return store.conversation(Scope.ALL, conversation).orElseThrow().summary().customerId();
    }

    private void route(Map<Long, String> departments) {
        List<PendingRoute> pending = store.claimConversationsToRoute("node-a", Instant.now().plusSeconds(60), 100);
        store.routed("node-a", pending.stream().map(p -> new RouteResult(p.conversationId(),
                new RoutingDecision(departments.get(p.conversationId()), 0, null, "fixture"), Map.of(), 0)).toList());
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
