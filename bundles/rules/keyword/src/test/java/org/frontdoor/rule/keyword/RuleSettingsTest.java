package org.frontdoor.rule.keyword;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.frontdoor.rule.keyword.Rules.annotation;
import static org.frontdoor.rule.keyword.Rules.config;
import static org.frontdoor.rule.keyword.Rules.conversation;
import static org.frontdoor.rule.keyword.Rules.message;
import static org.frontdoor.rule.keyword.Rules.settings;

class RuleSettingsTest {

    private static final String FILE = "file:/opt/frontdoor/etc/org.frontdoor.rule.keyword-refunds.cfg";

    @Test
    void aMatchingMessageGoesToTheDepartmentWithThePriorityAndSkillUnderTheRulesName() {
        RuleSettings rule = settings("refunds", "department", "billing", "keywords", "refund, money back",
                "priority", "2", "skill", "german");
        Message m = message("email", "Ich will mein Money Back!");

        assertThat(rule.decide(m, conversation(m))).contains(new RoutingDecision("billing", 2, "german", "refunds",
                "one of its keywords (refund, money back) in the latest message"));
    }

    @Test
    void withoutPriorityOrSkillTheDecisionIsNormalAndNeedsNoSkill() {
        RuleSettings rule = settings("refunds", "department", "billing", "keywords", "refund");
        Message m = message("api", "refund");

        assertThat(rule.decide(m, conversation(m))).contains(new RoutingDecision("billing", 0, null, "refunds",
                "one of its keywords (refund) in the latest message"));
    }

    @Test
    void aMessageWithoutAnyKeywordIsLeftToTheOtherRules() {
        RuleSettings rule = settings("refunds", "department", "billing",
                "keywords", new String[] {"refund", "chargeback"});
        Message m = message("api", "My order never arrived");

        assertThat(rule.decide(m, conversation(m))).isEmpty();
    }

    @Test
    void byDefaultOnlyTheLatestMessageIsSearched() {
        RuleSettings rule = settings("refunds", "department", "billing", "keywords", "refund");
        Message earlier = message("api", "I want a refund");
        Message latest = message("api", "Any news?");

        assertThat(rule.match()).isEqualTo(RuleSettings.Match.LATEST);
        assertThat(rule.decide(latest, conversation(earlier, latest))).isEmpty();
        assertThat(rule.decide(earlier, conversation(latest, earlier))).isPresent();
    }

    @Test
    void withMatchConversationAnyOfTheConversationsMessagesCounts() {
        RuleSettings rule = settings("refunds", "department", "billing", "keywords", "refund", "match", "Conversation");
        Message earlier = message("api", "I want a refund");
        Message latest = message("api", "Any news?");

        assertThat(rule.decide(latest, conversation(earlier, latest))).isPresent();
        assertThat(rule.decide(latest, conversation(latest))).isEmpty();
        assertThat(rule.decide(earlier, conversation(latest))).as("the routed message even when the context lacks it")
                .isPresent();
    }

    @Test
    void withChannelsOnlyConversationsOnThoseChannelsAreClaimed() {
        RuleSettings rule = settings("refunds", "department", "billing", "keywords", "refund",
                "channels", "email, API");
        Message onEmail = message("email", "refund");
        Message onApi = message("api", "refund");
        Message onX = message("x", "refund");

        assertThat(rule.channels()).containsExactlyInAnyOrder("email", "api");
        assertThat(rule.decide(onEmail, conversation(onEmail))).isPresent();
        assertThat(rule.decide(onApi, conversation(onApi))).isPresent();
        assertThat(rule.decide(onX, conversation(onX))).isEmpty();
    }

    @Test
    void anAnnotationFilterClaimsOnlyMessagesAClassifierFoundSo() {
        RuleSettings rule = settings("angry-refunds", "department", "retention", "keywords", "refund",
                "annotation", "sentiment=negative");
        Message angry = message("api", "REFUND. NOW.",
                annotation("language", "en"), annotation("Sentiment", "NEGATIVE"));
        Message calm = message("api", "A refund would be nice", annotation("sentiment", "neutral"));
        Message angryElsewhere = message("api", "This is ridiculous", annotation("sentiment", "negative"));

        assertThat(rule.decide(angry, conversation(angry))).isPresent();
        assertThat(rule.decide(calm, conversation(calm))).isEmpty();
        assertThat(rule.decide(angryElsewhere, conversation(angryElsewhere))).as("no keyword").isEmpty();
    }

    @Test
    void anAnnotationFilterAloneMakesARule() {
        RuleSettings rule = settings("urgent", "department", "escalations", "annotation", " urgency = high ",
                "priority", 5);
        Message urgent = message("x", "the site is down", annotation("urgency", "high"));
        Message other = message("x", "the site is down", annotation("urgency", "low"));

        assertThat(rule.keywords().isEmpty()).isTrue();
        assertThat(rule.decide(urgent, conversation(urgent)))
                .contains(new RoutingDecision("escalations", 5, null, "urgent",
                        "the annotation urgency=high on the latest message"));
        assertThat(rule.decide(other, conversation(other))).isEmpty();
    }

    @Test
    void overTheConversationTheKeywordAndTheAnnotationMayBeOnDifferentMessages() {
        RuleSettings rule = settings("angry-refunds", "department", "retention", "keywords", "refund",
                "annotation", "sentiment=negative", "match", "conversation");
        Message asked = message("api", "I want a refund", annotation("sentiment", "neutral"));
        Message angry = message("api", "Still nothing?!", annotation("sentiment", "negative"));

        assertThat(rule.decide(angry, conversation(asked, angry))).isPresent();
    }

