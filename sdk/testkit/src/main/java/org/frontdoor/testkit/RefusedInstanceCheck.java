package org.frontdoor.testkit;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCheck;
import org.frontdoor.api.ChannelHealth;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every door's "refused instance" component must do (a DS component on the door's factory PID that calls
 * plugin-support's {@code RefusedDoor.forConfiguration}): for a cfg refused for its file name, a DOWN stand-in
 * {@link Channel} named as the file names it, whose reason names the file, the key and the fix, and that goes when the
 * component is deactivated (the cfg deleted or changed); the same for a refused {@code instance} key; nothing for a cfg
 * the door takes. A door's test is one line:
 *
 * <pre>{@code
 * @Test
 * void aRefusedCfgShowsAsADownDoorUntilItGoes() {
 *     RefusedInstanceCheck.check("x", XInstance.FACTORY_PID, XRefusedInstance::new);
 * }
 * }</pre>
 */
public final class RefusedInstanceCheck {

    private static final String ETC = "/opt/frontdoor/etc/";

    /** Activates the component as DS does, with its bundle context and the cfg's properties. */
    @FunctionalInterface
    public interface Activation {
        Object activate(BundleContext context, Map<String, Object> properties);
    }

    private final List<Channel> registered = new ArrayList<>();
    private final List<Dictionary<String, ?>> properties = new ArrayList<>();

    private RefusedInstanceCheck() {
    }

    /**
     * @param channel    the door's channel id ({@code x})
     * @param factoryPid the door's instances' factory PID ({@code org.frontdoor.channel.x})
     * @param activation the component's activate constructor; its {@code deactivate()} is called as DS would
     */
    public static void check(String channel, String factoryPid, Activation activation) {
        refusedForItsFileName(channel, factoryPid, activation);
        refusedForItsInstanceKey(factoryPid, activation);
        takenGetsNoStandIn(factoryPid, activation);
    }

    private static void refusedForItsFileName(String channel, String factoryPid, Activation activation) {
        RefusedInstanceCheck check = new RefusedInstanceCheck();
        String file = ETC + factoryPid + "-Bad Name!.cfg";
        Object component = activation.activate(check.context(),
                Map.of("felix.fileinstall.filename", file, "service.pid", factoryPid + ".4711"));

        assertThat(check.registered).hasSize(1);
        Channel door = check.registered.get(0);
        assertThat(check.properties.get(0).get(Channel.CHANNEL)).isEqualTo(channel);
        assertThat(check.properties.get(0).get(Channel.INSTANCE)).isEqualTo("Bad Name!");
        assertThat(door.id()).isEqualTo(channel);
        assertThat(door.instance()).isEqualTo("Bad Name!");
        ChannelHealth health = door.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(health.reason())
                .startsWith("etc/" + factoryPid + "-Bad Name!.cfg refused")
                .contains("'Bad Name!'")
                .contains("rename the file or set 'instance' in it").hasSizeLessThan(200); // channel-list shows 200
        assertThat(((ChannelCheck) door).check().firstFailure().detail()).isEqualTo(health.reason());

        deactivate(component); // the cfg deleted or changed
        assertThat(check.registered).as("the stand-in goes with the cfg").isEmpty();
    }

    private static void refusedForItsInstanceKey(String factoryPid, Activation activation) {
        RefusedInstanceCheck check = new RefusedInstanceCheck();
        Object component = activation.activate(check.context(),
                Map.of("felix.fileinstall.filename", ETC + factoryPid + "-support.cfg", "instance", "sup port"));

        assertThat(check.registered).singleElement().satisfies(door -> {
            assertThat(door.instance()).isEqualTo("sup port");
            assertThat(door.health().reason())
                    .startsWith("etc/" + factoryPid + "-support.cfg refused: 'instance' = 'sup port'")
                    .endsWith("fix 'instance' in it");
        });
        deactivate(component);
        assertThat(check.registered).isEmpty();
    }

    private static void takenGetsNoStandIn(String factoryPid, Activation activation) {
        RefusedInstanceCheck check = new RefusedInstanceCheck();
        Object byFile = activation.activate(check.context(),
                Map.of("felix.fileinstall.filename", ETC + factoryPid + "-support.cfg"));
        Object byKey = activation.activate(check.context(),
                Map.of("felix.fileinstall.filename", ETC + factoryPid + "-Bad Name!.cfg", "instance", "support"));

        assertThat(check.registered).as("a cfg the door takes gets no stand-in").isEmpty();
        deactivate(byFile);
        deactivate(byKey);
    }

    /** {@code deactivate()} as DS calls it: whatever its visibility, declared on the component or inherited. */
    private static void deactivate(Object component) {
        for (Class<?> type = component.getClass(); type != null; type = type.getSuperclass()) {
            try {
                var method = type.getDeclaredMethod("deactivate");
                method.setAccessible(true);
                method.invoke(component);
                return;
            } catch (NoSuchMethodException inherited) {
                // look in the superclass, as DS does
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("deactivate() of " + component.getClass().getName() + " failed", e);
            }
        }
        throw new AssertionError(component.getClass().getName() + " has no deactivate()");
    }

    /** A BundleContext whose only working method is registerService(Class, S, Dictionary), unregistering too. */
    @SuppressWarnings("unchecked")
    private BundleContext context() {
        ClassLoader loader = RefusedInstanceCheck.class.getClassLoader();
        return (BundleContext) Proxy.newProxyInstance(loader, new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Channel.class) {
                        Channel channel = (Channel) args[1];
                        registered.add(channel);
                        properties.add((Dictionary<String, ?>) args[2]);
                        return Proxy.newProxyInstance(loader, new Class<?>[] {ServiceRegistration.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        int i = registered.indexOf(channel);
                                        registered.remove(i);
                                        properties.remove(i);
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
