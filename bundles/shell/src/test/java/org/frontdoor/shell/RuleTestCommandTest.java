package org.frontdoor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Caller;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.admin.FoundAnnotation;
import org.frontdoor.api.admin.RuleAnswer;
import org.frontdoor.api.admin.RuleTestRequest;
import org.frontdoor.api.admin.RuleTestResult;
import org.frontdoor.api.admin.RuleTester;
import org.junit.jupiter.api.Test;

/** rule-test as a console user sees it. */
class RuleTestCommandTest {

    private final List<RuleTestRequest> requests = new ArrayList<>();
    private final List<Caller> callers = new ArrayList<>();

    private RuleTester tester(RuleTestResult result) {
        return (caller, request) -> {
            callers.add(caller);
            requests.add(request);
            if (!caller.hasRole("admin") && !caller.hasRole("supervisor")) {
                throw new SecurityException("Testing the routing rules is for admins and supervisors");
            }
            if (request.text().contains("\0")) {
                throw new IllegalArgumentException("text contains a NUL character, which cannot be stored");
            }
            return result;
        };
    }

    private static final RuleTestResult CLAIMED = new RuleTestResult("email/support", List.of(
            new RuleAnswer("broken", 200, 12, "org.frontdoor.rule.custom", null,
                    "java.lang.IllegalStateException: rule bug\n\u001b[31m"),
            new RuleAnswer("refunds", 100, 7, "org.frontdoor.rule.keyword",
                    new RoutingDecision("billing", 1, null, "refunds"), null),
            new RuleAnswer("angry", 50, 9, "org.frontdoor.rule.keyword",
                    new RoutingDecision("complaints", 2, "calm", "angry"), null),
            new RuleAnswer("vip", 10, 8, "org.frontdoor.rule.keyword", null, null)),
            List.of(new FoundAnnotation("org.frontdoor.classifier.sentiment",
                    new Annotation("sentiment", "negative", 0.875))),
            new RoutingDecision("billing", 1, null, "refunds"), false, List.of());

    private RuleTestCommand command(RuleTestResult result, String... words) {
        RuleTestCommand command = new RuleTestCommand();
        command.tester = tester(result);
        command.words = List.of(words);
        return command;
    }

    @Test
    void printsEveryRuleInOrderWithItsAnswerThenTheDecisionAndTheAnnotations() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("admin"),
                command(CLAIMED, "I want a refund", "--channel", "email", "--public"));

        List<List<String>> table = output.table();
        assertThat(table.get(0)).containsExactly("Order", "Rule", "Ranking", "Bundle", "Claims", "Department",
                "Priority", "Skill", "Error");
        assertThat(table.subList(1, table.size())).extracting(row -> row.get(1) + " " + row.get(4))
                .containsExactly("broken failed", "refunds yes", "angry yes", "vip no");
        assertThat(table.get(3)).contains("complaints", "2", "calm");
        assertThat(output.out()).contains("java.lang.IllegalStateException: rule bug").doesNotContain("\u001b")
                .contains("Decision: billing, priority 1 (rule refunds, the first that claims it)")
                .contains("sentiment=negative (0.88, org.frontdoor.classifier.sentiment)")
                .contains("Door email/support, a public post (a dry run: nothing is stored)");
        assertThat(output.err()).isEmpty();
        assertThat(requests).containsExactly(new RuleTestRequest("I want a refund", "email", null, Visibility.PUBLIC,
                null, null));
        assertThat(callers).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void takesItsOptionsBeforeOrAfterTheTextAndDefaultsToAPrivateMessageOnTheApi() throws Exception {
        Console.runAs("jane", Set.of("admin"), command(CLAIMED, "where", "is", "my", "parcel"));
        RuleTestCommand before = command(CLAIMED, "hello");
        before.channel = "xmpp";
        before.instance = "chat";
        Console.runAs("jane", Set.of("admin"), before);
        Console.runAs("jane", Set.of("admin"), command(CLAIMED, "hi", "--instance=shop", "--private", "--author",
                "ann@example.com", "--subject", "My order", "-c", "email"));

        assertThat(requests).containsExactly(
                new RuleTestRequest("where is my parcel", "api", null, Visibility.PRIVATE, null, null),
                new RuleTestRequest("hello", "xmpp", "chat", Visibility.PRIVATE, null, null),
                new RuleTestRequest("hi", "email", "shop", Visibility.PRIVATE, "ann@example.com", "My order"));
    }

    @Test
    void saysWhereWhatNoRuleClaimsGoesAndWhatWasNotChecked() throws Exception {
        RuleTestResult byDefault = new RuleTestResult("sms/test", List.of(), List.of(),
                new RoutingDecision("support", 0, null, "default"), true,
                List.of("No door of channel sms is running: its limits (public or private) are not checked"));

        Console.Output output = Console.runAs("jane", Set.of("supervisor"), command(byDefault, "hello", "--channel",
                "sms"));

        assertThat(output.out()).contains("No routing rule: every conversation goes to the default department")
                .contains("Decision: support, priority 0 (the default department: no rule claims it)")
                .contains("Annotations: none")
                .contains("Note: No door of channel sms is running: its limits (public or private) are not checked");
        assertThat(output.err()).isEmpty();
    }

    @Test
    void refusesInOneSentence() throws Exception {
        assertThat(Console.runAs("kim", Set.of("agent"), command(CLAIMED, "hello")).err().strip())
                .isEqualTo("Testing the routing rules is for admins and supervisors");
        assertThat(Console.runAs("jane", Set.of("admin"), command(CLAIMED, "hello", "--public", "--private")).err()
                .strip()).isEqualTo("Choose --public or --private, not both");
        assertThat(Console.runAs("jane", Set.of("admin"), command(CLAIMED, "hello", "--channel")).err())
                .startsWith("--channel needs a value.");
        assertThat(Console.runAs("jane", Set.of("admin"), command(CLAIMED, "hello", "--department", "x")).err())
                .startsWith("Unknown option --department.");
        assertThat(Console.runAs("jane", Set.of("admin"), command(CLAIMED, "a\0b")).err().strip())
                .isEqualTo("Frontdoor would refuse such a message: text contains a NUL character, which cannot be "
                        + "stored");
        RuleTestCommand stopped = command(CLAIMED, "hello");
        stopped.tester = null;
        assertThat(Console.run(stopped).err()).contains("core is not running");
        assertThat(requests).hasSize(2);
    }
}
