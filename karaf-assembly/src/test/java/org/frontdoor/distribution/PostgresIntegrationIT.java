package org.frontdoor.distribution;

/** The department integrations' scenarios on PostgreSQL. */
class PostgresIntegrationIT extends IntegrationScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
