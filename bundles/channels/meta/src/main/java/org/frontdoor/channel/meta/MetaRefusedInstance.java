package org.frontdoor.channel.meta;

import java.util.Map;

import org.frontdoor.plugin.camel.RefusedDoorComponent;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * For every cfg of this door (the same factory PID as its instances): when the door refuses the cfg outright (an
 * instance name it cannot take), a DOWN stand-in door whose reason names the file, the key and the fix, so that
 * {@code frontdoor:channel-list} and {@code GET /api/v1/channels} show it; it goes when the cfg is deleted or
 * changed. Nothing for a cfg the door takes.
 */
@Component(configurationPid = MetaInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public class MetaRefusedInstance extends RefusedDoorComponent {

    @Activate
    public MetaRefusedInstance(BundleContext context, Map<String, Object> properties) {
        super(context, MetaInstance.CHANNEL_ID, MetaInstance.FACTORY_PID, properties);
    }
}
