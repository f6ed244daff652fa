package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.frontdoor.core.Messages.api;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Identity;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelCapabilities.LengthCounting;
import org.frontdoor.api.ChannelCapabilities.Markup;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.IdempotencyKeyReusedException;
import org.frontdoor.api.inbox.InboxUnavailableException;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.InboxStore;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.StoreUnavailableException;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Constants;

/** The inbox on the real store, H2 and PostgreSQL: callers and scopes, replies checked against their door. */
class InboxServiceTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final Caller JANE = new Caller("jane", Set.of("agent"), Scope.ALL);
    private static final Caller SALES = new Caller("sam", Set.of("agent"), Scope.departments(Set.of("sales")));

    private StoreTestDatabase db;
    private JpaStore store;
    private InboxService inbox;
    private final Doors doors = new Doors();
    private final AtomicInteger wakes = new AtomicInteger();
    private long conversation;

    private void open(String kind) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        inbox = new InboxService(store, doors, wakes::incrementAndGet, () -> { });
        conversation = store.ingest(List.of(api("m-1", "alice", "help")), new IngestLimits(30_000, 2_000)).get(0)
                .receipt().conversationId();
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private void door(int maxLength, boolean segmentation, boolean publicReplies, boolean privateReplies) {
        ChannelCapabilities caps = new ChannelCapabilities(maxLength, LengthCounting.CODE_POINTS, segmentation,
                publicReplies, privateReplies, true, Markup.NONE, false);
        doors.add(new Channel() {
            @Override
            public String id() {
                return "api";
            }

            @Override
            public String instance() {
                return "demo";
            }

            @Override
            public ChannelCapabilities capabilities() {
                return caps;
            }

            @Override
            public ChannelHealth health() {
                return ChannelHealth.up();
            }
        }, Map.of(Constants.SERVICE_ID, 1L, Channel.CHANNEL, "api", Channel.INSTANCE, "demo"));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void anInternalNoteIsStoredWithItsMentionsAndWakesNoOutbox(String kind) throws SQLException {
        open(kind);
        door(1000, false, true, true);

        var note = inbox.addNote(JANE, conversation, "@billing can you look? @sam");

        assertThat(note.author()).isEqualTo("jane");
        assertThat(note.mentions()).containsExactly("billing", "sam");
        assertThat(wakes).as("not a reply: the outbox is not woken").hasValue(0);
        var detail = inbox.conversation(JANE, conversation).orElseThrow();
        assertThat(detail.notes()).extracting(org.frontdoor.api.inbox.NoteView::id).containsExactly(note.id());
        assertThat(detail.replies()).isEmpty();
        assertThatThrownBy(() -> inbox.addNote(SALES, conversation, "hi"))
                .isInstanceOf(java.util.NoSuchElementException.class);
        assertThatThrownBy(() -> inbox.addNote(JANE, conversation, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inbox.addNote(JANE, conversation, "x".repeat(org.frontdoor.api.inbox.Inbox.MAX_NOTE + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The dashboard's figures are for supervisors and admins; an agent is refused, whatever their scope. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void onlyASupervisorOrAnAdminReadsTheDashboard(String kind) throws SQLException {
        open(kind);
        Caller supervisor = new Caller("sally", Set.of("supervisor"), Scope.departments(Set.of("sales")));
        Caller admin = new Caller("root", Set.of("admin"), Scope.ALL);

        assertThatThrownBy(() -> inbox.queues(JANE)).isInstanceOf(SecurityException.class)
                .hasMessage("the dashboard is for role supervisor or admin");
        assertThatThrownBy(() -> inbox.volumes(SALES, 24)).isInstanceOf(SecurityException.class);
        assertThat(inbox.queues(supervisor)).extracting(q -> q.department() + " " + q.waiting())
                .containsExactly("sales 0");
        assertThat(inbox.queues(admin)).extracting(q -> q.department() + " " + q.fresh())
                .as("alice's conversation, not routed yet").containsExactly("null 1");
        assertThat(inbox.volumes(admin, 24).doors()).extracting(d -> d.channel() + " " + d.total())
                .containsExactly("api 1");
        assertThat(inbox.volumes(supervisor, 1).doors()).as("not routed: no department's").isEmpty();
        for (int hours : new int[] {0, -1, 169}) {
            assertThatThrownBy(() -> inbox.volumes(admin, hours)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("hours");
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void anAgentMergesAndUnmergesCustomersAndOnlyAnAdminChecksTheStore(String kind) throws SQLException {
        open(kind);
        long alice = inbox.conversation(JANE, conversation).orElseThrow().summary().customerId();
        long bob = store.ingest(List.of(api("m-2", "bob", "hello")), new IngestLimits(30_000, 2_000)).get(0)
                .receipt().customerId();

        var merge = inbox.merge(JANE, bob, alice);

        assertThat(merge.mergedBy()).isEqualTo("jane");
        assertThat(inbox.customer(JANE, alice).orElseThrow().identities()).hasSize(2);
        assertThat(inbox.unmerge(JANE, merge.id()).unmergedBy()).isEqualTo("jane");
        assertThat(inbox.customer(JANE, alice).orElseThrow().identities()).hasSize(1);
        assertThat(inbox.mergeSuggestions(JANE)).isEmpty();
        assertThatThrownBy(() -> inbox.storeCheck(JANE)).isInstanceOf(SecurityException.class);
        assertThat(inbox.storeCheck(new Caller("root", Set.of("admin"), Scope.ALL)).consistent()).isTrue();
        assertThat(inbox.storeCheck(Caller.system("check")).consistent()).isTrue();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void typingKeepsOneEventPerCallerAndConversationInItsWindowAndAFailedCallHoldsNoWindow(String kind)
            throws SQLException {
        open(kind);
        long other = store.ingest(List.of(api("m-2", "bob", "hello")), new IngestLimits(30_000, 2_000)).get(0)
                .receipt().conversationId();

        assertThatThrownBy(() -> inbox.typing(SALES, conversation)).isInstanceOf(NoSuchElementException.class);
        assertThat(inbox.typing(JANE, conversation)).isTrue();
        assertThat(inbox.typing(JANE, conversation)).as("within " + Inbox.TYPING_EVERY_SECONDS + " s").isFalse();
        assertThat(inbox.typing(JANE, other)).as("another conversation").isTrue();
        Caller joe = new Caller("joe", Set.of("agent"), Scope.ALL);
        assertThat(inbox.typing(joe, conversation)).as("another agent").isTrue();

        List<org.frontdoor.api.ConversationEvent> typing = store.typingSince(java.time.Instant.now().minusSeconds(60));
        assertThat(typing).extracting(org.frontdoor.api.ConversationEvent::actor,
                org.frontdoor.api.ConversationEvent::conversationId)
                .containsExactlyInAnyOrder(tuple("jane", conversation), tuple("jane", other), tuple("joe", conversation));
        assertThat(store.eventsAfter(0, 1000)).as("typing is not in the event log")
                .noneMatch(e -> e.type() == org.frontdoor.api.ConversationEvent.Type.TYPING);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void marksReadInTheCallersName(String kind) throws SQLException {
        open(kind);
        assertThatThrownBy(() -> inbox.markRead(JANE, conversation, -1)).isInstanceOf(IllegalArgumentException.class);
        long message = inbox.conversation(JANE, conversation).orElseThrow().messages().get(0).id();

        assertThat(inbox.markRead(JANE, conversation, 0)).isEqualTo(message);

        assertThat(inbox.conversation(JANE, conversation).orElseThrow().readUpTo()).isEqualTo(message);
        assertThat(store.eventsAfter(0, 1000)).filteredOn(e -> e.type() == org.frontdoor.api.ConversationEvent.Type.READ)
                .singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo("jane"));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void queuesAReplyInTheCallersNameAndWakesTheOutbox(String kind) throws SQLException {
        open(kind);
        door(0, false, false, true);

        ReplyView reply = inbox.reply(JANE, conversation, "We are on it", null);

        assertThat(reply.status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(reply.author()).isEqualTo("jane");
        assertThat(reply.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(wakes.get()).isEqualTo(1);
        ConversationEvent replied = store.eventsAfter(0, 100).stream()
                .filter(e -> e.type() == ConversationEvent.Type.REPLIED).findFirst().orElseThrow();
        assertThat(replied.actor()).isEqualTo("jane");
        assertThat(replied.itemId()).isEqualTo(reply.id());
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void refusesEmptyRepliesUnknownConversationsAndWhatTheDoorCannotCarry(String kind) throws SQLException {
        open(kind);
        door(10, false, false, true);

        assertThatThrownBy(() -> inbox.reply(JANE, conversation, " ", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> inbox.reply(JANE, 424242, "hi", null)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> inbox.reply(JANE, conversation, "twelve chars", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12").hasMessageContaining("10");
        assertThatThrownBy(() -> inbox.reply(JANE, conversation, "hi", Visibility.PUBLIC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot answer in public");
        assertThat(store.conversation(Scope.ALL, conversation).orElseThrow().replies()).isEmpty();
    }

    /** The composer's counter: the count that refuses a reply, before anything is sent; nothing stored. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aPreviewCountsAsTheDoorDoesAndStoresNothing(String kind) throws SQLException {
        open(kind);
        door(10, false, false, true);

        var fits = inbox.measureReply(JANE, conversation, "héllo 👋");
        var tooLong = inbox.measureReply(JANE, conversation, "twelve chars");

        assertThat(fits.length()).as("code points").isEqualTo(7);
        assertThat(fits.maxLength()).isEqualTo(10);
        assertThat(fits.fits()).isTrue();
        assertThat(fits.refusal()).isEmpty();
        assertThat(fits.channel() + "/" + fits.instance()).isEqualTo("api/demo");
        assertThat(fits.doorRunning()).isTrue();
        assertThat(tooLong.fits()).isFalse();
        assertThat(tooLong.refusal()).contains("12").contains("10");
        assertThatThrownBy(() -> inbox.measureReply(SALES, conversation, "hi"))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(store.conversation(Scope.ALL, conversation).orElseThrow().replies()).isEmpty();
        assertThat(wakes).hasValue(0);
    }

    /**
     * The composer's counter follows the door a reply goes through: the conversation's own, which answers in public
     * and in private, or another door (a {@code via} reply, private only), or one that is not running.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aPreviewThroughAnotherDoorCountsAsThatDoorAndSaysHowItCanAnswer(String kind) throws SQLException {
        open(kind);
        door(10, false, true, true);
        org.frontdoor.api.Identity bob = new org.frontdoor.api.Identity("sms", "+15550001", null, null, null, 0);

        var own = inbox.measureReply(JANE, conversation, "hello");
        var through = inbox.measureReply(JANE, conversation, "hello", new org.frontdoor.api.inbox.ReplyRoute("api",
                "demo", new org.frontdoor.api.Identity("api", "bob", null, null, null, 0)));
        var stopped = inbox.measureReply(JANE, conversation, "hello",
                new org.frontdoor.api.inbox.ReplyRoute("sms", "main", bob));

        assertThat(own.visibilities()).containsExactly(Visibility.PUBLIC, Visibility.PRIVATE);
        assertThat(through.visibilities()).as("a reply via another door is private").containsExactly(Visibility.PRIVATE);
        assertThat(through.maxLength()).isEqualTo(10);
        assertThat(stopped.channel() + "/" + stopped.instance()).isEqualTo("sms/main");
        assertThat(stopped.doorRunning()).isFalse();
        assertThat(stopped.visibilities()).isEmpty();
        assertThatThrownBy(() -> inbox.measureReply(SALES, conversation, "hi",
                new org.frontdoor.api.inbox.ReplyRoute("sms", "main", bob))).isInstanceOf(NoSuchElementException.class);
        assertThat(store.conversation(Scope.ALL, conversation).orElseThrow().replies()).isEmpty();
    }

    /** Where a live view starts following the log: the latest event, whoever may see it. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void theEventHeadIsTheLatestPosition(String kind) throws SQLException {
        open(kind);
        var events = inbox.events(org.frontdoor.api.Caller.system("test"), 0, 500).events();

        assertThat(inbox.eventHead()).isEqualTo(events.get(events.size() - 1).position());
        assertThat(inbox.events(JANE, inbox.eventHead(), 100).events()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void letsADoorThatSplitsLongTextTakeLongReplies(String kind) throws SQLException {
        open(kind);
        door(10, true, false, true);

        assertThat(inbox.reply(JANE, conversation, "a reply longer than ten", null).status())
                .isEqualTo(ReplyStatus.QUEUED);
    }

    /** Outside the caller's scope a conversation does not exist: not listed, not shown, not answered, not changed. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aCallerSeesAndChangesOnlyWhatItsScopeCovers(String kind) throws SQLException {
        open(kind);
        assertThat(inbox.conversations(SALES, ConversationQuery.firstPage(10)).total()).isZero();
        assertThat(inbox.conversation(SALES, conversation)).isEmpty();
        assertThatThrownBy(() -> inbox.reply(SALES, conversation, "hi", null)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> inbox.resolve(SALES, conversation)).isInstanceOf(NoSuchElementException.class);
        assertThat(inbox.events(SALES, 0, 100).events()).isEmpty();

        assertThat(inbox.conversations(JANE, ConversationQuery.firstPage(10)).total()).isEqualTo(1);
        assertThat(inbox.events(JANE, 0, 100).events()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void assignsToTheCallerWhenNoAgentIsNamedAndRecordsWhoDidIt(String kind) throws SQLException {
        open(kind);
        List<org.frontdoor.store.PendingRoute> claimed = store.claimConversationsToRoute("n",
                java.time.Instant.now().plusSeconds(60), 10);
        store.routed("n", claimed.stream().map(p -> new org.frontdoor.store.RouteResult(p.conversationId(),
                new org.frontdoor.api.RoutingDecision("support", 0, null, "t"), Map.of(), 0)).toList());

        assertThat(inbox.assign(JANE, conversation, null).assignee()).isEqualTo("jane");
        assertThat(inbox.transfer(JANE, conversation, "billing").department()).isEqualTo("billing");
        assertThat(inbox.resolve(JANE, conversation).status()).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(store.eventsAfter(0, 100)).filteredOn(e -> e.type() == ConversationEvent.Type.ASSIGNED)
                .singleElement().satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("jane");
                    assertThat(e.detail()).isEqualTo("to jane");
                });
    }

    @Test
    void aDatabaseThatCannotAnswerIsSaidSoNotAnInternalError() {
        InboxStore down = (InboxStore) Proxy.newProxyInstance(InboxStore.class.getClassLoader(),
                new Class<?>[] {InboxStore.class}, (proxy, method, args) -> {
                    throw new StoreUnavailableException("connection refused", null);
                });
        InboxService unavailable = new InboxService(down, doors, () -> { }, () -> { });

        assertThatThrownBy(() -> unavailable.conversations(JANE, ConversationQuery.firstPage(10)))
                .isInstanceOf(InboxUnavailableException.class).hasMessageContaining("cannot answer now");
        assertThatThrownBy(() -> unavailable.events(JANE, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void choosesTheVisibilityTheCustomerUsedWhereTheDoorCanAnswerSo() {
        ChannelCapabilities both = new ChannelCapabilities(0, LengthCounting.CODE_POINTS, false, true, true, true,
                Markup.NONE, false);
        ChannelCapabilities privateOnly = ChannelCapabilities.plainPrivate();
        assertThat(InboxService.visibility(null, Visibility.PUBLIC, both, "x/y")).isEqualTo(Visibility.PUBLIC);
        assertThat(InboxService.visibility(null, Visibility.PRIVATE, both, "x/y")).isEqualTo(Visibility.PRIVATE);
        assertThat(InboxService.visibility(null, Visibility.PUBLIC, privateOnly, "x/y")).isEqualTo(Visibility.PRIVATE);
        assertThat(InboxService.visibility(Visibility.PRIVATE, Visibility.PUBLIC, both, "x/y"))
                .isEqualTo(Visibility.PRIVATE);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aReplyViaAnotherDoorNeedsAProvenRecipientFromAnAgentButNotFromADoor(String kind) throws SQLException {
        open(kind);
        Identity mail = Identity.of("email", "alice@example.org");
        ReplyRoute byMail = new ReplyRoute("email", "support", mail);
        CustomerService customers = new CustomerService(store);

        assertThatThrownBy(() -> inbox.replyVia(JANE, conversation, "see you by mail", byMail))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has confirmed");
        assertThatThrownBy(() -> inbox.replyVia(Caller.asUser("mallory", Set.of("agent", Caller.SYSTEM_ROLE),
                Scope.ALL), conversation, "pretending to be a door", byMail))
                .as("a user's roles never make them a system caller").isInstanceOf(IllegalArgumentException.class);
        ReplyView code = inbox.replyVia(Caller.system("channel-webchat-site"), conversation, "Your code: 1", byMail);
        customers.linkVerified(Caller.system("channel-webchat-site"), Identity.of("api", "alice"), mail);
        ReplyView answer = inbox.replyVia(JANE, conversation, "see you by mail", byMail);

        assertThat(code.author()).isEqualTo("channel-webchat-site");
        assertThat(answer.author()).isEqualTo("jane");
        assertThat(customers.verifiedIdentities(JANE, Identity.of("api", "alice"), "email")).containsExactly(
                new Identity("email", "alice@example.org", null, null, null, 0));
        assertThat(wakes).hasValue(2);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aReplyViaARegisteredDoorIsMeasuredAsThatDoorCounts(String kind) throws SQLException {
        open(kind);
        door(10, false, false, true); // api/demo: 10 characters
        ReplyRoute viaDemo = new ReplyRoute("api", "demo", Identity.of("api", "alice-elsewhere"));

        assertThatThrownBy(() -> inbox.replyVia(Caller.system("door"), conversation, "far longer than ten", viaDemo))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inbox.replyVia(Caller.system("door"), conversation, " ", viaDemo))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("reply text is empty");
    }

    /**
     * Seen (issue 16): a client retrying after a 503 at commit sent its reply twice. A reply with an idempotency key is
     * stored once per conversation and caller, also when the repeats come at once. Fails on main: there was no key.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aReplyWithAnIdempotencyKeyIsStoredOncePerConversationAndCaller(String kind) throws Exception {
        open(kind);
        door(0, false, false, true);

        ReplyView first = inbox.reply(JANE, conversation, "Your refund is on its way", null, "key-1");
        ReplyView repeat = inbox.reply(JANE, conversation, "Your refund is on its way", null, "key-1");

        assertThat(repeat.id()).isEqualTo(first.id());
        assertThat(repeat.text()).isEqualTo("Your refund is on its way");
        assertThatThrownBy(() -> inbox.reply(JANE, conversation, "Something else", null, "key-1"))
                .isInstanceOf(IdempotencyKeyReusedException.class).hasMessageContaining("reply " + first.id());
        assertThatThrownBy(() -> inbox.reply(JANE, conversation, "Your refund is on its way", Visibility.PRIVATE,
                "key-1")).as("the visibility asked for is part of the request")
                .isInstanceOf(IdempotencyKeyReusedException.class);
        Caller joe = new Caller("joe", Set.of("agent"), Scope.ALL);
        assertThat(inbox.reply(joe, conversation, "Your refund is on its way", null, "key-1").id())
                .as("another caller's key is its own").isNotEqualTo(first.id());

        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<ReplyView>> racing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racing.add(clients.submit(() -> inbox.reply(JANE, conversation, "Sent at once", null, "key-2")));
            }
            Set<Long> ids = new HashSet<>();
            for (Future<ReplyView> f : racing) {
                ids.add(f.get().id());
            }
            assertThat(ids).hasSize(1);
        } finally {
            clients.shutdown();
        }
        assertThat(store.conversation(Scope.ALL, conversation).orElseThrow().replies()).hasSize(3);
        assertThat(store.eventsAfter(0, 100)).filteredOn(e -> e.type() == ConversationEvent.Type.REPLIED).hasSize(3);
        assertThatThrownBy(() -> inbox.reply(JANE, conversation, "hi", null, "has space"))
                .isInstanceOf(IllegalArgumentException.class);
    }

}
