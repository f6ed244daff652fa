package org.frontdoor.channel.sms;

import java.util.Map;
import java.util.Optional;

import org.frontdoor.plugin.camel.RefusedDoor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * For every cfg of this door: when the door refuses the cfg outright (an instance name it cannot take), a DOWN
 * stand-in door whose reason names the file, the key and the fix; nothing for a cfg the door takes.
 */
@Component(configurationPid = SmsInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public class SmsRefusedInstance {

    private final Optional<RefusedDoor> door;

    @Activate
    public SmsRefusedInstance(BundleContext context, Map<String, Object> properties) {
        this.door = RefusedDoor.forConfiguration(context, SmsInstance.CHANNEL_ID, SmsInstance.FACTORY_PID,
                properties);
    }

    @Deactivate
    void deactivate() {
        door.ifPresent(RefusedDoor::close);
    }

    Optional<RefusedDoor> door() {
        return door;
    }
}
