package org.frontdoor.shell.completers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.support.completers.ArgumentCommandLine;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.shell.Console;
import org.frontdoor.shell.Osgi;
import org.frontdoor.shell.TestInbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.frontdoor.shell.TestInbox.T;

class CompletersTest {

    /** What the console offers for a word typed so far. */
    private static List<String> complete(Completer completer, String typed) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new ArgumentCommandLine(typed, typed.length()), candidates);
        return candidates;
    }

    private static List<Candidate> candidates(Completer completer, String typed) {
        List<Candidate> candidates = new ArrayList<>();
        completer.completeCandidates(null, new ArgumentCommandLine(typed, typed.length()), candidates);
        return candidates;
    }

    @Test
    void statusCompleterOffersTheConversationStates() {
        assertThat(complete(new StatusCompleter(), "")).containsExactly("ASSIGNED ", "NEW ", "QUEUED ", "RESOLVED ", "SNOOZED ");
        assertThat(complete(new StatusCompleter(), "q")).containsExactly("QUEUED ");
    }

    @Test
    void visibilityCompleterOffersPublicAndPrivate() {
        assertThat(complete(new VisibilityCompleter(), "")).containsExactly("PRIVATE ", "PUBLIC ");
        assertThat(complete(new VisibilityCompleter(), "pu")).containsExactly("PUBLIC ");
    }

    @Test
    void departmentCompleterOffersConfiguredAndSeenDepartmentsAndNothingWhileCoreIsStopped() {
        DepartmentCompleter completer = new DepartmentCompleter();
        assertThat(complete(completer, "")).isEmpty();
        List<org.frontdoor.api.Department> all = List.of(org.frontdoor.api.Department.seenOnly("billing"),
                org.frontdoor.api.Department.seenOnly("sales"));
        completer.departments = new org.frontdoor.api.Departments() {
            @Override
            public List<org.frontdoor.api.Department> list() {
                return all;
            }

            @Override
            public java.util.Optional<org.frontdoor.api.Department> get(String id) {
                return all.stream().filter(d -> d.id().equals(id)).findFirst();
            }
        };
        assertThat(complete(completer, "")).containsExactly("billing ", "sales ");
        assertThat(complete(completer, "s")).containsExactly("sales ");
    }

    @Test
    void healthCompleterOffersTheChannelStates() {
        assertThat(complete(new HealthCompleter(), "")).containsExactly("AUTH_EXPIRED ", "DEGRADED ", "DOWN ", "UP ");
        assertThat(complete(new HealthCompleter(), "D")).containsExactly("DEGRADED ", "DOWN ");
    }

    @Test
    void channelCompleterOffersEachRegisteredChannelOnceWithoutTakingTheServices(@TempDir Path storage)
            throws Exception {
        try (Osgi osgi = new Osgi(storage)) {
            var demo = osgi.register("api", "demo", ChannelHealth::up);
            osgi.register("api", "shop", ChannelHealth::up);
            osgi.register("email", "support", ChannelHealth::up);
            ChannelCompleter completer = new ChannelCompleter();
            completer.bundleContext = osgi.context();

            assertThat(complete(completer, "")).containsExactly("api ", "email ");
            assertThat(complete(completer, "e")).containsExactly("email ");
            assertThat(complete(completer, "x")).isEmpty();
            assertThat(demo.getReference().getUsingBundles()).isNull();
        }
    }

    private static TestInbox sixtyConversations() {
        TestInbox inbox = new TestInbox();
        for (long id = 1; id <= 60; id++) {
            inbox.add(new ConversationSummary(id, 100 + id, "Customer " + id, "api", "demo", null,
                    id % 2 == 0 ? "support" : "sales", ConversationStatus.QUEUED, null, 0, "hi", 1, T, T.plusSeconds(id)),
                    List.of(new MessageView(id, "m-" + id, Visibility.PRIVATE, 100 + id, "c" + id, null, "hi", T,
                            List.of())), List.of());
        }
        return inbox;
    }

    @Test
    void conversationIdCompleterOffersThe50MostRecentlyActiveDescribedByCustomer() {
        ConversationIdCompleter completer = new ConversationIdCompleter();
        completer.inbox = sixtyConversations();

        List<Candidate> offered = candidates(completer, "");

        assertThat(offered).hasSize(50);
        assertThat(offered).extracting(Candidate::value).contains("60", "11").doesNotContain("10", "1");
        assertThat(offered.get(0)).extracting(Candidate::value, Candidate::descr, Candidate::complete)
                .containsExactly("60", "Customer 60", true);
        assertThat(candidates(completer, "1")).extracting(Candidate::value)
                .containsExactlyInAnyOrder("11", "12", "13", "14", "15", "16", "17", "18", "19");
        assertThat(complete(completer, "2")).containsExactly("20 ", "21 ", "22 ", "23 ", "24 ", "25 ", "26 ", "27 ",
                "28 ", "29 ");
    }

    @Test
    void conversationIdCompleterAsksAsTheSessionsUser() throws Exception {
        TestInbox inbox = sixtyConversations();
        ConversationIdCompleter completer = new ConversationIdCompleter();
        completer.inbox = inbox;

        Console.runAs("jane", Set.of("admin"), () -> candidates(completer, ""));

        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void conversationIdCompleterOffersNothingWhileCoreIsStoppedOrFailing() {
        ConversationIdCompleter stopped = new ConversationIdCompleter();
        ConversationIdCompleter failing = new ConversationIdCompleter();
        failing.inbox = new TestInbox() {
            @Override
            public Page<ConversationSummary> conversations(Caller caller, ConversationQuery query) {
                throw new IllegalStateException("database is down");
            }
        };

        assertThat(candidates(stopped, "")).isEmpty();
        assertThat(candidates(failing, "")).isEmpty();
        assertThat(complete(failing, "")).isEmpty();
    }
}
