package org.frontdoor.channel.webchat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Customers;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Quotas;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.plugin.camel.DoorContext;
import org.frontdoor.plugin.camel.DoorInstances;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door's CamelContext: visitors' messages go {@code to("frontdoor:inbound")}; replies come
 * {@code from("frontdoor:outbound?channel=webchat")} and are pushed to the visitor's live connections on this node.
 * With several nodes, the node that delivers a reply is not always the one the visitor is connected to: each node
 * also follows the event log ({@code reply-sent}, {@code assigned}, {@code read}, {@code typing}) as a consumer
 * with {@code everyNode=true} (each node its own copy), and pushes the replies of the conversations whose visitors are connected to it (a reply pushed
 * already is not pushed twice), and tells them when an agent took their conversation, has read their messages, or is
 * typing.
 */
@Component(service = WebchatRuntime.class)
public class WebchatRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(WebchatRuntime.class);

    /** A typing event older than this when it is read is not shown. */
    static final long TYPING_FRESH_MILLIS = 6_000;

    private final DoorInstances<WebchatInstance> instances = new DoorInstances<>(WebchatInstance.class);
    private final LiveVisitors live = new LiveVisitors();
    private final DoorContext door;
    private final Inbox inbox;
    private final Chat chat;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frontdoor-webchat-gone-visitors");
        t.setDaemon(true);
        return t;
    });
    private final EmailContinuation continuation;

    @Activate
    public WebchatRuntime(BundleContext context,
                          @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                          @Reference(target = "(component=log)") ComponentResolver log,
                          @Reference Inbox inbox,
                          @Reference Customers customers,
                          @Reference Quotas quotas) throws Exception {
        this(new OsgiDefaultCamelContext(context), inbox, customers, quotas);
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    WebchatRuntime(CamelContext camel, Inbox inbox, Customers customers, Quotas quotas) throws Exception {
        this.inbox = inbox;
        this.chat = new Chat(instances::get, this::ingest, () -> this.inbox, () -> customers, () -> quotas, live);
        this.continuation = new EmailContinuation(live, () -> this.inbox, () -> customers, timer,
                System::currentTimeMillis);
        // every node follows the log for the visitors connected to it: a consumer of its own on each node
        String consumer = "channel-webchat";
        door = DoorContext.of(camel, WebchatInstance.CHANNEL_ID)
                .routes(routes -> routes.from(Frontdoor.events(consumer) + "&everyNode=true&types="
                                + ConversationEvent.Type.REPLY_SENT.id() + ","
                                + ConversationEvent.Type.ASSIGNED.id() + "," + ConversationEvent.Type.READ.id() + ","
                                + ConversationEvent.Type.TYPING.id())
                        .routeId("channel-webchat-follow")
                        .process(e -> follow(e.getMessage().getBody(ConversationEvent.class))))
                .start(this::deliver);
        LOG.info("Web chat started (events consumer {} on every node)", consumer);
    }

    /**
     * A reply is delivered once it is pushed to the visitor's connections on this node, or kept for the visitor's
     * next visit (the history shows sent replies): either way the door took it.
     */
    void deliver(OutboundReply reply) throws ReplyRefusedException {
        WebchatInstance instance = instances.require(reply.instance(),
                () -> "web chat instance " + reply.instance() + " is not configured on this node");
        String visitorId = reply.threadRef();
        if (visitorId == null || visitorId.isBlank()) {
            throw new ReplyRefusedException("this web chat conversation has no visitor to answer");
        }
        String key = LiveVisitors.key(instance.instance(), visitorId);
        live.push(key, reply.replyId(), reply.seq(), Chat.replyFrame(reply));
        continuation.delivered(instance, reply, key);
    }

    /**
     * Where the message a read mark names stands in its conversation (seq), so the widget shows "Seen" up to that place
     * and never under a message written later with a smaller id; 0 when it cannot be read now (the widget then goes
     * by the message's row).
     */
    private long readSeq(ConversationEvent event) {
        try {
            return inbox.conversation(Caller.system("channel-webchat-" + event.instance()), event.conversationId())
                    .map(d -> Chat.seqOfMessage(d, event.itemId())).orElse(0L);
        } catch (RuntimeException e) {
            LOG.debug("A read mark's place could not be read now: {}", e.toString());
            return 0;
        }
    }

    /** A reply sent by any node: pushed if its visitor is connected here and has not had it yet. */
    void follow(ConversationEvent event) {
        if (event == null || !WebchatInstance.CHANNEL_ID.equals(event.channel())) {
            return;
        }
        String key = live.visitorOf(event.conversationId());
        if (key == null) {
            return;
        }
        if (event.type() == ConversationEvent.Type.ASSIGNED) {
            // the visitor learns that someone took their conversation, not who
            live.notice(key, Chat.JSON.createObjectNode().put("type", "status").put("code", "assigned")
                    .put("text", "An agent has joined the conversation.").toString());
            return;
        }
        if (event.type() == ConversationEvent.Type.READ) {
            // the visitor's messages up to this one show "Seen"; never who read them
            live.notice(key, Chat.readFrame(event.itemId(), readSeq(event)).toString());
            return;
        }
        if (event.type() == ConversationEvent.Type.TYPING) {
            // an event read late (this node was catching up) says nothing about now
            if (Duration.between(event.at(), Instant.now()).toMillis() < TYPING_FRESH_MILLIS) {
                live.notice(key, Chat.JSON.createObjectNode().put("type", "typing")
                        .put("text", "An agent is typing…").toString());
            }
            return;
        }
        try {
            ConversationDetail detail = inbox.conversation(Caller.system("channel-webchat-" + event.instance()),
                    event.conversationId()).orElse(null);
            if (detail == null || !key.equals(LiveVisitors.key(event.instance(), detail.summary().threadRef()))) {
                return;
            }
            for (ReplyView r : detail.replies()) {
                if (r.id() == event.itemId() && Chat.shown(r)) {
                    org.frontdoor.api.Identity nobody = org.frontdoor.api.Identity.of(WebchatInstance.CHANNEL_ID, "-");
                    live.push(key, r.id(), r.seq(), Chat.replyFrame(new OutboundReply(r.id(), r.conversationId(),
                            WebchatInstance.CHANNEL_ID, event.instance(), nobody, null, null, r.visibility(),
                            r.text(), r.author(), r.createdAt(), 1, r.seq())));
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("A sent reply could not be read for its visitor now: {}", e.toString());
        }
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + WebchatInstance.CHANNEL_ID + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeInstance")
    void addInstance(Channel channel) {
        instances.add(channel);
    }

    void removeInstance(Channel channel) {
        instances.remove(channel);
    }

    @Deactivate
    void deactivate() throws Exception {
        timer.shutdownNow();
        door.stop();
        LOG.info("Web chat stopped");
    }

    Chat chat() {
        return chat;
    }

    /** Sends a message to core without waiting; completes once it is committed, or with core's exception. */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }
}
