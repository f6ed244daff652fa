package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The e-mail door's scenarios on PostgreSQL. */
class PostgresEmailIT extends EmailScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
