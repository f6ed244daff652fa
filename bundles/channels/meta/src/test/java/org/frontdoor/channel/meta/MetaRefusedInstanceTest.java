package org.frontdoor.channel.meta;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class MetaRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("meta", MetaInstance.FACTORY_PID, MetaRefusedInstance::new);
    }
}
