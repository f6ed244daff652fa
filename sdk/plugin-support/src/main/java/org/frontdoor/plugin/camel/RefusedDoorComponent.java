package org.frontdoor.plugin.camel;

import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;

/**
 * What a door's "refused instance" DS component does, so that the door's own class is its annotations and a
 * constructor: a {@link RefusedDoor} for a cfg the door refuses, closed when the cfg is deleted or changed.
 *
 * <pre>{@code
 * @Component(configurationPid = XInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
 *         service = {}, immediate = true)
 * public class XRefusedInstance extends RefusedDoorComponent {
 *     @Activate
 *     public XRefusedInstance(BundleContext context, Map<String, Object> properties) {
 *         super(context, XInstance.CHANNEL_ID, XInstance.FACTORY_PID, properties);
 *     }
 * }
 * }</pre>
 */
public abstract class RefusedDoorComponent {

    private final Optional<RefusedDoor> door;

    protected RefusedDoorComponent(BundleContext context, String channel, String factoryPid,
                                   Map<String, ?> properties) {
        this.door = RefusedDoor.forConfiguration(context, channel, factoryPid, properties);
    }

    /**
     * DS's default deactivate method (DS looks for {@code deactivate} in superclasses too, a public one in any
     * package): the cfg was deleted or changed, its stand-in goes.
     */
    public void deactivate() {
        door.ifPresent(RefusedDoor::close);
    }

    /** The stand-in, when this cfg is refused. */
    public Optional<RefusedDoor> door() {
        return door;
    }
}
