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
 * door -> widget   {"type":"confirm-sent","challenge":"..."}                   signed, expiring; holds no code
 * widget -> door   {"type":"confirm","challenge":"...","email":"...","code":"123456"}
 * door -> widget   {"type":"confirmed","email":"..."}                          the visitor joined to that address
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

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final Function<String, WebchatInstance> instances;
    private final Function<Message, CompletableFuture<IngestReceipt>> ingest;
    private final Supplier<Inbox> inbox;
    private final Supplier<Customers> customers;
    private final LiveVisitors live;

    Chat(Function<String, WebchatInstance> instances, Function<Message, CompletableFuture<IngestReceipt>> ingest,
         Supplier<Inbox> inbox, Supplier<Customers> customers, LiveVisitors live) {
        this.instances = instances;
        this.ingest = ingest;
        this.inbox = inbox;
        this.customers = customers;
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
            if (!instance.newVisitors().tryAcquire(address)) {
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
     * the visitor's conversation that the chat never shows. The answer carries a signed, expiring challenge that names
     * a hash of the visitor, the address and the code, never the code: typing the code back proves the address.
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
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        Inbox box = inbox.get();
        try {
            box.replyVia(Caller.system("channel-webchat-" + instance.instance()), conversationId,
                    "Your code to confirm this address in the chat \"" + instance.config().title() + "\": " + code
                            + "\nIt is valid for " + instance.config().confirmCodeMinutes() + " minutes. If you did not "
                            + "ask for it, ignore this message.",
                    new ReplyRoute("email", via.trim(), Identity.of("email", email)));
        } catch (IllegalArgumentException | NoSuchElementException e) {
            return refused(null, "confirm-off", "the code could not be sent: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("A confirmation code could not be queued now: {}", e.toString());
            return JSON.createObjectNode().put("type", "retry").put("reason", "the code could not be sent now; try again");
        }
        return JSON.createObjectNode().put("type", "confirm-sent")
                .put("challenge", instance.tokens().sign(VisitorTokens.CONFIRM, proof(visitor, email, code)));
    }

    /** Checks the code a visitor typed; on a match the visitor's identity and the address become one customer. */
    ObjectNode confirm(Visitor visitor, JsonNode frame) {
        WebchatInstance instance = visitor.instance();
        if (!instance.visitorRate().tryAcquire(visitor.key())) {
            return refused(null, "rate", "too many attempts: try again in a minute");
        }
        String email = frame.path("email").asText("").trim().toLowerCase(java.util.Locale.ROOT);
        String code = frame.path("code").asText("").trim();
        boolean valid = !email.isEmpty() && code.matches("[0-9]{6}") && instance.tokens()
                .verify(frame.path("challenge").asText(null), VisitorTokens.CONFIRM,
                        java.time.Duration.ofMinutes(instance.config().confirmCodeMinutes()))
                .filter(c -> java.security.MessageDigest.isEqual(
                        c.subject().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        proof(visitor, email, code).getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isPresent();
        if (!valid) {
            return refused(null, "confirm-code", "that code is not right, or it has expired");
        }
        try {
            customers.get().linkVerified(Caller.system("channel-webchat-" + instance.instance()),
                    Identity.of(WebchatInstance.CHANNEL_ID, visitor.handle()), Identity.of("email", email));
        } catch (NoSuchElementException e) {
            return refused(null, "confirm-first", "send a message first, then confirm your address");
        } catch (RuntimeException e) {
            LOG.debug("A confirmed address could not be recorded now: {}", e.toString());
            return JSON.createObjectNode().put("type", "retry").put("reason", "could not be recorded now; try again");
        }
        return JSON.createObjectNode().put("type", "confirmed").put("email", email);
    }

    /** What a confirmation challenge names: a hash of the visitor, the address and the code, URL-safe. */
    static String proof(Visitor visitor, String email, String code) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest((visitor.key() + "\n"
                    + email.toLowerCase(java.util.Locale.ROOT) + "\n" + code)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
