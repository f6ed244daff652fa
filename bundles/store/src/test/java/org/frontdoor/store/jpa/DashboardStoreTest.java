package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Scope;
import org.frontdoor.api.dashboard.DepartmentQueue;
import org.frontdoor.api.dashboard.DoorVolume;
import org.frontdoor.api.dashboard.Volumes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The dashboard's counts, made by the database within a scope, on H2 and PostgreSQL. */
class DashboardStoreTest extends StoreTest {

    private static final Scope SALES = Scope.departments(Set.of("sales"));

    private static Message on(String channel, String instance, String id, String handle) {
        return Message.inbound(channel, instance).externalId(id)
                .author(new Identity(channel, handle, handle, null, null, 0)).text("hello " + id).rawPayload("{}")
                .build();
    }

    /**
     * Sales has one waiting, one assigned and one snoozed conversation (and one resolved, not counted); support one
     * waiting; one is not routed yet. SLA timers: one at risk, one breached, one stopped (not counted).
     */
    @ParameterizedTest
    @MethodSource("databases")
    void queuesCountEachStatusOncePerDepartmentWithinTheScope(String kind) throws SQLException {
        open(kind);
        Instant now = Instant.now();
        long waiting = conversationOf(on("api", "demo", "m-1", "ann"));
        long taken = conversationOf(on("api", "demo", "m-2", "ben"));
        long later = conversationOf(on("api", "demo", "m-3", "cat"));
        long done = conversationOf(on("api", "demo", "m-4", "dan"));
        routeAll("sales");
        long support = conversationOf(on("email", "mail", "m-5", "eve"));
        routeAll("support");
        conversationOf(on("sms", "phone", "m-6", "+15550001"));
        store.assign(Scope.ALL, taken, "sam", "sam");
        store.snooze(Scope.ALL, later, now.plus(1, ChronoUnit.HOURS), "sam");
        store.resolve(Scope.ALL, done, "sam");
        timer(waiting, "sales", now.minusSeconds(60), now.plusSeconds(600), "RUNNING");
        timer(taken, "sales", now.minusSeconds(600), now.minusSeconds(60), "RUNNING");
        timer(taken, "sales", now.minusSeconds(900), now.minusSeconds(300), "RUNNING"); // a second: still one
        timer(support, "support", now.minusSeconds(600), now.minusSeconds(60), "STOPPED");
        timer(done, "sales", now.minusSeconds(600), now.minusSeconds(60), "RUNNING"); // resolved: not counted

        List<DepartmentQueue> sales = store.queues(SALES, now);
        List<DepartmentQueue> all = store.queues(Scope.ALL, now);

        assertThat(sales).containsExactly(new DepartmentQueue("sales", 0, 1, 1, 1,
                sales.get(0).oldestWaiting(), 1, 1));
        assertThat(sales.get(0).oldestWaiting()).as("the waiting conversation's last activity")
                .isEqualTo(store.conversation(Scope.ALL, waiting).orElseThrow().summary().lastActivityAt());
        assertThat(all).extracting(DepartmentQueue::department).containsExactly(null, "sales", "support");
        assertThat(all.get(0).fresh()).as("not routed yet").isEqualTo(1);
        assertThat(all.get(2)).isEqualTo(new DepartmentQueue("support", 0, 1, 0, 0, all.get(2).oldestWaiting(), 0,
                0));
        assertThat(store.queues(Scope.departments(Set.of()), now)).isEmpty();
        assertThat(store.queues(Scope.departments(Set.of("billing")), now)).as("a quiet department of the scope")
                .containsExactly(new DepartmentQueue("billing", 0, 0, 0, 0, null, 0, 0));
    }

    /**
     * Messages per door and hour: this hour's, three hours ago, and one older than the period (not counted); a sales
     * supervisor counts only the conversations of sales.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void volumesCountMessagesPerDoorAndHourWithinTheScope(String kind) throws SQLException {
        open(kind);
        Instant now = Instant.now();
        conversationOf(on("api", "demo", "m-1", "ann"));
        ingest(on("api", "demo", "m-2", "ann"));
        conversationOf(on("api", "demo", "m-3", "ben"));
        routeAll("sales");
        conversationOf(on("email", "mail", "m-4", "eve"));
        conversationOf(on("api", "demo", "m-5", "fay"));
        routeAll("support");
        stored("m-2", now.minus(3, ChronoUnit.HOURS));
        stored("m-3", now.minus(30, ChronoUnit.HOURS));

        Volumes sales = store.volumes(SALES, now, 24);
        Volumes all = store.volumes(Scope.ALL, now, 24);

        assertThat(sales.since()).isEqualTo(now.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS));
        assertThat(sales.doors()).extracting(DoorVolume::channel).containsExactly("api");
        List<Long> counts = sales.doors().get(0).counts();
        assertThat(counts).hasSize(24);
        assertThat(counts.get(23)).as("this hour: m-1").isEqualTo(1);
        assertThat(counts.get(20)).as("three hours ago: m-2").isEqualTo(1);
        assertThat(sales.doors().get(0).total()).as("m-3 is older than the period").isEqualTo(2);
        assertThat(all.doors()).extracting(d -> d.channel() + ":" + d.instance() + "=" + d.total())
                .containsExactly("api:demo=3", "email:mail=1");
        assertThat(store.volumes(Scope.departments(Set.of()), now, 24).doors()).isEmpty();
        assertThat(store.volumes(Scope.ALL, now, 1).doors()).extracting(DoorVolume::total).containsExactly(2L, 1L);
    }

    private void timer(long conversation, String department, Instant warnAt, Instant dueAt, String state)
            throws SQLException {
        try (Connection c = db.dataSource.getConnection(); PreparedStatement i = c.prepareStatement(
                "INSERT INTO sla_timer (conversation_id, kind, department_id, started_position, started_at, "
                        + "target_minutes, warn_at, due_at, step, state, fence) "
                        + "VALUES (?, 'first-response', ?, ?, ?, 15, ?, ?, 0, ?, 0)")) {
            i.setLong(1, conversation);
            i.setString(2, department);
            i.setLong(3, System.nanoTime());
            i.setTimestamp(4, Timestamp.from(warnAt.minusSeconds(600)));
            i.setTimestamp(5, Timestamp.from(warnAt));
            i.setTimestamp(6, Timestamp.from(dueAt));
            i.setString(7, state);
            i.executeUpdate();
        }
    }

    private void stored(String externalId, Instant at) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); PreparedStatement u = c.prepareStatement(
                "UPDATE message SET stored_at = ? WHERE external_id = ?")) {
            u.setTimestamp(1, Timestamp.from(at));
            u.setString(2, externalId);
            assertThat(u.executeUpdate()).isEqualTo(1);
        }
    }
}
