package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

import org.frontdoor.api.accounts.BrowserSessions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Browser sessions shared by the nodes of one database: two stores stand for two nodes. */
class BrowserSessionStoreTest extends StoreTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @ParameterizedTest
    @MethodSource("databases")
    void aSessionMadeOnOneNodeIsKnownOnTheOtherAndEndsForBoth(String kind) throws SQLException {
        open(kind);
        BrowserSessions one = new BrowserSessionStore(db.dataSource);
        BrowserSessions two = new BrowserSessionStore(db.dataSource);

        one.create(A, "jane", Set.of("agent", "supervisor"), T0);
        assertThat(two.find(A)).hasValueSatisfying(s -> {
            assertThat(s.user()).isEqualTo("jane");
            assertThat(s.roles()).containsExactlyInAnyOrder("agent", "supervisor");
            assertThat(s.lastUsed()).isEqualTo(T0);
        });
        assertThat(two.find(B)).isEmpty();
        assertThat(two.find("not a hash")).isEmpty();

        two.end(A);
        assertThat(one.find(A)).isEmpty();
        assertThat(scalar("SELECT COUNT(*) FROM browser_session")).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aUseOnlyMovesTheLastUseForwardAndIdleOnesEnd(String kind) throws SQLException {
        open(kind);
        BrowserSessions one = new BrowserSessionStore(db.dataSource);
        BrowserSessions two = new BrowserSessionStore(db.dataSource);
        one.create(A, "jane", Set.of("agent"), T0);
        one.create(B, "joe", Set.of("agent"), T0);

        one.touch(A, T0.plusSeconds(600));
        two.touch(A, T0.plusSeconds(300)); // a slower node's earlier use arriving later
        assertThat(one.find(A).orElseThrow().lastUsed()).isEqualTo(T0.plusSeconds(600));

        assertThat(two.endIdleSince(T0.plusSeconds(60))).isEqualTo(1);
        assertThat(one.find(B)).isEmpty();
        assertThat(one.find(A)).isPresent();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aChangedUserLosesEverySessionOnEveryNodeAndOnlyHashesAreStored(String kind) throws SQLException {
        open(kind);
        BrowserSessions one = new BrowserSessionStore(db.dataSource);
        one.create(A, "jane", Set.of("agent"), T0);
        one.create(B, "jane", Set.of("agent"), T0);
        one.create("c".repeat(64), "joe", Set.of("admin"), T0);

        assertThat(new BrowserSessionStore(db.dataSource).endAllOf("jane")).isEqualTo(2);
        assertThat(one.find(A)).isEmpty();
        assertThat(one.find("c".repeat(64))).isPresent();
        assertThatThrownBy(() -> one.create("my-session-id", "jane", Set.of("agent"), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> one.create(A, "jane smith", Set.of("agent"), T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
