package org.frontdoor.rule.keyword;

import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keyword rule (a factory configuration, {@code etc/org.frontdoor.rule.keyword-<name>.cfg}), registered as a
 * {@link RoutingRule} service with the configuration's public properties and its {@code service.ranking} as an
 * Integer.
 *
 * <p>It registers the service itself rather than letting DS do it: a ranking written in a {@code .cfg} file is the
 * String "150", which the framework's own ordering counts as 0, and a configuration it refuses must leave no service
 * behind (DS registers a component's service before it creates the component). A changed configuration reaches
 * {@link #modified}: the same service gets the new properties, so core keeps its service id and reads the new
 * ranking; a configuration changed into one that is refused takes the service away until it is fixed.
 */
@Component(name = KeywordRule.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = KeywordRuleConfig.class, factory = true)
public class KeywordRule implements RoutingRule {

    static final String FACTORY_PID = "org.frontdoor.rule.keyword";
    private static final Logger LOG = LoggerFactory.getLogger(KeywordRule.class);
    /** Set by the framework on every registration: never copied from the configuration. */
    private static final Set<String> FRAMEWORK_PROPERTIES = Set.of(Constants.OBJECTCLASS, Constants.SERVICE_ID,
            Constants.SERVICE_BUNDLEID, Constants.SERVICE_SCOPE);

    private final BundleContext context;
    private volatile RuleSettings settings;
    private ServiceRegistration<RoutingRule> registration;

    @Activate
    public KeywordRule(BundleContext context, KeywordRuleConfig config, Map<String, Object> properties) {
        this.context = context;
        apply(config, properties);
    }

    @Modified
    void modified(KeywordRuleConfig config, Map<String, Object> properties) {
        apply(config, properties);
    }

    @Deactivate
    synchronized void deactivate() {
        RuleSettings last = settings;
        unregister();
        if (last != null) {
            LOG.info("Keyword rule {} removed", last.name());
        }
    }

    private synchronized void apply(KeywordRuleConfig config, Map<String, Object> properties) {
        RuleSettings next;
        try {
            next = RuleSettings.from(config, properties);
        } catch (IllegalArgumentException refused) {
            unregister();
            LOG.error("{}; no routing rule is registered for it", refused.getMessage());
            return;
        }
        settings = next;
        Hashtable<String, Object> serviceProperties = serviceProperties(next, properties);
        if (registration == null) {
            registration = context.registerService(RoutingRule.class, this, serviceProperties);
            LOG.info("Keyword rule {}", next);
        } else {
            registration.setProperties(serviceProperties);
            LOG.info("Keyword rule updated: {}", next);
        }
    }

    /** What DS would publish (the configuration's public properties), with the ranking as an Integer. */
    static Hashtable<String, Object> serviceProperties(RuleSettings settings, Map<String, Object> configuration) {
        Hashtable<String, Object> properties = new Hashtable<>();
        configuration.forEach((key, value) -> {
            if (!key.startsWith(".") && !FRAMEWORK_PROPERTIES.contains(key) && value != null) {
                properties.put(key, value);
            }
        });
        properties.put(Constants.SERVICE_RANKING, settings.ranking());
        return properties;
    }

    private void unregister() {
        settings = null;
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        registration = null;
    }

    @Override
    public String name() {
        RuleSettings s = settings;
        return s == null ? "keyword rule (refused)" : s.name();
    }

    @Override
    public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
        RuleSettings s = settings;
        return s == null ? Optional.empty() : s.decide(message, context);
    }

    @Override
    public String toString() {
        return "keyword/" + name();
    }
}
