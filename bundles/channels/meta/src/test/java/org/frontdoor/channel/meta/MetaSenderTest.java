package org.frontdoor.channel.meta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replies against a local Graph API that checks each documented request and answers as Meta does. */
class MetaSenderTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
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
    private final GraphPeer graph;
    private final MetaInstance instance;
    private final AtomicReference<Instant> lastInbound = new AtomicReference<>();
    private final MetaSender sender;

    MetaSenderTest() throws Exception {
        graph = new GraphPeer(Instances.TOKEN);
        instance = Instances.instance("shop", Map.of("baseUrl", graph.baseUrl()), clock);
        sender = new MetaSender(name -> name.equals("shop") ? instance : null,
                reply -> Optional.ofNullable(lastInbound.get()));
    }

    @AfterEach
    void close() {
        assertThat(graph.rejections()).as("requests the Graph API rejected").isEmpty();
        graph.close();
    }

    private static OutboundReply reply(String handle, String thread, String inReplyTo, Visibility visibility,
                                       String text) {
        return new OutboundReply(7, 1, "meta", "shop", Identity.of("meta", handle), thread, inReplyTo, visibility,
                text, "jane", Instant.parse("2026-12-07T09:59:00Z"), 1);
    }

    private JsonNode lastBody() {
        return graph.accepted().get(graph.accepted().size() - 1).json();
    }

    private String lastPath() {
        return graph.accepted().get(graph.accepted().size() - 1).path();
    }

    @Test
    void aMessengerReplyGoesToMeMessagesWithTheRecipientAndTheTokenAsBearer() throws Exception {
        String id = sender.send(reply("fb:4937581736281234", "fb:106382998410001:4937581736281234", "m_1",
                Visibility.PRIVATE, "We are on it"));

        assertThat(lastPath()).isEqualTo("/v21.0/me/messages");
        assertThat(lastBody().path("recipient").path("id").asText()).isEqualTo("4937581736281234");
        assertThat(lastBody().path("message").path("text").asText()).isEqualTo("We are on it");
        assertThat(graph.accepted().get(0).query()).isNull();
        assertThat(instance.health().status()).isEqualTo(Status.UP);
        assertThat(id).as("Meta's message_id, which its receipts name").isEqualTo("m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM");
    }

    @Test
    void anInstagramDirectReplyGoesToMeMessagesToo() throws Exception {
        sender.send(reply("ig:1254459154682919", "ig:17841405822304914:1254459154682919", "aWdf", Visibility.PRIVATE,
                "Back on Monday"));

        assertThat(lastPath()).isEqualTo("/v21.0/me/messages");
        assertThat(lastBody().path("recipient").path("id").asText()).isEqualTo("1254459154682919");
    }

    @Test
    void publicRepliesAnswerTheCommentOnItsNetwork() throws Exception {
        String id = sender.send(reply("fb:3175416759234567", "fbpost:106382998410001_444444444", "444444444_555555555",
                Visibility.PUBLIC, "Sorry! We refunded you today"));
        assertThat(lastPath()).isEqualTo("/v21.0/444444444_555555555/comments");
        assertThat(lastBody().path("message").asText()).isEqualTo("Sorry! We refunded you today");
        assertThat(id).as("a comment gets no receipts: no vendor id kept").isNull();

        sender.send(reply("ig:232323232", "igmedia:17906425913068391", "17865799348089039", Visibility.PUBLIC,
                "We are sorry, check your DMs"));
        assertThat(lastPath()).isEqualTo("/v21.0/17865799348089039/replies");
    }

    @Test
    void aPrivateAnswerToACommentIsMetasPrivateReplyByCommentId() throws Exception {
        sender.send(reply("fb:3175416759234567", "fbpost:106382998410001_444444444", "444444444_555555555",
                Visibility.PRIVATE, "May I have your order number?"));

        assertThat(lastPath()).isEqualTo("/v21.0/me/messages");
        assertThat(lastBody().path("recipient").path("comment_id").asText()).isEqualTo("444444444_555555555");
    }

    @Test
    void aWhatsAppReplyInsideTheWindowIsAFreeFormText() throws Exception {
        lastInbound.set(now.get().minus(Duration.ofHours(23)));

        String id = sender.send(reply("wa:16505551234", "wa:106540352242922:16505551234", "wamid.X",
                Visibility.PRIVATE, "Yes, in red"));

        assertThat(lastPath()).isEqualTo("/v21.0/106540352242922/messages");
        assertThat(lastBody().path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(lastBody().path("to").asText()).isEqualTo("16505551234");
        assertThat(lastBody().path("type").asText()).isEqualTo("text");
        assertThat(lastBody().path("text").path("body").asText()).isEqualTo("Yes, in red");
        assertThat(id).as("WhatsApp's messages[0].id")
                .isEqualTo("wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
    }

    @Test
    void aFreeFormWhatsAppReplyOutsideTheWindowIsRefusedNamingTheTemplatesAndNothingIsSent() {
        lastInbound.set(now.get().minus(Duration.ofHours(24)).minusSeconds(1));

        assertThatThrownBy(() -> sender.send(reply("wa:16505551234", "wa:106540352242922:16505551234", "wamid.X",
                Visibility.PRIVATE, "Still there?")))
                .isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("only within 24 hours")
                .hasMessageContaining("2026-12-06 09:59 UTC")
                .hasMessageContaining("/template <name>")
                .hasMessageContaining("order_update (en_US), hello_world (en_US)");
        lastInbound.set(null);
        assertThatThrownBy(() -> sender.send(reply("wa:16505551234", "wa:106540352242922:16505551234", null,
                Visibility.PRIVATE, "Hello?"))).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("has not written");
        assertThat(graph.received()).isEmpty();
    }

    @Test
    void anApprovedTemplateGoesOutOutsideTheWindowWithItsParameters() throws Exception {
        lastInbound.set(now.get().minus(Duration.ofDays(3)));

        sender.send(reply("wa:16505551234", "wa:106540352242922:16505551234", null, Visibility.PRIVATE,
                "/template order_update 5521 | Monday"));

        JsonNode body = lastBody();
        assertThat(body.path("type").asText()).isEqualTo("template");
        assertThat(body.path("template").path("name").asText()).isEqualTo("order_update");
        assertThat(body.path("template").path("language").path("code").asText()).isEqualTo("en_US");
        JsonNode parameters = body.path("template").path("components").get(0).path("parameters");
        assertThat(parameters.get(0).path("text").asText()).isEqualTo("5521");
        assertThat(parameters.get(1).path("text").asText()).isEqualTo("Monday");
        assertThatThrownBy(() -> sender.send(reply("wa:16505551234", "wa:106540352242922:16505551234", null,
                Visibility.PRIVATE, "/template spam_blast"))).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("'spam_blast' is not an approved template");
    }

    @Test
    void anExpiredTokenTurnsTheDoorAuthExpiredWithTheReasonAndTheReplyWaits() {
        graph.expiredToken();

        assertThatThrownBy(() -> sender.send(reply("fb:4937581736281234", "fb:106382998410001:4937581736281234",
                "m_1", Visibility.PRIVATE, "Hello"))).isInstanceOf(MetaSender.SendFailed.class)
                .hasMessageContaining("waits until an admin sets a new one");

        assertThat(instance.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(instance.health().reason()).contains("code 190").contains("Session has expired")
                .contains("set a new accessToken").doesNotContain(Instances.TOKEN);
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED); // core lets one reply try again
    }

    @Test
    void aRateLimitIsHonouredUntilRetryAfterWithoutCallingMetaMeanwhile() throws Exception {
        graph.answer(new org.frontdoor.testkit.VendorPeer.Answer(429, Map.of("Retry-After", "120",
                "Content-Type", "application/json"), "{\"error\":{\"message\":\"(#4) Application request limit "
                + "reached\",\"type\":\"OAuthException\",\"code\":4}}"));
        OutboundReply r = reply("fb:4937581736281234", "fb:106382998410001:4937581736281234", "m_1",
                Visibility.PRIVATE, "Hello");

        assertThatThrownBy(() -> sender.send(r)).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("10:02 UTC");
        assertThat(instance.health().status()).isEqualTo(Status.DOWN);
        assertThatThrownBy(() -> sender.send(r)).isInstanceOf(RateLimitedException.class);
        assertThat(graph.received()).hasSize(1);

        now.set(now.get().plusSeconds(121));
        sender.send(r);
        assertThat(graph.accepted()).hasSize(1);
        assertThat(instance.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void code613WithoutRetryAfterWaitsAMinute() {
        graph.error(400, 613, "Calls to this api have exceeded the rate limit.");

        assertThatThrownBy(() -> sender.send(reply("fb:4937581736281234", "fb:106382998410001:4937581736281234",
                "m_1", Visibility.PRIVATE, "Hello"))).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("code 613").hasMessageContaining("10:01 UTC");
    }

    @Test
    void aServerErrorIsPassingAndARefusalIsForGoodWithMetasWords() {
        OutboundReply r = reply("fb:4937581736281234", "fb:106382998410001:4937581736281234", "m_1",
                Visibility.PRIVATE, "Hello");
        graph.error(500, 2, "An unexpected error has occurred. Please retry your request later.");
        assertThatThrownBy(() -> sender.send(r)).isInstanceOf(MetaSender.SendFailed.class)
                .hasMessageContaining("could not take the reply now");
        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);

        graph.error(400, 100, "(#100) No matching user found");
        assertThatThrownBy(() -> sender.send(r)).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("refused the reply for good").hasMessageContaining("No matching user found");
        graph.error(400, 131047, "Re-engagement message");
        assertThatThrownBy(() -> sender.send(reply("wa:16505551234", "wa:106540352242922:16505551234", null,
                Visibility.PRIVATE, "/template hello_world"))).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("more than 24 hours").hasMessageContaining("hello_world (en_US)");
    }

    @Test
    void aReplyOverTheSidesOwnLimitOrOnASideWithoutItIsRefusedUnsent() {
        assertThatThrownBy(() -> sender.send(reply("ig:1254459154682919", "ig:17841405822304914:1254459154682919",
                null, Visibility.PRIVATE, "x".repeat(1001)))).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("at most 1000").hasMessageContaining("cut 1");
        assertThatThrownBy(() -> sender.send(reply("fb:4937581736281234", "fb:106382998410001:4937581736281234",
                null, Visibility.PUBLIC, "Hello"))).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("no public side");
        assertThatThrownBy(() -> sender.send(reply("wa:16505551234", "wa:106540352242922:16505551234", null,
                Visibility.PUBLIC, "Hello"))).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("WhatsApp has no public side");
        assertThatThrownBy(() -> sender.send(reply("fb:1", "fbpost:1_2", null, Visibility.PUBLIC, "Hello")))
                .isInstanceOf(ReplyRefusedException.class).hasMessageContaining("no comment of the customer");
        assertThat(graph.received()).isEmpty();
    }

    @Test
    void aDeadPeerIsAPassingFailureNamingHostAndPortOnly() {
        graph.down();

        assertThatThrownBy(() -> sender.send(reply("fb:4937581736281234", "fb:106382998410001:4937581736281234",
                "m_1", Visibility.PRIVATE, "Hello"))).isInstanceOf(MetaSender.SendFailed.class)
                .hasMessageContaining("could not connect to Meta at ").hasMessageNotContaining("/v21.0");
        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void aPageCommentIsHiddenWithIsHiddenAndAnInstagramCommentWithHideBothWithTheTokenAsBearer() throws Exception {
        assertThat(instance.moderationActions()).containsExactlyInAnyOrder(
                org.frontdoor.api.ChannelModeration.Action.HIDE, org.frontdoor.api.ChannelModeration.Action.UNHIDE);
        instance.setHidden("106382998410001_4927381", true);
        assertThat(lastPath()).isEqualTo("/" + GraphPeer.VERSION + "/106382998410001_4927381");
        assertThat(lastBody().path("is_hidden").asBoolean()).isTrue();
        instance.setHidden("17858893269000001", false);
        assertThat(lastPath()).isEqualTo("/" + GraphPeer.VERSION + "/17858893269000001");
        assertThat(lastBody().path("hide").isBoolean()).isTrue();
        assertThat(lastBody().path("hide").asBoolean()).isFalse();
        assertThat(graph.accepted().get(0).header("Authorization")).isEqualTo("Bearer " + Instances.TOKEN);
    }

    @Test
    void hidingIsRefusedForGoodWhenMetaSaysNeverAndWaitsWhenMetaCannotNowOrRefusesTheToken() throws Exception {
        assertThatThrownBy(() -> instance.setHidden("../me/messages", true))
                .isInstanceOf(org.frontdoor.api.ModerationRefusedException.class).hasMessageContaining("not a");
        assertThat(graph.accepted()).isEmpty();

        graph.error(400, 10, "Application does not have permission for this action");
        assertThatThrownBy(() -> instance.setHidden("106382998410001_4927381", true))
                .isInstanceOf(org.frontdoor.api.ModerationRefusedException.class)
                .hasMessageContaining("Application does not have permission").hasMessageContaining("pages_manage");

        graph.error(503, 2, "Service temporarily unavailable");
        assertThatThrownBy(() -> instance.setHidden("106382998410001_4927381", true))
                .isInstanceOf(org.frontdoor.api.ModerationUnavailableException.class).hasMessageContaining("503");

        graph.expiredToken();
        assertThatThrownBy(() -> instance.setHidden("17858893269000001", true))
                .isInstanceOf(org.frontdoor.api.ModerationUnavailableException.class)
                .hasMessageContaining("access token").satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain(Instances.TOKEN));
        assertThat(instance.health().status()).isEqualTo(Status.AUTH_EXPIRED);
    }
}
