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
            public String databaseProblem() {
                return null;
            }

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
        assertThat(print(report).out().strip()).isEqualTo("Frontdoor: UP (ready)");
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

    @Test
    void aDatabaseThatDoesNotAnswerIsDownNotReadyAndSaysWhereToLook() throws Exception {
        PipelineStatus noDatabase = new PipelineStatus() {
            @Override
            public String databaseProblem() {
                return "the database did not answer a query within 2000 ms (see karaf.log, and "
                        + "etc/org.ops4j.datasource-frontdoor.cfg)";
            }

            @Override
            public List<RuleInfo> rules() {
                return List.of();
            }

            @Override
            public List<EventConsumerInfo> eventConsumers() {
                throw new AssertionError("not asked while the database does not answer");
            }

            @Override
            public EventConsumerInfo resetEventConsumer(String name, long position) {
                throw new UnsupportedOperationException();
            }
        };

        HealthReport report = HealthReport.of(noDatabase, List.of());

        assertThat(report.ready()).isFalse();
        assertThat(report.problems().get(0).part()).isEqualTo("database");
        assertThat(print(report).out()).startsWith("Frontdoor: DOWN (not ready: GET /api/v1/health answers 503)")
                .contains("did not answer a query within 2000 ms");
    }

    @Test
    void channelCheckPrintsEachStepAndWhatToFix() throws Exception {
        java.nio.file.Path storage = java.nio.file.Files.createTempDirectory("osgi");
        java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
        try (Osgi osgi = new Osgi(storage)) {
            osgi.registerCheckable("email", "support", new org.frontdoor.api.CheckReport(List.of(
                    org.frontdoor.api.CheckReport.Step.ok("IMAP login and folder", "logged in as support"),
                    org.frontdoor.api.CheckReport.Step.failed("SMTP connect, EHLO and AUTH", "the SMTP server at "
                            + "127.0.0.1:2525 refused the connection (nothing listens there): check 'smtpHost' and "
                            + "'smtpPort' in etc/org.frontdoor.channel.email-support.cfg"))), reconnects);
            ChannelCheckCommand check = new ChannelCheckCommand();
            check.bundleContext = osgi.context();
            check.channel = "email";
            check.instance = "support";
            check.callers = () -> org.frontdoor.api.Caller.system("test");
            Console.Output output = Console.run(check);

            assertThat(output.out()).contains("OK").contains("FAILED").contains("'smtpPort' in "
                    + "etc/org.frontdoor.channel.email-support.cfg");
            assertThat(output.err()).as("a failed step fails the command").contains("email/support: fix what FAILED, "
                    + "then frontdoor:channel-reconnect email support");

            ChannelReconnectCommand reconnect = new ChannelReconnectCommand();
            reconnect.bundleContext = osgi.context();
            reconnect.channel = "email";
            reconnect.instance = "support";
            reconnect.callers = () -> org.frontdoor.api.Caller.system("test");
            assertThat(Console.run(reconnect).out()).contains("email/support reconnects now");
            assertThat(reconnects).hasValue(1);

            check.instance = "sales";
            assertThat(Console.run(check).err().strip()).isEqualTo("No door email/sales (see frontdoor:channel-list)");
        }
    }
}
