package org.frontdoor.channel.telegram;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class TelegramRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("telegram", TelegramInstance.FACTORY_PID, TelegramRefusedInstance::new);
    }
}
