package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.store.Door;
import org.frontdoor.store.InboxStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A message hidden on its network (V19): it stays, marked with who, when and why; event and audit in one go. */
class HiddenMessagesTest extends StoreTest {

    @ParameterizedTest
    @MethodSource("databases")
    void aHiddenMessageStaysMarkedWithItsEventAndAuditAndShowingItClearsTheMark(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("c-1", "erin", "post-1", "worst service ever").toBuilder()
                .visibility(Visibility.PUBLIC).build());
        routeAll("support");
        long messageId = store.conversation(Scope.ALL, id).orElseThrow().messages().get(0).id();
        long head = store.head();

        InboxStore.ModerationTarget target = store.moderationTarget(Scope.ALL, id, messageId);
        assertThat(target).isEqualTo(new InboxStore.ModerationTarget(new Door("api", "demo"), "c-1",
                Visibility.PUBLIC, true, false));

        assertThat(store.recordHidden(Scope.ALL, id, messageId, true, "it shows a phone number", "ada")).isTrue();

        MessageView message = store.conversation(Scope.ALL, id).orElseThrow().messages().get(0);
        assertThat(message.text()).as("the message stays in Frontdoor").isEqualTo("worst service ever");
        assertThat(message.hidden().by()).isEqualTo("ada");
        assertThat(message.hidden().reason()).isEqualTo("it shows a phone number");
        assertThat(message.hidden().at()).isNotNull();
        assertThat(store.moderationTarget(Scope.ALL, id, messageId).hidden()).isTrue();
        List<ConversationEvent> events = store.events(Scope.ALL, head, 100, EventFilter.ALL).events();
        assertThat(events).extracting(ConversationEvent::type).containsExactly(ConversationEvent.Type.MESSAGE_HIDDEN);
        assertThat(events.get(0).itemId()).isEqualTo(messageId);
        assertThat(events.get(0).actor()).isEqualTo("ada");
        assertThat(events.get(0).detail()).isEqualTo("it shows a phone number");
        assertThat(ConversationEvent.Type.MESSAGE_HIDDEN.id()).isEqualTo("message-hidden");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE subject_id = " + id
                + " AND action = 'conversation.message-hidden' AND actor = 'ada'")).isEqualTo(1);

        // hiding again keeps the first mark, with an audit row only
        long afterHide = store.head();
        assertThat(store.recordHidden(Scope.ALL, id, messageId, true, "again", "bob")).isFalse();
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().messages().get(0).hidden().by()).isEqualTo("ada");
        assertThat(store.events(Scope.ALL, afterHide, 100, EventFilter.ALL).events()).isEmpty();

        assertThat(store.recordHidden(Scope.ALL, id, messageId, false, "the customer took it back", "ada")).isTrue();
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().messages().get(0).hidden()).isNull();
        assertThat(store.events(Scope.ALL, afterHide, 100, EventFilter.ALL).events())
                .extracting(ConversationEvent::type).containsExactly(ConversationEvent.Type.MESSAGE_UNHIDDEN);

        store.auditModerationFailure(Scope.ALL, id, messageId, true, "spam", "X refused it for good: 403", "ada");
        ConversationWhy why = store.why(Scope.ALL, id).orElseThrow();
        assertThat(why.history()).extracting(ConversationWhy.Step::action).containsSubsequence("message-hidden",
                "message-hidden", "message-unhidden", "message-hide-failed");
        assertThat(why.history().get(why.history().size() - 1).detail()).contains("X refused it for good", "spam");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aMessageOutsideTheScopeOrOfAnotherConversationIsAbsent(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("c-1", "erin", "post-1", "worst service ever").toBuilder()
                .visibility(Visibility.PUBLIC).build());
        long other = conversationOf(message("c-2", "fred", "post-2", "me too"));
        routeAll("support");
        long messageId = store.conversation(Scope.ALL, id).orElseThrow().messages().get(0).id();
        Scope sales = Scope.departments(Set.of("sales"));

        assertThatThrownBy(() -> store.moderationTarget(sales, id, messageId))
                .isInstanceOf(NoSuchElementException.class).hasMessage("conversation " + id + " does not exist");
        assertThatThrownBy(() -> store.recordHidden(sales, id, messageId, true, "spam", "sam"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.moderationTarget(Scope.ALL, other, messageId))
                .isInstanceOf(NoSuchElementException.class).hasMessageStartingWith("message " + messageId);
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().messages().get(0).hidden()).isNull();
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action LIKE 'conversation.message-%'")).isZero();
    }
}
