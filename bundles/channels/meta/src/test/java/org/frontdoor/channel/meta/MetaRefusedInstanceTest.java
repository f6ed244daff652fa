package org.frontdoor.channel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCheck;
import org.frontdoor.api.ChannelHealth;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class MetaRefusedInstanceTest {

    private static final String ETC = "/opt/frontdoor/etc/";

    /** The Channel services registered through the context, as long as they are registered. */
    private final List<Channel> registered = new ArrayList<>();
    private final List<Dictionary<String, ?>> properties = new ArrayList<>();

    @Test
    void aCfgRefusedForItsFileNameShowsAsADownDoorNamingTheFileTheKeyAndTheFixUntilItGoes() {
        String file = ETC + "org.frontdoor.channel.meta-Bad Name!.cfg";
        MetaRefusedInstance component = new MetaRefusedInstance(context(),
                Map.of("felix.fileinstall.filename", file,
                        "service.pid", "org.frontdoor.channel.meta.4711"));

        assertThat(registered).hasSize(1);
        Channel door = registered.get(0);
        assertThat(properties.get(0).get(Channel.CHANNEL)).isEqualTo("meta");
        assertThat(properties.get(0).get(Channel.INSTANCE)).isEqualTo("Bad Name!");
        assertThat(door.id()).isEqualTo("meta");
        assertThat(door.instance()).isEqualTo("Bad Name!");
        ChannelHealth health = door.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(health.reason())
                .startsWith("etc/org.frontdoor.channel.meta-Bad Name!.cfg refused")
                .contains("'Bad Name!'")
                .contains("rename the file or set 'instance' in it").hasSizeLessThan(200); // channel-list shows 200
        assertThat(((ChannelCheck) door).check().firstFailure().detail()).isEqualTo(health.reason());

        component.deactivate(); // the cfg deleted or changed
        assertThat(registered).isEmpty();
    }

    @Test
    void aRefusedInstanceKeyIsNamedWithTheFix() {
        String file = ETC + "org.frontdoor.channel.meta-support.cfg";
        new MetaRefusedInstance(context(),
                Map.of("felix.fileinstall.filename", file, "instance", "sup port"));

        assertThat(registered).singleElement().satisfies(door -> {
            assertThat(door.instance()).isEqualTo("sup port");
            assertThat(door.health().reason())
                    .startsWith("etc/org.frontdoor.channel.meta-support.cfg refused: 'instance' = 'sup port'")
                    .endsWith("fix 'instance' in it");
        });
    }

    @Test
    void aCfgTheDoorTakesGetsNoStandIn() {
        MetaRefusedInstance byFile = new MetaRefusedInstance(context(),
                Map.of("felix.fileinstall.filename", ETC + "org.frontdoor.channel.meta-support.cfg"));
        MetaRefusedInstance byKey = new MetaRefusedInstance(context(),
                Map.of("felix.fileinstall.filename", ETC + "org.frontdoor.channel.meta-Bad Name!.cfg",
                        "instance", "support"));

        assertThat(registered).isEmpty();
        assertThat(byFile.door()).isEmpty();
        assertThat(byKey.door()).isEmpty();
        byFile.deactivate();
        byKey.deactivate();
    }

    /** A BundleContext whose only working method is registerService(Class, S, Dictionary), unregistering too. */
    @SuppressWarnings("unchecked")
    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Channel.class) {
                        Channel channel = (Channel) args[1];
                        registered.add(channel);
                        properties.add((Dictionary<String, ?>) args[2]);
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
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
