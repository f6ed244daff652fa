package org.frontdoor.distribution;

/** The web chat continued by e-mail on PostgreSQL. */
class PostgresWebchatByEmailIT extends WebchatByEmailScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
