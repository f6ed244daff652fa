package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The e-mail door's scenarios on the embedded default database (H2 under data/). */
class H2EmailIT extends EmailScenarios {
    @Override
    Database database() {
        return Database.h2();
    }
}
