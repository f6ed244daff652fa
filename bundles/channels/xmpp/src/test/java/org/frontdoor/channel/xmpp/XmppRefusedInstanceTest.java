package org.frontdoor.channel.xmpp;

import org.frontdoor.testkit.RefusedInstanceCheck;
import org.junit.jupiter.api.Test;

class XmppRefusedInstanceTest {

    @Test
    void aRefusedCfgShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoesAndATakenOneGetsNone() {
        RefusedInstanceCheck.check("xmpp", XmppInstance.FACTORY_PID, XmppRefusedInstance::new);
    }
}
