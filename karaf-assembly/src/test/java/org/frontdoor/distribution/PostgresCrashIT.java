package org.frontdoor.distribution;

/** The crash scenario on PostgreSQL. */
class PostgresCrashIT extends CrashScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
