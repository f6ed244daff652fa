package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The web chat scenarios on PostgreSQL. */
class PostgresWebchatIT extends WebchatScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
