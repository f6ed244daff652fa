package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;
import org.junit.jupiter.api.Test;

/**
 * The rule as it ships, in a running Frontdoor: the test kit boots a copy of the distribution with a department
 * {@code ruleit}, adds this project's feature repository and installs its feature (from target/, before install: see
 * {@code Distribution.withPluginUnderTest()}), with one rule sending "refund" to {@code ruleit}. A conversation whose
 * message says it goes there; another does not.
 */
class RuleIT {

    @Test
    void aConversationWithTheKeywordGoesToTheDepartment() throws Exception {
        try (Distribution frontdoor = new Distribution("RuleIT", Database.h2())
                .withConfig("org.frontdoor.department-ruleit.cfg", "name = Rule IT\nbusinessHours = always\n")
                .withConfig(Rule.FACTORY_PID + "-it.cfg", "department = ruleit\nkeyword = refund\nservice.ranking = 1000\n")
                .withPluginUnderTest()
                .start()) {
            Distribution.Response matching = frontdoor.postSigned(
                    Distribution.webhookMessage("it-1", "customer-1", "Ann", "I want a REFUND, please"));
            Distribution.Response other = frontdoor.postSigned(
                    Distribution.webhookMessage("it-2", "customer-2", "Bob", "Where is my parcel?"));

            assertThat(matching.status()).as(matching.body()).isEqualTo(202);
            assertThat(other.status()).as(other.body()).isEqualTo(202);
            assertThat(frontdoor.awaitConversation(matching.json().path("conversationId").asLong(),
                    c -> !c.path("summary").path("department").asText().isEmpty())
                    .path("summary").path("department").asText()).isEqualTo("ruleit");
            assertThat(frontdoor.awaitConversation(other.json().path("conversationId").asLong(),
                    c -> !c.path("summary").path("department").asText().isEmpty())
                    .path("summary").path("department").asText()).isNotEqualTo("ruleit");
            assertThat(frontdoor.logProblems()).isEmpty();
        }
    }
}
