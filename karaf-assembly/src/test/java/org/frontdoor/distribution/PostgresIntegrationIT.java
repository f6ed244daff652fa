package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The department integrations' scenarios on PostgreSQL. */
class PostgresIntegrationIT extends IntegrationScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
