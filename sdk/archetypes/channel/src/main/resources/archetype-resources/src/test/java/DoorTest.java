package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.direct.DirectComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.testkit.Signatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The door's checks and its route, in a plain CamelContext whose {@code frontdoor:} component is a stand-in: a
 * {@code direct:} component under that name, its {@code inbound} endpoint storing what it is given and answering
 * with a receipt as core does (or refusing it, as core refuses a bad message).
 */
class DoorTest {

    private static final String SECRET = "test-secret";
    private final List<Message> stored = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private Door door;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent("frontdoor", new DirectComponent());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("frontdoor:inbound").process(e -> {
                    Message message = e.getMessage().getMandatoryBody(Message.class);
                    if (message.text().contains("refuse me")) {
                        throw new IllegalArgumentException("text refused");
                    }
                    stored.add(message);
                    e.getMessage().setBody(new IngestReceipt(stored.size(), 100 + stored.size(), 1, false));
                });
            }
        });
        door = new Door(camel, "test", SECRET, 300);
    }

    @AfterEach
    void stop() throws Exception {
        door.deactivate();
    }

    private Door.Answer post(String json, long signedAt, long now) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return door.handle(Long.toString(signedAt), Webhook.sign(SECRET, signedAt, body), body, now);
    }

    @Test
    void aSignedMessageIsStoredBeforeTheAnswer() {
        Door.Answer answer = post("{\"id\":\"m1\",\"from\":\"ann\",\"text\":\"<b>hello</b>\"}", 1000, 1000);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"conversationId\":101");
        assertThat(stored).singleElement().satisfies(m -> {
            assertThat(m.channel()).isEqualTo(Door.CHANNEL_ID);
            assertThat(m.instance()).isEqualTo("test");
            assertThat(m.externalId()).isEqualTo("m1");
            assertThat(m.author().handle()).isEqualTo("ann");
            assertThat(m.text()).isEqualTo("<b>hello</b>");
        });
    }

    @Test
    void aMessageSignedAsTheTestKitSignsIsAccepted() {
        byte[] body = "{\"id\":\"m2\",\"from\":\"bob\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

        // the documented scheme, as senders implement it (the kit's Signatures), not this door's own code
        Door.Answer answer = door.handle("1000", Signatures.sign(SECRET, 1000, body), body, 1000);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(stored).singleElement().extracting(Message::externalId).isEqualTo("m2");
    }

    @Test
    void aBadSignatureIsRefusedAndNothingIsStored() {
        byte[] body = "{\"id\":\"m1\",\"from\":\"ann\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

        Door.Answer answer = door.handle("1000", Webhook.sign("other", 1000, body), body, 1000);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("signature does not match").doesNotContain(SECRET);
        assertThat(stored).isEmpty();
    }

    @Test
    void anOldTimestampIsRefused() {
        assertThat(post("{\"id\":\"m1\",\"from\":\"ann\",\"text\":\"hi\"}", 1000, 2000))
                .extracting(Door.Answer::status).isEqualTo(401);
        assertThat(stored).isEmpty();
    }

    @Test
    void aMessageWithoutTextIsABadRequestThatSaysWhy() {
        Door.Answer answer = post("{\"id\":\"m1\",\"from\":\"ann\"}", 1000, 1000);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("'text' must be a non-empty string");
        assertThat(stored).isEmpty();
    }

    @Test
    void aMessageCoreRefusesIsABadRequest() {
        Door.Answer answer = post("{\"id\":\"m1\",\"from\":\"ann\",\"text\":\"refuse me\"}", 1000, 1000);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("text refused");
    }
}
