package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.IdentityView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a department's agent sees of a customer, a merge and the event log that another department shares. */
class ScopeStoreTest extends StoreTest {

    private static final Scope SALES = Scope.departments(Set.of("sales"));
    private static final Scope SUPPORT = Scope.departments(Set.of("support"));

    private static Message on(String channel, String id, String handle, String text) {
        return Message.inbound(channel, "one").externalId(id)
                .author(new Identity(channel, handle, "Carol", null, null, 0)).text(text).rawPayload("{}").build();
    }

    /** Carol wrote to sales by chat and to support by SMS: sales sees her, but not her phone number. */
    @ParameterizedTest
    @MethodSource("databases")
    void identitiesOnDoorsOutsideTheScopeAreNotShown(String kind) throws SQLException {
        open(kind);
        long chat = conversationOf(on("api", "m-1", "carol", "a quote please"));
        routeAll("sales");
        long sms = conversationOf(on("sms", "m-2", "+15550002", "and a fix"));
        routeAll("support");
        long carol = store.conversation(Scope.ALL, chat).orElseThrow().summary().customerId();
        long carolBySms = store.conversation(Scope.ALL, sms).orElseThrow().summary().customerId();
        store.merge(Scope.ALL, carolBySms, carol, "ada");

        assertThat(store.customer(SALES, carol).orElseThrow().identities()).extracting(IdentityView::handle)
                .containsExactly("carol");
        assertThat(store.customer(SUPPORT, carol).orElseThrow().identities()).extracting(IdentityView::handle)
                .containsExactly("+15550002");
        assertThat(store.customer(Scope.ALL, carol).orElseThrow().identities()).hasSize(2);
        assertThat(store.customer(SALES, carol).orElseThrow().conversations()).extracting(c -> c.id())
                .containsExactly(chat);
    }

    /**
     * A merge leaves the customer merged away without conversations: a scoped agent may still undo it when the
     * conversations it moved are theirs, and only then.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aMergeIsUndoneByTheDepartmentWhoseConversationsItMoved(String kind) throws SQLException {
        open(kind);
        long first = conversationOf(on("email", "m-1", "bob@example.org", "broken"));
        long second = conversationOf(on("sms", "m-2", "+15550001", "me again"));
        routeAll("support");
        long bob = store.conversation(Scope.ALL, first).orElseThrow().summary().customerId();
        long bobBySms = store.conversation(Scope.ALL, second).orElseThrow().summary().customerId();
        long merge = store.merge(SUPPORT, bobBySms, bob, "sue").id();

        assertThatThrownBy(() -> store.unmerge(SALES, merge, "sam")).isInstanceOf(NoSuchElementException.class);
        assertThat(store.unmerge(SUPPORT, merge, "sue").unmergedBy()).isEqualTo("sue");
        assertThat(store.conversation(Scope.ALL, second).orElseThrow().summary().customerId()).isEqualTo(bobBySms);
    }

    /** Events carry the conversation's current preview: once it moved to support, sales reads none of its events. */
    @ParameterizedTest
    @MethodSource("databases")
    void eventsOfAConversationThatLeftTheScopeAreNotShown(String kind) throws SQLException {
        open(kind);
        long dora = conversationOf(on("api", "m-1", "dora", "a discount?"));
        routeAll("sales");
        assertThat(store.events(SALES, 0, 100, EventFilter.ALL).events()).isNotEmpty();

        store.transfer(Scope.ALL, dora, "support", "sam");
        ingest(on("api", "m-2", "dora", "my account number is 12345"));

        assertThat(store.events(SALES, 0, 100, EventFilter.ALL).events()).isEmpty();
        assertThat(store.events(SUPPORT, 0, 100, EventFilter.ALL).events()).extracting(ConversationEvent::type)
                .contains(ConversationEvent.Type.TRANSFERRED, ConversationEvent.Type.MESSAGE_ADDED);
    }
}
