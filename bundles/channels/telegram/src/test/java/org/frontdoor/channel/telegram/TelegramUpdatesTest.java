package org.frontdoor.channel.telegram;

import java.nio.charset.StandardCharsets;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Updates shaped as the Bot API documents them (https://core.telegram.org/bots/api#update). */
class TelegramUpdatesTest {

    static final String PRIVATE = """
            {"update_id":10000,
             "message":{"message_id":1365,"date":1441645532,
               "from":{"id":1111111,"is_bot":false,"first_name":"Jane","last_name":"Doe","username":"janedoe",
                       "language_code":"en"},
               "chat":{"id":1111111,"first_name":"Jane","last_name":"Doe","username":"janedoe","type":"private"},
               "text":"My order 4711 never arrived"}}""";

    static final String GROUP_MENTION = """
            {"update_id":10001,
             "message":{"message_id":77,"date":1441645600,
               "from":{"id":2222222,"is_bot":false,"first_name":"Bob","username":"bob"},
               "chat":{"id":-1001234567890,"title":"Shop fans","type":"supergroup"},
               "text":"😀 @Shop_Bot why is the app down?",
               "entities":[{"offset":3,"length":9,"type":"mention"}]}}""";

    static final String GROUP_CHATTER = """
            {"update_id":10002,
             "message":{"message_id":78,"date":1441645601,
               "from":{"id":2222222,"is_bot":false,"first_name":"Bob"},
               "chat":{"id":-1001234567890,"title":"Shop fans","type":"supergroup"},
               "text":"@someone_else lunch?","entities":[{"offset":0,"length":13,"type":"mention"}]}}""";

    static final String EDITED = """
            {"update_id":10003,
             "edited_message":{"message_id":1365,"date":1441645532,"edit_date":1441645700,
               "from":{"id":1111111,"is_bot":false,"first_name":"Jane"},
               "chat":{"id":1111111,"first_name":"Jane","type":"private"},
               "text":"My order 4711 never arrived (ordered on Monday)"}}""";

    static final String PHOTO = """
            {"update_id":10004,
             "message":{"message_id":1366,"date":1441645800,
               "from":{"id":1111111,"is_bot":false,"first_name":"Jane"},
               "chat":{"id":1111111,"first_name":"Jane","type":"private"},
               "photo":[{"file_id":"AgAD-small","file_unique_id":"s1","file_size":1234,"width":90,"height":67},
                        {"file_id":"AgAD-large","file_unique_id":"l1","file_size":3,"width":1280,"height":960}],
               "caption":"The parcel as it came"}}""";

    static Message message(String update) {
        TelegramUpdates.Parsed parsed = TelegramUpdates.parse("shop", "shop_bot", update.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.ignored()).isNull();
        return parsed.message();
    }

    @Test
    void aPrivateMessageIsThePrivateSideWithTheChatAsItsThread() {
        Message m = message(PRIVATE);
        assertThat(m.channel()).isEqualTo("telegram");
        assertThat(m.instance()).isEqualTo("shop");
        assertThat(m.externalId()).isEqualTo("10000:1111111:1365");
        assertThat(m.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(m.threadRef()).isEqualTo("1111111");
        assertThat(m.text()).isEqualTo("My order 4711 never arrived");
        assertThat(m.author().handle()).isEqualTo("1111111");
        assertThat(m.author().displayName()).isEqualTo("Jane Doe (@janedoe)");
        assertThat(m.rawPayload()).isEqualTo(PRIVATE);
    }

    @Test
    void aGroupMessageMentioningTheBotIsThePublicSideCountedInUtf16() {
        // the emoji takes two UTF-16 units, so the mention starts at offset 3, as Telegram counts
        Message m = message(GROUP_MENTION);
        assertThat(m.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(m.threadRef()).isEqualTo("-1001234567890");
        assertThat(m.externalId()).isEqualTo("10001:-1001234567890:77");
        assertThat(TelegramUpdates.Ref.of(m.externalId())).isEqualTo(new TelegramUpdates.Ref("-1001234567890", 77));
        assertThat(m.author().displayName()).isEqualTo("Bob (@bob)");
    }

    @Test
    void aGroupMessageNotForTheBotIsNotTaken() {
        TelegramUpdates.Parsed parsed = TelegramUpdates.parse("shop", "shop_bot",
                GROUP_CHATTER.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.message()).isNull();
        assertThat(parsed.ignored()).isEqualTo("a supergroup message that does not mention @shop_bot is not taken");
    }

    @Test
    void aReplyToTheBotInAGroupIsForIt() {
        String reply = """
                {"update_id":10010,"message":{"message_id":80,"date":1,"from":{"id":3,"is_bot":false,"first_name":"C"},
                 "chat":{"id":-100,"type":"group","title":"g"},"text":"still broken",
                 "reply_to_message":{"message_id":79,"date":1,"from":{"id":4242,"is_bot":true,"first_name":"Shop",
                   "username":"shop_bot"},"chat":{"id":-100,"type":"group","title":"g"},"text":"Fixed?"}}}""";
        Message m = message(reply);
        assertThat(m.annotations()).contains(new Annotation("replyTo", "79", 1));
    }

    @Test
    void anEditedMessageIsANewMessageOfItsUpdateMarkedEdited() {
        Message m = message(EDITED);
        assertThat(m.externalId()).isEqualTo("10003:1111111:1365");
        assertThat(m.text()).isEqualTo("My order 4711 never arrived (ordered on Monday)");
        assertThat(m.annotations()).containsExactly(new Annotation("edited", "1365", 1));
    }

    @Test
    void aPhotoWithACaptionBringsItsLargestSizeToFetch() {
        TelegramUpdates.Parsed parsed = TelegramUpdates.parse("shop", "shop_bot", PHOTO.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.message().text()).isEqualTo("The parcel as it came");
        assertThat(parsed.media()).containsExactly(new TelegramUpdates.Media("AgAD-large", "photo-1366.jpg",
                "image/jpeg", 3));
    }

    @Test
    void aDocumentKeepsItsNameAndType() {
        String doc = """
                {"update_id":10011,"message":{"message_id":5,"date":1,"from":{"id":1,"is_bot":false,"first_name":"J"},
                 "chat":{"id":1,"type":"private"},"document":{"file_id":"BQAD","file_unique_id":"d",
                 "file_name":"invoice.pdf","mime_type":"application/pdf","file_size":2048}}}""";
        TelegramUpdates.Parsed parsed = TelegramUpdates.parse("shop", "shop_bot", doc.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.message().text()).isEmpty();
        assertThat(parsed.media()).containsExactly(new TelegramUpdates.Media("BQAD", "invoice.pdf",
                "application/pdf", 2048));
    }

    @Test
    void updateTypesTheDoorDoesNotTakeAreIgnoredNotRefused() {
        TelegramUpdates.Parsed parsed = TelegramUpdates.parse("shop", "shop_bot",
                "{\"update_id\":5,\"callback_query\":{\"id\":\"1\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.ignored()).isEqualTo("update type callback_query is not taken by this door");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"update_id\":10000,\"message\":{\"message_id\":1   | malformed JSON",
            "{\"update_id\":1} trailing                             | malformed JSON",
            "{\"update_id\":1}{\"update_id\":2}                     | malformed JSON",
            "[1,2]                                                  | the body must be a JSON object (a Telegram Update)",
            "{\"message\":{}}                                       | missing field: update_id (an integer)",
            "{\"update_id\":\"7\"}                                  | missing field: update_id (an integer)",
            "{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":1,\"text\":\"x\"}} | missing field: message.chat (an object with id and type)",
            "{\"update_id\":7,\"message\":{\"message_id\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"x\"}} | missing field: message.from (or sender_chat for a channel post)",
            "{\"update_id\":7,\"message\":{\"message_id\":1,\"chat\":{\"id\":1,\"type\":\"weird\"},\"text\":\"x\"}} | field message.chat.type must be private, group, supergroup or channel",
    })
    void malformedOrTruncatedUpdatesAreRefusedWithTheReason(String body, String reason) {
        assertThatThrownBy(() -> TelegramUpdates.parse("shop", "shop_bot", body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(reason);
    }
}
