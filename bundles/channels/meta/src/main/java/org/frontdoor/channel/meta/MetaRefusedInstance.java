package org.frontdoor.channel.meta;

import java.util.Map;
import java.util.Optional;

import org.frontdoor.plugin.camel.RefusedDoor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * For every cfg of this door (the same factory PID as its instances): when the door refuses the cfg outright (an
 * instance name it cannot take), a DOWN stand-in door whose reason names the file, the key and the fix, so that
 * {@code frontdoor:channel-list} and {@code GET /api/v1/channels} show it; it goes when the cfg is deleted or
 * changed. Nothing for a cfg the door takes.
 */
@Component(configurationPid = MetaInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public class MetaRefusedInstance {

    private final Optional<RefusedDoor> door;

    @Activate
    public MetaRefusedInstance(BundleContext context, Map<String, Object> properties) {
        this.door = RefusedDoor.forConfiguration(context,
                MetaInstance.CHANNEL_ID, MetaInstance.FACTORY_PID, properties);
    }

    @Deactivate
    void deactivate() {
        door.ifPresent(RefusedDoor::close);
    }

    /** The stand-in, when this cfg is refused. */
    Optional<RefusedDoor> door() {
        return door;
    }
}
