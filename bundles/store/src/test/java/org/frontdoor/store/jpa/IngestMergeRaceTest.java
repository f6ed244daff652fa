package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.StoreCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ingest racing a merge and its unmerge: each message ends with its author's customer. On main, ingest read the
 * author's customer without a lock and a merge moved only what had committed when it ran: 300 races of ingest against
 * linkVerified's merge left 143 messages on PostgreSQL under a customer merged away (the probe).
 */
class IngestMergeRaceTest extends StoreTest {

    private static final int RACES = 300;

    @ParameterizedTest
    @MethodSource("databases")
    void everyMessageEndsWithItsAuthorsCustomer(String kind) throws Exception {
        open(kind);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int r = 0; r < RACES; r++) {
                int race = r;
                Identity mail = Identity.of("email", "owner-" + race + "@example.com");
                Identity visitor = Identity.of("webchat", "shop:v-" + race);
                long owner = ingest(Message.inbound("email", "support").externalId("m-" + race).author(mail)
                        .text("order " + race).build()).get(0).receipt().customerId();
                long guest = ingest(chat(visitor, race, 0)).get(0).receipt().customerId();
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<CustomerMerge> merging = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return retrying(() -> store.merge(Scope.ALL, guest, owner, "agent"));
                }, pool);
                CompletableFuture<Object> writing = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return retrying(() -> ingest(chat(visitor, race, 1), chat(visitor, race, 2)));
                }, pool);
                CustomerMerge merge = merging.join();
                writing.join();
                if (race % 2 == 0) {
                    // and the way back, racing more messages
                    CyclicBarrier back = new CyclicBarrier(2);
                    CompletableFuture<CustomerMerge> unmerging = CompletableFuture.supplyAsync(() -> {
                        await(back);
                        return retrying(() -> store.unmerge(Scope.ALL, merge.id(), "agent"));
                    }, pool);
                    CompletableFuture<Object> more = CompletableFuture.supplyAsync(() -> {
                        await(back);
                        return retrying(() -> ingest(chat(visitor, race, 3)));
                    }, pool);
                    unmerging.join();
                    more.join();
                    assertThat(scalar("SELECT COUNT(*) FROM message WHERE customer_id = " + guest))
                            .as("race " + race + ": every chat message back with the visitor").isEqualTo(4);
                } else {
                    assertThat(scalar("SELECT COUNT(*) FROM message WHERE customer_id = " + guest))
                            .as("race " + race + ": nothing left with the customer merged away").isZero();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        StoreCheck check = store.storeCheck();
        assertThat(check.messagesNotWithTheirAuthor()).as("messages not with their author's customer: "
                + check.examples()).isZero();
        assertThat(check.consistent()).isTrue();
        assertThat(count("message")).isEqualTo(RACES * 4L + RACES / 2);
    }

    private static Message chat(Identity visitor, int race, int n) {
        return Message.inbound("webchat", "shop").externalId("v-" + race + ":" + n).author(visitor)
                .threadRef("v-" + race).text("chat " + n).build();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
