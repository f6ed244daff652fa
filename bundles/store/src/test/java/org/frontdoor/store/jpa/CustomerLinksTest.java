package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.store.Door;
import org.frontdoor.store.ReplyClaim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Identities joined only on a proof, and replies that continue a conversation through another door. */
class CustomerLinksTest extends StoreTest {

    private static final Identity VISITOR = Identity.of("webchat", "site:v-1");
    private static final Identity ANN_MAIL = new Identity("email", "ann@example.org", "Ann", "ann@example.org", null, 0);

    private static Message chat(String id, String text) {
        return Message.inbound("webchat", "site").externalId(id).author(VISITOR).threadRef("v-1").text(text).build();
    }

    private static Message mail(String id, String text) {
        return Message.inbound("email", "support").externalId(id).author(ANN_MAIL).text(text).build();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aProvenAddressNewToTheStoreBecomesAVerifiedIdentityOfTheVisitor(String kind) throws SQLException {
        open(kind);
        long visitorCustomer = ingest(chat("c-1", "hello")).get(0).receipt().customerId();

        long customer = store.linkVerified(VISITOR, ANN_MAIL, "channel-webchat-site");

        assertThat(customer).isEqualTo(visitorCustomer);
        assertThat(store.verifiedIdentities(VISITOR, "email")).extracting(Identity::handle)
                .containsExactly("ann@example.org");
        assertThat(store.verifiedIdentities(VISITOR, "xmpp")).isEmpty();
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'customer.identity-verified'"))
                .isEqualTo(1);
        // the agents' customer view says which identity is confirmed
        var identities = store.customer(org.frontdoor.api.Scope.ALL, customer).orElseThrow().identities();
        assertThat(identities).filteredOn(i -> i.channel().equals("email")).singleElement()
                .satisfies(i -> assertThat(i.confirmedAt()).isNotNull());
        assertThat(identities).filteredOn(i -> !i.channel().equals("email")).allSatisfy(
                i -> assertThat(i.confirmedAt()).as("the chat identity is not confirmed").isNull());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void provingAnAddressAnotherCustomerHasSuggestsAMergeAndAnAgentsMergeMakesThemOne(String kind) throws SQLException {
        open(kind);
        long mailCustomer = ingest(mail("m-1", "my order")).get(0).receipt().customerId();
        var chatReceipt = ingest(chat("c-1", "about my order")).get(0).receipt();
        assertThat(chatReceipt.customerId()).as("a claim joins nothing").isNotEqualTo(mailCustomer);

        long customer = store.linkVerified(VISITOR, ANN_MAIL, "channel-webchat-site");

        assertThat(customer).as("a proof never merges by itself").isEqualTo(chatReceipt.customerId());
        assertThat(store.mergeSuggestions(Scope.ALL)).hasSize(1);

        store.merge(Scope.ALL, chatReceipt.customerId(), mailCustomer, "jane");

        assertThat(store.conversation(Scope.ALL, chatReceipt.conversationId()).orElseThrow().summary().customerId())
                .isEqualTo(mailCustomer);
        assertThat(store.customer(Scope.ALL, mailCustomer).orElseThrow().identities()).hasSize(2);
        assertThat(scalar("SELECT COUNT(*) FROM message WHERE customer_id = " + mailCustomer)).isEqualTo(2);
        assertThat(store.verifiedIdentities(VISITOR, "email")).extracting(Identity::handle)
                .containsExactly("ann@example.org");
        assertThat(ingest(chat("c-2", "still there?")).get(0).receipt().customerId())
                .as("the visitor's next message belongs to the joined customer").isEqualTo(mailCustomer);
        assertThat(store.mergeSuggestions(Scope.ALL)).as("decided by the merge").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anIdentityNeverStoredCannotProveAnything(String kind) throws SQLException {
        open(kind);
        assertThatThrownBy(() -> store.linkVerified(VISITOR, ANN_MAIL, "x"))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(count("customer_identity")).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReplyViaAnotherDoorGoesToItsRecipientInANewThreadAndAgentsNeedAProvenRecipient(String kind)
            throws SQLException {
        open(kind);
        long conversation = ingest(chat("c-1", "hello")).get(0).receipt().conversationId();
        ReplyRoute byMail = new ReplyRoute("email", "support", ANN_MAIL);

        assertThatThrownBy(() -> store.queueReply(Scope.ALL, conversation, "see you", Visibility.PRIVATE, "jane",
                byMail, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an identity the customer of conversation " + conversation + " has confirmed");
        // a door may send to a claimed address: the code that confirms it
        store.queueReply(Scope.ALL, conversation, "Your code: 123456", Visibility.PRIVATE, "channel-webchat-site",
                byMail, false);
        store.linkVerified(VISITOR, ANN_MAIL, "channel-webchat-site");
        store.queueReply(Scope.ALL, conversation, "Here is the answer", Visibility.PRIVATE, "jane", byMail, true);

        assertThat(store.doorsWithDueReplies(Set.of("email"), Instant.now()))
                .containsExactly(new Door("email", "support"));
        assertThat(store.doorsWithDueReplies(Set.of("webchat"), Instant.now())).isEmpty();
        List<OutboundReply> claimed = store.claimDueReplies(new Door("email", "support"), NODE, "t-1",
                Instant.now(), Instant.now().plusSeconds(60), 10).stream().map(ReplyClaim::reply).toList();
        assertThat(claimed).hasSize(1); // one at a time per conversation, in order
        assertThat(claimed.get(0).text()).isEqualTo("Your code: 123456");
        assertThat(claimed.get(0).recipient().channel()).isEqualTo("email");
        assertThat(claimed.get(0).recipient().handle()).isEqualTo("ann@example.org");
        assertThat(claimed.get(0).recipient().displayName()).isEqualTo("Ann");
        assertThat(claimed.get(0).threadRef()).isNull();
        assertThat(claimed.get(0).inReplyTo()).isNull();
        assertThat(claimed.get(0).conversationId()).isEqualTo(conversation);
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'reply.queued' AND detail LIKE "
                + "'% via email/support to ann@example.org'")).isEqualTo(2);
    }
}
