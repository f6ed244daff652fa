package org.frontdoor.channel.sms;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class SmsRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("sms", SmsInstance.FACTORY_PID, SmsRefusedInstance::new);
    }
}
