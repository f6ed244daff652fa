package org.frontdoor.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.admin.FoundAnnotation;
import org.frontdoor.api.admin.RuleAnswer;
import org.frontdoor.api.admin.RuleTestRequest;
import org.frontdoor.api.admin.RuleTestResult;
import org.frontdoor.api.admin.RuleTester;
import org.frontdoor.shell.completers.ChannelCompleter;

@Command(scope = "frontdoor", name = "rule-test",
        description = "Shows what the classifiers find in a text and what every routing rule answers, in the order "
                + "they are asked, and where such a conversation would go; stores nothing")
@Service
public class RuleTestCommand extends CallerAction {

    static final String USAGE = "Usage: frontdoor:rule-test \"TEXT\" [--channel ID] [--instance NAME] "
            + "[--public|--private] [--author HANDLE] [--subject TEXT]";
    /** The channel when none is named: the API door every distribution has. */
    static final String DEFAULT_CHANNEL = "api";

    @Reference(optional = true)
    RuleTester tester;

    @Option(name = "--channel", aliases = "-c", description = "The channel id the text comes through (default api)")
    @Completion(ChannelCompleter.class)
    String channel;

    @Option(name = "--instance", aliases = "-i", description = "The door of that channel (default: its first running "
            + "one)")
    String instance;

    @Option(name = "--public", description = "As a public post")
    boolean publicPost;

    @Option(name = "--private", description = "As a private message (the default)")
    boolean privateMessage;

    @Option(name = "--author", description = "The author's handle on the channel")
    String author;

    @Option(name = "--subject", description = "A subject, as an e-mail has")
    String subject;

    /** Karaf reads options only before the arguments: {@code "TEXT" --channel email} arrives here whole. */
    @Argument(index = 0, name = "text", required = true, multiValued = true,
            description = "The customer's words: one quoted argument, or several words joined with spaces; the "
                    + "options may follow it")
    List<String> words;

    @Override
    protected Object call() {
        if (tester == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        RuleTestRequest request;
        try {
            request = request();
        } catch (IllegalArgumentException e) {
            Commands.error(e.getMessage());
            return null;
        }
        RuleTestResult result;
        try {
            result = tester.test(caller(), request);
        } catch (SecurityException e) {
            Commands.error(Commands.reason(e));
            return null;
        } catch (IllegalArgumentException e) {
            Commands.error("Frontdoor would refuse such a message: " + Commands.reason(e));
            return null;
        }
        print(result, request.visibility());
        return null;
    }

    /** The request the arguments and options make, or an exception whose message says what is wrong. */
    RuleTestRequest request() {
        List<String> text = new ArrayList<>();
        List<String> rest = words == null ? List.of() : words;
        for (int i = 0; i < rest.size(); i++) {
            String word = rest.get(i);
            String name = word;
            String value = null;
            int equals = word.indexOf('=');
            if (word.startsWith("--") && equals > 0) {
                name = word.substring(0, equals);
                value = word.substring(equals + 1);
            }
            switch (name) {
                case "--public" -> publicPost = true;
                case "--private" -> privateMessage = true;
                case "--channel", "-c", "--instance", "-i", "--author", "--subject" -> {
                    if (value == null) {
                        if (i + 1 >= rest.size()) {
                            throw new IllegalArgumentException(name + " needs a value. " + USAGE);
                        }
                        value = rest.get(++i);
                    }
                    switch (name) {
                        case "--channel", "-c" -> channel = value;
                        case "--instance", "-i" -> instance = value;
                        case "--author" -> author = value;
                        default -> subject = value;
                    }
                }
                default -> {
                    if (word.startsWith("--")) {
                        throw new IllegalArgumentException("Unknown option " + Text.oneLine(word, 40) + ". " + USAGE);
                    }
                    text.add(word);
                }
            }
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("No text to test. " + USAGE);
        }
        if (publicPost && privateMessage) {
            throw new IllegalArgumentException("Choose --public or --private, not both");
        }
        String id = channel == null || channel.isBlank() ? DEFAULT_CHANNEL : channel.strip();
        return new RuleTestRequest(String.join(" ", text), id, Commands.filter(instance),
                publicPost ? Visibility.PUBLIC : Visibility.PRIVATE, Commands.filter(author), Commands.filter(subject));
    }

    static void print(RuleTestResult result, Visibility visibility) {
        System.out.println("Door " + Text.oneLine(result.door(), 130) + ", a "
                + (visibility == Visibility.PUBLIC ? "public post" : "private message")
                + " (a dry run: nothing is stored)");
        table(result.rules()).print(System.out);
        System.out.println(decision(result));
        if (result.annotations().isEmpty()) {
            System.out.println("Annotations: none");
        } else {
            System.out.println("Annotations:");
            for (FoundAnnotation a : result.annotations()) {
                System.out.println("  " + Text.oneLine(a.annotation().name(), 40) + "="
                        + Text.oneLine(a.annotation().value(), 80)
                        + String.format(Locale.ROOT, " (%.2f, %s)", a.annotation().confidence(),
                        Text.oneLine(a.classifier(), 60)));
            }
        }
        for (String note : result.notes()) {
            System.out.println("Note: " + Text.oneLine(note, 300));
        }
    }

    static ShellTable table(List<RuleAnswer> rules) {
        ShellTable table = new ShellTable();
        table.column("Order");
        table.column("Rule");
        table.column("Ranking");
        table.column("Bundle");
        table.column("Claims");
        table.column("Department");
        table.column("Priority");
        table.column("Skill");
        table.column("Error");
        table.emptyTableText("No routing rule: every conversation goes to the default department");
        int order = 1;
        for (RuleAnswer rule : rules) {
            RoutingDecision d = rule.decision();
            table.addRow().addContent(order++, Text.oneLine(rule.name(), 40), rule.ranking(),
                    Text.oneLine(rule.bundle(), 60), rule.claimed() ? "yes" : rule.error() != null ? "failed" : "no",
                    d == null ? "" : Text.oneLine(d.department(), 64), d == null ? "" : d.priority(),
                    d == null ? "" : Text.oneLine(d.skill(), 64), Text.oneLine(rule.error(), 100));
        }
        return table;
    }

    static String decision(RuleTestResult result) {
        RoutingDecision d = result.decision();
        String where = Text.oneLine(d.department(), 64) + ", priority " + d.priority()
                + (d.skill() == null ? "" : ", skill " + Text.oneLine(d.skill(), 64));
        return "Decision: " + where + (result.byDefault() ? " (the default department: no rule claims it)"
                : " (rule " + Text.oneLine(d.rule(), 60) + ", the first that claims it)");
    }
}
