package org.frontdoor.channel.x;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replies against a local X peer that checks each documented request and answers as X does. */
class XSenderTest {

    /** A request the peer took: its path, and its JSON body or form. */
    record Call(String method, String path, String authorization, String contentType, String body) {
        JsonNode json() throws Exception {
            return XWebhookHandler.JSON.readTree(body);
        }
    }

    private HttpServer peer;
    private final ExecutorService peerThreads = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger(1000);
    /** The token X takes now. */
    private final AtomicReference<String> validToken = new AtomicReference<>("access-1");
    /** The refresh token X takes now: each refresh revokes it and gives the next. */
    private final AtomicReference<String> validRefresh = new AtomicReference<>("refresh-1");
    /** What the next API call answers instead of success, once: 429, 503, 403... */
    private final AtomicReference<Integer> nextFailure = new AtomicReference<>();
    private final AtomicReference<Long> resetAt = new AtomicReference<>();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void startPeer() throws Exception {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.createContext("/2/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body);
                calls.add(call);
                answer(exchange, call);
            } catch (Exception e) {
                problems.add(e.toString());
            }
        });
        peer.setExecutor(peerThreads);
        peer.start();
    }

    private void answer(HttpExchange exchange, Call call) throws Exception {
        if (!"POST".equals(call.method())) {
            problems.add("method " + call.method());
            send(exchange, 405, "{}");
            return;
        }
        if (call.path().equals("/2/oauth2/token")) {
            String form = call.body();
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("client-7:client-secret"
                    .getBytes(StandardCharsets.UTF_8));
            if (!"application/x-www-form-urlencoded".equals(call.contentType()) || !basic.equals(call.authorization())
                    || !form.contains("grant_type=refresh_token") || !form.contains("client_id=client-7")) {
                problems.add("token request " + form);
                send(exchange, 400, "{\"error\":\"invalid_request\"}");
            } else if (form.contains("refresh_token=" + validRefresh.get() + "&")) {
                // X rotates the refresh token: the one used is revoked
                int n = Integer.parseInt(validRefresh.get().substring("refresh-".length())) + 1;
                validToken.set("access-" + n);
                validRefresh.set("refresh-" + n);
                send(exchange, 200, "{\"token_type\":\"bearer\",\"expires_in\":7200,\"access_token\":\"access-" + n
                        + "\",\"scope\":\"tweet.write dm.write offline.access\",\"refresh_token\":\"refresh-" + n + "\"}");
            } else {
                send(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"Value passed for the "
                        + "token was invalid.\"}");
            }
            return;
        }
        if (!"application/json".equals(call.contentType())) {
            problems.add("content type " + call.contentType());
        }
        if (!("Bearer " + validToken.get()).equals(call.authorization())) {
            send(exchange, 401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,"
                    + "\"detail\":\"Unauthorized\"}");
            return;
        }
        Integer failure = nextFailure.getAndSet(null);
        if (failure != null) {
            if (failure == 429) {
                exchange.getResponseHeaders().add("x-rate-limit-limit", "200");
                exchange.getResponseHeaders().add("x-rate-limit-remaining", "0");
                exchange.getResponseHeaders().add("x-rate-limit-reset", Long.toString(resetAt.get()));
                send(exchange, 429, "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":"
                        + "\"about:blank\",\"status\":429}");
            } else if (failure == 403) {
                send(exchange, 403, "{\"detail\":\"You are not allowed to create a Tweet with duplicate content.\","
                        + "\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}");
            } else {
                send(exchange, failure, "{\"title\":\"Service Unavailable\"}");
            }
            return;
        }
        JsonNode json = call.json();
        String id = Integer.toString(nextId.incrementAndGet());
        if (call.path().equals("/2/tweets")) {
            if (!json.path("text").isTextual() || !json.path("reply").path("in_reply_to_tweet_id").isTextual()) {
                problems.add("tweet body " + call.body());
            }
            send(exchange, 201, "{\"data\":{\"id\":\"" + id + "\",\"text\":" + json.path("text") + "}}");
        } else if (call.path().matches("/2/dm_conversations/with/[0-9]+/messages")) {
            if (!json.path("text").isTextual()) {
                problems.add("dm body " + call.body());
            }
            send(exchange, 201, "{\"data\":{\"dm_conversation_id\":\"2244994945-3001969357\",\"dm_event_id\":\"" + id
                    + "\"}}");
        } else {
            problems.add("path " + call.path());
            send(exchange, 404, "{\"title\":\"Not Found Error\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws java.io.IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @AfterEach
    void stopPeer() {
        peer.stop(0);
        peerThreads.shutdownNow();
        assertThat(problems).isEmpty();
    }

    private String base() {
        return "http://127.0.0.1:" + peer.getAddress().getPort();
    }

    @TempDir
    Path state;

    private XInstance instance(Map<String, Object> more) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("baseUrl", base(),
                // a loaded machine (CI beside other builds) may take seconds to answer: no test here is about timeouts
                "requestTimeoutSeconds", 60));
        settings.putAll(more);
        return Instances.instance("demo", settings, clock, state);
    }

    private static OutboundReply reply(long id, Visibility visibility, String text) {
        return new OutboundReply(id, 7, "x", "demo", new Identity("x", "3001969357", "Jordan", null, null, 22),
                "post:1336950233925439489", visibility == Visibility.PUBLIC ? "1336950233925439489"
                : "dm:954491830116155396", visibility, text, "jane", Instant.parse("2026-12-07T10:00:00Z"), 1);
    }

    @Test
    void aPublicReplyIsAPostAnsweringTheCustomersPost() throws Exception {
        XInstance demo = instance(Map.of());

        new XSender(n -> demo).send(reply(1, Visibility.PUBLIC, "Sorry Jordan, we are on it"));

        assertThat(calls).hasSize(1);
        Call call = calls.get(0);
        assertThat(call.path()).isEqualTo("/2/tweets");
        assertThat(call.authorization()).isEqualTo("Bearer access-1");
        assertThat(call.json().path("text").asText()).isEqualTo("Sorry Jordan, we are on it");
        assertThat(call.json().path("reply").path("in_reply_to_tweet_id").asText()).isEqualTo("1336950233925439489");
        assertThat(demo.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void aPrivateReplyIsADirectMessageToTheCustomer() throws Exception {
        XInstance demo = instance(Map.of());

        new XSender(n -> demo).send(reply(2, Visibility.PRIVATE, "Could you send the order number?"));

        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.path()).isEqualTo("/2/dm_conversations/with/3001969357/messages");
            assertThat(call.json().path("text").asText()).isEqualTo("Could you send the order number?");
            assertThat(call.json().size()).isEqualTo(1);
        });
    }

    @Test
    void aLongPublicReplyIsAThreadEachPostAnsweringTheOneBefore() throws Exception {
        XInstance demo = instance(Map.of());
        String text = "Your parcel left our warehouse on Monday and the carrier has it now. ".repeat(10).strip();

        new XSender(n -> demo).send(reply(3, Visibility.PUBLIC, text));

        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).json().path("reply").path("in_reply_to_tweet_id").asText())
                .isEqualTo("1336950233925439489");
        assertThat(calls.get(1).json().path("reply").path("in_reply_to_tweet_id").asText()).isEqualTo("1001");
        assertThat(calls.get(2).json().path("reply").path("in_reply_to_tweet_id").asText()).isEqualTo("1002");
        assertThat(demo.postedParts()).isEmpty();
    }

    @Test
    void aThreadCutShortByAFailureGoesOnWhereItStoppedOnTheRetry() throws Exception {
        XInstance demo = instance(Map.of());
        String text = "Your parcel left our warehouse on Monday and the carrier has it now. ".repeat(10).strip();
        XSender sender = new XSender(n -> demo);
        // the first post goes, the second meets a 503
        peer.createContext("/2/tweets", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Call call = new Call("POST", "/2/tweets", exchange.getRequestHeaders().getFirst("Authorization"),
                        "application/json", body);
                calls.add(call);
                if (calls.size() == 2) {
                    nextFailure.set(503);
                }
                answer(exchange, call);
            } catch (Exception e) {
                problems.add(e.toString());
            }
        });

        assertThatThrownBy(() -> sender.send(reply(4, Visibility.PUBLIC, text)))
                .isInstanceOf(XSender.SendFailed.class)
                .hasMessage("X could not take the reply now: it answered 503: Service Unavailable");
        assertThat(demo.health().status()).isEqualTo(Status.DEGRADED);
        sender.send(reply(4, Visibility.PUBLIC, text));

        assertThat(calls).hasSize(4);
        // the retry starts with the second post, answering the first
        assertThat(calls.get(2).json().path("text").asText()).isEqualTo(calls.get(1).json().path("text").asText());
        assertThat(calls.get(2).json().path("reply").path("in_reply_to_tweet_id").asText()).isEqualTo("1001");
        assertThat(demo.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void a429WaitsForXsResetWithoutAskingXAgainBeforeIt() throws Exception {
        XInstance demo = instance(Map.of());
        XSender sender = new XSender(n -> demo);
        long reset = now.get().getEpochSecond() + 600;
        resetAt.set(reset);
        nextFailure.set(429);

        assertThatThrownBy(() -> sender.send(reply(5, Visibility.PRIVATE, "hello")))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("X's rate limit for this account is reached (429)");
        assertThat(demo.health().status()).isEqualTo(Status.DOWN);
        assertThat(demo.health().reason()).startsWith("X's rate limit for this account is reached: replies wait until");
        assertThatThrownBy(() -> sender.send(reply(5, Visibility.PRIVATE, "hello")))
                .isInstanceOf(RateLimitedException.class);
        assertThat(calls).hasSize(1);

        now.set(Instant.ofEpochSecond(reset + 1));
        assertThat(demo.health().status()).isEqualTo(Status.UP);
        sender.send(reply(5, Visibility.PRIVATE, "hello"));
        assertThat(calls).hasSize(2);
    }

    @Test
    void a401WithoutRefreshTokenMakesTheDoorAuthExpiredUntilANewToken() throws Exception {
        validToken.set("access-new");
        XInstance demo = instance(Map.of());

        assertThatThrownBy(() -> new XSender(n -> demo).send(reply(6, Visibility.PUBLIC, "hi")))
                .isInstanceOf(XSender.SendFailed.class)
                .hasMessage("X refused the access token (401): the reply waits until an admin sets a new one for "
                        + "channel instance x/demo");
        assertThat(demo.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(demo.health().reason()).isEqualTo("X refused the access token of the account (401: Unauthorized): "
                + "set a new accessToken (and refreshToken, clientId to have it refreshed) in "
                + "configuration org.frontdoor.channel.x~demo");
        assertThat(demo.health().reason()).doesNotContain("access-1");

        // a new cfg is a new activation
        XInstance fixed = instance(Map.of("accessToken", "access-new"));
        new XSender(n -> fixed).send(reply(6, Visibility.PUBLIC, "hi"));
        assertThat(fixed.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void a401IsRefreshedWithTheRefreshTokenAndTheReplySent() throws Exception {
        validToken.set("something else");
        XInstance demo = instance(Map.of("refreshToken", "refresh-1", "clientId", "client-7",
                "clientSecret", "client-secret"));

        new XSender(n -> demo).send(reply(7, Visibility.PRIVATE, "hi"));

        assertThat(calls).extracting(Call::path).containsExactly("/2/dm_conversations/with/3001969357/messages",
                "/2/oauth2/token", "/2/dm_conversations/with/3001969357/messages");
        assertThat(calls.get(1).body()).isEqualTo("grant_type=refresh_token&refresh_token=refresh-1&client_id=client-7");
        assertThat(calls.get(2).authorization()).isEqualTo("Bearer access-2");
        assertThat(demo.tokens().refresh()).isEqualTo("refresh-2");
        assertThat(demo.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void aRestartUsesTheRotatedRefreshTokenNotTheRevokedConfiguredOne() throws Exception {
        Map<String, Object> cfg = Map.of("refreshToken", "refresh-1", "clientId", "client-7",
                "clientSecret", "client-secret");
        validToken.set("expired");
        XInstance before = instance(cfg);
        new XSender(n -> before).send(reply(7, Visibility.PRIVATE, "hi"));
        assertThat(validRefresh).hasValue("refresh-2");
        before.deactivate();

        XInstance restarted = instance(cfg);
        assertThat(restarted.tokens().access()).isEqualTo("access-2");
        assertThat(restarted.tokens().refresh()).isEqualTo("refresh-2");
        validToken.set("expired again");
        new XSender(n -> restarted).send(reply(8, Visibility.PRIVATE, "hi again"));

        assertThat(calls.stream().filter(c -> c.path().equals("/2/oauth2/token")).map(Call::body))
                .containsExactly("grant_type=refresh_token&refresh_token=refresh-1&client_id=client-7",
                        "grant_type=refresh_token&refresh_token=refresh-2&client_id=client-7");
        assertThat(restarted.health().status()).isEqualTo(Status.UP);
        assertThat(restarted.tokens().refresh()).isEqualTo("refresh-3");
        Path file = state.resolve("channel-x-demo.tokens");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        restarted.deactivate();

        // an admin who authorized the app again sets new tokens: they win over the rotated ones
        XInstance reconfigured = instance(Map.of("accessToken", "access-new", "refreshToken", "refresh-new",
                "clientId", "client-7", "clientSecret", "client-secret"));
        assertThat(reconfigured.tokens().access()).isEqualTo("access-new");
        assertThat(reconfigured.tokens().refresh()).isEqualTo("refresh-new");
        assertThat(file).doesNotExist();
    }

    @Test
    void aCustomersAnswerToOurPostJoinsTheConversationThatPostWasSentIn() throws Exception {
        XInstance demo = instance(Map.of("maxPostLength", 40));
        String text = "Sorry Jordan, the parcel was lost on its way. A new one leaves today, with tracking.";
        new XSender(n -> demo).send(reply(3, Visibility.PUBLIC, text));
        assertThat(calls.stream().filter(c -> c.path().equals("/2/tweets")).count()).as("a thread").isGreaterThan(1);
        String lastPost = Integer.toString(nextId.get());

        // the customer answers the last post of our thread, as X delivers it
        byte[] answer = ("{\"for_user_id\":\"2244994945\",\"tweet_create_events\":[{\"id_str\":\"1337000000000000001\","
                + "\"text\":\"@XDevelopers thanks, and the first one?\",\"in_reply_to_status_id_str\":\"" + lastPost + "\","
                + "\"in_reply_to_user_id_str\":\"2244994945\",\"user\":{\"id_str\":\"3001969357\",\"name\":\"Jordan\","
                + "\"screen_name\":\"furiouscamper\"}}]}").getBytes(StandardCharsets.UTF_8);
        XWebhookHandler.Parsed parsed = XWebhookHandler.parse("demo", Instances.ACCOUNT, demo.threads(), answer);
        assertThat(parsed.messages()).singleElement()
                .satisfies(m -> assertThat(m.threadRef()).isEqualTo("post:1336950233925439489"));
        demo.deactivate();

        // after a restart too, and the customer's own follow-up to that answer joins as well
        XInstance restarted = instance(Map.of());
        byte[] followUp = ("{\"for_user_id\":\"2244994945\",\"tweet_create_events\":[{\"id_str\":\"1337000000000000002\","
                + "\"text\":\"@XDevelopers also: wrong colour\",\"in_reply_to_status_id_str\":\"1337000000000000001\","
                + "\"user\":{\"id_str\":\"3001969357\",\"name\":\"Jordan\",\"screen_name\":\"furiouscamper\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(XWebhookHandler.parse("demo", Instances.ACCOUNT, restarted.threads(), answer).messages().get(0)
                .threadRef()).isEqualTo("post:1336950233925439489");
        assertThat(XWebhookHandler.parse("demo", Instances.ACCOUNT, restarted.threads(), followUp).messages().get(0)
                .threadRef()).isEqualTo("post:1336950233925439489");
        // an answer to a post that is not ours, nor joined to one, keeps that post's thread
        byte[] elsewhere = new String(followUp, StandardCharsets.UTF_8).replace("1337000000000000001", "42")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(XWebhookHandler.parse("demo", Instances.ACCOUNT, restarted.threads(), elsewhere).messages().get(0)
                .threadRef()).isEqualTo("post:42");
        restarted.deactivate();
    }

    @Test
    void anotherNodeOnTheSameDatabaseThreadsAnAnswerToAPostThisOneSent() throws Exception {
        XInstance demo = instance(Map.of());
        new XSender(n -> demo).send(reply(4, Visibility.PUBLIC, "Sorry Jordan, a new parcel leaves today."));
        String ourPost = Integer.toString(nextId.get());
        byte[] answer = ("{\"for_user_id\":\"2244994945\",\"tweet_create_events\":[{\"id_str\":\"1337000000000000009\","
                + "\"text\":\"@XDevelopers thanks\",\"in_reply_to_status_id_str\":\"" + ourPost + "\","
                + "\"user\":{\"id_str\":\"3001969357\",\"name\":\"Jordan\",\"screen_name\":\"furiouscamper\"}}]}")
                .getBytes(StandardCharsets.UTF_8);

        // node b: its own state directory (no file of node a's), the same database
        XInstance nodeB = new XInstance(Instances.registeringOnly(), Instances.config(Map.of("baseUrl", base())),
                Map.of("service.pid", XInstance.FACTORY_PID + "~demo"), clock,
                Files.createTempDirectory("frontdoor-x-node-b"), Instances.database(state));
        assertThat(XWebhookHandler.parse("demo", Instances.ACCOUNT, nodeB.threads(), answer).messages().get(0)
                .threadRef()).isEqualTo("post:1336950233925439489");
        nodeB.deactivate();
        demo.deactivate();
    }

    @Test
    void anOlderDoorsThreadsFileIsMovedIntoTheDatabaseOnce() throws Exception {
        Path file = state.resolve("channel-x-demo.threads");
        Files.writeString(file, "1336960000000000001 post:1336950233925439489\n1336960000000000002 post:77\n",
                StandardCharsets.UTF_8);
        XInstance demo = instance(Map.of());
        assertThat(file).doesNotExist();
        assertThat(Instances.database(state).read("x", "demo", "post:1336960000000000002"))
                .hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("post:77"));
        assertThat(demo.threads().threadOf("1336960000000000001")).isEqualTo("post:1336950233925439489");
        demo.deactivate();
    }

    @Test
    void ourOwnPostSentOnXOrByAnotherNodeThreadsTheAnswersToIt() throws Exception {
        XInstance demo = instance(Map.of());
        // own.json: the account's reply 1336960000000000000 to the customer's post 1336950233925439489
        XWebhookHandler.Parsed own = XWebhookHandler.parse("demo", Instances.ACCOUNT, demo.threads(),
                XWebhookHandlerTest.payload("own.json"));
        assertThat(own.messages()).isEmpty();
        byte[] answer = ("{\"for_user_id\":\"2244994945\",\"tweet_create_events\":[{\"id_str\":\"1337000000000000003\","
                + "\"text\":\"@XDevelopers ok\",\"in_reply_to_status_id_str\":\"1336960000000000000\","
                + "\"user\":{\"id_str\":\"3001969357\",\"name\":\"Jordan\",\"screen_name\":\"furiouscamper\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(XWebhookHandler.parse("demo", Instances.ACCOUNT, demo.threads(), answer).messages().get(0)
                .threadRef()).isEqualTo("post:1336950233925439489");
        demo.deactivate();
    }

    @Test
    void aRefusedRefreshTokenMakesTheDoorAuthExpired() throws Exception {
        validToken.set("something else");
        XInstance demo = instance(Map.of("refreshToken", "revoked", "clientId", "client-7",
                "clientSecret", "client-secret"));

        assertThatThrownBy(() -> new XSender(n -> demo).send(reply(8, Visibility.PRIVATE, "hi")))
                .isInstanceOf(XSender.SendFailed.class);

        assertThat(demo.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(demo.health().reason()).isEqualTo("X refused the refresh token of the account (400): authorize the "
                + "app again and set accessToken and refreshToken in configuration org.frontdoor.channel.x~demo");
        assertThat(calls).hasSize(2);
    }

    @Test
    void xRefusingTheContentRefusesTheReplyForGoodWithXsWords() {
        XInstance demo = instance(Map.of());
        nextFailure.set(403);

        assertThatThrownBy(() -> new XSender(n -> demo).send(reply(9, Visibility.PUBLIC, "hi")))
                .isInstanceOf(ReplyRefusedException.class)
                .hasMessage("X refused the reply for good: it answered 403: You are not allowed to create a Tweet "
                        + "with duplicate content.");
        assertThat(demo.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void aDuplicateRefusedOnARetryIsTheEarlierAttemptsPost() throws Exception {
        XInstance demo = instance(Map.of());
        nextFailure.set(403);
        OutboundReply retry = new OutboundReply(12, 7, "x", "demo", Identity.of("x", "3001969357"), null,
                "1336950233925439489", Visibility.PUBLIC, "hi", "jane", Instant.now(), 2);

        new XSender(n -> demo).send(retry);

        assertThat(calls).hasSize(1);
        assertThat(demo.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void aPublicReplyWithoutAPostToAnswerIsRefused() {
        XInstance demo = instance(Map.of());
        OutboundReply noPost = new OutboundReply(10, 7, "x", "demo", Identity.of("x", "3001969357"), null, null,
                Visibility.PUBLIC, "hi", "jane", Instant.now(), 1);

        assertThatThrownBy(() -> new XSender(n -> demo).send(noPost)).isInstanceOf(ReplyRefusedException.class)
                .hasMessage("there is no post of the customer on X to answer in public: answer in private");
        assertThat(calls).isEmpty();
    }

    @Test
    void noPeerIsAPassingFailureNamingHostAndPortOnly() throws Exception {
        XInstance demo = instance(Map.of());
        int port = peer.getAddress().getPort();
        peer.stop(0);

        assertThatThrownBy(() -> new XSender(n -> demo).send(reply(11, Visibility.PRIVATE, "hi")))
                .isInstanceOf(XSender.SendFailed.class)
                .hasMessage("could not connect to X at 127.0.0.1:" + port + ": nothing accepted the connection");
        assertThat(demo.health().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void theDoorCountsAsXAndThreadsPublicReplies() {
        XInstance demo = instance(Map.of());

        assertThat(demo.capabilities().maxLength()).isEqualTo(280);
        assertThat(demo.capabilities().counting()).isEqualTo(
                org.frontdoor.api.ChannelCapabilities.LengthCounting.X_WEIGHTED);
        assertThat(demo.capabilities().segmentation()).isTrue();
        assertThat(demo.capabilities().publicReplies()).isTrue();
        assertThat(demo.capabilities().privateReplies()).isTrue();
        assertThat(instance(Map.of("accessToken", "")).health().status()).isEqualTo(Status.DOWN);
        assertThat(instance(Map.of("accountId", "@XDevelopers")).health().reason())
                .startsWith("accountId must be the account's numeric X user id");
    }
}
