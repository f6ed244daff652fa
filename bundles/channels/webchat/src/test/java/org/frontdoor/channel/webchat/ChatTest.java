package org.frontdoor.channel.webchat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Customers;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.ProofChallenge;
import org.frontdoor.api.ProofLimits;
import org.frontdoor.api.ProofOutcome;
import org.frontdoor.api.Quotas;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The widget's frames against a stand-in for core: what is stored, what is answered, what a visitor may see. */
class ChatTest {

    @TempDir
    Path secrets;

    private final List<Message> stored = new ArrayList<>();
    private final AtomicReference<Function<Message, CompletableFuture<IngestReceipt>>> core = new AtomicReference<>(
            m -> {
                boolean duplicate = stored.stream().anyMatch(s -> s.externalId().equals(m.externalId()));
                if (!duplicate) {
                    stored.add(m);
                }
                return CompletableFuture.completedFuture(new IngestReceipt(stored.size(), 7, 3, duplicate));
            });
    private final Map<Long, ConversationDetail> conversations = new HashMap<>();
    private final LiveVisitors live = new LiveVisitors();
    /** What the stand-in inbox was asked to send through other doors: the route and the text. */
    private final List<Object[]> sentVia = new ArrayList<>();
    /** Challenges the stand-in core issued: id to {known handle, address, code, wrong codes so far}. */
    private final Map<String, Object[]> challenges = new HashMap<>();
    /** What the stand-in core answers for a right code: LINKED or SUGGESTED. */
    private ProofOutcome.Result rightCode = ProofOutcome.Result.LINKED;
    /** What the stand-in core's limits say for the next code asked. */
    private String refuseCodes;
    private int newVisitorsCounted;
    private int newVisitorsAllowed = Integer.MAX_VALUE;
    private final Map<String, Integer> counted = new HashMap<>();
    private final Quotas quotas = (caller, key, limit, window) -> {
        assertThat(key).startsWith("webchat-visitors:shop:");
        newVisitorsCounted++;
        return counted.merge(key, 1, Integer::sum) <= Math.min(limit, newVisitorsAllowed);
    };
    private final Customers customers = new Customers() {
        @Override
        public long linkVerified(Caller caller, Identity known, Identity proven) {
            throw new UnsupportedOperationException("a door proves by code");
        }

        @Override
        public List<Identity> verifiedIdentities(Caller caller, Identity of, String channel) {
            return List.of();
        }

        @Override
        public ProofChallenge startProof(Caller caller, Identity known, Identity address, ProofLimits limits) {
            assertThat(limits).isEqualTo(new ProofLimits(Duration.ofMinutes(15), 5, 3, 5));
            if (refuseCodes != null) {
                throw new RateLimitedException(refuseCodes);
            }
            String id = VisitorTokens.newVisitorId();
            String code = String.format("%06d", new java.security.SecureRandom().nextInt(1_000_000));
            challenges.put(id, new Object[] {known.handle(), address, code, 0});
            return new ProofChallenge(id, code, Instant.now().plus(limits.validFor()));
        }

        @Override
        public ProofOutcome proveByCode(Caller caller, String challengeId, Identity known, String code) {
            Object[] c = challenges.get(challengeId);
            if (c == null || !c[0].equals(known.handle())) {
                return new ProofOutcome(ProofOutcome.Result.UNKNOWN, 0, 0, null);
            }
            if ((int) c[3] >= 5) {
                return new ProofOutcome(ProofOutcome.Result.LOCKED, 0, 0, (Identity) c[1]);
            }
            if (!c[2].equals(code)) {
                c[3] = (int) c[3] + 1;
                return (int) c[3] >= 5 ? new ProofOutcome(ProofOutcome.Result.LOCKED, 0, 0, (Identity) c[1])
                        : new ProofOutcome(ProofOutcome.Result.WRONG_CODE, 0, 5 - (int) c[3], (Identity) c[1]);
            }
            challenges.remove(challengeId);
            return new ProofOutcome(rightCode, 3, 0, (Identity) c[1]);
        }
    };
    private WebchatInstance shop;
    private Chat chat;

