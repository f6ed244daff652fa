package org.frontdoor.channel.mastodon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.frontdoor.testkit.MastodonPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replies as statuses to a local Mastodon that checks each request. */
class MastodonSenderTest {

    private static final String TOKEN = "token-SE-" + System.nanoTime();

    @TempDir
    Path data;
    private MastodonPeer peer;
    private MastodonInstance brand;
    private MastodonSender sender;

    @BeforeEach
    void start() throws Exception {
        peer = new MastodonPeer("brand", TOKEN);
        brand = Instances.instance(peer, TOKEN, new Instances.Store(), data, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> brand.health().status() == Status.UP);
        sender = new MastodonSender(name -> "brand".equals(name) ? brand : null);
    }

    @AfterEach
    void stop() {
        brand.deactivate();
        peer.close();
    }

    private static OutboundReply reply(long id, String acct, String inReplyTo, Visibility visibility, String text,
                                       int attempt) {
        return new OutboundReply(id, 7, "mastodon", "brand", new Identity("mastodon", acct, null, null, null, 0),
                null, inReplyTo, visibility, text, "agent", Instant.now(), attempt);
    }

    @Test
    void aPublicReplyIsAStatusInReplyToTheMentionStartingWithTheCustomersAcct() throws Exception {
        sender.send(reply(11, "alice@other.example", "103186126728896492", Visibility.PUBLIC, "We are on it", 1));

        assertThat(peer.posted()).singleElement().satisfies(p -> {
            assertThat(p.text()).isEqualTo("@alice@other.example We are on it");
            assertThat(p.body().path("in_reply_to_id").asText()).isEqualTo("103186126728896492");
            assertThat(p.body().path("visibility").asText()).isEqualTo("public");
            assertThat(p.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(p.idempotencyKey()).isEqualTo("frontdoor-mastodon-brand-reply-11");
        });
        assertThat(peer.problems()).isEmpty();
    }

    @Test
    void aPrivateReplyIsDirectAndAMentionTheAgentWroteIsNotDoubled() throws Exception {
        sender.send(reply(12, "bob", "5", Visibility.PRIVATE, "@Bob here is your code", 1));

        assertThat(peer.posted()).singleElement().satisfies(p -> {
            assertThat(p.text()).isEqualTo("@Bob here is your code");
            assertThat(p.body().path("visibility").asText()).isEqualTo("direct");
        });
        assertThat(MastodonSender.withMention("bob", "@bobby hi")).isEqualTo("@bob @bobby hi");
    }

    @Test
    void aRetryAfterALostAnswerPostsNothingTwice() throws Exception {
        OutboundReply first = reply(13, "carol", "6", Visibility.PUBLIC, "Done", 1);
        sender.send(first);
        sender.send(reply(13, "carol", "6", Visibility.PUBLIC, "Done", 2));

        assertThat(peer.posted()).hasSize(1);
    }

    @Test
    void a429WaitsUntilMastodonsResetAndNoRequestGoesOutMeanwhile() throws Exception {
        Instant reset = Instant.now().plusSeconds(120);
        peer.rateLimitNextPost(reset);

        assertThatThrownBy(() -> sender.send(reply(14, "dave", "7", Visibility.PUBLIC, "Hello", 1)))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("429");
        assertThatThrownBy(() -> sender.send(reply(15, "dave", "7", Visibility.PUBLIC, "Hello again", 1)))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("waits until");

        assertThat(brand.rateLimitedUntil()).isEqualTo(reset);
        assertThat(peer.posted()).isEmpty();
    }

    @Test
    void a401IsAuthExpiredAndTheReplyWaitsWithoutTheToken() {
        peer.token("new-" + TOKEN);

        assertThatThrownBy(() -> sender.send(reply(16, "erin", "8", Visibility.PUBLIC, "Hi", 1)))
                .isInstanceOf(MastodonSender.SendFailed.class).hasMessageContaining("waits")
                .hasMessageNotContaining(TOKEN);

        assertThat(brand.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(brand.health().reason()).contains("POST /api/v1/statuses answered 401").doesNotContain(TOKEN);
    }

    @Test
    void aStatusMastodonRefusesIsRefusedForGoodWithItsWords() {
        peer.maxCharacters(40);

        assertThatThrownBy(() -> sender.send(reply(17, "fay", "9", Visibility.PUBLIC, "x".repeat(60), 1)))
                .isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("422").hasMessageContaining("Text character limit of 40 exceeded");
        assertThatThrownBy(() -> sender.send(reply(18, "bad acct!", "9", Visibility.PUBLIC, "x", 1)))
                .isInstanceOf(ReplyRefusedException.class);
    }

    @Test
    void anInstanceThatIsNotConfiguredIsAPassingFailure() {
        OutboundReply elsewhere = new OutboundReply(19, 7, "mastodon", "other", new Identity("mastodon", "g", null,
                null, null, 0), null, null, Visibility.PUBLIC, "x", "agent", Instant.now(), 1);
        assertThatThrownBy(() -> sender.send(elsewhere)).isInstanceOf(MastodonSender.SendFailed.class)
                .hasMessageContaining("mastodon/other is not configured");
    }
}
