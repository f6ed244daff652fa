package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.store.EventLogBusyException;
import org.frontdoor.store.IngestLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The event log's counter row has a wait of its own: a writer that cannot pass it is told the log is busy, never that a
 * conversation is held. Seen on main: the counter's lock timeout was the ingest's 2 s conversation wait, read as "some
 * row of the group is held", stored again skipping held rows, and the whole group refused as if a conversation were held.
 */
class EventLogCounterTest extends StoreTest {

    private static final IngestLimits SHORT_WAIT = new IngestLimits(30_000, 500);
    /** The counter's own wait, longer than the ingest's conversation wait as in production (10 s), not waited out twice. */
    private static final long COUNTER_WAIT_MILLIS = 2_000;

    @ParameterizedTest
    @MethodSource("databases")
    void aHeldCounterIsABusyEventLogWithItsOwnWaitNotAHeldConversation(String kind) throws Exception {
        open(kind);
        store.eventLogLockWait(COUNTER_WAIT_MILLIS);
        long conversation = conversationOf(message("seed", "alice", null, "hi"));
        try (Connection holder = db.dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT position FROM event_log_head WHERE id = 1 FOR UPDATE").close();
            }
            assertThatThrownBy(() -> store.ingest(List.of(message("m1", "bob", null, "hello")), SHORT_WAIT))
                    .isInstanceOf(EventLogBusyException.class)
                    .hasMessageContaining("event log's counter")
                    .hasMessageNotContaining("held by another transaction");
            assertThatThrownBy(() -> store.queueReply(Scope.ALL, conversation, "reply", Visibility.PUBLIC, "jane"))
                    .isInstanceOf(EventLogBusyException.class);
            holder.rollback();
        }
        // nothing was written meanwhile, and the log takes writers again at once
        assertThat(store.ingest(List.of(message("m1", "bob", null, "hello")), SHORT_WAIT).get(0).receipt())
                .isNotNull();
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM message")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
    }
}
