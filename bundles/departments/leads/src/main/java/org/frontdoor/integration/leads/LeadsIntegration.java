package org.frontdoor.integration.leads;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Annotation;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.admin.IntegrationStatus;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.integration.support.DeliveryFailed;
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
 * One lead export: on each conversation's first routing ({@code routed}, not reopened) its events consumer
 * {@code integration.leads-<name>} reads the conversation through the {@link Inbox}; when one of its messages carries
 * the lead annotation ({@code lead} by default, with enough confidence) it POSTs the lead as JSON, once. The delivery
 * id ({@code <consumer>:conversation-<id>}, also sent as {@code Idempotency-Key}) names the conversation, so a CRM that
 * keeps it gets each lead once even when a delivery comes again.
 */
@Component(configurationPid = LeadsIntegration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = LeadsConfig.class, factory = true)
public class LeadsIntegration {

    static final String KIND = "leads";
    static final String FACTORY_PID = Integrations.PID_PREFIX + KIND;
    private static final Logger LOG = LoggerFactory.getLogger(LeadsIntegration.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final CamelContext camel;
    private final Tracker tracker;
    private final ServiceRegistration<IntegrationStatus> registration;

    @Activate
    public LeadsIntegration(BundleContext context, LeadsConfig config, Map<String, Object> properties,
                            @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                            @Reference Inbox inbox) throws Exception {
        this(context, config, properties, new OsgiDefaultCamelContext(context), inbox, Secrets.environment(),
                Clock.systemUTC());
    }

    LeadsIntegration(BundleContext context, LeadsConfig config, Map<String, Object> properties, CamelContext camel,
                     Inbox inbox, Function<String, String> env, Clock clock) throws Exception {
        String instance = Integrations.instanceName(KIND, config.instance(), properties);
        this.name = KIND + "-" + instance;
        this.camel = camel;
        String consumer = Integrations.consumerName(KIND, instance);
        String department = Integrations.department(config.department());
        String problem = null;
        URI url = null;
        String token = null;
        try {
            url = Urls.parse("url", config.url());
            token = Secrets.resolve(config.token(), config.tokenEnv(), config.tokenFile(),
                    FactoryConfigurations.source(properties), env).value();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.tracker = new Tracker(name, KIND, consumer, department, url == null ? null : Urls.forPeople(url), clock);
        if (problem == null) {
            HttpDelivery delivery = new HttpDelivery(url, Duration.ofSeconds(config.timeoutSeconds()),
                    Duration.ofSeconds(config.maxRetryAfterSeconds()), tracker, clock, java.util.Set.of(),
                    FactoryConfigurations.source(properties));
            Caller caller = Caller.system(consumer);
            String annotation = config.annotation().trim();
            double minConfidence = config.minConfidence();
            String bearer = token;
            Integrations.start(camel, name, Integrations.eventsUri(consumer, "routed", department, config.start()),
                    exchange -> deliver(exchange, consumer, inbox, caller, annotation, minConfidence, delivery,
                            bearer));
            LOG.info("Lead export {} posts {} leads (annotation {}) to {} (consumer {})", name,
                    department == null ? "every department's" : department + "'s", annotation, Urls.forPeople(url),
                    consumer);
        } else {
            tracker.failed(problem);
            LOG.error("Lead export {} does not run: {}", name, problem);
        }
        this.registration = context == null ? null : Integrations.register(context, name, tracker);
    }

    private static void deliver(Exchange exchange, String consumer, Inbox inbox, Caller caller, String annotation,
                                double minConfidence, HttpDelivery delivery, String token) throws Exception {
        ConversationEvent event = exchange.getMessage().getMandatoryBody(ConversationEvent.class);
        if (event.type() != ConversationEvent.Type.ROUTED || event.reopened()) {
            return; // a lead is told once, at its first routing
        }
        Optional<ConversationDetail> detail;
        try {
            detail = inbox.conversation(caller, event.conversationId());
        } catch (RuntimeException e) {
            throw new DeliveryFailed("cannot read conversation " + event.conversationId() + " now: the inbox is "
                    + "unavailable");
        }
        if (detail.isEmpty()) {
            return;
        }
        Optional<Lead> lead = lead(detail.get(), annotation, minConfidence);
        if (lead.isEmpty()) {
            return;
        }
        String deliveryId = consumer + ":conversation-" + event.conversationId();
        byte[] body = JSON.writeValueAsBytes(body(deliveryId, event, detail.get(), lead.get()));
        delivery.post(deliveryId, body, (now, attempt) -> {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Frontdoor-Delivery", deliveryId);
            headers.put("Idempotency-Key", deliveryId);
            if (token != null) {
                headers.put("Authorization", "Bearer " + token);
            }
            return headers;
        });
    }

    /** The annotation that made it a lead, and the message it is on. */
    record Lead(MessageView message, Annotation annotation) {
    }

    /** The first message carrying the annotation (any case) with at least {@code minConfidence}. */
    static Optional<Lead> lead(ConversationDetail detail, String annotation, double minConfidence) {
        String wanted = annotation.toLowerCase(Locale.ROOT);
        for (MessageView m : detail.messages()) {
            for (Annotation a : m.annotations()) {
                if (a.name().toLowerCase(Locale.ROOT).equals(wanted) && a.confidence() >= minConfidence) {
                    return Optional.of(new Lead(m, a));
                }
            }
        }
        return Optional.empty();
    }

    /** What the CRM gets: who, where, and the message that made it a lead (customer text, as data). */
    static Map<String, Object> body(String deliveryId, ConversationEvent event, ConversationDetail detail, Lead lead) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("deliveryId", deliveryId);
        json.put("conversationId", event.conversationId());
        json.put("department", event.department());
        json.put("channel", detail.summary().channel());
        json.put("instance", detail.summary().instance());
        json.put("customerId", detail.summary().customerId());
        json.put("customerName", detail.summary().customerName());
        json.put("handle", lead.message().authorHandle());
        json.put("lead", lead.annotation().value());
        json.put("confidence", lead.annotation().confidence());
        json.put("message", lead.message().text());
        json.put("createdAt", detail.summary().createdAt() == null ? null : detail.summary().createdAt().toString());
        return json;
    }

    IntegrationStatus status() {
        return tracker;
    }

    @Deactivate
    void deactivate() throws Exception {
        Integrations.unregister(registration);
        camel.stop();
        LOG.info("Lead export {} stopped", name);
    }
}
