package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The XMPP door's scenarios on PostgreSQL, configured through FRONTDOOR_DB_* as the README documents. */
class PostgresXmppIT extends XmppScenarios {
    @Override
    Database database() throws Exception {
        return Database.postgresql();
    }
}
