package org.frontdoor.shell;

import java.time.Instant;
import java.util.List;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.HealthReport;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** frontdoor:health: what needs an administrator, worst first, each with what to do. */
class HealthCommandTest {

    private static PipelineStatus status(List<EventConsumerInfo> consumers) {
        return new PipelineStatus() {
            @Override
            public List<RuleInfo> rules() {
                return List.of();
            }

            @Override
            public List<EventConsumerInfo> eventConsumers() {
                return consumers;
            }

            @Override
            public EventConsumerInfo resetEventConsumer(String name, long position) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static Console.Output print(HealthReport report) throws Exception {
        return Console.run(() -> {
            HealthCommand.print(report);
            return null;
        });
    }

    @Test
    void saysUpWhenNothingNeedsAnAdministrator() throws Exception {
        HealthReport report = HealthReport.of(status(List.of(new EventConsumerInfo("crm", 10, 0, "n", null, null,
                Instant.EPOCH))), List.of(new HealthReport.Door("api", "demo", ChannelHealth.up())));

        assertThat(report.state()).isEqualTo(HealthReport.State.UP);
        assertThat(print(report).out().strip()).isEqualTo("Frontdoor: UP");
    }

    /**
     * The retention gap "shows in health": a consumer that missed events is named with the range and how to
     * reset it, beside a door that is down and a consumer that keeps failing.
     */
    @Test
    void namesAConsumerThatMissedEventsADoorDownAndAConsumerThatFails() throws Exception {
        EventConsumerInfo tickets = new EventConsumerInfo("tickets", 900, 2, "host/1", null, null, Instant.EPOCH, 7,
                401, 900, "transferred,resolved", "billing");
        EventConsumerInfo crm = new EventConsumerInfo("crm", 120, 7, "host/1", null, "the CRM answered 500",
                Instant.EPOCH);
        HealthReport report = HealthReport.of(status(List.of(tickets, crm)), List.of(
                new HealthReport.Door("email", "support", ChannelHealth.of(ChannelHealth.Status.DEGRADED,
                        "receiving: IMAP login refused")),
                new HealthReport.Door("api", "demo", ChannelHealth.up())));

        assertThat(report.state()).isEqualTo(HealthReport.State.DEGRADED);
        assertThat(report.problems()).extracting(HealthReport.Problem::part).containsExactlyInAnyOrder(
                "door email/support", "events consumer tickets", "events consumer crm");
        Console.Output output = print(report);
        assertThat(output.out()).startsWith("Frontdoor: DEGRADED")
                .contains("missed events 401 to 900").contains("frontdoor:event-consumer-reset tickets --to 900")
                .contains("receiving: IMAP login refused").contains("the CRM answered 500");
    }

    @Test
    void coreNotRunningIsDownAndComesFirst() throws Exception {
        HealthReport report = HealthReport.of(null, List.of(new HealthReport.Door("xmpp", "chat",
                ChannelHealth.of(ChannelHealth.Status.DOWN, "server unreachable"))));

        assertThat(report.state()).isEqualTo(HealthReport.State.DOWN);
        assertThat(report.problems().get(0).part()).isEqualTo("core");
        assertThat(print(report).out()).startsWith("Frontdoor: DOWN").contains("core is not running");
    }
}
