package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The crash scenario on PostgreSQL. */
class PostgresCrashIT extends CrashScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
