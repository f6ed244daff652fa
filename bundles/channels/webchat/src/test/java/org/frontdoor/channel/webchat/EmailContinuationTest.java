package org.frontdoor.channel.webchat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.frontdoor.api.Customers;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ReplyRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An agent's reply to a visitor who left goes on by e-mail to the address the visitor confirmed, and only then. */
class EmailContinuationTest {

    private static final String KEY = LiveVisitors.key("shop", "v-1");
    private static final Identity ANN = new Identity("email", "ann@example.org", "Ann", "ann@example.org", null, 0);

    @TempDir
    Path secrets;

    private final LiveVisitors live = new LiveVisitors();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Object[]> sentVia = new CopyOnWriteArrayList<>();
    private final List<Identity> asked = new CopyOnWriteArrayList<>();
    private List<Identity> confirmed = List.of(ANN);

    private final Inbox inbox = (Inbox) Proxy.newProxyInstance(Inbox.class.getClassLoader(),
            new Class<?>[] {Inbox.class}, (proxy, method, args) -> {
                if (method.getName().equals("replyVia")) {
                    sentVia.add(new Object[] {args[0], args[1], args[2], args[3], args.length > 4 ? args[4] : null});
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final Customers customers = (Customers) Proxy.newProxyInstance(Customers.class.getClassLoader(),
            new Class<?>[] {Customers.class}, (proxy, method, args) -> {
                if (method.getName().equals("verifiedIdentities")) {
                    asked.add((Identity) args[1]);
                    assertThat(args[2]).isEqualTo("email");
                    return confirmed;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final EmailContinuation continuation = new EmailContinuation(live, () -> inbox, () -> customers, timer,
            now::get);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private WebchatInstance instance(Map<String, Object> config) {
        Map<String, Object> all = new java.util.HashMap<>(config);
        all.putIfAbsent("allowedOrigins", new String[] {"https://www.example.com"});
        return new WebchatInstance(null, Configs.config(all), Configs.pid("shop"), secrets, Clock.systemUTC());
    }

    private static OutboundReply reply(long id) {
        return new OutboundReply(id, 7, "webchat", "shop", Identity.of("webchat", KEY), "v-1", null,
                Visibility.PRIVATE, "Your parcel left today", "jane", Instant.now(), 1);
    }

    /** Runs what the timer holds (delayed tasks run on shutdown) and waits until it has. */
    private void runWaitingChecks() throws InterruptedException {
        timer.shutdown();
        assertThat(timer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aVisitorThisNodeDoesNotKnowGetsTheReplyByEmailAtOnce() {
        continuation.delivered(instance(Map.of("confirmVia", "support")), reply(11), KEY);

        assertThat(asked).containsExactly(Identity.of("webchat", KEY));
        assertThat(sentVia).singleElement().satisfies(call -> {
            assertThat(call[0].toString()).contains("channel-webchat-shop");
            assertThat(call[1]).isEqualTo(7L);
            assertThat(call[2]).isEqualTo("Your parcel left today");
            ReplyRoute via = (ReplyRoute) call[3];
            assertThat(via.channel()).isEqualTo("email");
            assertThat(via.instance()).isEqualTo("support");
            assertThat(via.recipient().handle()).isEqualTo("ann@example.org");
            assertThat(call[4]).as("the idempotency key: one e-mail per chat reply, however often it is delivered")
                    .isEqualTo("webchat-reply-11");
        });
    }

    @Test
    void aVisitorInTheChatGetsNoEmail() throws InterruptedException {
        Consumer<LiveVisitors.Pushed> window = pushed -> { };
        live.listen(KEY, window);

        continuation.delivered(instance(Map.of("confirmVia", "support")), reply(11), KEY);
        runWaitingChecks();

        assertThat(sentVia).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void aVisitorWhoJustLeftGetsTheEmailOnceTheTimeHasPassedUnlessBackMeanwhile() throws InterruptedException {
        Consumer<LiveVisitors.Pushed> window = pushed -> { };
        WebchatInstance shop = instance(Map.of("confirmVia", "support", "emailWhenGoneAfterSeconds", 1));
        live.listen(KEY, window);
        live.unlisten(KEY, window); // left: idle since the wall clock's now
        now.set(System.currentTimeMillis());

        continuation.delivered(shop, reply(11), KEY);
        assertThat(sentVia).as("not yet: the visitor may be changing pages").isEmpty();
        now.addAndGet(1_000);
        await().untilAsserted(() -> assertThat(sentVia).hasSize(1));

        now.set(System.currentTimeMillis());
        continuation.delivered(shop, reply(12), KEY); // gone for 1 s already: at once
        assertThat(sentVia).hasSize(2);

        live.listen(KEY, window);
        live.unlisten(KEY, window); // a new visit, then gone again
        now.set(System.currentTimeMillis());
        continuation.delivered(shop, reply(13), KEY);
        live.listen(KEY, window); // back before the time passed: the chat shows the reply
        now.addAndGet(5_000);
        runWaitingChecks();
        assertThat(sentVia).hasSize(2);
    }

    @Test
    void withoutAConfirmedAddressOrWithoutAnEmailDoorTheReplyStaysInTheChat() throws InterruptedException {
        confirmed = List.of();
        continuation.delivered(instance(Map.of("confirmVia", "support")), reply(11), KEY);
        continuation.delivered(instance(Map.of()), reply(12), KEY);
        continuation.delivered(instance(Map.of("confirmVia", "support", "emailWhenGoneAfterSeconds", 0)), reply(13), KEY);
        runWaitingChecks();

        assertThat(asked).hasSize(1);
        assertThat(sentVia).isEmpty();
    }
}
