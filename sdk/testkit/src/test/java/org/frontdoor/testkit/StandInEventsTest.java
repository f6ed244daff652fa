package org.frontdoor.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StandInEventsTest {

    @Test
    void feedsMatchingEventsInOrderOnceEachAgainAfterAFailureAndKeepsPositionsAcrossContexts() throws Exception {
        StandInEvents events = new StandInEvents();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        RouteBuilder route = new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("frontdoor:events?consumer=acme&types=routed&department=sales").process(e -> {
                    ConversationEvent event = e.getMessage().getBody(ConversationEvent.class);
                    seen.add(event.conversationId() + "@" + e.getMessage().getHeader(Frontdoor.HEADER_EVENT_POSITION));
                    if (event.conversationId() == 2 && failOnce.getAndSet(false)) {
                        throw new IllegalStateException("vendor down");
                    }
                });
            }
        };
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent(Frontdoor.SCHEME, events);
            camel.addRoutes(route);
            camel.start();
            events.append(ConversationEvent.Type.ROUTED, 1, "sales", null, "hi");
            events.append(ConversationEvent.Type.RESOLVED, 1, "sales", null, null);
            events.append(ConversationEvent.Type.ROUTED, 9, "billing", null, null);
            events.append(ConversationEvent.Type.ROUTED, 2, "sales", null, null);
            await().until(() -> events.position("acme") == 4);
            assertThat(seen).containsExactly("1@1", "2@4", "2@4");
            assertThat(events.lastError("acme")).isNull();
        }
        // a reinstall: a new context, the same positions
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent(Frontdoor.SCHEME, events);
            camel.addRoutes(route);
            camel.start();
            events.append(ConversationEvent.Type.ROUTED, 3, "sales", null, null);
            await().until(() -> events.position("acme") == 5);
            assertThat(seen).containsExactly("1@1", "2@4", "2@4", "3@5");
            assertThat(events.events()).hasSize(5);
        }
    }
}
