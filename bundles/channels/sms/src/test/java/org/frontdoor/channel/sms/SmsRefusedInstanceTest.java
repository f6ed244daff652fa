package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelHealth;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class SmsRefusedInstanceTest {

    private final List<Channel> registered = new ArrayList<>();

    @Test
    void aCfgRefusedForItsFileNameShowsAsADownDoorUntilItGoes() {
        SmsRefusedInstance component = new SmsRefusedInstance(context(),
                Map.of("felix.fileinstall.filename", "/opt/frontdoor/etc/org.frontdoor.channel.sms-Bad Name!.cfg"));
        assertThat(registered).singleElement().satisfies(door -> {
            assertThat(door.id()).isEqualTo("sms");
            assertThat(door.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
            assertThat(door.health().reason()).startsWith("etc/org.frontdoor.channel.sms-Bad Name!.cfg refused");
        });
        component.deactivate();
        assertThat(registered).isEmpty();
    }

    @Test
    void aCfgTheDoorTakesGetsNoStandIn() {
        SmsRefusedInstance ok = new SmsRefusedInstance(context(),
                Map.of("felix.fileinstall.filename", "/opt/frontdoor/etc/org.frontdoor.channel.sms-support.cfg"));
        assertThat(ok.door()).isEmpty();
        assertThat(registered).isEmpty();
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        Channel channel = (Channel) args[1];
                        @SuppressWarnings("unchecked")
                        Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                        assertThat(props.get(Channel.CHANNEL)).isEqualTo("sms");
                        registered.add(channel);
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        registered.remove(channel);
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
