package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The end-to-end scenarios on PostgreSQL, configured through FRONTDOOR_DB_* as the README documents. */
class PostgresEndToEndIT extends EndToEndScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
