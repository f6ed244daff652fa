package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The department integrations' scenarios on the embedded default database (H2 under data/). */
class H2IntegrationIT extends IntegrationScenarios {
    @Override
    Database database() {
        return Database.h2();
    }
}
