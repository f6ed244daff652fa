package org.frontdoor.distribution;

import org.frontdoor.testkit.Database;

/** The XMPP door's scenarios on the embedded default database (H2 under data/). */
class H2XmppIT extends XmppScenarios {
    @Override
    Database database() {
        return Database.h2();
    }
}
