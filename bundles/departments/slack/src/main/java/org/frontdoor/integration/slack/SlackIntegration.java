package org.frontdoor.integration.slack;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.admin.IntegrationStatus;
import org.frontdoor.integration.support.HttpDelivery;
import org.frontdoor.integration.support.Integrations;
import org.frontdoor.integration.support.Secrets;
import org.frontdoor.integration.support.Tracker;
import org.frontdoor.integration.support.Urls;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Slack instance: its events consumer {@code integration.slack-<name>} posts each selected event to a Slack
 * incoming webhook and moves on once Slack answered 2xx. A 429 is waited out as its {@code Retry-After} says; a 403,
 * 404 or 410 (webhook removed, channel archived) holds the events until an admin fixes the cfg; a 400 (a payload
 * Slack will never take) is parked.
 */
@Component(configurationPid = SlackIntegration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = SlackConfig.class, factory = true)
public class SlackIntegration {

    static final String KIND = "slack";
    static final String FACTORY_PID = Integrations.PID_PREFIX + KIND;
    private static final Logger LOG = LoggerFactory.getLogger(SlackIntegration.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> HOLD = Set.of(404, 410);

    private final String name;
    private final CamelContext camel;
    private final Tracker tracker;
    private final ServiceRegistration<IntegrationStatus> registration;

    @Activate
    public SlackIntegration(BundleContext context, SlackConfig config, Map<String, Object> properties,
                            @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor)
            throws Exception {
        this(context, config, properties, new OsgiDefaultCamelContext(context), Secrets.environment(),
                Clock.systemUTC());
    }

    SlackIntegration(BundleContext context, SlackConfig config, Map<String, Object> properties, CamelContext camel,
                     Function<String, String> env, Clock clock) throws Exception {
        String instance = Integrations.instanceName(KIND, config.instance(), properties);
        this.name = KIND + "-" + instance;
        this.camel = camel;
        String consumer = Integrations.consumerName(KIND, instance);
        String department = Integrations.department(config.department());
        String problem = null;
        URI url = null;
        try {
            Secrets.Secret secret = Secrets.resolve(config.url(), config.urlEnv(), config.urlFile(),
                    FactoryConfigurations.source(properties), env);
            if (secret.value() == null) {
                problem = "no webhook URL: set urlFile, urlEnv or url in " + FactoryConfigurations.source(properties);
            } else {
                url = Urls.parse("the Slack webhook URL", secret.value());
            }
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.tracker = new Tracker(name, KIND, consumer, department, url == null ? null : Urls.forPeople(url), clock);
        if (problem == null) {
            HttpDelivery delivery = new HttpDelivery(url, Duration.ofSeconds(config.timeoutSeconds()),
                    Duration.ofSeconds(config.maxRetryAfterSeconds()), tracker, clock, HOLD,
                    FactoryConfigurations.source(properties));
            Integrations.start(camel, name, Integrations.eventsUri(consumer, config.types(), department,
                    config.start()), exchange -> deliver(exchange, consumer, delivery));
            LOG.info("Slack integration {} announces {} conversations (consumer {})", name,
                    department == null ? "every department's" : department + "'s", consumer);
        } else {
            tracker.failed(problem);
            LOG.error("Slack integration {} does not run: {}", name, problem);
        }
        this.registration = context == null ? null : Integrations.register(context, name, tracker);
    }

    private static void deliver(Exchange exchange, String consumer, HttpDelivery delivery) throws Exception {
        ConversationEvent event = exchange.getMessage().getMandatoryBody(ConversationEvent.class);
        String deliveryId = consumer + ":" + event.position();
        byte[] body = JSON.writeValueAsBytes(SlackText.payload(event));
        delivery.post(deliveryId, body, (now, attempt) -> Map.of("X-Frontdoor-Delivery", deliveryId));
    }

    IntegrationStatus status() {
        return tracker;
    }

    @Deactivate
    void deactivate() throws Exception {
        Integrations.unregister(registration);
        camel.stop();
        LOG.info("Slack integration {} stopped", name);
    }
}
