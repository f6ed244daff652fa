package org.frontdoor.channel.mastodon;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class MastodonRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("mastodon", MastodonInstance.FACTORY_PID, MastodonRefusedInstance::new);
    }
}
