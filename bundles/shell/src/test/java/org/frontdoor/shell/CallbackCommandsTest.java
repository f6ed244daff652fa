package org.frontdoor.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Callbacks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackCommandsTest {

    private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

    /** Callback tasks kept in a list, as core's service answers. */
    private static final class TestCallbacks implements Callbacks {
        final List<CallbackTask> tasks = new ArrayList<>(List.of(
                new CallbackTask(2, 20, "support", 7, "Zoé \u001b[31m", "+33612345678", "call back", T, null, null),
                new CallbackTask(1, 10, "support", 8, null, null, "call back; no number known", T, null, null)));

        @Override
        public List<CallbackTask> list(Caller caller, boolean openOnly, int limit) {
            return tasks.stream().filter(t -> !openOnly || t.open()).limit(limit).toList();
        }

        @Override
        public CallbackTask done(Caller caller, long id) {
            for (int i = 0; i < tasks.size(); i++) {
                CallbackTask t = tasks.get(i);
                if (t.id() == id) {
                    if (!t.open()) {
                        throw new IllegalStateException("callback task " + id + " is done already");
                    }
                    CallbackTask done = new CallbackTask(t.id(), t.conversationId(), t.department(), t.customerId(),
                            t.customerName(), t.phone(), t.note(), t.createdAt(), caller.name(), T.plusSeconds(60));
                    tasks.set(i, done);
                    return done;
                }
            }
            throw new NoSuchElementException("no callback task " + id);
        }

        @Override
        public CallbackTask call(Caller caller, long id, String door, String agentNumber) {
            CallbackTask t = tasks.stream().filter(task -> task.id() == id).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("no callback task " + id));
            if (t.phone() == null) {
                throw new org.frontdoor.api.calls.CallRefusedException("callback task " + id + " has no number to "
                        + "call");
            }
            CallbackTask called = new CallbackTask(t.id(), t.conversationId(), t.department(), t.customerId(),
                    t.customerName(), t.phone(), t.note(), t.createdAt(), t.doneBy(), t.doneAt(),
                    "CA\u001b[31m1", caller.name(), T);
            tasks.set(tasks.indexOf(t), called);
            return called;
        }
    }

    private CallbackCallCommand call(long id, String agentPhone) {
        CallbackCallCommand command = new CallbackCallCommand();
        command.callbacks = callbacks;
        command.id = id;
        command.agentPhone = agentPhone;
        return command;
    }

    @Test
    void placesTheCallOfATaskAndSaysWhyWhenItCannot() throws Exception {
        Console.Output placed = Console.runAs("jane", Set.of("agent"), call(2, "+15550123"));
        assertThat(placed.out().strip()).isEqualTo("Callback task 2 (conversation 20): call CA\uFFFD[31m1 placed to "
                + "+33612345678; your phone rings first. Mark it done after the talk (callback-done 2)");
        assertThat(placed.out()).doesNotContain("\u001b");
        assertThat(Console.runAs("jane", Set.of("agent"), call(1, null)).err().strip())
                .isEqualTo("No call placed: callback task 1 has no number to call");
        assertThat(Console.runAs("jane", Set.of("agent"), call(99, null)).err().strip())
                .isEqualTo("No callback task 99");
    }

    private final TestCallbacks callbacks = new TestCallbacks();

    private CallbackListCommand list(boolean all) {
        CallbackListCommand command = new CallbackListCommand();
        command.callbacks = callbacks;
        command.all = all;
        return command;
    }

    private CallbackDoneCommand done(long id) {
        CallbackDoneCommand command = new CallbackDoneCommand();
        command.callbacks = callbacks;
        command.id = id;
        return command;
    }

    @Test
    void listsOpenTasksWithTheNumberOrSaysNoneIsKnownAndMarksOneDone() throws Exception {
        Console.Output output = Console.run(list(false));
        assertThat(output.table()).hasSize(3);
        assertThat(output.table().get(1)).contains("2", "20", "+33612345678");
        assertThat(output.table().get(2)).contains("no number known");
        assertThat(output.out()).doesNotContain("\u001b");

        Console.Output marked = Console.runAs("jane", Set.of("agent"), done(1));
        assertThat(marked.out().strip()).isEqualTo("Callback task 1 (conversation 10) done by jane");
        assertThat(Console.run(list(false)).table()).hasSize(2);
        assertThat(Console.run(list(true)).table()).hasSize(3);

        assertThat(Console.runAs("jane", Set.of("agent"), done(1)).err().strip())
                .isEqualTo("Not done: callback task 1 is done already");
        assertThat(Console.runAs("jane", Set.of("agent"), done(99)).err().strip()).isEqualTo("No callback task 99");
    }

    @Test
    void saysWhyWhenCoreIsDownOrTheLimitIsWrong() throws Exception {
        CallbackListCommand command = list(false);
        command.callbacks = null;
        assertThat(Console.run(command).err().strip()).isEqualTo(Commands.CORE_DOWN);
        CallbackListCommand tooMany = list(false);
        tooMany.limit = 5000;
        assertThat(Console.run(tooMany).err().strip()).isEqualTo("--limit takes 1 to 1000");
    }
}
