package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelModeration;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.ModerationRefusedException;
import org.frontdoor.api.ModerationUnavailableException;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ModerationFailedException;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Constants;

/**
 * Hiding a customer's public message on its network (Inbox.hide/unhide) on the real store, H2 and PostgreSQL: only an
 * admin with a reason, only a public message of a door that can, and Frontdoor marks it hidden only once the network
 * confirmed it.
 */
class MessageModerationTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final Caller ADA = new Caller("ada", Set.of("admin"), Scope.ALL);
    private static final Caller JANE = new Caller("jane", Set.of("agent", "supervisor"), Scope.ALL);

    private StoreTestDatabase db;
    private JpaStore store;
    private InboxService inbox;
    private final Doors doors = new Doors();
    private final Wall wall = new Wall();
    private long post;
    private long comment;
    private long dmConversation;
    private long dm;

    /** A door that hides comments, records what it was asked, and fails as told. */
    static final class Wall implements Channel, ChannelModeration {
        final List<String> asked = new CopyOnWriteArrayList<>();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        volatile Set<Action> actions = Set.of(Action.HIDE, Action.UNHIDE);

        @Override
        public String id() {
            return "wall";
        }

        @Override
        public String instance() {
            return "page";
        }

        @Override
        public ChannelCapabilities capabilities() {
            return new ChannelCapabilities(1_000, ChannelCapabilities.LengthCounting.CODE_POINTS, false, true, true,
                    true, ChannelCapabilities.Markup.NONE, false);
        }

        @Override
        public ChannelHealth health() {
            return ChannelHealth.up();
        }

        @Override
        public Set<Action> moderationActions() {
            return actions;
        }

        @Override
        public void setHidden(String externalId, boolean hidden) throws ModerationRefusedException,
                ModerationUnavailableException {
            asked.add((hidden ? "hide " : "unhide ") + externalId);
            Exception e = failure.get();
            if (e instanceof ModerationRefusedException r) {
                throw r;
            }
            if (e instanceof ModerationUnavailableException u) {
                throw u;
            }
        }
    }

    private void open(String kind) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        inbox = new InboxService(store, doors, () -> { }, () -> { });
        doors.add(wall, Map.of(Constants.SERVICE_ID, 1L, Channel.CHANNEL, "wall", Channel.INSTANCE, "page"));
        post = ingest(message("c-1", "erin", Visibility.PUBLIC, "worst service ever"));
        comment = store.conversation(Scope.ALL, post).orElseThrow().messages().get(0).id();
        dmConversation = ingest(message("d-1", "fred", Visibility.PRIVATE, "my number is 555"));
        dm = store.conversation(Scope.ALL, dmConversation).orElseThrow().messages().get(0).id();
    }

    private long ingest(Message m) {
        return store.ingest(List.of(m), new IngestLimits(30_000, 2_000)).get(0).receipt().conversationId();
    }

    private static Message message(String externalId, String handle, Visibility visibility, String text) {
        return Message.inbound("wall", "page").externalId(externalId).visibility(visibility)
                .author(new Identity("wall", handle, "Name " + handle, null, null, 0)).text(text).rawPayload("{}")
                .build();
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void anAdminHidesAPublicCommentWithAReasonAndItStaysMarkedHidden(String kind) throws SQLException {
        open(kind);
        long head = store.head();

        MessageView hidden = inbox.hide(ADA, post, comment, "  it shows another customer's phone number ");

        assertThat(wall.asked).containsExactly("hide c-1");
        assertThat(hidden.text()).isEqualTo("worst service ever");
        assertThat(hidden.hidden().by()).isEqualTo("ada");
        assertThat(hidden.hidden().reason()).isEqualTo("it shows another customer's phone number");
        assertThat(inbox.conversation(JANE, post).orElseThrow().messages()).as("agents still see it, marked")
                .singleElement().satisfies(m -> assertThat(m.hidden()).isEqualTo(hidden.hidden()));
        assertThat(store.events(Scope.ALL, head, 100, EventFilter.ALL).events()).extracting(ConversationEvent::type)
                .containsExactly(ConversationEvent.Type.MESSAGE_HIDDEN);

        MessageView shown = inbox.unhide(ADA, post, comment, "the customer asked us to show it");

        assertThat(wall.asked).containsExactly("hide c-1", "unhide c-1");
        assertThat(shown.hidden()).isNull();
        assertThat(store.events(Scope.ALL, head, 100, EventFilter.ALL).events()).extracting(ConversationEvent::type)
                .containsExactly(ConversationEvent.Type.MESSAGE_HIDDEN, ConversationEvent.Type.MESSAGE_UNHIDDEN);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void onlyAnAdminWithAReasonHidesAndOnlyPublicMessagesOfADoorThatCan(String kind) throws SQLException {
        open(kind);

        assertThatThrownBy(() -> inbox.hide(JANE, post, comment, "spam")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("role admin");
        assertThatThrownBy(() -> inbox.hide(ADA, post, comment, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> inbox.hide(ADA, post, comment, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inbox.hide(ADA, post, comment, "x".repeat(1001)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inbox.hide(ADA, dmConversation, dm, "a phone number"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("private message");
        assertThatThrownBy(() -> inbox.hide(ADA, dmConversation, comment, "spam"))
                .isInstanceOf(java.util.NoSuchElementException.class).hasMessageStartingWith("message ");
        wall.actions = Set.of();
        assertThatThrownBy(() -> inbox.hide(ADA, post, comment, "spam")).isInstanceOf(IllegalStateException.class)
                .hasMessage("door wall/page cannot hide messages on its network: answer the customer instead");
        doors.remove(wall, Map.of(Channel.CHANNEL, "wall", Channel.INSTANCE, "page"));
        assertThatThrownBy(() -> inbox.hide(ADA, post, comment, "spam")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");

        assertThat(wall.asked).as("the network was never asked").isEmpty();
        assertThat(store.conversation(Scope.ALL, post).orElseThrow().messages().get(0).hidden()).isNull();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aNetworkThatRefusesOrFailsLeavesTheMessageShownAndTheAttemptAudited(String kind) throws SQLException {
        open(kind);
        long head = store.head();
        wall.failure.set(new ModerationUnavailableException("the wall at 127.0.0.1:1 did not answer within 10 s"));

        assertThatThrownBy(() -> inbox.hide(ADA, post, comment, "spam")).isInstanceOf(ModerationFailedException.class)
                .hasMessage("the wall at 127.0.0.1:1 did not answer within 10 s")
                .satisfies(e -> assertThat(((ModerationFailedException) e).passing()).isTrue());
        wall.failure.set(new ModerationRefusedException("the wall refused: not a comment on the page's post"));
        assertThatThrownBy(() -> inbox.hide(ADA, post, comment, "spam")).isInstanceOf(ModerationFailedException.class)
                .satisfies(e -> assertThat(((ModerationFailedException) e).passing()).isFalse());

        assertThat(store.conversation(Scope.ALL, post).orElseThrow().messages().get(0).hidden())
                .as("Frontdoor never says hidden when the network did not confirm it").isNull();
        assertThat(store.events(Scope.ALL, head, 100, EventFilter.ALL).events()).isEmpty();
        assertThat(store.why(Scope.ALL, post).orElseThrow().history())
                .filteredOn(s -> s.action().equals("message-hide-failed")).hasSize(2)
                .allSatisfy(s -> assertThat(s.actor()).isEqualTo("ada"));

        wall.failure.set(null);
        assertThat(inbox.hide(ADA, post, comment, "spam").hidden()).as("a later try works").isNotNull();
    }
}
