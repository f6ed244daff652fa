package org.frontdoor.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import org.frontdoor.testkit.Distribution;

import static org.awaitility.Awaitility.await;

/**
 * Moves the time of a running distribution's SLA timers, so a test sees a warning or a breach without waiting for it.
 *
 * <p>How: core's SLA service takes a {@link Clock} service with the property {@code frontdoor.clock=test} while one is
 * registered (and logs a warning each time it takes one up), else the system clock. Nothing in the distribution
 * registers one. This class writes {@code deploy/frontdoor-test-clock.xml}, a blueprint file that Karaf's blueprint
 * deployer (part of the standard features) turns into a bundle registering {@code Clock.offset(Clock.systemUTC(),
 * offset)} with that property. Writing the file again with another offset updates that bundle, which registers a new
 * clock; the file stays in {@code deploy/} across restarts, so time stays moved after one. Only SLA time moves: the
 * pipeline stamps events with the real time, and timers start at their event's time.
 *
 * <p>Time only moves forward here: a test moves it past a warning point or a deadline; going back would only make
 * timers wait longer.
 */
final class TestClock {

    static final String FILE = "frontdoor-test-clock.xml";
    private final Distribution frontdoor;

    TestClock(Distribution frontdoor) {
        this.frontdoor = frontdoor;
    }

    /**
     * Sets SLA time to the real time plus {@code offset} and waits until core has taken that clock up (its log says
     * so, once more than before).
     */
    void ahead(Duration offset) throws IOException {
        String line = taken(offset);
        int before = count(frontdoor.log(), line);
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by a distribution test (org.frontdoor.distribution.TestClock): Frontdoor's SLA timers run
                     %s ahead of the system clock. Never part of a real installation. -->
                <blueprint xmlns="http://www.osgi.org/xmlns/blueprint/v1.0.0">
                  <bean id="system" class="java.time.Clock" factory-method="systemUTC"/>
                  <bean id="offset" class="java.time.Duration" factory-method="ofSeconds">
                    <argument value="%d"/>
                  </bean>
                  <bean id="clock" class="java.time.Clock" factory-method="offset">
                    <!-- typed: blueprint would take InstantSource.offset for a match too -->
                    <argument ref="system" type="java.time.Clock"/>
                    <argument ref="offset" type="java.time.Duration"/>
                  </bean>
                  <service ref="clock" interface="java.time.Clock">
                    <service-properties>
                      <entry key="frontdoor.clock" value="test"/>
                    </service-properties>
                  </service>
                </blueprint>
                """.formatted(offset, offset.toSeconds());
        // written beside deploy/ and moved in whole, so the deployer never reads half a file
        Path temporary = frontdoor.home().resolve(FILE + ".tmp");
        Files.writeString(temporary, xml, StandardCharsets.UTF_8);
        Files.move(temporary, frontdoor.home().resolve("deploy").resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        awaitTaken(offset, before);
    }

    /** Waits until core has taken up the clock of {@code offset} more than {@code before} times (after a restart). */
    void awaitTaken(Duration offset, int before) {
        await("SLA time " + offset + " ahead").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> count(frontdoor.log(), taken(offset)) > before);
    }

    /** How many times core has taken up the clock of {@code offset} so far. */
    int taken(Duration offset, String log) {
        return count(log, taken(offset));
    }

    /** Core's log line for it (SlaService#bindTestClock, with the clock's own toString). */
    private static String taken(Duration offset) {
        return "SLA timers run on a test clock (" + Clock.offset(Clock.systemUTC(), offset) + ")";
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
