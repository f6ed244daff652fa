package org.frontdoor.rule.keyword;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.core.ConditionFactory;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.testkit.DsFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.frontdoor.rule.keyword.Rules.conversation;
import static org.frontdoor.rule.keyword.Rules.message;

/**
 * The bundle as it ships, in a real OSGi framework with Karaf's DS runtime and Config Admin: factory configurations
 * come, change and go as {@code etc/org.frontdoor.rule.keyword-<name>.cfg} files do in Karaf, and the test watches the
 * {@link RoutingRule} services as core sees them.
 */
class KeywordRuleIT {

    private static final String ETC = "file:/opt/frontdoor/etc/";

    @TempDir
    Path storage;

    private DsFramework osgi;
    private Bundle bundle;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        osgi = new DsFramework(storage);
        osgi.context().addServiceListener(event -> events.add(type(event) + " "
                        + event.getServiceReference().getProperty(Constants.SERVICE_PID)),
                "(" + Constants.OBJECTCLASS + "=" + RoutingRule.class.getName() + ")");
        bundle = osgi.start(DsFramework.bundleUnderTest());
    }

    @AfterEach
    void stop() throws Exception {
        osgi.close();
    }

    @Test
    void aCfgBecomesARoutingRuleServiceWithItsRankingThatRoutesByItsKeywords() throws Exception {
        cfg("refunds", "department", "billing", "keywords", "refund, money back", "service.ranking", "100");

        ServiceReference<RoutingRule> reference = waitFor("refunds");
        assertThat(reference.getProperty(Constants.SERVICE_RANKING)).isEqualTo(100);
        assertThat(reference.getProperty("department")).isEqualTo("billing");
        RoutingRule rule = osgi.context().getService(reference);
        Message refund = message("email", "I want my ＭＯＮＥＹ back");
        Message other = message("email", "Where is my parcel?");
        assertThat(rule.name()).isEqualTo("refunds");
        assertThat(rule.decide(refund, conversation(refund)))
                .contains(new RoutingDecision("billing", 0, null, "refunds",
                        "one of its keywords (refund, money back) in the latest message"));
        assertThat(rule.decide(other, conversation(other))).isEmpty();
    }

    @Test
    void aRankingChangedInTheCfgReachesTheSameServiceAndReordersTheRules() throws Exception {
        Configuration refunds = cfg("refunds", "department", "billing", "keywords", "refund", "service.ranking", "100");
        cfg("complaints", "department", "support", "keywords", "refund, complaint", "service.ranking", "120");
        long id = serviceId(waitFor("refunds"));
        waitFor("complaints");
        assertThat(osgi.context().getServiceReference(RoutingRule.class).getProperty(Constants.SERVICE_PID))
                .isEqualTo(pid("complaints"));

        refunds.update(properties("refunds", "department", "finance", "keywords", "refund", "service.ranking", "150"));

        await().until(() -> rule("refunds").getProperty(Constants.SERVICE_RANKING), Integer.valueOf(150)::equals);
        assertThat(serviceId(rule("refunds"))).as("the same service, not a new registration").isEqualTo(id);
        assertThat(events).containsExactly("REGISTERED " + pid("refunds"), "REGISTERED " + pid("complaints"),
                "MODIFIED " + pid("refunds"));
        assertThat(osgi.context().getServiceReference(RoutingRule.class).getProperty(Constants.SERVICE_PID))
                .as("the highest ranking first, as the framework orders services").isEqualTo(pid("refunds"));
        RoutingRule rule = osgi.context().getService(rule("refunds"));
        Message refund = message("api", "refund");
        assertThat(rule.decide(refund, conversation(refund))).map(RoutingDecision::department).contains("finance");
    }

    @Test
    void deletingTheCfgTakesItsRuleAway() throws Exception {
        Configuration refunds = cfg("refunds", "department", "billing", "keywords", "refund");
        cfg("complaints", "department", "support", "keywords", "complaint");
        waitFor("refunds");
        waitFor("complaints");

        refunds.delete();

        await().until(() -> rule("refunds") == null);
        assertThat(events).contains("UNREGISTERING " + pid("refunds"));
        assertThat(rule("complaints")).isNotNull();
    }

    @Test
    void uninstallingTheBundleTakesEveryRuleAway() throws Exception {
        cfg("refunds", "department", "billing", "keywords", "refund");
        cfg("complaints", "department", "support", "keywords", "complaint");
        waitFor("refunds");
        waitFor("complaints");

        bundle.uninstall();

        assertThat(osgi.context().getServiceReferences(RoutingRule.class, null)).isEmpty();
        assertThat(events).contains("UNREGISTERING " + pid("refunds"), "UNREGISTERING " + pid("complaints"));
    }

    @Test
    void aRefusedCfgLeavesNoServiceAndALogLineNamingItsFileUntilItIsFixed() throws Exception {
        Configuration noDepartment = cfg("nodept", "keywords", "refund");

        waitForLog(file("nodept") + " refused: no department");
        assertThat(rule("nodept")).isNull();

        noDepartment.update(properties("nodept", "department", "billing", "keywords", "refund"));
        waitFor("nodept");

        noDepartment.update(properties("nodept", "department", "billing", "keywords", "refund",
                "service.ranking", "high"));
        waitForLog(file("nodept") + " refused: service.ranking must be a whole number, not 'high'");
        assertThat(rule("nodept")).isNull();
        assertThat(events).containsExactly("REGISTERED " + pid("nodept"), "UNREGISTERING " + pid("nodept"));
    }

    /** Creates factory configuration {@code <name>} as Karaf's file install does for its .cfg file. */
    private Configuration cfg(String name, String... keysAndValues) throws IOException {
        Configuration configuration = osgi.configurationAdmin().getFactoryConfiguration(KeywordRule.FACTORY_PID, name,
                "?");
        configuration.update(properties(name, keysAndValues));
        return configuration;
    }

    /** The properties of a .cfg file: Strings, and the file's name. */
    private static Hashtable<String, Object> properties(String name, String... keysAndValues) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        properties.put("felix.fileinstall.filename", file(name));
        return properties;
    }

    private static String file(String name) {
        return ETC + KeywordRule.FACTORY_PID + "-" + name + ".cfg";
    }

    private static String pid(String name) {
        return KeywordRule.FACTORY_PID + "~" + name;
    }

    private ServiceReference<RoutingRule> rule(String name) throws InvalidSyntaxException {
        var references = osgi.context().getServiceReferences(RoutingRule.class,
                "(" + Constants.SERVICE_PID + "=" + pid(name) + ")");
        assertThat(references).as("rules of configuration " + name).hasSizeLessThanOrEqualTo(1);
        return references.isEmpty() ? null : references.iterator().next();
    }

    private ServiceReference<RoutingRule> waitFor(String name) {
        return await().until(() -> rule(name), reference -> reference != null);
    }

    private static void waitForLog(String line) {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        await().until(() -> Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line));
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    private static String type(ServiceEvent event) {
        return switch (event.getType()) {
            case ServiceEvent.REGISTERED -> "REGISTERED";
            case ServiceEvent.MODIFIED -> "MODIFIED";
            case ServiceEvent.UNREGISTERING -> "UNREGISTERING";
            default -> "MODIFIED_ENDMATCH";
        };
    }

    private static ConditionFactory await() {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30));
    }
}
