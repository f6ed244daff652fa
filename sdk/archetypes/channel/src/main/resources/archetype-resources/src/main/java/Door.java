package ${package};

import java.io.IOException;
import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Function;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One door per factory configuration {@code etc/${groupId}.channel.${channelName}-<instance>.cfg}: a servlet at
 * {@code /webhooks/${channelName}/<instance>} whose requests, once their signature and JSON are checked, go through a
 * Camel route {@code to("frontdoor:inbound")}; the answer comes once Frontdoor stored the message durably. It starts
 * once core's {@code frontdoor:} component and the web layer run, and registers itself as a {@link Channel}.
 * Replies ({@code frontdoor:outbound?channel=${channelName}}) are left for you to add: they wait in Frontdoor's store.
 */
@Component(configurationPid = Door.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = ChannelConfig.class, factory = true)
public class Door implements Channel {

    /** Third-party convention: {@code <groupId>.<kind>.<name>}, never org.frontdoor.*. */
    public static final String FACTORY_PID = "${groupId}.channel.${channelName}";
    public static final String CHANNEL_ID = "${channelName}";
    static final String INBOUND = "direct:${channelName}-inbound";
    private static final Logger LOG = LoggerFactory.getLogger(Door.class);

    private final String instance;
    private final String secret;
    private final long maxSkewSeconds;
    private final CamelContext camel;
    private final ProducerTemplate inbound;
    private ServiceRegistration<?> channel;
    private ServiceRegistration<?> servlet;

    @Activate
    public Door(BundleContext context, ChannelConfig config, Map<String, Object> properties,
                @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                @Reference(service = Object.class, target = Frontdoor.WEB_READY) Object webReady) throws Exception {
        this(new OsgiDefaultCamelContext(context), instanceName(properties), secret(config, System::getenv),
                config.maxSkewSeconds());
        Hashtable<String, Object> channelProperties = new Hashtable<>();
        channelProperties.put(Channel.CHANNEL, CHANNEL_ID);
        channelProperties.put(Channel.INSTANCE, instance);
        channel = context.registerService(Channel.class, this, channelProperties);
        Hashtable<String, Object> servletProperties = new Hashtable<>();
        servletProperties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, path(instance));
        servletProperties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, CHANNEL_ID + "-" + instance);
        servlet = context.registerService(Servlet.class, new WebhookServlet(), servletProperties);
        LOG.info("Channel {} instance {} takes signed webhooks at {}{}", CHANNEL_ID, instance, path(instance),
                secret == null ? " but has no secret: set secretEnv or secret" : "");
    }

    /** Tests give a plain context whose {@code frontdoor:} component is a stand-in. */
    Door(CamelContext camel, String instance, String secret, long maxSkewSeconds) throws Exception {
        this.instance = instance;
        this.secret = secret;
        this.maxSkewSeconds = maxSkewSeconds;
        this.camel = camel;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(INBOUND).routeId(CHANNEL_ID + "-" + instance + "-inbound").to(Frontdoor.INBOUND);
            }
        });
        camel.start();
        inbound = camel.createProducerTemplate();
    }

    static String path(String instance) {
        return "/webhooks/${channelName}/" + instance;
    }

    static String secret(ChannelConfig config, Function<String, String> env) {
        if (!config.secretEnv().isBlank()) {
            String value = env.apply(config.secretEnv().strip());
            return value == null || value.isBlank() ? null : value.strip();
        }
        return config.secret().isBlank() ? null : config.secret();
    }

    /** The cfg file's name after the dash ({@code ...-support.cfg} is instance {@code support}). */
    static String instanceName(Map<String, Object> properties) {
        Object source = properties.get("felix.fileinstall.filename");
        if (source != null) {
            String file = source.toString();
            String name = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.cfg$", "");
            int dash = name.indexOf('-');
            if (dash > 0 && dash < name.length() - 1) {
                return name.substring(dash + 1);
            }
        }
        return "default";
    }

    /** What a request gets: a status and a JSON body. */
    record Answer(int status, String body) {
    }

    /** A request: checked, then stored through {@code frontdoor:inbound} before the answer. */
    Answer handle(String timestamp, String signature, byte[] body, long now) {
        if (secret == null) {
            return new Answer(503, Webhook.json(Map.of("error", "this door has no secret configured")));
        }
        try {
            Webhook.verify(secret, timestamp, signature, body, now, maxSkewSeconds);
            Message message = Webhook.message(CHANNEL_ID, instance, body);
            IngestReceipt receipt = inbound.requestBody(INBOUND, message, IngestReceipt.class);
            return new Answer(200, Webhook.json(Map.of("messageId", receipt.messageId(),
                    "conversationId", receipt.conversationId(), "duplicate", receipt.duplicate())));
        } catch (Webhook.Refused refused) {
            return new Answer(refused.status, Webhook.json(Map.of("error", refused.getMessage())));
        } catch (CamelExecutionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            if (cause instanceof IllegalArgumentException) {
                return new Answer(400, Webhook.json(Map.of("error", String.valueOf(cause.getMessage()))));
            }
            LOG.warn("Channel {} instance {}: a message could not be stored now: {}", CHANNEL_ID, instance,
                    cause.toString());
            return new Answer(503, Webhook.json(Map.of("error", "not stored now, send it again")));
        }
    }

    private final class WebhookServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = request.getInputStream().readNBytes(256 * 1024 + 1);
            Answer answer = body.length > 256 * 1024
                    ? new Answer(413, Webhook.json(Map.of("error", "the body is larger than 256 KiB")))
                    : handle(request.getHeader(Webhook.TIMESTAMP_HEADER), request.getHeader(Webhook.SIGNATURE_HEADER),
                            body, Instant.now().getEpochSecond());
            response.setStatus(answer.status());
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(answer.body());
        }
    }

    @Override
    public String id() {
        return CHANNEL_ID;
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public ChannelCapabilities capabilities() {
        return ChannelCapabilities.plainPrivate();
    }

    @Override
    public ChannelHealth health() {
        return secret == null ? ChannelHealth.of(ChannelHealth.Status.DOWN, "no secret: set secretEnv or secret in "
                + FACTORY_PID + "-" + instance + ".cfg") : ChannelHealth.up();
    }

    @Deactivate
    void deactivate() throws Exception {
        for (ServiceRegistration<?> registration : new ServiceRegistration<?>[] {servlet, channel}) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping and took it with it
                }
            }
        }
        inbound.stop();
        camel.stop();
    }
}
