package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.MessageView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Merges an agent decides, undone exactly; the consistency check; a message whose author row is gone. */
class CustomerMergeTest extends StoreTest {

    private static final Identity JANE = new Identity("email", "jane@example.com", "Jane", "jane@example.com", null, 0);
    private static final Identity VISITOR = Identity.of("webchat", "shop:v-1");

    private static Message mail(String id) {
        return Message.inbound("email", "support").externalId(id).author(JANE).text("mail " + id).build();
    }

    private static Message chat(String id) {
        return Message.inbound("webchat", "shop").externalId(id).author(VISITOR).threadRef("v-1").text("chat " + id)
                .build();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anUnmergePutsEveryRowBackIncludingWhatTheMovedIdentitiesWroteSince(String kind) throws SQLException {
        open(kind);
        var janeMail = ingest(mail("m-1")).get(0).receipt();
        var chat = ingest(chat("c-1")).get(0).receipt();
        ingest(chat("c-2"));
        long jane = janeMail.customerId();
        long visitor = chat.customerId();
        routeAll("sales");

        CustomerMerge merge = store.merge(Scope.ALL, visitor, jane, "agent-ann");

        assertThat(merge.fromCustomer()).isEqualTo(visitor);
        assertThat(merge.intoCustomer()).isEqualTo(jane);
        assertThat(merge.mergedBy()).isEqualTo("agent-ann");
        assertThat(merge.identities()).isEqualTo(1);
        assertThat(merge.conversations()).isEqualTo(1);
        assertThat(merge.messages()).isEqualTo(2);
        assertThat(scalar("SELECT COUNT(*) FROM message WHERE customer_id = " + jane)).isEqualTo(3);
        assertThat(store.customer(Scope.ALL, jane).orElseThrow().conversations()).hasSize(2);
        assertThat(store.customer(Scope.ALL, visitor).orElseThrow().identities()).isEmpty();
        assertThat(eventTypes(chat.conversationId())).contains(ConversationEvent.Type.CUSTOMER_MERGED);
        ConversationEvent merged = events().stream()
                .filter(e -> e.type() == ConversationEvent.Type.CUSTOMER_MERGED).findFirst().orElseThrow();
        assertThat(merged.itemId()).isEqualTo(merge.id());
        assertThat(merged.department()).isEqualTo("sales");
        assertThat(merged.detail()).isEqualTo("customer " + visitor + " merged into customer " + jane + " (merge "
                + merge.id() + ")");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'customer.merged' AND actor = 'agent-ann'"))
                .isEqualTo(1);
        assertThatThrownBy(() -> store.merge(Scope.ALL, visitor, jane, "x")).isInstanceOf(IllegalStateException.class);

        // written after the merge by the identity that moved: it belongs to the joined customer, and goes back with it
        var later = ingest(chat("c-3")).get(0).receipt();
        var laterConversation = ingest(Message.inbound("webchat", "shop").externalId("c-4").author(VISITOR)
                .threadRef("v-1-second").text("another tab").build()).get(0).receipt();
        assertThat(later.customerId()).isEqualTo(jane);
        assertThat(laterConversation.customerId()).isEqualTo(jane);
        ingest(mail("m-2"));

        CustomerMerge undone = store.unmerge(Scope.ALL, merge.id(), "agent-bob");

        assertThat(undone.unmergedBy()).isEqualTo("agent-bob");
        assertThat(undone.unmergedAt()).isNotNull();
        assertThat(scalar("SELECT COUNT(*) FROM message WHERE customer_id = " + visitor)).isEqualTo(4);
        assertThat(scalar("SELECT COUNT(*) FROM message WHERE customer_id = " + jane)).isEqualTo(2);
        assertThat(store.conversation(Scope.ALL, laterConversation.conversationId()).orElseThrow().summary()
                .customerId()).isEqualTo(visitor);
        assertThat(store.conversation(Scope.ALL, chat.conversationId()).orElseThrow().summary().customerId())
                .isEqualTo(visitor);
        assertThat(store.customer(Scope.ALL, visitor).orElseThrow().identities()).extracting(i -> i.handle())
                .containsExactly("shop:v-1");
        assertThat(store.customer(Scope.ALL, jane).orElseThrow().identities()).extracting(i -> i.handle())
                .containsExactly("jane@example.com");
        assertThat(eventTypes(laterConversation.conversationId())).contains(ConversationEvent.Type.CUSTOMER_UNMERGED);
        assertThat(store.storeCheck().consistent()).isTrue();
        assertThat(ingest(chat("c-5")).get(0).receipt().customerId()).isEqualTo(visitor);
        assertThatThrownBy(() -> store.unmerge(Scope.ALL, merge.id(), "x")).isInstanceOf(IllegalStateException.class)
                .hasMessage("merge " + merge.id() + " was undone already");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aMergeIsUndoneOnlyAfterTheMergesThatFollowedIt(String kind) throws SQLException {
        open(kind);
        long a = ingest(mail("m-1")).get(0).receipt().customerId();
        long b = ingest(chat("c-1")).get(0).receipt().customerId();
        long c = ingest(message("x-1", "carl", null, "hi")).get(0).receipt().customerId();
        CustomerMerge first = store.merge(Scope.ALL, b, a, "x");
        CustomerMerge second = store.merge(Scope.ALL, a, c, "x");

        assertThatThrownBy(() -> store.unmerge(Scope.ALL, first.id(), "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("undo merge " + second.id() + " first");
        store.unmerge(Scope.ALL, second.id(), "x");
        store.unmerge(Scope.ALL, first.id(), "x");

        assertThat(scalar("SELECT customer_id FROM message WHERE external_id = 'c-1'")).isEqualTo(b);
        assertThat(scalar("SELECT customer_id FROM message WHERE external_id = 'm-1'")).isEqualTo(a);
        assertThat(scalar("SELECT customer_id FROM message WHERE external_id = 'x-1'")).isEqualTo(c);
        assertThat(store.storeCheck().consistent()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aScopeMergesOnlyCustomersItSees(String kind) throws SQLException {
        open(kind);
        long a = ingest(mail("m-1")).get(0).receipt().customerId();
        long b = ingest(chat("c-1")).get(0).receipt().customerId();
        routeAll("sales");
        assertThatThrownBy(() -> store.merge(Scope.departments(Set.of("billing")), b, a, "x"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.merge(Scope.ALL, a, a, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.merge(Scope.ALL, a, 999_999, "x")).isInstanceOf(NoSuchElementException.class);
        assertThat(store.merge(Scope.departments(Set.of("sales")), b, a, "x").messages()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aMessageWhoseAuthorRowIsMissingIsShownByAnUnknownAuthorAndReported(String kind) throws SQLException {
        open(kind);
        var receipt = ingest(message("x-1", "carl", "t-1", "hi")).get(0).receipt();
        ingest(message("x-2", "dora", "t-1", "me too"));
        long dora = scalar("SELECT id FROM customer_identity WHERE handle = 'dora'");
        execute("DELETE FROM customer_identity WHERE id = " + dora);

        List<MessageView> shown = store.conversation(Scope.ALL, receipt.conversationId()).orElseThrow().messages();

        assertThat(shown).hasSize(2);
        assertThat(shown.get(1).authorHandle()).isNull();
        assertThat(shown.get(1).authorName()).isEqualTo("unknown author");
        assertThat(shown.get(1).text()).isEqualTo("me too");
        var check = store.storeCheck();
        assertThat(check.consistent()).isFalse();
        assertThat(check.messagesWithoutAuthor()).isEqualTo(1);
        assertThat(check.examples()).hasSize(1);
    }
}
