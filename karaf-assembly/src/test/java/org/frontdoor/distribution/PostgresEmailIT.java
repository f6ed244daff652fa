package org.frontdoor.distribution;

/** The e-mail door's scenarios on PostgreSQL. */
class PostgresEmailIT extends EmailScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
