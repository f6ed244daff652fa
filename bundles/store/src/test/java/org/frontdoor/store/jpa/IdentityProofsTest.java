package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.ProofChallenge;
import org.frontdoor.api.ProofLimits;
import org.frontdoor.api.ProofOutcome;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.MergeSuggestion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proofs of an address by code, kept server-side. On main a web chat challenge was an unkeyed SHA-256 of what the
 * visitor knows and the code, a proof merged the visitor into the address's owner by itself, and nothing bounded the
 * codes one address received: each test here fails there.
 */
class IdentityProofsTest extends StoreTest {

    private static final ProofLimits LIMITS = new ProofLimits(Duration.ofMinutes(15), 5, 3, 5);
    private static final Identity JANE = Identity.of("email", "jane@example.com");

    private static Identity visitor(int n) {
        return Identity.of("webchat", "shop:v-" + n);
    }

    private Identity visitorWhoWrote(int n) {
        ingest(Message.inbound("webchat", "shop").externalId("v-" + n + ":1").author(visitor(n)).threadRef("v-" + n)
                .text("hello").build());
        return visitor(n);
    }

    private long janeWroteByMail() {
        return ingest(Message.inbound("email", "support").externalId("<m-1@example.com>").author(
                new Identity("email", "jane@example.com", "Jane", "jane@example.com", null, 0)).text("my order")
                .build()).get(0).receipt().customerId();
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theChallengeIsRandomAndTheStoreKeepsOnlyASaltedSlowHashOfTheCode(String kind) throws SQLException {
        open(kind);
        Identity v = visitorWhoWrote(1);

        ProofChallenge challenge = store.startProof(v, JANE, LIMITS, "channel-webchat-shop");

        assertThat(challenge.id()).doesNotContain(challenge.code()).matches("[A-Za-z0-9_-]{24}");
        assertThat(challenge.toString()).doesNotContain(challenge.code());
        String stored = text("SELECT code_hash FROM identity_proof");
        String salt = text("SELECT salt FROM identity_proof");
        assertThat(stored).doesNotContain(challenge.code());
        // the same code under another salt hashes differently: no table of six-digit codes fits every row
        assertThat(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                IdentityProofs.hash(challenge.code(), new byte[16]))).isNotEqualTo(stored);
        assertThat(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                IdentityProofs.hash(challenge.code(), java.util.Base64.getUrlDecoder().decode(salt)))).isEqualTo(stored);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRightCodeLinksAnAddressNewToFrontdoorOnce(String kind) throws SQLException {
        open(kind);
        Identity v = visitorWhoWrote(1);
        ProofChallenge challenge = store.startProof(v, JANE, LIMITS, "channel-webchat-shop");

        ProofOutcome outcome = store.proveByCode(challenge.id(), v, challenge.code(), "channel-webchat-shop");

        assertThat(outcome.result()).isEqualTo(ProofOutcome.Result.LINKED);
        assertThat(outcome.address()).isEqualTo(JANE);
        assertThat(store.verifiedIdentities(v, "email")).extracting(Identity::handle).containsExactly(
                "jane@example.com");
        assertThat(store.proveByCode(challenge.id(), v, challenge.code(), "x").result())
                .as("a challenge proves once").isEqualTo(ProofOutcome.Result.UNKNOWN);
        assertThat(store.proveByCode(challenge.id(), visitorWhoWrote(2), challenge.code(), "x").result())
                .isEqualTo(ProofOutcome.Result.UNKNOWN);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aWrongCodeFiveTimesLocksTheChallengeEvenForTheRightCode(String kind) throws SQLException {
        open(kind);
        Identity v = visitorWhoWrote(1);
        ProofChallenge challenge = store.startProof(v, JANE, LIMITS, "channel-webchat-shop");

        List<Object> left = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ProofOutcome o = store.proveByCode(challenge.id(), v, wrong(challenge.code()), "x");
            assertThat(o.result()).isEqualTo(ProofOutcome.Result.WRONG_CODE);
            left.add(o.attemptsLeft());
        }
        assertThat(left).containsExactly(4, 3, 2, 1);
        assertThat(store.proveByCode(challenge.id(), v, "not-a-code", "x").result())
                .isEqualTo(ProofOutcome.Result.LOCKED);
        assertThat(store.proveByCode(challenge.id(), v, challenge.code(), "x").result())
                .isEqualTo(ProofOutcome.Result.LOCKED);
        assertThat(store.verifiedIdentities(v, "email")).isEmpty();
        assertThat(count("customer_identity")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aCodePastItsTimeIsRefused(String kind) throws SQLException {
        open(kind);
        Identity v = visitorWhoWrote(1);
        ProofChallenge challenge = store.startProof(v, JANE, LIMITS, "channel-webchat-shop");
        assertThat(challenge.expiresAt()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(14)));
        execute("UPDATE identity_proof SET expires_at = created_at");

        assertThat(store.proveByCode(challenge.id(), v, challenge.code(), "x").result())
                .isEqualTo(ProofOutcome.Result.EXPIRED);
        assertThat(store.verifiedIdentities(v, "email")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aProofOfAnAddressAnotherCustomerHasSuggestsAMergeAndMovesNothing(String kind) throws SQLException {
        open(kind);
        long jane = janeWroteByMail();
        Identity v = visitorWhoWrote(1);
        long visitorCustomer = customerOf(v);
        ProofChallenge challenge = store.startProof(v, JANE, LIMITS, "channel-webchat-shop");

        ProofOutcome outcome = store.proveByCode(challenge.id(), v, challenge.code(), "channel-webchat-shop");

        assertThat(outcome.result()).isEqualTo(ProofOutcome.Result.SUGGESTED);
        assertThat(outcome.customerId()).isEqualTo(visitorCustomer);
        assertThat(customerOf(v)).as("the visitor stays who they were").isEqualTo(visitorCustomer);
        assertThat(customerOf(JANE)).isEqualTo(jane);
        assertThat(scalar("SELECT COUNT(*) FROM message WHERE customer_id = " + jane)).isEqualTo(1);
        assertThat(store.verifiedIdentities(v, "email")).isEmpty();
        assertThat(count("customer_merge")).isZero();
        List<MergeSuggestion> suggestions = store.mergeSuggestions(Scope.ALL);
        assertThat(suggestions).hasSize(1);
        assertThat(suggestions.get(0).fromCustomer()).isEqualTo(visitorCustomer);
        assertThat(suggestions.get(0).intoCustomer()).isEqualTo(jane);
        assertThat(suggestions.get(0).intoName()).isEqualTo("Jane");
        assertThat(suggestions.get(0).reason()).isEqualTo("webchat identity shop:v-1 proved email jane@example.com by code");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'customer.merge-suggested'")).isEqualTo(1);
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'customer.merged'")).isZero();

        // linkVerified, the older way in, suggests the same way and never twice for one pair
        assertThat(store.linkVerified(v, JANE, "x")).isEqualTo(visitorCustomer);
        assertThat(store.mergeSuggestions(Scope.ALL)).hasSize(1);
        assertThat(customerOf(v)).isEqualTo(visitorCustomer);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFloodOfCodesToOneAddressSendsABoundedFewWhateverTheVisitors(String kind) throws SQLException {
        open(kind);
        int issued = 0;
        int refused = 0;
        for (int n = 0; n < 19; n++) {
            Identity v = visitorWhoWrote(n);
            try {
                store.startProof(v, JANE, LIMITS, "channel-webchat-shop");
                issued++;
            } catch (RateLimitedException e) {
                assertThat(e.getMessage()).isEqualTo("this address had 3 codes in the last hour: try again later");
                refused++;
            }
        }
        assertThat(issued).isEqualTo(3);
        assertThat(refused).isEqualTo(16);
        assertThat(count("identity_proof")).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void oneVisitorGetsABoundedFewCodesWhateverTheAddresses(String kind) throws SQLException {
        open(kind);
        Identity v = visitorWhoWrote(1);
        for (int n = 0; n < 5; n++) {
            store.startProof(v, Identity.of("email", "a" + n + "@example.com"), LIMITS, "x");
        }
        assertThatThrownBy(() -> store.startProof(v, Identity.of("email", "z@example.com"), LIMITS, "x"))
                .isInstanceOf(RateLimitedException.class).hasMessage("you asked for 5 codes in the last hour: "
                        + "try again later");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLimitCountedInTheDatabaseHoldsAcrossNodes(String kind) throws SQLException {
        open(kind);
        JpaStore other = new JpaStore(db.emf, db.dataSource);
        int taken = 0;
        for (int i = 0; i < 30; i++) {
            if ((i % 2 == 0 ? store : other).tryTake("webchat-visitors:shop:203.0.113.9", 10, Duration.ofHours(1))) {
                taken++;
            }
        }
        // a window may turn during the loop: then at most twice the limit
        assertThat(taken).isBetween(10, 20);
        assertThat(text("SELECT bucket FROM rate_count")).doesNotContain("203.0.113.9").hasSize(64);
    }

    private long customerOf(Identity identity) throws SQLException {
        return scalar("SELECT customer_id FROM customer_identity WHERE channel = '" + identity.channel()
                + "' AND handle = '" + identity.handle() + "'");
    }
}
