package org.frontdoor.channel.email;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class EmailRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("email", EmailInstance.FACTORY_PID, EmailRefusedInstance::new);
    }
}
