package org.frontdoor.channel.webchat;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class WebchatRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("webchat", WebchatInstance.FACTORY_PID, WebchatRefusedInstance::new);
    }
}
