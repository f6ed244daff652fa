package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.frontdoor.api.doorstate.DoorStates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A door instance's durable state, shared by the nodes of one database: two stores stand for two nodes. */
class DoorStateStoreTest extends StoreTest {

    @ParameterizedTest
    @MethodSource("databases")
    void aWriteNamesTheVersionItReadAndLosesToOneInBetween(String kind) throws SQLException {
        open(kind);
        DoorStates one = new DoorStateStore(db.dataSource);
        DoorStates two = new DoorStateStore(db.dataSource);
        assertThat(one.read("mastodon", "support", "newest")).isEmpty();

        assertThat(one.compareAndSet("mastodon", "support", "newest", 0, "100")).hasValue(1);
        assertThat(two.compareAndSet("mastodon", "support", "newest", 0, "90")).as("inserted by the other node")
                .isEmpty();
        assertThat(two.read("mastodon", "support", "newest")).hasValue(new DoorStates.Entry("100", 1));
        assertThat(two.compareAndSet("mastodon", "support", "newest", 1, "120")).hasValue(2);
        assertThat(one.compareAndSet("mastodon", "support", "newest", 1, "110")).as("read before the other wrote")
                .isEmpty();
        assertThat(one.read("mastodon", "support", "newest")).hasValue(new DoorStates.Entry("120", 2));
        // per door instance: another instance's key is its own
        assertThat(one.read("mastodon", "sales", "newest")).isEmpty();
        assertThat(one.read("x", "support", "newest")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void keysAndValuesOutOfBoundsAreRefusedAndNothingIsStored(String kind) throws SQLException {
        open(kind);
        DoorStates states = new DoorStateStore(db.dataSource);
        assertThatThrownBy(() -> states.compareAndSet("x", "main", "", 0, "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> states.compareAndSet("x", "main", "k".repeat(DoorStates.MAX_KEY + 1), 0, "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> states.compareAndSet("x", "main", "k", 0, "v".repeat(DoorStates.MAX_VALUE + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value");
        assertThatThrownBy(() -> states.compareAndSet("x", " ", "k", 0, "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance");
        assertThatThrownBy(() -> states.compareAndSet("x", "main", "k", -1, "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(scalar("SELECT COUNT(*) FROM door_state")).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesCountingTogetherLoseNoUpdate(String kind) throws Exception {
        open(kind);
        DoorStates one = new DoorStateStore(db.dataSource);
        DoorStates two = new DoorStateStore(db.dataSource);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                DoorStates node = t % 2 == 0 ? one : two;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        while (true) { // read, add one, write if nobody wrote in between
                            var seen = node.read("x", "main", "count");
                            long version = seen.map(DoorStates.Entry::version).orElse(0L);
                            long value = seen.map(e -> Long.parseLong(e.value())).orElse(0L);
                            OptionalLong written = node.compareAndSet("x", "main", "count", version,
                                    Long.toString(value + 1));
                            if (written.isPresent()) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(one.read("x", "main", "count")).hasValue(new DoorStates.Entry("100", 100));
    }
}
