package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The web chat continued by e-mail on the embedded default database (H2 under data/). */
class H2WebchatByEmailIT extends WebchatByEmailScenarios {
    @Override
    Database database() {
        return Database.h2();
    }
}