    private Chat chat(Map<String, Object> config) {
        Map<String, Object> all = new HashMap<>(config);
        all.putIfAbsent("allowedOrigins", new String[] {"https://www.example.com"});
        shop = new WebchatInstance(null, Configs.config(all), Configs.pid("shop"), secrets, Clock.systemUTC());
        Inbox inbox = (Inbox) Proxy.newProxyInstance(Inbox.class.getClassLoader(), new Class<?>[] {Inbox.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("conversation")) {
                        return Optional.ofNullable(conversations.get((Long) args[1]));
                    }
                    if (method.getName().equals("replyVia")) {
                        sentVia.add(new Object[] {args[3], args[2]});
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        chat = new Chat(name -> "shop".equals(name) ? shop : null, m -> core.get().apply(m), () -> inbox, () -> customers, () -> quotas, live);
        return chat;
    }

    private Chat.Visitor newVisitor() {
        Chat.Hello hello = chat.hello(shop, "10.0.0.1", null, 0);
        assertThat(hello.frame().path("type").asText()).isEqualTo("welcome");
        String token = hello.frame().path("token").asText();
        assertThat(shop.tokens().visitor(token)).contains(hello.visitor().visitorId());
        return hello.visitor();
    }

    private static ObjectNode send(String id, String text) {
        return Chat.JSON.createObjectNode().put("type", "send").put("id", id).put("text", text);
    }

    private JsonNode answer(Chat.Visitor visitor, ObjectNode frame) {
        return chat.send(visitor, "10.0.0.1", frame).join();
    }

    @Test
    void aMessageIsAcknowledgedOnceStoredAndAResendIsADuplicate() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();

        JsonNode ack = answer(visitor, send("c1", "<b>Hello</b>"));
        JsonNode again = answer(visitor, send("c1", "<b>Hello</b>"));

        assertThat(ack.path("type").asText()).isEqualTo("ack");
        assertThat(ack.path("id").asText()).isEqualTo("c1");
        assertThat(ack.path("conversation").asLong()).isEqualTo(7);
        assertThat(ack.path("duplicate").asBoolean()).isFalse();
        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(stored).hasSize(1);
        Message m = stored.get(0);
        assertThat(m.channel()).isEqualTo("webchat");
        assertThat(m.instance()).isEqualTo("shop");
        assertThat(m.externalId()).isEqualTo(visitor.visitorId() + ":c1");
        assertThat(m.author().handle()).isEqualTo("shop:" + visitor.visitorId());
        assertThat(m.threadRef()).isEqualTo(visitor.visitorId());
        assertThat(m.text()).isEqualTo("<b>Hello</b>");
        assertThat(m.visibility()).isEqualTo(Visibility.PRIVATE);
    }

    @Test
    void aClaimedNameAndAddressAreKeptAsUnverifiedClaimsOnly() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();

        answer(visitor, send("c1", "Hi").put("name", "Ann").put("email", "ann@example.org"));

        Message m = stored.get(0);
        assertThat(m.author().email()).as("never an unconfirmed address").isNull();
        assertThat(m.author().displayName()).isEqualTo("Ann");
        assertThat(m.annotations()).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo("claimed-email");
            assertThat(a.value()).isEqualTo("ann@example.org");
        });
    }

    @Test
    void badMessagesAreRefusedWithAReasonAndNotStored() {
        chat(Map.of("maxMessageChars", 10));
        Chat.Visitor visitor = newVisitor();

        assertThat(answer(visitor, send("c1", "   ")).path("code").asText()).isEqualTo("empty");
        assertThat(answer(visitor, send("c2", "x".repeat(11))).path("code").asText()).isEqualTo("too-long");
        assertThat(answer(visitor, send("c3", "😀".repeat(10))).path("type").asText()).as("ten characters")
                .isEqualTo("ack");
        assertThat(answer(visitor, send("bad id!", "hi")).path("code").asText()).isEqualTo("invalid");
        assertThat(answer(visitor, send("c4", "hi").put("email", "not-an-address")).path("code").asText())
                .isEqualTo("email");
        assertThat(stored).hasSize(1);
    }

    @Test
    void aVisitorOverTheLimitIsRefusedWhileOthersGoOn() {
        chat(Map.of("messagesPerMinute", 2));
        Chat.Visitor fast = newVisitor();
        Chat.Visitor other = newVisitor();

        answer(fast, send("c1", "one"));
        answer(fast, send("c2", "two"));
        JsonNode third = answer(fast, send("c3", "three"));

        assertThat(third.path("type").asText()).isEqualTo("refused");
        assertThat(third.path("code").asText()).isEqualTo("rate");
        assertThat(third.path("reason").asText()).contains("2 a minute");
        assertThat(answer(other, send("c1", "mine")).path("type").asText()).isEqualTo("ack");
        assertThat(stored).extracting(Message::text).containsExactly("one", "two", "mine");
    }

    @Test
    void anAddressOverItsLimitIsRefused() {
        chat(Map.of("addressMessagesPerMinute", 1));
        Chat.Visitor a = newVisitor();
        Chat.Visitor b = newVisitor();

        assertThat(answer(a, send("c1", "one")).path("type").asText()).isEqualTo("ack");
        assertThat(answer(b, send("c1", "two")).path("code").asText()).isEqualTo("rate");
    }

    @Test
    void coresAnswerDecidesBetweenRefusedAndRetry() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();

        core.set(m -> CompletableFuture.failedFuture(new IllegalArgumentException("text too long for its door")));
        JsonNode refused = answer(visitor, send("c1", "hi"));
        core.set(m -> CompletableFuture.failedFuture(new IllegalStateException("database down at jdbc:secret")));
        JsonNode retry = answer(visitor, send("c2", "hi"));

        assertThat(refused.path("type").asText()).isEqualTo("refused");
        assertThat(refused.path("reason").asText()).contains("text too long");
        assertThat(retry.path("type").asText()).isEqualTo("retry");
        assertThat(retry.toString()).doesNotContain("jdbc");
    }

    @Test
    void aForgedOrForeignTokenIsRefusedAndANewVisitorIsLimitedPerAddress() {
        chat(Map.of("visitorsPerAddressPerMinute", 2));
        VisitorTokens foreign = new VisitorTokens("blog", "another-key", java.time.Duration.ofDays(1), Clock.systemUTC());

        Chat.Hello forged = chat.hello(shop, "10.0.0.9", foreign.visitorToken("someone"), 0);

        assertThat(forged.visitor()).isNull();
        assertThat(forged.frame().path("code").asText()).isEqualTo("token");
        assertThat(chat.hello(shop, "10.0.0.9", null, 0).visitor()).isNotNull();
        assertThat(chat.hello(shop, "10.0.0.9", null, 0).visitor()).isNotNull();
        assertThat(chat.hello(shop, "10.0.0.9", null, 0).frame().path("code").asText()).isEqualTo("rate");
        assertThat(chat.hello(shop, "10.0.0.10", null, 0).visitor()).as("another address").isNotNull();
    }

    @Test
    void theHistoryShowsOnlyTheVisitorsOwnConversationAndRepliesSentInTheChat() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();
        Chat.Visitor stranger = newVisitor();
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        conversations.put(7L, detail(7, visitor, t));
        conversations.put(8L, detail(8, stranger, t));

        String token = shop.tokens().visitorToken(visitor.visitorId());
        Chat.Hello mine = chat.hello(shop, "10.0.0.1", token, 7);
        Chat.Hello theirs = chat.hello(shop, "10.0.0.1", token, 8);

        assertThat(mine.frame().path("conversation").asLong()).isEqualTo(7);
        assertThat(mine.frame().path("items")).extracting(i -> i.path("id").asText()).containsExactly("m1", "r11");
        assertThat(mine.frame().path("items").path(1).path("from").asText()).isEqualTo("agent");
        assertThat(chat.repliesAfter(visitor, 7, 0)).as("sent through this door only").hasSize(1);
        assertThat(theirs.frame().has("conversation")).isFalse();
        assertThat(theirs.frame().path("items")).isEmpty();
    }

    @Test
    void aReplyIsPushedToTheVisitorsListenersOnce() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();
        List<String> frames = new ArrayList<>();
        live.listen(visitor.key(), p -> frames.add(p.frame()));

        assertThat(live.push(visitor.key(), 11, 5, "{\"type\":\"item\"}")).isTrue();
        assertThat(live.push(visitor.key(), 11, 5, "{\"type\":\"item\"}")).as("again by the event log").isFalse();
        assertThat(live.push("shop:someone-else", 12, "{}")).isFalse();

        live.notice(visitor.key(), "{\"type\":\"status\"}");
        live.notice("shop:someone-else", "{\"type\":\"status\"}");

        assertThat(frames).containsExactly("{\"type\":\"item\"}", "{\"type\":\"status\"}");
        assertThat(live.pushedAfter(visitor.key(), 4)).hasSize(1);
        assertThat(live.pushedAfter(visitor.key(), 5)).isEmpty();
    }

    @Test
    void aDownInstanceRefusesVisitorsWithoutTheAdminsReason() {
        chat(Map.of("allowedOrigins", new String[0]));
        Chat.Hello hello = chat.hello(shop, "10.0.0.1", null, 0);
        assertThat(hello.visitor()).isNull();
        assertThat(hello.frame().path("code").asText()).isEqualTo("unavailable");
        assertThat(hello.frame().toString()).doesNotContain("cfg").doesNotContain("allowedOrigins");
    }

    private JsonNode askForACode(Chat.Visitor visitor, String email) {
        conversations.put(7L, detail(7, visitor, Instant.parse("2026-12-02T10:00:00Z")));
        return chat.confirmStart(visitor, Chat.JSON.createObjectNode().put("type", "confirm-start").put("email", email)
                .put("conversation", 7));
    }

    private String codeSent(int n) {
        return ((String) sentVia.get(n)[1]).replaceAll("(?s).*: ([0-9]{6}).*", "$1");
    }

    @Test
    void aClaimedAddressIsConfirmedByTheCodeSentToIt() {
        chat(Map.of("confirmVia", "support"));
        Chat.Visitor visitor = newVisitor();
        Chat.Visitor stranger = newVisitor();

        JsonNode sent = askForACode(visitor, "Ann@Example.org");

        assertThat(sent.path("type").asText()).isEqualTo("confirm-sent");
        assertThat(sent.path("minutes").asInt()).isEqualTo(15);
        assertThat(sentVia).hasSize(1);
        ReplyRoute route = (ReplyRoute) sentVia.get(0)[0];
        assertThat(route.channel()).isEqualTo("email");
        assertThat(route.instance()).isEqualTo("support");
        assertThat(route.recipient().handle()).isEqualTo("ann@example.org");
        String code = codeSent(0);
        assertThat(code).matches("[0-9]{6}");
        String challenge = sent.path("challenge").asText();
        String wrong = code.equals("000000") ? "000001" : "000000";

        JsonNode refused = chat.confirm(visitor, confirm(challenge, wrong));
        assertThat(refused.path("code").asText()).isEqualTo("confirm-code");
        assertThat(refused.path("reason").asText()).isEqualTo("that code is not right: 4 more tries");
        assertThat(ChatServlet.status((ObjectNode) refused)).isEqualTo(422);
        assertThat(chat.confirm(stranger, confirm(challenge, code)).path("code").asText())
                .as("another visitor with the same code").isEqualTo("confirm-code");

        JsonNode confirmed = chat.confirm(visitor, confirm(challenge, code));

        assertThat(confirmed.path("type").asText()).isEqualTo("confirmed");
        assertThat(confirmed.path("email").asText()).isEqualTo("ann@example.org");
        assertThat(confirmed.path("linked").asBoolean()).isTrue();
    }

    @Test
    void nothingTheWidgetGetsLeadsToTheCode() {
        chat(Map.of("confirmVia", "support"));
        Chat.Visitor visitor = newVisitor();

        JsonNode sent = askForACode(visitor, "ann@example.org");

        // the frame names the challenge and how long it lasts, nothing else
        assertThat(sent.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("type", "challenge",
                "minutes");
        // main's challenge named SHA-256(visitor, address, code): every one of the million codes is tried as it was
        // recovered there, against every part of what the widget got
        String frame = sent.toString();
        String code = codeSent(0);
        java.util.List<String> found = new ArrayList<>();
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
            for (int n = 0; n < 1_000_000; n++) {
                String guess = String.format("%06d", n);
                String hash = b64.encodeToString(sha.digest((visitor.key() + "\nann@example.org\n" + guess)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                if (frame.contains(hash)) {
                    found.add(guess);
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        assertThat(found).as("codes recomputed from the challenge").isEmpty();
        assertThat(frame).doesNotContain(code);
    }

    @Test
    void fiveWrongCodesLockTheConfirmationAndTheWidgetIsToldToAskAgain() {
        chat(Map.of("confirmVia", "support"));
        Chat.Visitor visitor = newVisitor();
        String challenge = askForACode(visitor, "ann@example.org").path("challenge").asText();
        String wrong = codeSent(0).equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 4; i++) {
            assertThat(chat.confirm(visitor, confirm(challenge, wrong)).path("code").asText()).isEqualTo("confirm-code");
        }
        JsonNode locked = chat.confirm(visitor, confirm(challenge, wrong));
        assertThat(locked.path("code").asText()).isEqualTo("confirm-locked");
        assertThat(locked.path("reason").asText()).isEqualTo("too many wrong codes: ask for a new code");
        assertThat(chat.confirm(visitor, confirm(challenge, codeSent(0))).path("code").asText())
                .isEqualTo("confirm-locked");
    }

    @Test
    void aProofOfAnAddressAnotherCustomerHasIsConfirmedButLeftToAnAgent() {
        chat(Map.of("confirmVia", "support"));
        rightCode = ProofOutcome.Result.SUGGESTED;
        Chat.Visitor visitor = newVisitor();
        String challenge = askForACode(visitor, "jane@example.com").path("challenge").asText();

        JsonNode confirmed = chat.confirm(visitor, confirm(challenge, codeSent(0)));

        assertThat(confirmed.path("type").asText()).isEqualTo("confirmed");
        assertThat(confirmed.path("linked").asBoolean()).isFalse();
        assertThat(confirmed.path("text").asText()).isEqualTo("Your e-mail jane@example.com is confirmed. An agent "
                + "will bring your earlier conversations together.");
    }

    @Test
    void aCodeRefusedByTheLimitsIsNotSentAndTheWidgetSaysWhy() {
        chat(Map.of("confirmVia", "support"));
        refuseCodes = "this address had 3 codes in the last hour: try again later";
        Chat.Visitor visitor = newVisitor();

        JsonNode refused = askForACode(visitor, "jane@example.com");

        assertThat(refused.path("code").asText()).isEqualTo("rate");
        assertThat(refused.path("reason").asText()).isEqualTo(refuseCodes);
        assertThat(ChatServlet.status((ObjectNode) refused)).isEqualTo(429);
        assertThat(sentVia).isEmpty();
    }

    @Test
    void newVisitorsOfOneNetworkAddressAreCountedWhereEveryNodeSeesThem() {
        chat(Map.of());
        newVisitorsAllowed = 2; // as if other nodes had counted the rest of this minute's allowance
        assertThat(chat.hello(shop, "10.0.0.1", null, 0).visitor()).isNotNull();
        assertThat(chat.hello(shop, "10.0.0.1", null, 0).visitor()).isNotNull();
        Chat.Hello third = chat.hello(shop, "10.0.0.1", null, 0);
        assertThat(third.visitor()).isNull();
        assertThat(third.frame().path("code").asText()).isEqualTo("rate");
        assertThat(newVisitorsCounted).isEqualTo(3);
    }

    @Test
    void theDefaultAllowsTenNewVisitorsPerNetworkAddressAMinute() {
        chat(Map.of());
        int welcomed = 0;
        for (int i = 0; i < 30; i++) {
            if (chat.hello(shop, "10.0.0.9", null, 0).visitor() != null) {
                welcomed++;
            }
        }
        assertThat(welcomed).isBetween(10, 20); // a minute may turn during the loop
    }

    @Test
    void noCodeIsSentWithoutConfirmViaNorForAConversationNotTheVisitors() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();
        ObjectNode start = Chat.JSON.createObjectNode().put("email", "ann@example.org").put("conversation", 8);
        assertThat(chat.confirmStart(visitor, start).path("code").asText()).isEqualTo("confirm-off");

        chat(Map.of("confirmVia", "support"));
        Chat.Visitor other = newVisitor();
        conversations.put(8L, detail(8, newVisitor(), Instant.parse("2026-12-02T10:00:00Z")));
        assertThat(chat.confirmStart(other, start).path("code").asText()).isEqualTo("confirm-first");
        assertThat(sentVia).isEmpty();
    }

    @Test
    void theWelcomeSaysHowFarAgentsHaveReadOnceTheyHave() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        ConversationDetail unread = detail(7, visitor, t);
        conversations.put(7L, unread);
        String token = shop.tokens().visitorToken(visitor.visitorId());

        assertThat(chat.hello(shop, "10.0.0.1", token, 7).frame().has("readUpTo")).isFalse();

        conversations.put(7L, new ConversationDetail(unread.summary(), unread.messages(), unread.replies(), 1));
        assertThat(chat.hello(shop, "10.0.0.1", token, 7).frame().path("readUpTo").asText()).isEqualTo("m1");
        assertThat(Chat.readFrame(1).toString()).isEqualTo("{\"type\":\"read\",\"upTo\":\"m1\"}");
    }

    /**
     * Two nodes take ids in blocks: the reply committed later got id 2, the one before it id 51. The history, the
     * poll's cursor (also the former cursor by reply id) and the read mark go by the conversation's order (seq).
     */
    @Test
    void theHistoryTheCursorAndSeenFollowCommitOrderNotIds() {
        chat(Map.of());
        Chat.Visitor visitor = newVisitor();
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        ConversationDetail base = detail(7, visitor, t);
        MessageView first = new MessageView(50, visitor.visitorId() + ":a", Visibility.PRIVATE, 3, visitor.handle(),
                null, "first", t, List.of(), List.of(), 1);
        ReplyView earlier = new ReplyView(51, 7, "earlier reply", Visibility.PRIVATE, "agent", ReplyStatus.SENT, 1,
                null, t.plusSeconds(2), t.plusSeconds(3), null, null, 2);
        MessageView second = new MessageView(3, visitor.visitorId() + ":b", Visibility.PRIVATE, 3, visitor.handle(),
                null, "second", t.plusSeconds(4), List.of(), List.of(), 3);
        ReplyView later = new ReplyView(2, 7, "later reply", Visibility.PRIVATE, "agent", ReplyStatus.SENT, 1,
                null, t.plusSeconds(5), t.plusSeconds(5), null, null, 4);
        conversations.put(7L, new ConversationDetail(base.summary(), List.of(first, second), List.of(earlier, later),
                50));
        String token = shop.tokens().visitorToken(visitor.visitorId());

        Chat.Hello hello = chat.hello(shop, "10.0.0.1", token, 7);
        assertThat(hello.frame().path("items")).extracting(i -> i.path("id").asText())
                .containsExactly("m50", "r51", "m3", "r2");
        assertThat(hello.frame().path("items")).extracting(i -> i.path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(hello.frame().path("readUpTo").asText()).isEqualTo("m50");
        assertThat(hello.frame().path("readUpToSeq").asLong()).as("seen: the first message, not the second")
                .isEqualTo(1);

        // the visitor has the earlier reply (seq 2): the later one, with the smaller id, is still to come
        assertThat(chat.repliesAfter(visitor, 7, 2)).singleElement().asString().contains("later reply");
        assertThat(chat.repliesAfter(visitor, 7, 4)).isEmpty();
        assertThat(chat.seqOfReply(visitor, 7, 51)).as("the former cursor, a reply id, stands for its seq")
                .isEqualTo(2);
        assertThat(chat.repliesAfter(visitor, 7, chat.seqOfReply(visitor, 7, 51))).hasSize(1);
        assertThat(chat.seqOfReply(visitor, 7, 999)).as("not the conversation's: everything").isZero();

        live.conversation(visitor.key(), 7);
        live.listen(visitor.key(), p -> { });
        live.push(visitor.key(), 51, 2, "{\"type\":\"item\"}");
        live.push(visitor.key(), 2, 4, "{\"type\":\"item\"}");
        assertThat(live.pushedAfter(visitor.key(), 2)).extracting(LiveVisitors.Pushed::replyId).containsExactly(2L);
        assertThat(Chat.readFrame(50, 1).path("seq").asLong()).isEqualTo(1);
    }

    private static ObjectNode confirm(String challenge, String code) {
        return Chat.JSON.createObjectNode().put("type", "confirm").put("challenge", challenge).put("code", code);
    }

    private static ConversationDetail detail(long id, Chat.Visitor visitor, Instant t) {
        ConversationSummary summary = new ConversationSummary(id, 3, "x", "webchat", "shop", visitor.visitorId(), null,
                ConversationStatus.values()[0], null, 0, "", 1, t, t);
        MessageView message = new MessageView(id == 7 ? 1 : 2, visitor.visitorId() + ":c1", Visibility.PRIVATE, 3,
                visitor.handle(), null, "question " + id, t, List.of(), List.of(), 1);
        ReplyView sent = new ReplyView(id == 7 ? 11 : 21, id, "answer " + id, Visibility.PRIVATE, "agent",
                ReplyStatus.SENT, 1, null, t.plusSeconds(5), t.plusSeconds(6), null, null, 2);
        ReplyView queued = new ReplyView(id == 7 ? 12 : 22, id, "not yet", Visibility.PRIVATE, "agent",
                ReplyStatus.QUEUED, 0, null, t.plusSeconds(7), null, null, null, 3);
        ReplyView byEmail = new ReplyView(id == 7 ? 13 : 23, id, "your code is 123456", Visibility.PRIVATE, "system",
                ReplyStatus.SENT, 1, null, t.plusSeconds(8), t.plusSeconds(9), null,
                new ReplyRoute("email", "support", Identity.of("email", "ann@example.org")), 4);
        return new ConversationDetail(summary, List.of(message), List.of(sent, queued, byEmail));
    }
}
