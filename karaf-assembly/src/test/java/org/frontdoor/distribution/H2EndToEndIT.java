package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The end-to-end scenarios on the embedded default database (H2 under data/). */
class H2EndToEndIT extends EndToEndScenarios {
    @Override
    Database database() {
        return Database.h2();
    }
}
