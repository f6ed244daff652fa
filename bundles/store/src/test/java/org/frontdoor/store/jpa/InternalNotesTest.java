package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.NoteView;
import org.frontdoor.store.Door;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Internal notes: agents ask each other without transferring; never a reply, never sent to the customer. */
class InternalNotesTest extends StoreTest {

    private static final Door DEMO = new Door("api", "demo");

    @ParameterizedTest
    @MethodSource("databases")
    void aNoteIsStoredWithItsMentionsAfterTheLastMessageWithOneEventAndOneAuditRow(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", null, "help"));
        routeAll("support");
        long head = store.head();

        NoteView note = store.addNote(Scope.ALL, id, "@billing.team can you check? cc @sam_2 and @billing.team "
                + "<b>x</b> mail a@b", "jane");

        assertThat(note.mentions()).containsExactly("billing.team", "sam_2");
        assertThat(note.author()).isEqualTo("jane");
        ConversationDetail detail = store.conversation(Scope.ALL, id).orElseThrow();
        assertThat(detail.notes()).containsExactly(new NoteView(note.id(), id, "jane", note.text(), note.mentions(),
                detail.notes().get(0).createdAt(), note.seq()));
        assertThat(note.seq()).isGreaterThan(detail.messages().get(detail.messages().size() - 1).seq());
        assertThat(detail.notes().get(0).text()).as("data, never markup").contains("<b>x</b>");
        assertThat(detail.replies()).isEmpty();

        List<ConversationEvent> events = store.events(Scope.ALL, head, 100, EventFilter.ALL).events();
        assertThat(events).extracting(ConversationEvent::type).containsExactly(ConversationEvent.Type.NOTE_ADDED);
        assertThat(events.get(0).itemId()).isEqualTo(note.id());
        assertThat(events.get(0).detail()).contains("billing.team", "sam_2");
        assertThat(ConversationEvent.Type.NOTE_ADDED.id()).isEqualTo("note-added");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE subject_id = " + id
                + " AND action = 'note.added' AND actor = 'jane'")).isEqualTo(1);

        assertThat(store.claimDueReplies(DEMO, NODE, "t-1", Instant.now(), Instant.now().plusSeconds(60), 10))
                .as("a note is never a reply: no door sees it").isEmpty();
        assertThat(scalar("SELECT COUNT(*) FROM reply")).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void notesSitInCommitOrderAmongRepliesAndAreAllowedOnAResolvedConversation(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", null, "help"));
        routeAll("support");
        var reply = store.queueReply(Scope.ALL, id, "hello", org.frontdoor.api.Visibility.PRIVATE, "jane");
        NoteView note = store.addNote(Scope.ALL, id, "no mentions here", "jane");
        store.assign(Scope.ALL, id, "jane", "jane");
        store.resolve(Scope.ALL, id, "jane");
        NoteView after = store.addNote(Scope.ALL, id, "@sam why was this resolved?", "ann");

        assertThat(note.seq()).isGreaterThan(reply.seq());
        assertThat(after.seq()).isGreaterThan(note.seq());
        assertThat(note.mentions()).isEmpty();
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().notes()).extracting(NoteView::id)
                .containsExactly(note.id(), after.id());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void outsideTheScopeThereIsNoConversationAndEmptyOrLongTextIsRefused(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", null, "help"));
        routeAll("support");

        assertThatThrownBy(() -> store.addNote(Scope.departments(Set.of("sales")), id, "@sam hi", "jane"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.addNote(Scope.ALL, 424242, "hi", "jane"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.addNote(Scope.ALL, id, " ", "jane"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> store.addNote(Scope.ALL, id, "x".repeat(Inbox.MAX_NOTE + 1), "jane"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.addNote(Scope.ALL, id, "x".repeat(Inbox.MAX_NOTE), "jane").text()).hasSize(Inbox.MAX_NOTE);
        assertThat(scalar("SELECT COUNT(*) FROM conversation_note")).isEqualTo(1);
    }

    @Test
    void mentionsAreNamesAfterAnAtDeduplicatedAndAtMostTwenty() {
        assertThat(InboxWrites.mentions("@a, @b-c. @a mail x@y.org @d_e! (@f.g)")).containsExactly("a", "b-c", "d_e",
                "f.g");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            many.append("@agent").append(i).append(' ');
        }
        assertThat(InboxWrites.mentions(many.toString())).hasSize(Inbox.MAX_MENTIONS);
    }
}
