package org.frontdoor.channel.webchat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.api.Annotation;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Customers;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ProofChallenge;
import org.frontdoor.api.ProofLimits;
import org.frontdoor.api.ProofOutcome;
import org.frontdoor.api.Quotas;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the widget and the door say to each other, the same over WebSocket and over the HTTP fallback: JSON frames.
 *
 * <pre>
 * widget -> door   {"type":"hello","token":"...","conversation":12}      token and conversation may be absent
 *                  {"type":"send","id":"<client message id>","text":"...","name":"...","email":"..."}
 * door -> widget   {"type":"welcome","token":"...","conversation":12,"items":[...],"title":"...","maxChars":4000}
 *                  {"type":"ack","id":"...","conversation":12,"duplicate":false}      stored: shown as sent
 *                  {"type":"retry","id":"...","reason":"..."}                         not stored now: send again later
 *                  {"type":"refused","id":"...","code":"...","reason":"..."}          never stored (id absent: whole chat)
 *                  {"type":"item","item":{"id":"r34","from":"agent","text":"...","at":"...","seq":5}}
 *                  {"type":"status","code":"assigned","text":"..."}            an agent took the conversation
 *                  {"type":"read","upTo":"m12","seq":4}                       agents read the visitor's messages to m12
 *                  {"type":"typing","text":"..."}                             an agent is writing (shown for a few s)
 * the welcome frame has "readUpTo":"m12" (and "readUpToSeq":4) once agents have read something. An item's seq is its
 * place in the conversation in commit order (ids are not: nodes take them in blocks); the HTTP fallback's poll asks
 * for the replies after the last it has by that place ({"type":"poll","afterSeq":5}; the former {"after":<reply id>}
 * is still taken). Over the HTTP fallback a poll answers
 * {"type":"items","items":[...],"frames":[...]}: the items, and the other frames (status, read, typing) in order.
 * confirming a claimed e-mail address (when the instance has confirmVia):
 * widget -> door   {"type":"confirm-start","email":"...","conversation":12}   a code goes out by e-mail
 * door -> widget   {"type":"confirm-sent","challenge":"...","minutes":15}      a random id: says nothing of the code
 * widget -> door   {"type":"confirm","challenge":"...","code":"123456"}        checked in core; 5 wrong codes lock it
 * door -> widget   {"type":"confirmed","email":"...","linked":true}            the address is the visitor's customer's
 *                  {"type":"confirmed","email":"...","linked":false,"text":"..."}   another customer has it: agents decide
 * </pre>
 *
 * Items are {@code m<message id>} (the visitor's) and {@code r<reply id>} (an agent's, once sent); the widget keeps each
 * id once, so a history sent again after a reconnect shows nothing twice.
 */
