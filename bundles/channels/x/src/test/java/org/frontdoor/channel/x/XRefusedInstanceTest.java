package org.frontdoor.channel.x;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class XRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("x", XInstance.FACTORY_PID, XRefusedInstance::new);
    }
}
