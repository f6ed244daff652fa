package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The web chat continued by e-mail on PostgreSQL. */
class PostgresWebchatByEmailIT extends WebchatByEmailScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
