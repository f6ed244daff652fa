package org.frontdoor.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.frontdoor.api.BusinessHours;
import org.frontdoor.api.Department;
import org.frontdoor.api.SlaPolicy;
import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.Accounts;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.store.SlaStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a due timer does next, in the department's business time; the out-of-hours text. */
class SlaFiringTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Department billing(String chain, Set<String> groups) {
        return new Department("billing", "Billing", Department.Status.CONFIGURED, null, "f",
                BusinessHours.parse("mon-fri 09:00-17:00", PARIS, List.of()), 0, 60, 0, groups, false,
                new SlaPolicy(Map.of(), Map.of(), 80, SlaPolicy.parseEscalation(chain), null));
    }

    private static SlaStore.Timer timer(int step, Instant due, Instant next) {
        return new SlaStore.Timer(7, 1, SlaStore.Kind.FIRST_RESPONSE, "billing", due.minusSeconds(3600), 60, null, due,
                next, step, "node-a", 1);
    }

    @Test
    void warnsThenBreachesWithTheFirstStepThenTakesTheNextOnesATargetApartInBusinessTime() {
        Department d = billing("supervisor, callback, department:sales", Set.of("leads", "billing-agents"));
        // due Friday 2026-03-06 16:30 Paris; a target of 60 business minutes later is Monday 09:30
        Instant due = Instant.parse("2026-03-06T15:30:00Z");

        SlaStore.Firing warn = SlaEngine.firing(timer(0, due, due.minusSeconds(720)), d);
        assertThat(warn).isEqualTo(new SlaStore.Firing(true, false, null, 1, due));

        SlaStore.Firing breach = SlaEngine.firing(timer(1, due, due), d);
        assertThat(breach.breach()).isTrue();
        assertThat(breach.escalation()).isEqualTo(new SlaStore.Escalation("billing-agents, leads", null, false));
        assertThat(breach.nextStep()).isEqualTo(2);
        assertThat(breach.nextAt()).isEqualTo(Instant.parse("2026-03-09T08:30:00Z"));

        Instant monday = Instant.parse("2026-03-09T08:30:00Z");
        SlaStore.Firing callback = SlaEngine.firing(timer(2, due, monday), d);
        assertThat(callback.escalation()).isEqualTo(new SlaStore.Escalation(null, null, true));
        assertThat(callback.nextAt()).isEqualTo(Instant.parse("2026-03-09T09:30:00Z"));

        SlaStore.Firing transfer = SlaEngine.firing(timer(3, due, Instant.parse("2026-03-09T09:30:00Z")), d);
        assertThat(transfer.escalation()).isEqualTo(new SlaStore.Escalation(null, "sales", false));
        assertThat(transfer.nextAt()).as("the chain ends").isNull();

        assertThat(SlaEngine.firing(timer(4, due, due), d).escalation()).as("a chain shortened since").isNull();
        assertThat(SlaEngine.firing(timer(1, due, due), billing("", Set.of())))
                .isEqualTo(new SlaStore.Firing(false, true, null, 2, null));
        assertThat(SlaEngine.firing(timer(1, due, due), billing("supervisor", Set.of())).escalation().supervisors())
                .isEqualTo("no supervisors configured (the department has no readGroups)");
    }

    @Test
    void theSupervisorStepNamesTheDepartmentsSupervisorsElseItsReadGroups() {
        Instant due = Instant.parse("2026-03-06T15:30:00Z");
        Department d = billing("supervisor", Set.of("billing-agents"));
        assertThat(SlaEngine.firing(timer(1, due, due), d, () -> List.of("ann", "bob")).escalation().supervisors())
                .isEqualTo("ann, bob");
        assertThat(SlaEngine.firing(timer(1, due, due), d, List::of).escalation().supervisors())
                .isEqualTo("billing-agents");
        assertThat(SlaEngine.firing(timer(0, due, due), d, () -> {
            throw new AssertionError("a warning asks for no supervisors");
        }).warn()).isTrue();
    }

    @Test
    void theSupervisorsAreTheDepartmentsAgentsWithAnEnabledSupervisorAccount() {
        java.util.List<Agent> agents = List.of(agent("zoe", "billing"), agent("ann", "billing"), agent("bob", "billing"),
                agent("cid", "sales"), agent("dan", "billing"));
        Map<String, Account> accounts = Map.of(
                "zoe", account("zoe", false, "supervisor"), "ann", account("ann", false, "agent", "supervisor"),
                "bob", account("bob", false, "agent"), "cid", account("cid", false, "supervisor"),
                "dan", account("dan", true, "supervisor"));
        Agents agentService = proxy(Agents.class, "list", agents);
        Accounts accountService = (Accounts) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Accounts.class}, (p, m, args) -> {
                    assertThat(m.getName()).isEqualTo("find");
                    return java.util.Optional.ofNullable(accounts.get((String) args[0]));
                });
        assertThat(SlaService.supervisors(agentService, accountService, "billing")).containsExactly("ann", "zoe");
        assertThat(SlaService.supervisors(agentService, accountService, "support")).isEmpty();
    }

    private static Agent agent(String name, String department) {
        return new Agent(name, name, Set.of(department), Set.of(), Set.of(), 5, Presence.ONLINE, Instant.EPOCH, 0, 0);
    }

    private static Account account(String name, boolean disabled, String... roles) {
        return new Account(name, Set.of(roles), disabled, Instant.EPOCH, Instant.EPOCH, 0);
    }

    private static <T> T proxy(Class<T> type, String method, Object answer) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(SlaFiringTest.class.getClassLoader(),
                new Class<?>[] {type}, (p, m, args) -> {
                    assertThat(m.getName()).isEqualTo(method);
                    return answer;
                }));
    }

    @Test
    void theOutOfHoursTextNamesTheNextOpeningInTheDepartmentsZone() {
        Department d = billing("", Set.of());
        assertThat(SlaEngine.closedReply(d, Instant.parse("2026-03-09T08:00:00Z")))
                .isEqualTo("We are closed now; we will answer from Monday 9 March 2026 at 09:00 (Europe/Paris).");
    }
}
