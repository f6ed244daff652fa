package org.frontdoor.channel.api;

import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import javax.servlet.Servlet;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.plugin.http.AsyncWebhookServlet;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * {@code POST /webhooks/api/{instance}}: registered while the channel's CamelContext runs. Asynchronous: while a
 * message waits for its group to commit, no request thread waits with it; the answer is written by whoever completes
 * the ingest.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/webhooks/api/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-channel-api"})
public class WebhookServlet extends AsyncWebhookServlet {

    private static final long serialVersionUID = 1L;

    private final transient ApiChannelRuntime runtime;
    private final transient WebhookHandler handler;

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public WebhookServlet(@Reference ApiChannelRuntime runtime, @Reference ConfigurationAdmin configurations) {
        this.runtime = runtime;
        this.handler = new WebhookHandler(runtime::instance, name -> isConfigured(configurations, name),
                runtime::ingest);
    }

    /** Whether a factory configuration names this instance, whether or not it could be activated. */
    static boolean isConfigured(ConfigurationAdmin configurations, String name) {
        return isConfigured(configurations, ApiInstance.FACTORY_PID, name, ApiInstance::instanceName);
    }

    @Override
    protected OptionalInt maxBodyBytes(String instanceName) {
        ApiInstance instance = runtime.instance(instanceName);
        return instance == null ? OptionalInt.empty() : OptionalInt.of(instance.maxBodyBytes());
    }

    @Override
    protected CompletionStage<WebhookHandler.Result> handle(String instanceName, Function<String, String> headers,
                                                            byte[] body) {
        return handler.handle(instanceName, headers, body);
    }
}
