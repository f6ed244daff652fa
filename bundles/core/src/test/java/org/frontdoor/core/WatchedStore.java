package org.frontdoor.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.frontdoor.api.Message;
import org.frontdoor.store.IngestStore;

/**
 * A real store seen through a window: records every ingest call and its outcome, can hold the next ingest until
 * released (so messages submitted meanwhile queue up into one group), and can make chosen messages throw.
 */
final class WatchedStore {

    /** One ingest call: the external ids of its group, and whether it committed. */
    record Attempt(List<String> externalIds, boolean committed) {
    }

    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    /** The threads that called ingest. */
    final Set<String> writers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean holdNext = new AtomicBoolean();
    private volatile CountDownLatch holding = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile Predicate<Message> poison = m -> false;
    private volatile Throwable poisonError;
    final IngestStore store;

    WatchedStore(IngestStore real) {
        this.store = (IngestStore) Proxy.newProxyInstance(IngestStore.class.getClassLoader(), new Class<?>[] {IngestStore.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("ingest")) {
                        return invoke(real, method, args);
                    }
                    @SuppressWarnings("unchecked")
                    List<Message> group = (List<Message>) args[0];
                    writers.add(Thread.currentThread().getName());
                    if (holdNext.compareAndSet(true, false)) {
                        holding.countDown();
                        release.await();
                    }
                    List<String> ids = group.stream().map(Message::externalId).toList();
                    try {
                        if (group.stream().anyMatch(poison)) {
                            throw poisonError;
                        }
                        Object result = invoke(real, method, args);
                        attempts.add(new Attempt(ids, true));
                        return result;
                    } catch (RuntimeException | Error e) {
                        attempts.add(new Attempt(ids, false));
                        throw e;
                    }
                });
    }

    private static Object invoke(IngestStore real, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The next ingest call waits in the store until {@link #release()}. */
    void holdNextIngest() {
        holding = new CountDownLatch(1);
        release = new CountDownLatch(1);
        holdNext.set(true);
    }

    boolean isHolding() {
        return holding.getCount() == 0 && release.getCount() > 0;
    }

    void release() {
        release.countDown();
    }

    /**
     * Groups holding a message that matches throw this error (as a store bundle being refreshed may) or exception (as
     * an unreachable database does).
     */
    void poison(Predicate<Message> which, Throwable error) {
        this.poisonError = error;
        this.poison = which;
    }
}
