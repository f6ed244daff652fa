package org.frontdoor.channel.mastodon;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.frontdoor.api.Channel;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.testkit.Configs;
import org.frontdoor.testkit.MastodonPeer;
import org.frontdoor.testkit.MemoryDoorStates;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Real {@link MastodonInstance}s for tests, and a stand-in for core's store that dedupes as core does. */
final class Instances {

    static final String FILE = "/opt/frontdoor/etc/" + MastodonInstance.FACTORY_PID + "-brand.cfg";

    private Instances() {
    }

    /** Core's store as the door sees it: each (instance, status id) kept once; a repeat is a duplicate. */
    static final class Store implements MastodonInstance.Ingest {
        final List<Message> calls = new CopyOnWriteArrayList<>();
        final Map<String, Message> kept = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        volatile RuntimeException failure;
        /** Core's door state: a new one is a new database. */
        volatile MemoryDoorStates states = new MemoryDoorStates();

        @Override
        public CompletableFuture<IngestReceipt> ingest(Message message) {
            calls.add(message);
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            boolean duplicate = kept.putIfAbsent(message.instance() + "/" + message.externalId(), message) != null;
            return CompletableFuture.completedFuture(new IngestReceipt(ids.incrementAndGet(), 1, 1, duplicate));
        }

        /** The kept messages' texts, in the order they were first kept. */
        List<String> texts() {
            return calls.stream().filter(m -> kept.get(m.instance() + "/" + m.externalId()) == m)
                    .map(Message::text).toList();
        }
    }

    static MastodonInstance instance(MastodonPeer peer, String token, Store store, Path data,
                                     Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(Map.of("baseUrl", peer.url(), "accessToken", token,
                "requestTimeoutSeconds", 5, "maxReconnectSeconds", 1));
        values.putAll(more);
        return new MastodonInstance(registeringOnly(), Configs.of(MastodonChannelConfig.class, values),
                Map.of("service.pid", MastodonInstance.FACTORY_PID + "~brand", "felix.fileinstall.filename", FILE),
                store, data, Clock.systemUTC(), store.states);
    }

    @SuppressWarnings("unchecked")
    static BundleContext registeringOnly() {
        return (BundleContext) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Channel.class) {
                        Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                        if (!"mastodon".equals(props.get(Channel.CHANNEL)) || props.get(Channel.INSTANCE) == null) {
                            throw new AssertionError("channel service properties missing: " + props);
                        }
                        return Proxy.newProxyInstance(Instances.class.getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
