package org.frontdoor.integration.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.admin.IntegrationStatus;
import org.frontdoor.integration.support.HttpDelivery;
import org.frontdoor.integration.support.Integrations;
import org.frontdoor.integration.support.Secrets;
import org.frontdoor.integration.support.Tracker;
import org.frontdoor.integration.support.Urls;
import org.frontdoor.api.FactoryConfigurations;
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
 * One webhook instance: its events consumer {@code integration.webhook-<name>} POSTs each selected event, signed,
 * to the configured URL, and moves on only once the peer answered 2xx (or refused it for good: parked). The delivery
 * id is {@code <consumer>:<position>}, the same on every attempt and after a reinstall, so a peer that keeps the ids
 * it has taken gets every record once.
 */
@Component(configurationPid = WebhookIntegration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = WebhookConfig.class, factory = true)
public class WebhookIntegration {

    static final String KIND = "webhook";
    static final String FACTORY_PID = Integrations.PID_PREFIX + KIND;
    static final String DELIVERY_HEADER = "X-Frontdoor-Delivery";
    static final String ATTEMPT_HEADER = "X-Frontdoor-Attempt";
    static final String EVENT_HEADER = "X-Frontdoor-Event";
    static final String GENERATION_HEADER = "X-Frontdoor-Lease-Generation";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntegration.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final CamelContext camel;
    private final Tracker tracker;
    private final ServiceRegistration<IntegrationStatus> registration;

    @Activate
    public WebhookIntegration(BundleContext context, WebhookConfig config, Map<String, Object> properties,
                              @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor)
            throws Exception {
        this(context, config, properties, new OsgiDefaultCamelContext(context), Secrets.environment(),
                Clock.systemUTC());
    }

    /** Tests give a plain context with a stand-in {@code frontdoor:} component, no bundle context, their own env. */
    WebhookIntegration(BundleContext context, WebhookConfig config, Map<String, Object> properties,
                       CamelContext camel, Function<String, String> env, Clock clock) throws Exception {
        String instance = Integrations.instanceName(KIND, config.instance(), properties);
        this.name = KIND + "-" + instance;
        this.camel = camel;
        String consumer = Integrations.consumerName(KIND, instance);
        String department = Integrations.department(config.department());
        String problem = null;
        URI url = null;
        Secrets.Secret secret = null;
        try {
            url = Urls.parse("url", config.url());
            secret = Secrets.resolve(config.secret(), config.secretEnv(), config.secretFile(),
                    FactoryConfigurations.source(properties), env);
            if (secret.value() == null) {
                problem = "no secret: set secretFile, secretEnv or secret in " + FactoryConfigurations.source(properties);
            }
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.tracker = new Tracker(name, KIND, consumer, department, url == null ? null : Urls.forPeople(url), clock);
        if (problem == null) {
            HttpDelivery delivery = new HttpDelivery(url, Duration.ofSeconds(config.timeoutSeconds()),
                    Duration.ofSeconds(config.maxRetryAfterSeconds()), tracker, clock, java.util.Set.of(),
                    FactoryConfigurations.source(properties));
            String key = secret.value();
            Integrations.start(camel, name, Integrations.eventsUri(consumer, config.types(), department,
                    config.start()), exchange -> deliver(exchange, consumer, delivery, key));
            LOG.info("Webhook integration {} delivers {} events to {} ({}, consumer {})", name,
                    department == null ? "every department's" : department + "'s", Urls.forPeople(url), secret,
                    consumer);
        } else {
            tracker.failed(problem);
            LOG.error("Webhook integration {} does not run: {}", name, problem);
        }
        this.registration = context == null ? null : Integrations.register(context, name, tracker);
    }

    private static void deliver(Exchange exchange, String consumer, HttpDelivery delivery, String key)
            throws Exception {
        ConversationEvent event = exchange.getMessage().getMandatoryBody(ConversationEvent.class);
        Long generation = exchange.getMessage().getHeader(Frontdoor.HEADER_LEASE_GENERATION, Long.class);
        String deliveryId = consumer + ":" + event.position();
        byte[] body = JSON.writeValueAsBytes(body(deliveryId, event));
        delivery.post(deliveryId, body, (now, attempt) -> {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(Signer.TIMESTAMP_HEADER, Long.toString(now));
            headers.put(Signer.SIGNATURE_HEADER, Signer.sign(key, now, body));
            headers.put(DELIVERY_HEADER, deliveryId);
            headers.put(ATTEMPT_HEADER, Integer.toString(attempt));
            headers.put(EVENT_HEADER, event.type().id());
            if (generation != null) {
                headers.put(GENERATION_HEADER, generation.toString());
            }
            return headers;
        });
    }

    /** What the peer gets: the event, and what a ticketing tool does with it ({@code action}). */
    static Map<String, Object> body(String deliveryId, ConversationEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("deliveryId", deliveryId);
        json.put("event", event.type().id());
        json.put("action", action(event));
        json.put("position", event.position());
        json.put("conversationId", event.conversationId());
        json.put("department", event.department());
        json.put("previousDepartment", event.previousDepartment());
        json.put("reopened", event.reopened());
        json.put("channel", event.channel());
        json.put("instance", event.instance());
        json.put("actor", event.actor());
        json.put("at", event.at().toString());
        json.put("customerId", event.customerId());
        json.put("customerName", event.customerName());
        json.put("preview", event.preview());
        return json;
    }

    /**
     * {@code open} a record on a first routing, {@code reopen} it on a routing after a reopen, {@code move} it on a
     * transfer, {@code close} it on a resolve, {@code update} for any other type.
     */
    static String action(ConversationEvent event) {
        return switch (event.type()) {
            case ROUTED -> event.reopened() ? "reopen" : "open";
            case TRANSFERRED -> "move";
            case RESOLVED -> "close";
            default -> "update";
        };
    }

    IntegrationStatus status() {
        return tracker;
    }

    @Deactivate
    void deactivate() throws Exception {
        Integrations.unregister(registration);
        camel.stop();
        LOG.info("Webhook integration {} stopped", name);
    }
}