    @Test
    void aConfigurationWithoutADepartmentIsRefusedNamingItsFile() {
        assertThatThrownBy(() -> settings("refunds", "keywords", "refund", "felix.fileinstall.filename", FILE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(FILE)
                .hasMessageContaining("department");
        assertThatThrownBy(() -> settings("refunds", "department", "  ", "keywords", "refund"))
                .hasMessageContaining("configuration org.frontdoor.rule.keyword~refunds")
                .hasMessageContaining("department");
    }

    @Test
    void aConfigurationWithNothingToLookForIsRefusedNamingItsFile() {
        assertThatThrownBy(() -> settings("refunds", "department", "billing", "felix.fileinstall.filename", FILE))
                .hasMessageContaining(FILE).hasMessageContaining("'keywords', 'annotation'");
        assertThatThrownBy(() -> settings("refunds", "department", "billing", "keywords", " , ", "annotation", ""))
                .hasMessageContaining("nothing to look for");
    }

    @Test
    void valuesThatCannotBeReadAreRefusedWithTheReason() {
        assertThatThrownBy(() -> settings("r", "department", "billing", "keywords", "x", "service.ranking", "high",
                "felix.fileinstall.filename", FILE))
                .hasMessageContaining(FILE).hasMessageContaining("service.ranking must be a whole number, not 'high'");
        assertThatThrownBy(() -> settings("r", "department", "billing", "keywords", "x", "service.ranking",
                Long.MAX_VALUE)).hasMessageContaining("service.ranking must be a whole number");
        assertThatThrownBy(() -> settings("r", "department", "billing", "keywords", "x", "priority", "-1"))
                .hasMessageContaining("priority must be 0 or more");
        assertThatThrownBy(() -> settings("r", "department", "billing", "keywords", "x", "priority", "urgent"))
                .hasMessageContaining("priority must be a whole number");
        assertThatThrownBy(() -> settings("r", "department", "billing", "keywords", "x", "match", "all"))
                .hasMessageContaining("match must be latest or conversation, not 'all'");
        assertThatThrownBy(() -> settings("r", "department", "billing", "annotation", "negative"))
                .hasMessageContaining("annotation must read name=value");
        assertThatThrownBy(() -> settings("r", "department", "billing", "keywords", "x", "annotation", "sentiment="))
                .hasMessageContaining("annotation must read name=value");
        assertThatThrownBy(() -> settings("r", "department", "b".repeat(65), "keywords", "x"))
                .hasMessageContaining("department takes at most 64 characters");
        assertThatThrownBy(() -> settings("r", "department", "billing", "keywords", "x", "skill", "s".repeat(65)))
                .hasMessageContaining("skill takes at most 64 characters");
    }

    @Test
    void theRankingIsReadAsACfgFileOrTypedConfigurationGivesIt() {
        assertThat(settings("r", "department", "billing", "keywords", "x").ranking()).isZero();
        assertThat(settings("r", "department", "billing", "keywords", "x", "service.ranking", " 150 ").ranking())
                .isEqualTo(150);
        assertThat(settings("r", "department", "billing", "keywords", "x", "service.ranking", -20).ranking())
                .isEqualTo(-20);
        assertThat(settings("r", "department", "billing", "keywords", "x", "service.ranking", 300L).ranking())
                .isEqualTo(300);
    }

    @Test
    void theNameIsExplicitOrTheFactoryConfigurationsNameOrItsFiles() {
        assertThat(settings("refunds", "department", "billing", "keywords", "x").name()).isEqualTo("refunds");
        assertThat(settings("refunds", "department", "billing", "keywords", "x", "name", " Refund requests ").name())
                .isEqualTo("Refund requests");

        Map<String, Object> generatedPid = new HashMap<>(Map.of("service.pid", "org.frontdoor.rule.keyword.8f2c",
                "department", "billing", "keywords", "x", "felix.fileinstall.filename", FILE));
        assertThat(RuleSettings.from(config(generatedPid), generatedPid).name()).isEqualTo("refunds");

        generatedPid.remove("felix.fileinstall.filename");
        assertThatThrownBy(() -> RuleSettings.from(config(generatedPid), generatedPid))
                .hasMessageContaining("configuration org.frontdoor.rule.keyword.8f2c")
                .hasMessageContaining("org.frontdoor.rule.keyword-<name>.cfg or set 'name'");
    }

    @Test
    void theExampleInTheDocsMakesARuleThatRoutesARefund() throws Exception {
        Path example = Path.of(System.getProperty("basedir", "."))
                .resolve("../../../docs/examples/org.frontdoor.rule.keyword-refunds.cfg").normalize();
        Properties cfg = new Properties();
        try (Reader in = Files.newBufferedReader(example)) {
            cfg.load(in);
        }
        // as Karaf's file install hands a .cfg over: every value a String, with the file's name
        Map<String, Object> properties = new HashMap<>();
        cfg.stringPropertyNames().forEach(key -> properties.put(key, cfg.getProperty(key)));
        properties.put("service.pid", "org.frontdoor.rule.keyword.3b1f");
        properties.put("felix.fileinstall.filename", example.toUri().toString());

        RuleSettings rule = RuleSettings.from(config(properties), properties);
        Message refund = message("email", "Where is my REFUND?");
        Message other = message("email", "Where is my parcel?");

        assertThat(rule.name()).isEqualTo("refunds");
        assertThat(rule.decide(refund, conversation(refund))).map(RoutingDecision::department).contains("billing");
        assertThat(rule.decide(other, conversation(other))).isEmpty();
    }
}
