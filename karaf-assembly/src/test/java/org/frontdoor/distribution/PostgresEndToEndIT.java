package org.frontdoor.distribution;

import org.frontdoor.testkit.Distribution;
import org.frontdoor.testkit.Database;

import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The end-to-end scenarios on PostgreSQL, configured through FRONTDOOR_DB_* as the README documents. */
class PostgresEndToEndIT extends EndToEndScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }

    /**
     * Issue 21, on PostgreSQL only (the embedded H2 cannot be taken away from a running node): with the database gone
     * (no connection allowed, the open ones ended) the node is not ready, 503, and ready again once it is back.
     */
    @Test
    @Order(32)
    void withTheDatabaseGoneTheNodeIsNotReadyAndReadyAgainOnceItIsBack() throws Exception {
        Duration wait = Duration.ofMinutes(1);
        databaseInUse().cutOff();
        try {
            Distribution.Response down = await("not ready").atMost(wait).until(this::health, r -> r.status() == 503);
            assertThat(down.json().path("ready").asBoolean()).isFalse();
            assertThat(down.json().path("live").asBoolean()).isTrue();
            assertThat(down.json().path("core").asText()).isEqualTo("UP");
            assertThat(down.json().path("database").asText()).isEqualTo("DOWN");
            assertThat(down.header("Retry-After")).isEqualTo("10");
            assertThat(down.raw().body()).doesNotContain("jdbc").doesNotContain("5432");
        } finally {
            databaseInUse().restore();
        }
        await("ready again").atMost(wait).until(this::health, r -> r.status() == 200);
        assertThat(distribution().log()).contains("Readiness: the database").contains("answers again");
        assertThat(totalConversations()).as("the API works again").isPositive();
    }
}
