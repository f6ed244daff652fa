package org.frontdoor.rule.keyword;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.frontdoor.rule.keyword.Rules.cfg;
import static org.frontdoor.rule.keyword.Rules.config;
import static org.frontdoor.rule.keyword.Rules.conversation;
import static org.frontdoor.rule.keyword.Rules.message;

/** The component's registration as its configuration comes, changes and goes (DS itself: KeywordRuleIT). */
class KeywordRuleTest {

    private final Registry registry = new Registry();

    @Test
    void aConfigurationRegistersOneRuleWithItsRankingAsAnInteger() {
        KeywordRule rule = activate(cfg("refunds", "department", "billing", "keywords", "refund",
                "service.ranking", "150", ".secret", "x"));

        assertThat(registry.events).containsExactly("registered");
        assertThat(registry.properties).containsEntry("service.ranking", 150)
                .containsEntry("department", "billing")
                .containsEntry("service.pid", "org.frontdoor.rule.keyword~refunds")
                .doesNotContainKey(".secret");
        assertThat(rule.name()).isEqualTo("refunds");
    }

    @Test
    void aChangedConfigurationUpdatesTheSameRegistrationAndTheNextDecision() {
        KeywordRule rule = activate(cfg("refunds", "department", "billing", "keywords", "refund"));
        Map<String, Object> changed = cfg("refunds", "department", "finance", "keywords", "refund",
                "service.ranking", "150");

        rule.modified(config(changed), changed);

        assertThat(registry.events).containsExactly("registered", "modified");
        assertThat(registry.properties).containsEntry("service.ranking", 150).containsEntry("department", "finance");
        Message m = message("api", "refund");
        assertThat(rule.decide(m, conversation(m))).map(RoutingDecision::department).contains("finance");
    }

    @Test
    void aRefusedConfigurationRegistersNothing() {
        KeywordRule rule = activate(cfg("refunds", "keywords", "refund"));

        assertThat(registry.events).isEmpty();
        Message m = message("api", "refund");
        assertThat(rule.decide(m, conversation(m))).isEmpty();
    }

    @Test
    void aConfigurationChangedIntoARefusedOneTakesTheRuleAwayUntilItIsFixed() {
        KeywordRule rule = activate(cfg("refunds", "department", "billing", "keywords", "refund"));
        Map<String, Object> broken = cfg("refunds", "department", "billing");
        Map<String, Object> fixed = cfg("refunds", "department", "billing", "keywords", "chargeback");

        rule.modified(config(broken), broken);
        Message m = message("api", "refund");
        assertThat(rule.decide(m, conversation(m))).isEmpty();
        rule.modified(config(fixed), fixed);

        assertThat(registry.events).containsExactly("registered", "unregistered", "registered");
        Message chargeback = message("api", "chargeback");
        assertThat(rule.decide(chargeback, conversation(chargeback))).isPresent();
    }

    @Test
    void aRuleWhoseConfigurationGoesUnregisters() {
        KeywordRule rule = activate(cfg("refunds", "department", "billing", "keywords", "refund"));

        rule.deactivate();

        assertThat(registry.events).containsExactly("registered", "unregistered");
    }

    private KeywordRule activate(Map<String, Object> properties) {
        return new KeywordRule(registry.context(), config(properties), properties);
    }

    /** A bundle context that records what is done with the one RoutingRule registration it hands out. */
    private static final class Registry {
        final List<String> events = new ArrayList<>();
        Map<String, Object> properties;

        @SuppressWarnings("unchecked")
        BundleContext context() {
            return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("registerService") || args[0] != RoutingRule.class) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        events.add("registered");
                        properties = copy((Dictionary<String, ?>) args[2]);
                        return registration();
                    });
        }

        @SuppressWarnings("unchecked")
        private ServiceRegistration<RoutingRule> registration() {
            return (ServiceRegistration<RoutingRule>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "setProperties" -> {
                                events.add("modified");
                                properties = copy((Dictionary<String, ?>) args[0]);
                            }
                            case "unregister" -> {
                                events.add("unregistered");
                                properties = null;
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }

        private static Map<String, Object> copy(Dictionary<String, ?> d) {
            Hashtable<String, Object> copy = new Hashtable<>();
            for (var keys = d.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                copy.put(key, d.get(key));
            }
            return copy;
        }
    }
}
