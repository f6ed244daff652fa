package org.frontdoor.shell;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelListCommandTest {

    private static final Instant SINCE = Instant.parse("2026-11-24T09:00:00Z");

    @TempDir
    Path storage;

    private Osgi osgi;

    @BeforeEach
    void start() throws Exception {
        osgi = new Osgi(storage);
    }

    @AfterEach
    void stop() throws Exception {
        osgi.close();
    }

    private ChannelListCommand command(String status) {
        ChannelListCommand command = new ChannelListCommand();
        command.bundleContext = osgi.context();
        command.status = status;
        return command;
    }

    private List<ServiceRegistration<Channel>> threeChannels() {
        return List.of(
                osgi.register("email", "support", () -> new ChannelHealth(ChannelHealth.Status.DOWN,
                        "IMAP login refused", SINCE)),
                osgi.register("api", "shop", () -> new ChannelHealth(ChannelHealth.Status.DEGRADED,
                        "callback answered 500", SINCE.plusSeconds(60))),
                osgi.register("api", "demo", () -> new ChannelHealth(ChannelHealth.Status.UP, null, SINCE)));
    }

    @Test
    void listsEveryChannelSortedByChannelThenInstanceWithItsHealth() throws Exception {
        threeChannels();

        Console.Output output = Console.run(command(null));

        assertThat(output.err()).isEmpty();
        assertThat(output.table()).containsExactly(
                List.of("Channel", "Instance", "Status", "Since", "Reason"),
                List.of("api", "demo", "UP", Text.time(SINCE), ""),
                List.of("api", "shop", "DEGRADED", Text.time(SINCE.plusSeconds(60)), "callback answered 500"),
                List.of("email", "support", "DOWN", Text.time(SINCE), "IMAP login refused"));
    }

    @Test
    void releasesEveryChannelServiceItRead() throws Exception {
        List<ServiceRegistration<Channel>> registrations = threeChannels();

        Console.run(command(null));

        assertThat(registrations).extracting(ServiceRegistration::getReference)
                .allSatisfy(ref -> assertThat(((ServiceReference<?>) ref).getUsingBundles()).isNull());
    }

    @Test
    void filtersByStatusInAnyCase() throws Exception {
        threeChannels();

        Console.Output degraded = Console.run(command("degraded"));
        Console.Output authExpired = Console.run(command("AUTH_EXPIRED"));

        assertThat(degraded.table()).hasSize(2).last().isEqualTo(
                List.of("api", "shop", "DEGRADED", Text.time(SINCE.plusSeconds(60)), "callback answered 500"));
        assertThat(authExpired.out()).contains("No channel is AUTH_EXPIRED");
    }

    @Test
    void anUnknownStatusIsAnErrorNamingTheStates() throws Exception {
        threeChannels();

        Console.Output output = Console.run(command("SICK"));

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("Unknown status SICK; use one of UP, DEGRADED, AUTH_EXPIRED, DOWN");
    }

    @Test
    void aChannelWhoseHealthFailsIsListedAsUnknownBesideTheOthers() throws Exception {
        osgi.register("api", "demo", () -> ChannelHealth.up());
        osgi.register("sms", "night", () -> {
            throw new IllegalStateException("no token");
        });

        Console.Output output = Console.run(command(null));

        assertThat(output.table()).hasSize(3);
        assertThat(output.table().get(2)).containsExactly("sms", "night", "UNKNOWN", "",
                "health() failed: java.lang.IllegalStateException: no token");
    }

    @Test
    void saysHowToInstallAChannelWhenThereIsNone() throws Exception {
        Console.Output output = Console.run(command(null));

        assertThat(output.out()).contains("No channel is installed (feature:install frontdoor-channel-api)");
    }

    @Test
    void aChannelUnregisteredBeforeTheListIsGone() throws Exception {
        threeChannels().get(1).unregister();

        assertThat(Console.run(command(null)).table()).extracting(row -> row.get(1))
                .containsExactly("Instance", "demo", "support");
    }
}
