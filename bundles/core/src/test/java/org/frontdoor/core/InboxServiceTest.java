package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.frontdoor.core.Messages.api;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelCapabilities.LengthCounting;
import org.frontdoor.api.ChannelCapabilities.Markup;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Store;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Agents' replies through the inbox, on the real store, H2 and PostgreSQL. */
class InboxServiceTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";

    private StoreTestDatabase db;
    private Store store;
    private InboxService inbox;
    private final EventBus events = new EventBus();
    private final List<ConversationEvent> delivered = new CopyOnWriteArrayList<>();
    private long conversation;

    private void open(String kind) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        inbox = new InboxService(store, new Outbox(store, new Signal(), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                events);
        events.subscribe(new EventBus.Subscriber() {
            @Override
            public boolean wants(ConversationEvent event) {
                return true;
            }

            @Override
            public void deliver(ConversationEvent event) {
                delivered.add(event);
            }
        });
        conversation = store.ingest(List.of(api("m-1", "alice", "help"))).get(0).receipt().conversationId();
    }

    @AfterEach
    void close() throws Exception {
        events.close();
        if (db != null) {
            db.close();
        }
    }

    private static Channel channel(String id, String instance, int maxLength, boolean segmentation) {
        ChannelCapabilities caps = new ChannelCapabilities(maxLength, LengthCounting.CODE_POINTS, segmentation, false,
                true, true, Markup.NONE, false);
        return new Channel() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String instance() {
                return instance;
            }

            @Override
            public ChannelCapabilities capabilities() {
                return caps;
            }

            @Override
            public ChannelHealth health() {
                return ChannelHealth.up();
            }
        };
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void queuesAReplyAndTellsTheDepartments(String kind) throws SQLException {
        open(kind);
        ReplyView reply = inbox.reply(conversation, "We are on it", "agent-smith");

        assertThat(reply.status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(reply.attempts()).isZero();
        assertThat(inbox.conversation(conversation).orElseThrow().replies()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(reply.id());
            assertThat(r.text()).isEqualTo("We are on it");
            assertThat(r.author()).isEqualTo("agent-smith");
        });
        await().untilAsserted(() -> assertThat(delivered).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ConversationEvent.Type.REPLIED);
            assertThat(e.conversationId()).isEqualTo(conversation);
            assertThat(e.channel()).isEqualTo("api");
            assertThat(e.detail()).isEqualTo("by agent-smith");
        }));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void refusesEmptyRepliesAndUnknownConversations(String kind) throws SQLException {
        open(kind);
        for (String empty : new String[] {null, "", "   ", "\n\t"}) {
            assertThatThrownBy(() -> inbox.reply(conversation, empty, "agent"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        }
        assertThatThrownBy(() -> inbox.reply(424242, "hello", "agent"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("424242");
        assertThat(inbox.conversation(conversation).orElseThrow().replies()).isEmpty();
        assertThat(inbox.conversation(424242)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void refusesRepliesLongerThanTheirChannelCarries(String kind) throws SQLException {
        open(kind);
        inbox.channels.add(channel("api", "other-door", 3, false)); // not this conversation's door
        inbox.channels.add(channel("api", "demo", 10, false));

        assertThatThrownBy(() -> inbox.reply(conversation, "x".repeat(11), "agent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11 characters").hasMessageContaining("at most 10");
        assertThat(inbox.conversation(conversation).orElseThrow().replies()).isEmpty();

        // counted in code points: ten emoji fit in ten characters
        String tenEmoji = "🚪".repeat(10);
        assertThat(inbox.reply(conversation, tenEmoji, "agent").status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(inbox.reply(conversation, "x".repeat(10), "agent").status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(inbox.conversation(conversation).orElseThrow().replies()).extracting(ReplyView::text)
                .containsExactly(tenEmoji, "x".repeat(10));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void letsAChannelThatSplitsLongTextTakeLongReplies(String kind) throws SQLException {
        open(kind);
        inbox.channels.add(channel("api", "demo", 10, true));
        assertThat(inbox.reply(conversation, "x".repeat(500), "agent").status()).isEqualTo(ReplyStatus.QUEUED);
    }
}
