package org.frontdoor.channel.mastodon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.Test;

/** Mastodon's documented payloads (docs.joinmastodon.org, entities/Notification) as vectors. */
class MastodonNotificationsTest {

    static String payload(String name) throws IOException {
        try (InputStream in = MastodonNotificationsTest.class.getResourceAsStream("/payloads/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDocumentedMentionBecomesAPublicMessageKeyedByItsStatusId() throws IOException {
        MastodonNotifications.Mention m = MastodonNotifications.mention(
                MastodonNotifications.notification(payload("mention.json")));

        assertThat(m.notificationId()).isEqualTo("34975861");
        assertThat(m.statusId()).isEqualTo("103186126728896492");
        assertThat(m.inReplyToId()).isEqualTo("103186038209478512");
        assertThat(m.acct()).isEqualTo("zsc");
        assertThat(m.text()).isEqualTo("@trwnh sup!");
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2019-11-23T07:49:01.940Z"));
        Message message = m.message("brand");
        assertThat(message.externalId()).isEqualTo("103186126728896492");
        assertThat(message.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(message.author().handle()).isEqualTo("zsc");
        assertThat(message.author().displayName()).isEqualTo("@zsc");
        assertThat(message.threadRef()).isEqualTo("mentions:zsc");
        assertThat(message.rawPayload()).contains("103186126728896492");
    }

    @Test
    void aDirectMentionIsPrivateAndItsHtmlPlainTextWithTheWholeLinkAndNoMarkup() throws IOException {
        MastodonNotifications.Mention m = MastodonNotifications.mention(
                MastodonNotifications.notification(payload("direct.json")));

        assertThat(m.side()).isEqualTo(Visibility.PRIVATE);
        assertThat(m.acct()).isEqualTo("alice@other.example");
        assertThat(m.displayName()).isEqualTo("Alice Liddell (@alice@other.example)");
        assertThat(m.inReplyToId()).isNull();
        assertThat(m.text()).isEqualTo("CW: order 5521\n\n@trwnh my parcel & invoice are missing\n"
                + "tracking: https://track.example.com/parcels/5521-ABCDEF-long-path\n\n"
                + "<script>alert(1)</script> thanks");
        assertThat(m.message("brand").threadRef()).isEqualTo("direct:alice@other.example");
    }

    @Test
    void followersOnlyIsAnsweredInPrivateAndUnlistedInPublic() throws IOException {
        String unlisted = payload("mention.json").replace("\"visibility\": \"public\"", "\"visibility\": \"unlisted\"");
        String followers = payload("mention.json").replace("\"visibility\": \"public\"", "\"visibility\": \"private\"");
        assertThat(MastodonNotifications.mention(MastodonNotifications.notification(unlisted)).side())
                .isEqualTo(Visibility.PUBLIC);
        assertThat(MastodonNotifications.mention(MastodonNotifications.notification(followers)).side())
                .isEqualTo(Visibility.PRIVATE);
    }

    @Test
    void anotherTypeOfNotificationIsNoMention() throws IOException {
        assertThat(MastodonNotifications.mention(MastodonNotifications.notification(payload("favourite.json"))))
                .isNull();
    }

    @Test
    void theNotificationAsAJsonStringOrAsAWebSocketPayloadIsTakenToo() throws IOException {
        String json = MastodonApi.JSON.readTree(payload("mention.json")).toString();
        String asString = MastodonApi.JSON.writeValueAsString(json);
        String websocket = "{\"stream\":[\"user:notification\"],\"event\":\"notification\",\"payload\":" + asString
                + "}";

        assertThat(MastodonNotifications.mention(MastodonNotifications.notification(asString)).statusId())
                .isEqualTo("103186126728896492");
        assertThat(MastodonNotifications.mention(MastodonNotifications.notification(websocket)).statusId())
                .isEqualTo("103186126728896492");
    }

    @Test
    void aMalformedOrIncompleteNotificationIsRefusedWithTheReason() throws IOException {
        String mention = payload("mention.json");
        assertThatThrownBy(() -> MastodonNotifications.notification(mention.substring(0, mention.length() / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the notification is not JSON");
        assertThatThrownBy(() -> MastodonNotifications.notification("[1,2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the notification is not a JSON object");
        JsonNode noStatus = MastodonApi.JSON.readTree("{\"id\":\"1\",\"type\":\"mention\"}");
        assertThatThrownBy(() -> MastodonNotifications.mention(noStatus))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing field: status (mention 1)");
        JsonNode badVisibility = MastodonApi.JSON.readTree(mention.replace("\"visibility\": \"public\"",
                "\"visibility\": \"everyone\""));
        assertThatThrownBy(() -> MastodonNotifications.mention(badVisibility))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status.visibility");
        JsonNode noAcct = MastodonApi.JSON.readTree(mention.replace("\"acct\": \"zsc\"", "\"acct\": \"\""));
        assertThatThrownBy(() -> MastodonNotifications.mention(noAcct))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing field: status.account.acct");
    }

    @Test
    void htmlBecomesTheTextPeopleRead() {
        assertThat(MastodonNotifications.plainText("<p>one</p><p>two<br />three</p>")).isEqualTo("one\n\ntwo\nthree");
        assertThat(MastodonNotifications.plainText("<p>a &lt;b&gt; &amp; &quot;c&quot;</p>"))
                .isEqualTo("a <b> & \"c\"");
        assertThat(MastodonNotifications.plainText("<p>   spaced\n\n   out   </p>")).isEqualTo("spaced out");
        assertThat(MastodonNotifications.plainText("<p>x<img src=x onerror=alert(1)>y<script>z()</script></p>"))
                .isEqualTo("xy");
        assertThat(MastodonNotifications.plainText("")).isEmpty();
    }

    @Test
    void serverSentEventsAreReadWithHeartbeatsSkippedAndDataLinesJoined() throws IOException {
        BufferedReader stream = new BufferedReader(new StringReader(":)\n:thump\n\nevent: update\ndata: {}\n\n"
                + "event: notification\ndata: {\"a\":\ndata: 1}\nid: 7\n\n:thump\nevent: delete\n"));
        AtomicInteger lines = new AtomicInteger();

        MastodonNotifications.Event first = MastodonNotifications.next(stream, lines::incrementAndGet);
        MastodonNotifications.Event second = MastodonNotifications.next(stream, lines::incrementAndGet);
        MastodonNotifications.Event end = MastodonNotifications.next(stream, lines::incrementAndGet);

        assertThat(first).isEqualTo(new MastodonNotifications.Event("update", "{}"));
        assertThat(second).isEqualTo(new MastodonNotifications.Event("notification", "{\"a\":\n1}"));
        assertThat(end).as("an event cut off by the end of the stream").isNull();
        assertThat(lines.get()).isEqualTo(13);
    }

    @Test
    void idsCompareAsMastodonsNumbers() {
        assertThat(MastodonInstance.compareIds("103186126728896492", "99999999999999999")).isPositive();
        assertThat(MastodonInstance.compareIds("34975861", "34975861")).isZero();
        assertThat(MastodonInstance.compareIds("34975860", "34975861")).isNegative();
        assertThat(MastodonInstance.compareIds("5", "0")).isPositive();
    }

    @Test
    void aLinkToAnotherServerIsNotFollowedWithTheToken() {
        MastodonApi api = new MastodonApi(java.net.URI.create("https://mastodon.example"), "t",
                java.time.Duration.ofSeconds(5));
        assertThat(api.next("<https://mastodon.example/api/v1/notifications?max_id=34975535>; rel=\"next\", "
                + "<https://mastodon.example/api/v1/notifications?min_id=34975861>; rel=\"prev\""))
                .hasToString("https://mastodon.example/api/v1/notifications?max_id=34975535");
        assertThat(api.next("<https://evil.example/api/v1/notifications?max_id=1>; rel=\"next\"")).isNull();
        assertThat(api.next("<http://mastodon.example/api/v1/notifications?max_id=1>; rel=\"next\"")).isNull();
        assertThat(api.next("<https://mastodon.example/api/v1/notifications?min_id=1>; rel=\"prev\"")).isNull();
        assertThat(MastodonApi.reset("2017-05-17T14:42:00.000Z")).isEqualTo(Instant.parse("2017-05-17T14:42:00Z"));
        assertThat(MastodonApi.reset("soon")).isNull();
    }
}
