package org.frontdoor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Message;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event consumers on several nodes sharing one database: one node at a time really is one, each delivery carries its
 * lease generation, a reset reaches the running consumer, and a gap left by retention is told to the route.
 */
class EventConsumersTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final IngestLimits LIMITS = new IngestLimits(30_000, 2_000);

    private StoreTestDatabase db;
    private final List<EventConsumers> nodes = new ArrayList<>();
    private int customers;

    /** One delivery as the route saw it. */
    private record Seen(String node, long position, long generation, String missed) {
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(EventConsumers::close);
        if (db != null) {
            db.close();
        }
    }

    private EventConsumers node(JpaStore store, String name, Duration lease) {
        EventConsumers node = new EventConsumers(store, () -> Configs.settings("eventPollMillis", 20), name, lease);
        nodes.add(node);
        return node;
    }

    /** New conversations: two events each (created, message-added). */
    private void ingest(JpaStore store, int conversations) {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            int n = customers++;
            batch.add(Messages.api("m-" + n, "customer-" + n, "hi"));
        }
        store.ingest(batch, LIMITS);
    }

    /** The route: takes {@code millis} per event, as a slow CRM does. */
    private static EventConsumers.Delivery slow(String node, List<Seen> seen, long millis) {
        return (event, how) -> {
            seen.add(new Seen(node, event.position(), how.generation(), how.missed()));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped");
            }
        };
    }

    /**
     * Seen on main: the 30 s lease was renewed only after a batch of up to 500; at 75 ms per event a second node took
     * over from position 1 while the first delivered 75 more (192 events delivered by both, out of order). Here the
     * lease is 600 ms, so a batch of 40 events (3 s) outlasts it five times: the holder renews between events, the
     * other node never gets in while it runs, and takes over where it stopped, under a larger generation.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void twoNodesWithASlowConsumerAndAShortLeaseNeverDeliverAnEventTwiceAndKeepTheOrder(String kind) throws Exception {
        db = StoreTestDatabase.create(kind);
        JpaStore storeA = db.store();
        JpaStore storeB = db.anotherStore();
        ingest(storeA, 20); // 40 events
        long head = storeA.head();
        Duration lease = Duration.ofMillis(600);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        EventConsumers a = node(storeA, "node-a", lease);
        EventConsumers b = node(storeB, "node-b", lease);

        EventConsumers.Runner runnerA = a.start("crm", EventFilter.ALL, EventConsumers.Start.BEGINNING,
                slow("node-a", seen, 75));
        await("node-a holds it").until(() -> !seen.isEmpty());
        b.start("crm", EventFilter.ALL, EventConsumers.Start.BEGINNING, slow("node-b", seen, 75));
        await("half delivered").until(() -> seen.size() >= head / 2);
        runnerA.stop();
        await("every event delivered").atMost(Duration.ofSeconds(60))
                .until(() -> seen.stream().mapToLong(Seen::position).max().orElse(0) >= head);

        List<Long> positions = seen.stream().map(Seen::position).toList();
        assertThat(positions).as("each event once, in order, across both nodes").doesNotHaveDuplicates()
                .isSorted().hasSize((int) head);
        assertThat(seen).extracting(Seen::node).contains("node-a", "node-b");
        long lastOfA = seen.stream().filter(s -> s.node().equals("node-a")).mapToLong(Seen::generation).max()
                .orElseThrow();
        assertThat(seen).filteredOn(s -> s.node().equals("node-b")).extracting(Seen::generation)
                .as("the fencing token grows at the takeover").allMatch(g -> g > lastOfA);
        assertThat(seen).extracting(Seen::generation).as("never goes back").isSorted();
    }

    /**
     * A node that stalls in its route longer than the whole lease (a peer that hangs) loses the consumer to another
     * node, which delivers the stalled event again under a larger generation; the stalled node, once back, delivers
     * nothing more. The generation is what tells the peer which of the two deliveries of that event is current.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aNodeStalledPastItsLeaseIsFencedOffAndTheTakeoverCarriesALargerGeneration(String kind) throws Exception {
        db = StoreTestDatabase.create(kind);
        JpaStore storeA = db.store();
        JpaStore storeB = db.anotherStore();
        ingest(storeA, 3); // 6 events
        Duration lease = Duration.ofMillis(600);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        node(storeA, "node-a", lease).start("crm", EventFilter.ALL, EventConsumers.Start.BEGINNING, (event, how) -> {
            seen.add(new Seen("node-a", event.position(), how.generation(), how.missed()));
            stalled.await();
        });
        await("node-a stalls on the first event").until(() -> seen.size() == 1);
        node(storeB, "node-b", lease).start("crm", EventFilter.ALL, EventConsumers.Start.BEGINNING,
                slow("node-b", seen, 0));
        await("node-b took over").until(() -> seen.stream().anyMatch(x -> x.node().equals("node-b")));
        stalled.countDown();
        await("node-b delivered everything").until(() -> seen.stream().filter(x -> x.node().equals("node-b"))
                .count() == 6);

        assertThat(seen).filteredOn(x -> x.node().equals("node-a")).extracting(Seen::position)
                .as("the stalled node delivered nothing after it came back").containsExactly(1L);
        assertThat(seen).filteredOn(x -> x.node().equals("node-b")).extracting(Seen::position)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(seen.get(1).generation()).as("the peer refuses node-a's late write: its generation is lower")
                .isGreaterThan(seen.get(0).generation());
        await("node-b saved its position").until(() -> storeA.consumers().get(0).position() == 6);
        assertThat(storeA.consumers().get(0).owner()).isEqualTo("node-b");
    }

    /** A reset reaches the consumer running on a node within a renewal, and it goes on from the reset position. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aResetRewindsARunningConsumer(String kind) throws Exception {
        db = StoreTestDatabase.create(kind);
        JpaStore store = db.store();
        ingest(store, 3); // 6 events
        List<Seen> seen = new CopyOnWriteArrayList<>();
        EventConsumers a = node(store, "node-a", Duration.ofMillis(600));
        a.start("crm", EventFilter.of("created", null), EventConsumers.Start.BEGINNING, slow("node-a", seen, 0));
        await().until(() -> seen.size() == 3);
        await("position saved").until(() -> store.consumers().get(0).position() == 6);
        assertThat(store.consumers().get(0).behind()).isZero();

        PipelineStatusService status = new PipelineStatusService(null, store) {
            @Override
            public EventConsumerInfo resetEventConsumer(String name, long position) {
                EventConsumerInfo reset = info(store.resetConsumer(name, position).orElseThrow());
                a.recheck(name); // as PipelineStatusService does: the runner on this node renews at once
                return reset;
            }
        };
        assertThat(status.resetEventConsumer("crm", 2).behind()).as("created events after position 2").isEqualTo(2);
        await("delivered again from 2").until(() -> seen.size() == 5);
        assertThat(seen).extracting(Seen::position).containsExactly(1L, 3L, 5L, 3L, 5L);
        assertThat(seen.get(3).generation()).isGreaterThan(seen.get(2).generation());
        assertThat(status.eventConsumers()).singleElement().satisfies(c -> {
            assertThat(c.types()).isEqualTo("created");
            assertThat(c.generation()).isEqualTo(seen.get(4).generation());
        });
        assertThat(PipelineStatus.END).isNegative();
    }

    /**
     * Seen on main: retention deleted old events by age alone, and a consumer that came back resumed past the hole
     * with nobody told. Past the cap its next delivery carries header FrontdoorEventsMissed (here: the Delivered's
     * {@code missed}), once; the gap stays on the consumer for admins.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aConsumerBackAfterTheRetentionCapIsToldWhatItMissedOnItsNextDelivery(String kind) throws Exception {
        db = StoreTestDatabase.create(kind);
        JpaStore store = db.store();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        EventConsumers a = node(store, "node-a", Duration.ofMillis(600));
        EventConsumers.Runner runner = a.start("crm", EventFilter.ALL, EventConsumers.Start.END,
                slow("node-a", seen, 0));
        await("the consumer exists").until(() -> store.consumers().size() == 1);
        ingest(store, 1); // 1, 2
        await().until(() -> seen.size() == 2);
        runner.stop(); // its bundle uninstalled: it is away
        assertThat(store.consumers().get(0).position()).isEqualTo(2);

        ingest(store, 3); // 3..8
        java.time.Instant future = java.time.Instant.now().plusSeconds(1);
        assertThat(store.deleteOldEvents(future, java.time.Instant.now().minusSeconds(3600), 100).read())
                .as("what it read goes; what it has not read is kept").isEqualTo(2);
        assertThat(store.deleteOldEvents(future, future, 4).unread()).as("past the cap").isEqualTo(4);

        a.start("crm", EventFilter.ALL, EventConsumers.Start.END, slow("node-a", seen, 0));
        await("back, after the gap").until(() -> seen.stream().anyMatch(x -> x.position() == 8));
        assertThat(seen).extracting(Seen::position).containsExactly(1L, 2L, 7L, 8L);
        assertThat(seen).extracting(Seen::missed).containsExactly(null, null, "3-6", null);
        assertThat(seen.get(2).generation()).isGreaterThan(seen.get(1).generation());
        PipelineStatusService status = new PipelineStatusService(null, store);
        assertThat(status.eventConsumers()).singleElement().satisfies(c -> {
            assertThat(c.missed()).isEqualTo("missed events 3 to 6");
            assertThat(c.missedEvents()).isTrue();
        });
    }
}
