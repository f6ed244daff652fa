package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.testkit.DsFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

/**
 * The bundle as it ships, on the test kit's {@link DsFramework} (Felix with DS and Config Admin, as in Karaf), without
 * booting the distribution: a factory configuration, as etc/ gives it, makes a RoutingRule service; deleting it
 * removes the service.
 */
class RuleComponentIT {

    @TempDir
    Path storage;

    @Test
    void eachFactoryConfigurationIsARoutingRule() throws Exception {
        try (DsFramework osgi = new DsFramework(storage)) {
            osgi.start(DsFramework.bundleUnderTest());
            Configuration configuration = osgi.factoryConfiguration(Rule.FACTORY_PID, "vip",
                    Map.of("department", "billing", "keyword", "Invoice", "service.ranking", "1000"));
            String filter = "(service.pid=" + Rule.FACTORY_PID + "~vip)";

            ServiceReference<RoutingRule> reference = osgi.awaitService(RoutingRule.class, filter);
            RoutingRule rule = osgi.context().getService(reference);
            Message message = Message.inbound("api", "test").externalId("m-1").text("Where is my invoice?")
                    .author(Identity.of("api", "customer-1")).build();

            assertThat(rule.decide(message, new RoutingContext(1L, 1L, null, false, List.of(message))))
                    .get().extracting(RoutingDecision::department).isEqualTo("billing");

            configuration.delete();
            await().until(() -> osgi.services(RoutingRule.class, filter).isEmpty());
        }
    }
}
