package org.frontdoor.shell;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.frontdoor.api.Scope;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.AgentConflictException;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.api.inbox.ConversationStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** frontdoor:agent-* and conversation-snooze, and the console's scope from the agent's departments. */
class AgentCommandsTest {

    /** Agents in memory, compare-and-set on the version as the store does. */
    static final class MemoryAgents implements Agents {
        final TreeMap<String, Agent> agents = new TreeMap<>();

        @Override
        public List<Agent> list() {
            return List.copyOf(agents.values());
        }

        @Override
        public Optional<Agent> find(String name) {
            return Optional.ofNullable(agents.get(name));
        }

        @Override
        public Agent create(Agent a, String actor) {
            if (agents.containsKey(a.name())) {
                throw new AgentConflictException("agent " + a.name() + " exists already");
            }
            Agent stored = new Agent(a.name(), a.displayName(), a.departments(), a.skills(), a.languages(),
                    a.capacity(), Presence.OFFLINE, Instant.EPOCH, 1, 0);
            agents.put(a.name(), stored);
            return stored;
        }

        @Override
        public Agent update(Agent a, String actor) {
            Agent old = find(a.name()).orElseThrow(() -> new NoSuchElementException("No agent " + a.name()));
            if (old.version() != a.version()) {
                throw new AgentConflictException("agent " + a.name() + " was changed meanwhile");
            }
            Agent stored = new Agent(a.name(), a.displayName(), a.departments(), a.skills(), a.languages(),
                    a.capacity(), old.presence(), old.presenceAt(), old.version() + 1, 0);
            agents.put(a.name(), stored);
            return stored;
        }

        @Override
        public Agent setPresence(String name, Presence presence, String actor) {
            Agent old = find(name).orElseThrow();
            Agent stored = new Agent(name, old.displayName(), old.departments(), old.skills(), old.languages(),
                    old.capacity(), presence, Instant.EPOCH, old.version() + 1, 0);
            agents.put(name, stored);
            return stored;
        }

        @Override
        public Scope scopeOf(String user, Set<String> roles) {
            return Scope.departments(find(user).map(Agent::departments).orElse(Set.of()));
        }
    }

    private final MemoryAgents agents = new MemoryAgents();

    @AfterEach
    void fromCore() {
        Commands.scopes = Commands::scopeFromCore;
    }

    private <T extends AgentAction> T with(T command) {
        command.agents = agents;
        return command;
    }

    @Test
    void anAdminAddsAndChangesAgentsAndAStaleVersionIsRefused() throws Exception {
        AgentAddCommand add = with(new AgentAddCommand());
        add.name = "ann";
        add.departments = "support, sales";
        add.languages = "de";
        add.capacity = 3;
        assertThat(Console.runAs("root", Set.of("admin"), add).out().strip())
                .isEqualTo("Agent ann added, offline, capacity 3");
        assertThat(Console.runAs("root", Set.of("admin"), add).err().strip()).isEqualTo("Refused: agent ann exists already");
        add.name = "bob";
        assertThat(Console.runAs("jane", Set.of("agent"), add).err().strip()).isEqualTo("Agents are added by role admin");

        AgentSetCommand set = with(new AgentSetCommand());
        set.name = "ann";
        set.capacity = 6;
        assertThat(Console.runAs("root", Set.of("admin"), set).out()).contains("Open:        0 of 6")
                .contains("Departments: sales, support").contains("Version:     2");
        set.version = 1L;
        assertThat(Console.runAs("root", Set.of("admin"), set).err().strip())
                .isEqualTo("Refused: agent ann was changed meanwhile");

        AgentListCommand list = with(new AgentListCommand());
        assertThat(Console.run(list).out()).contains("ann").contains("0/6");
        AgentShowCommand show = with(new AgentShowCommand());
        show.name = "nobody";
        assertThat(Console.run(show).err().strip()).isEqualTo("No agent nobody");
    }

    @Test
    void anAgentSetsTheirOwnPresenceAndASupervisorOfTheirDepartmentAnothers() throws Exception {
        agents.create(Agent.of("ann", null, Set.of("support"), Set.of(), Set.of(), 3), "root");
        agents.create(Agent.of("jane", null, Set.of("support"), Set.of(), Set.of(), 3), "root");
        agents.create(Agent.of("sue", null, Set.of("support"), Set.of(), Set.of(), 3), "root");
        agents.create(Agent.of("sam", null, Set.of("sales"), Set.of(), Set.of(), 3), "root");
        Commands.scopes = agents::scopeOf;
        AgentPresenceCommand presence = with(new AgentPresenceCommand());
        presence.name = "ann";
        presence.presence = "Away";

        assertThat(Console.runAs("jane", Set.of("agent"), presence).err()).contains("may set their own presence");
        assertThat(Console.runAs("sam", Set.of("supervisor"), presence).err()).contains("may set their own presence");
        assertThat(Console.runAs("sue", Set.of("supervisor"), presence).out().strip())
                .isEqualTo("Agent ann is away (0 of 3 open)");
        presence.presence = "online";
        assertThat(Console.runAs("ann", Set.of("agent"), presence).out()).contains("is online");
        presence.presence = "asleep";
        assertThat(Console.runAs("ann", Set.of("agent"), presence).err().strip())
                .isEqualTo("Refused: presence 'asleep' is none of online, away, offline");
    }

    @Test
    void theConsolesScopeIsTheAgentsDepartmentsAndASnoozeOutsideItIsNoConversation() throws Exception {
        agents.create(Agent.of("sam", null, Set.of("sales"), Set.of(), Set.of(), 3), "root");
        Commands.scopes = agents::scopeOf;
        TestInbox inbox = TestInbox.sample();
        ConversationSnoozeCommand snooze = new ConversationSnoozeCommand();
        snooze.inbox = inbox;
        snooze.id = 1;
        snooze.time = "2099-01-01T09:00:00+01:00";

        assertThat(Console.runAs("sam", Set.of("agent"), snooze).err().strip()).isEqualTo("No conversation 1");
        assertThat(inbox.callers()).containsExactly(new org.frontdoor.api.Caller("sam", Set.of("agent"),
                Scope.departments(Set.of("sales"))));
        Console.Output done = Console.runAs("root", Set.of("admin"), snooze);
        assertThat(done.out().strip()).isEqualTo("Conversation 1 is snoozed until 2099-01-01T08:00:00Z");
        assertThat(inbox.detail(1).summary().status()).isEqualTo(ConversationStatus.SNOOZED);
        snooze.time = "tomorrow";
        assertThat(Console.runAs("root", Set.of("admin"), snooze).err()).startsWith("Cannot read the time tomorrow");
        Commands.scopes = Commands::scopeFromCore;
        assertThat(Commands.scopeFromCore("sam", Set.of("agent"))).as("no framework, no core: nothing")
                .isEqualTo(Scope.departments(Set.of()));
    }
}
