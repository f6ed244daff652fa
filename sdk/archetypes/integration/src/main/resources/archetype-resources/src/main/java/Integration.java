package ${package};

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per factory configuration {@code etc/${groupId}.integration.${integrationName}-<name>.cfg}: a Camel
 * route from Frontdoor's durable event log, {@code frontdoor:events?consumer=${groupId}.${integrationName}-<name>},
 * posting each event to the peer. The consumer's position is kept by Frontdoor under its name: a stopped or
 * reinstalled bundle goes on where it stopped, at least once, in log order.
 */
@Component(configurationPid = Integration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = IntegrationConfig.class, factory = true)
public class Integration {

    /** Third-party convention: {@code <groupId>.<kind>.<name>}, never org.frontdoor.*. */
    public static final String FACTORY_PID = "${groupId}.integration.${integrationName}";
    private static final Logger LOG = LoggerFactory.getLogger(Integration.class);

    private final CamelContext camel;

    /** Starts once core's {@code frontdoor:} component is published. */
    @Activate
    public Integration(BundleContext context, IntegrationConfig config, Map<String, Object> properties,
                       @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor)
            throws Exception {
        this(new OsgiDefaultCamelContext(context), config, properties);
    }

    /** Tests give a context whose {@code frontdoor:} component is a stand-in. */
    Integration(CamelContext camel, IntegrationConfig config, Map<String, Object> properties) throws Exception {
        this.camel = camel;
        String consumer = consumerName(properties);
        Delivery delivery = new Delivery(URI.create(config.url()), Duration.ofSeconds(config.timeoutSeconds()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // a failure goes back to Frontdoor, which delivers the same event again later
                errorHandler(noErrorHandler());
                from(eventsUri(consumer, config.types(), config.department())).routeId(consumer)
                        .process(e -> {
                            ConversationEvent event = e.getMessage().getMandatoryBody(ConversationEvent.class);
                            if (!delivery.post(consumer, event)) {
                                // a 4xx that will never pass: say so and go on, or the consumer is stuck on it
                                LOG.warn("Integration {}: the peer refused event {} for good; passed over", consumer,
                                        event.position());
                            }
                        });
            }
        });
        camel.start();
        // scheme, host and port only: a URL may carry a token
        URI url = URI.create(config.url());
        LOG.info("Integration {} posts events to {}://{}:{}", consumer, url.getScheme(), url.getHost(), url.getPort());
    }

    /** {@code <groupId>.${integrationName}-<instance>}, the instance being the cfg file's name after the dash. */
    static String consumerName(Map<String, Object> properties) {
        Object source = properties.get("felix.fileinstall.filename");
        String instance = "default";
        if (source != null) {
            String file = source.toString();
            String name = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.cfg$", "");
            int dash = name.indexOf('-');
            if (dash > 0 && dash < name.length() - 1) {
                instance = name.substring(dash + 1);
            }
        }
        return "${groupId}.${integrationName}-" + instance;
    }

    static String eventsUri(String consumer, String types, String department) {
        StringBuilder uri = new StringBuilder(Frontdoor.events(consumer));
        if (types != null && !types.isBlank()) {
            uri.append("&types=").append(types.replace(" ", ""));
        }
        if (department != null && !department.isBlank()) {
            uri.append("&department=").append(department.strip());
        }
        return uri.toString();
    }

    @Deactivate
    void deactivate() throws Exception {
        camel.stop();
    }
}
