package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The web chat scenarios on the embedded default database (H2 under data/). */
class H2WebchatIT extends WebchatScenarios {
    @Override
    Database database() {
        return Database.h2();
    }
}