final class Chat {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Chat.class);
    private static final int MAX_NAME = 100;
    private static final int MAX_EMAIL = 254;

    /** A verified visitor of one instance. */
    record Visitor(WebchatInstance instance, String visitorId) {
        String key() {
            return LiveVisitors.key(instance.instance(), visitorId);
        }

        String handle() {
            return instance.instance() + ":" + visitorId;
        }
    }

    /** The outcome of a hello: the welcome frame and the visitor, or a refusal frame (visitor null). */
    record Hello(Visitor visitor, ObjectNode frame) {
    }

    private final Function<String, WebchatInstance> instances;
    private final Function<Message, CompletableFuture<IngestReceipt>> ingest;
    private final Supplier<Inbox> inbox;
    private final Supplier<Customers> customers;
    private final Supplier<Quotas> quotas;
    private final LiveVisitors live;

    Chat(Function<String, WebchatInstance> instances, Function<Message, CompletableFuture<IngestReceipt>> ingest,
         Supplier<Inbox> inbox, Supplier<Customers> customers, Supplier<Quotas> quotas, LiveVisitors live) {
        this.instances = instances;
        this.ingest = ingest;
        this.inbox = inbox;
        this.customers = customers;
        this.quotas = quotas;
        this.live = live;
    }

    LiveVisitors live() {
        return live;
    }

    WebchatInstance instance(String name) {
        return name == null ? null : instances.apply(name);
    }

    /** Agents have read the visitor's messages up to a message id. */
    static ObjectNode readFrame(long upToMessageId) {
        return JSON.createObjectNode().put("type", "read").put("upTo", "m" + upToMessageId);
    }

    /** Agents have read the visitor's messages up to a message, at its place in the conversation when known. */
    static ObjectNode readFrame(long upToMessageId, long seq) {
        ObjectNode frame = readFrame(upToMessageId);
        return seq > 0 ? frame.put("seq", seq) : frame;
    }

    /** The place in the conversation (seq) of one of its messages, 0 when not there. */
    static long seqOfMessage(ConversationDetail detail, long messageId) {
        return detail.messages().stream().filter(m -> m.id() == messageId).mapToLong(MessageView::seq).findFirst()
                .orElse(0);
    }

    static ObjectNode refused(String id, String code, String reason) {
        ObjectNode frame = JSON.createObjectNode().put("type", "refused");
        if (id != null) {
            frame.put("id", id);
        }
        return frame.put("code", code).put("reason", reason);
    }

    /**
     * A visitor says hello: with a token of this instance, or none (a new visitor gets one). A token that is forged,
     * altered, expired or of another instance is refused ({@code code=token}): the widget forgets it and starts anew.
     */
    Hello hello(WebchatInstance instance, String address, String token, long conversationHint) {
        if (!instance.usable()) {
            return new Hello(null, refused(null, "unavailable", instance.refusalForVisitors()));
        }
        String visitorId;
        String issued = null;
        if (token == null || token.isBlank()) {
            // this node's count first (cheap), then the database's, which every node shares
            if (!instance.newVisitors().tryAcquire(address) || !newVisitorCounted(instance, address)) {
                return new Hello(null, refused(null, "rate", "too many new chats from your address: try again in a minute"));
            }
            visitorId = VisitorTokens.newVisitorId();
            issued = instance.tokens().visitorToken(visitorId);
        } else {
            Optional<String> verified = instance.tokens().visitor(token.trim());
            if (verified.isEmpty()) {
                return new Hello(null, refused(null, "token", "this chat does not know you any more: starting anew"));
            }
            visitorId = verified.get();
        }
        Visitor visitor = new Visitor(instance, visitorId);
        ObjectNode frame = JSON.createObjectNode().put("type", "welcome");
        if (issued != null) {
            frame.put("token", issued);
        }
        frame.put("title", instance.config().title());
        frame.put("maxChars", instance.config().maxMessageChars());
        ArrayNode items = frame.putArray("items");
        if (conversationHint > 0) {
            Optional<ConversationDetail> detail = conversation(visitor, conversationHint);
            if (detail.isPresent()) {
                frame.put("conversation", conversationHint);
                history(visitor, detail.get()).forEach(items::add);
                if (detail.get().readUpTo() > 0) {
                    frame.put("readUpTo", "m" + detail.get().readUpTo());
                    long seq = seqOfMessage(detail.get(), detail.get().readUpTo());
                    if (seq > 0) {
                        frame.put("readUpToSeq", seq);
                    }
                }
            }
        }
        return new Hello(visitor, frame);
    }

    /** Counts a new visitor of a client address in the database; a database that cannot count now lets it pass. */
    private boolean newVisitorCounted(WebchatInstance instance, String address) {
        Quotas counts = quotas.get();
        if (counts == null) {
            return true;
        }
        try {
            return counts.tryTake(door(instance), "webchat-visitors:" + instance.instance() + ":" + address,
                    instance.config().visitorsPerAddressPerMinute(), java.time.Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            // this node's own count still holds; a visitor is not refused for a database that is away
            LOG.debug("New web chat visitors could not be counted now: {}", e.toString());
            return true;
        }
    }

    private static Caller door(WebchatInstance instance) {
        return Caller.system("channel-webchat-" + instance.instance());
    }

    /** The visitor's conversation, only when it is theirs: this instance, their thread. */
    Optional<ConversationDetail> conversation(Visitor visitor, long conversationId) {
        Inbox box = inbox.get();
        if (box == null) {
            return Optional.empty();
        }
        try {
            Optional<ConversationDetail> detail = box.conversation(
                    Caller.system("channel-webchat-" + visitor.instance().instance()), conversationId);
            return detail.filter(d -> WebchatInstance.CHANNEL_ID.equals(d.summary().channel())
                    && visitor.instance().instance().equals(d.summary().instance())
                    && visitor.visitorId().equals(d.summary().threadRef()));
        } catch (NoSuchElementException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.debug("Web chat history could not be read now: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The visitor's own messages and the agents' sent replies, oldest first, at most historyLimit of them: in the
     * conversation's commit order (seq), by time where a place is not known.
     */
    List<ObjectNode> history(Visitor visitor, ConversationDetail detail) {
        record Timed(long seq, java.time.Instant at, long order, ObjectNode item) {
        }
        List<Timed> all = new ArrayList<>();
        for (MessageView m : detail.messages()) {
            if (visitor.handle().equals(m.authorHandle())) {
                all.add(new Timed(m.seq(), m.receivedAt(), m.id(),
                        item("m" + m.id(), "visitor", m.text(), m.receivedAt(), m.seq())));
            }
        }
        for (ReplyView r : detail.replies()) {
            if (shown(r)) {
                java.time.Instant at = r.sentAt() != null ? r.sentAt() : r.createdAt();
                all.add(new Timed(r.seq(), at, r.id(), item("r" + r.id(), "agent", r.text(), r.createdAt(), r.seq())));
            }
        }
        all.sort(Comparator.comparingLong(Timed::seq).thenComparing(Timed::at).thenComparingLong(Timed::order));
        int limit = visitor.instance().config().historyLimit();
        List<ObjectNode> items = new ArrayList<>();
        for (Timed t : all.subList(Math.max(0, all.size() - limit), all.size())) {
            items.add(t.item());
        }
        return items;
    }

    /**
     * Whether the visitor sees a reply: sent, private, and through this door. A reply through another door (by e-mail
     * once the visitor left, or the code that confirms a claimed address) is never shown in the chat.
     */
    static boolean shown(ReplyView reply) {
        return reply.status() == ReplyStatus.SENT && reply.visibility() == Visibility.PRIVATE && reply.via() == null;
    }

    static ObjectNode item(String id, String from, String text, java.time.Instant at) {
        return item(id, from, text, at, 0);
    }

    /** An item, with its place in the conversation (seq) when known. */
    static ObjectNode item(String id, String from, String text, java.time.Instant at, long seq) {
        ObjectNode item = JSON.createObjectNode().put("id", id).put("from", from).put("text", text);
        if (at != null) {
            item.put("at", at.toString());
        }
        if (seq > 0) {
            item.put("seq", seq);
        }
        return item;
    }

    /** The frame that carries an agent's reply to the widget. */
    static String replyFrame(OutboundReply reply) {
        ObjectNode frame = JSON.createObjectNode().put("type", "item");
        frame.set("item", item("r" + reply.replyId(), "agent", reply.text(), reply.createdAt(), reply.seq()));
        return frame.toString();
    }

    /**
     * A visitor sends a message: checked, counted against the limits, then stored by core; the frame answers only
     * once core has committed it (ack), refused it for good (refused), or could not take it now (retry).
     */
    CompletableFuture<ObjectNode> send(Visitor visitor, String address, JsonNode frame) {
        WebchatInstance instance = visitor.instance();
        String id = frame.path("id").asText("");
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            return CompletableFuture.completedFuture(refused(null, "invalid",
                    "a message needs an id of 1 to 64 letters, digits, '-' or '_'"));
        }
        if (!instance.usable()) {
            return CompletableFuture.completedFuture(refused(id, "unavailable", instance.refusalForVisitors()));
        }
        String text = frame.path("text").asText("");
        if (text.isBlank()) {
            return CompletableFuture.completedFuture(refused(id, "empty", "the message is empty"));
        }
        int max = instance.config().maxMessageChars();
        if (text.codePointCount(0, text.length()) > max) {
            return CompletableFuture.completedFuture(refused(id, "too-long",
                    "the message is longer than " + max + " characters"));
        }
        String name = clip(frame.path("name").asText(""), MAX_NAME);
        String email = frame.path("email").asText("").trim();
        if (!email.isEmpty() && (email.length() > MAX_EMAIL || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))) {
            return CompletableFuture.completedFuture(refused(id, "email", "that e-mail address does not look right"));
        }
        if (!instance.visitorRate().tryAcquire(visitor.key())) {
            return CompletableFuture.completedFuture(refused(id, "rate", "you are sending messages too fast: at most "
                    + instance.visitorRate().perMinute() + " a minute"));
        }
        if (!instance.addressRate().tryAcquire(address)) {
            instance.visitorRate().release(visitor.key());
            return CompletableFuture.completedFuture(refused(id, "rate",
                    "too many messages from your network just now: try again in a minute"));
        }
        List<Annotation> annotations = new ArrayList<>();
        if (!email.isEmpty()) {
            // a claim the visitor typed, not a verified address: never Identity.email, never a customer link
            annotations.add(new Annotation("claimed-email", email, 0.0));
        }
        if (!name.isEmpty()) {
            annotations.add(new Annotation("claimed-name", name, 0.0));
        }
        ObjectNode raw = JSON.createObjectNode().put("id", id).put("text", text);
        if (!name.isEmpty()) {
            raw.put("name", name);
        }
        if (!email.isEmpty()) {
            raw.put("email", email);
        }
        Message message;
        try {
            message = Message.inbound(WebchatInstance.CHANNEL_ID, instance.instance())
                    .externalId(visitor.visitorId() + ":" + id)
                    .author(new Identity(WebchatInstance.CHANNEL_ID, visitor.handle(), name.isEmpty() ? null : name,
                            null, null, 0))
                    .threadRef(visitor.visitorId())
                    .visibility(Visibility.PRIVATE)
                    .text(text)
                    .rawPayload(raw.toString())
                    .annotations(annotations)
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(refused(id, "invalid", e.getMessage()));
        }
        CompletableFuture<IngestReceipt> stored;
        try {
            stored = ingest.apply(message);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((receipt, failure) -> {
            if (failure == null) {
                live.conversation(visitor.key(), receipt.conversationId());
                return JSON.createObjectNode().put("type", "ack").put("id", id)
                        .put("conversation", receipt.conversationId()).put("message", receipt.messageId())
                        .put("duplicate", receipt.duplicate());
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof IllegalArgumentException) {
                return refused(id, "invalid", "the message was refused: " + cause.getMessage());
            }
            LOG.debug("A web chat message could not be stored now: {}", cause.toString());
            return JSON.createObjectNode().put("type", "retry").put("id", id)
                    .put("reason", "the message could not be stored now; it is sent again shortly");
        });
    }

    private static String clip(String value, int max) {
        String v = value == null ? "" : value.strip().replaceAll("\\p{Cntrl}", " ");
        return v.length() > max ? v.substring(0, max) : v;
    }

    /**
     * Where a reply the widget names by its id (the former poll cursor) stands in the visitor's conversation: its
     * seq, or 0 (everything) when it is not one of the conversation's.
     */
    long seqOfReply(Visitor visitor, long conversationId, long replyId) {
        if (replyId <= 0 || conversationId <= 0) {
            return 0;
        }
        return conversation(visitor, conversationId).flatMap(d -> d.replies().stream().filter(r -> r.id() == replyId)
                .findFirst()).map(ReplyView::seq).orElse(0L);
    }

    /**
     * Agents' replies of the visitor's conversation after a place in it (seq: the order replies were committed in,
     * which ids do not follow across nodes): those pushed on this node, else those the inbox has as sent (delivered
     * by another node, or while this one was not listening). Item frames, in the conversation's order.
     */
    List<String> repliesAfter(Visitor visitor, long conversationId, long afterSeq) {
        List<LiveVisitors.Pushed> pushed = live.pushedAfter(visitor.key(), afterSeq);
        if (!pushed.isEmpty()) {
            return pushed.stream().map(LiveVisitors.Pushed::frame).toList();
        }
        if (conversationId <= 0) {
            return List.of();
        }
        Optional<ConversationDetail> detail = conversation(visitor, conversationId);
        // theirs: replies another node delivers reach this visitor through the event log from now on
        detail.ifPresent(d -> live.conversation(visitor.key(), conversationId));
        return detail.map(d -> d.replies().stream()
                .filter(r -> r.seq() > afterSeq && shown(r))
                .sorted(Comparator.comparingLong(ReplyView::seq).thenComparingLong(ReplyView::id))
                .map(r -> {
                    ObjectNode frame = JSON.createObjectNode().put("type", "item");
                    frame.set("item", item("r" + r.id(), "agent", r.text(), r.createdAt(), r.seq()));
                    return frame.toString();
                }).toList()).orElse(List.of());
    }

    /**
     * Sends a code to the address a visitor claims, through the e-mail door named by {@code confirmVia}, as a reply of
     * the visitor's conversation that the chat never shows. Core issues the code and keeps it as a salted hash, counted
     * per address and per visitor across nodes; the widget gets a random challenge id that says nothing about it.
     */
    ObjectNode confirmStart(Visitor visitor, JsonNode frame) {
        WebchatInstance instance = visitor.instance();
        String via = instance.config().confirmVia();
        if (via == null || via.isBlank()) {
            return refused(null, "confirm-off", "this chat does not confirm e-mail addresses");
        }
        // as the e-mail door names its senders: the address in lower case
        String email = frame.path("email").asText("").trim().toLowerCase(java.util.Locale.ROOT);
        if (email.isEmpty() || email.length() > MAX_EMAIL || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            return refused(null, "email", "that e-mail address does not look right");
        }
        long conversationId = frame.path("conversation").asLong(0);
        if (conversationId <= 0 || conversation(visitor, conversationId).isEmpty()) {
            return refused(null, "confirm-first", "send a message first, then confirm your address");
        }
        if (!instance.visitorRate().tryAcquire(visitor.key())) {
            return refused(null, "rate", "too many attempts: try again in a minute");
        }
        WebchatConfig config = instance.config();
        ProofChallenge challenge;
        try {
            challenge = customers.get().startProof(door(instance), Identity.of(WebchatInstance.CHANNEL_ID,
                    visitor.handle()), Identity.of("email", email), new ProofLimits(
                    java.time.Duration.ofMinutes(config.confirmCodeMinutes()), config.confirmAttempts(),
                    config.confirmCodesPerAddressPerHour(), config.confirmCodesPerVisitorPerHour()));
        } catch (RateLimitedException e) {
            return refused(null, "rate", e.getMessage());
        } catch (NoSuchElementException e) {
            return refused(null, "confirm-first", "send a message first, then confirm your address");
        } catch (RuntimeException e) {
            LOG.debug("A confirmation code could not be issued now: {}", e.toString());
            return JSON.createObjectNode().put("type", "retry").put("reason", "the code could not be sent now; try again");
        }
        try {
            inbox.get().replyVia(door(instance), conversationId,
                    "Your code to confirm this address in the chat \"" + config.title() + "\": " + challenge.code()
                            + "\nIt is valid for " + config.confirmCodeMinutes() + " minutes. If you did not "
                            + "ask for it, ignore this message.",
                    new ReplyRoute("email", via.trim(), Identity.of("email", email)));
        } catch (IllegalArgumentException | NoSuchElementException e) {
            return refused(null, "confirm-off", "the code could not be sent: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("A confirmation code could not be queued now: {}", e.toString());
            return JSON.createObjectNode().put("type", "retry").put("reason", "the code could not be sent now; try again");
        }
        return JSON.createObjectNode().put("type", "confirm-sent").put("challenge", challenge.id())
                .put("minutes", config.confirmCodeMinutes());
    }

    /**
     * Checks the code a visitor typed, in core. A right code links the address to the visitor's customer when it is new
     * to Frontdoor; when another customer has it, agents are asked to decide (nothing is merged by the chat).
     */
    ObjectNode confirm(Visitor visitor, JsonNode frame) {
        WebchatInstance instance = visitor.instance();
        if (!instance.visitorRate().tryAcquire(visitor.key())) {
            return refused(null, "rate", "too many attempts: try again in a minute");
        }
        String challenge = frame.path("challenge").asText("").trim();
        String code = frame.path("code").asText("").trim();
        ProofOutcome outcome;
        try {
            outcome = customers.get().proveByCode(door(instance), challenge,
                    Identity.of(WebchatInstance.CHANNEL_ID, visitor.handle()), code);
        } catch (NoSuchElementException e) {
            return refused(null, "confirm-first", "send a message first, then confirm your address");
        } catch (RuntimeException e) {
            LOG.debug("A confirmation code could not be checked now: {}", e.toString());
            return JSON.createObjectNode().put("type", "retry").put("reason", "could not be checked now; try again");
        }
        return switch (outcome.result()) {
            case LINKED -> JSON.createObjectNode().put("type", "confirmed").put("email", outcome.address().handle())
                    .put("linked", true);
            case SUGGESTED -> JSON.createObjectNode().put("type", "confirmed").put("email", outcome.address().handle())
                    .put("linked", false).put("text", "Your e-mail " + outcome.address().handle() + " is confirmed. "
                            + "An agent will bring your earlier conversations together.");
            case WRONG_CODE -> refused(null, "confirm-code", "that code is not right: " + outcome.attemptsLeft()
                    + (outcome.attemptsLeft() == 1 ? " more try" : " more tries"));
            case LOCKED -> refused(null, "confirm-locked", "too many wrong codes: ask for a new code");
            case EXPIRED -> refused(null, "confirm-expired", "that code has expired: ask for a new code");
            case UNKNOWN -> refused(null, "confirm-code", "ask for a new code: this one is not valid any more");
        };
    }
}
