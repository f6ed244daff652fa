package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The crash scenario on the embedded default database (H2 under data/). */
class H2CrashIT extends CrashScenarios {
    @Override
    Database database() {
        return Database.h2();
    }
}
