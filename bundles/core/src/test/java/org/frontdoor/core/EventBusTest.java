package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.ConversationEvent.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private final EventBus bus = new EventBus();

    @AfterEach
    void close() throws InterruptedException {
        bus.close();
    }

    private static ConversationEvent event(Type type, long conversation, String department) {
        return new ConversationEvent(type, conversation, "api", department, Instant.now(), null);
    }

    private static final class Recorder implements EventBus.Subscriber {
        final Predicate<ConversationEvent> filter;
        final List<ConversationEvent> got = new CopyOnWriteArrayList<>();
        final boolean fails;

        Recorder(Predicate<ConversationEvent> filter, boolean fails) {
            this.filter = filter;
            this.fails = fails;
        }

        @Override
        public boolean wants(ConversationEvent event) {
            return filter.test(event);
        }

        @Override
        public void deliver(ConversationEvent event) throws Exception {
            got.add(event);
            if (fails) {
                throw new IllegalStateException("department system down");
            }
        }
    }

    @Test
    void deliversInOrderWhatEachConsumerAsksForAndSurvivesAFailingConsumer() {
        Recorder all = new Recorder(EventBus.filter(null, null), false);
        Recorder broken = new Recorder(EventBus.filter(null, null), true);
        Recorder salesRouted = new Recorder(EventBus.filter(Type.ROUTED, "sales"), false);
        bus.subscribe(broken);
        bus.subscribe(all);
        bus.subscribe(salesRouted);

        List<ConversationEvent> events = List.of(event(Type.CREATED, 1, null), event(Type.ROUTED, 1, "sales"),
                event(Type.ROUTED, 2, "support"), event(Type.REPLIED, 1, "sales"), event(Type.ROUTED, 3, "sales"));
        bus.publish(events.subList(0, 3));
        bus.publish(events.subList(3, 5));

        await().untilAsserted(() -> assertThat(all.got).containsExactlyElementsOf(events));
        assertThat(broken.got).containsExactlyElementsOf(events);
        assertThat(salesRouted.got).extracting(ConversationEvent::conversationId).containsExactly(1L, 3L);

        bus.unsubscribe(all);
        bus.publish(List.of(event(Type.ROUTED, 4, "sales")));
        await().untilAsserted(() -> assertThat(salesRouted.got).hasSize(3));
        assertThat(all.got).hasSize(5);
    }
}
