package org.frontdoor.core;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.ChannelInstance;
import org.frontdoor.store.Store;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The agents' inbox over the store; replies are checked against their channel's limits, then queued. */
@Component(service = Inbox.class)
public class InboxService implements Inbox {

    private final Store store;
    private final Outbox outbox;
    private final EventBus events;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<Channel> channels = new CopyOnWriteArrayList<>();

    @Activate
    public InboxService(@Reference Store store, @Reference Pipeline pipeline) {
        this(store, pipeline.outbox(), pipeline.events());
    }

    /** Without the pipeline's CamelContext, which needs an OSGi framework (tests). */
    InboxService(Store store, Outbox outbox, EventBus events) {
        this.store = store;
        this.outbox = outbox;
        this.events = events;
    }

    @Override
    public Page<ConversationSummary> conversations(ConversationQuery query) {
        return store.conversations(query);
    }

    @Override
    public Optional<ConversationDetail> conversation(long id) {
        return store.conversation(id);
    }

    @Override
    public ReplyView reply(long conversationId, String text, String agent) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("reply text is empty");
        }
        ChannelInstance door = store.channelOf(conversationId).orElseThrow(
                () -> new NoSuchElementException("conversation " + conversationId + " does not exist"));
        channels.stream().filter(c -> c.id().equals(door.channel()) && c.instance().equals(door.instance()))
                .findFirst().ifPresent(c -> checkFits(text, c));
        ReplyView reply = store.queueReply(conversationId, text, agent);
        outbox.wakeUp();
        events.publish(List.of(new ConversationEvent(ConversationEvent.Type.REPLIED, conversationId,
                door.channel(), null, Instant.now(), "by " + agent)));
        return reply;
    }

    private static void checkFits(String text, Channel channel) {
        ChannelCapabilities caps = channel.capabilities();
        int length = text.codePointCount(0, text.length());
        if (caps.maxLength() > 0 && !caps.segmentation() && length > caps.maxLength()) {
            throw new IllegalArgumentException("reply is " + length + " characters, " + channel.id() + " takes at most "
                    + caps.maxLength());
        }
    }

    @Override
    public Optional<CustomerView> customer(long id) {
        return store.customer(id);
    }
}
