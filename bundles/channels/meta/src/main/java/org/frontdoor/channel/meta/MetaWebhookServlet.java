package org.frontdoor.channel.meta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.frontdoor.api.Blobs;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.plugin.http.AsyncWebhookServlet;
import org.frontdoor.plugin.media.MediaFetches;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET /webhooks/meta/{instance}?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...} (Meta's
 * verification, answered with the challenge as plain text) and {@code POST /webhooks/meta/{instance}} (deliveries of
 * Messenger, Instagram and the WhatsApp Cloud API): registered while the channel's CamelContext runs. Asynchronous:
 * the answer is written once every message of a delivery is durable.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/webhooks/meta/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-channel-meta"})
public class MetaWebhookServlet extends AsyncWebhookServlet {

    private static final long serialVersionUID = 1L;

    private final transient MetaChannelRuntime runtime;
    private final transient MetaWebhookHandler handler;
    private final transient MediaFetches fetches;

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public MetaWebhookServlet(@Reference MetaChannelRuntime runtime, @Reference ConfigurationAdmin configurations,
                              @Reference Blobs blobs) {
        this.runtime = runtime;
        this.fetches = new MediaFetches(MetaInstance.CHANNEL_ID, blobs, MetaMedia::mask);
        this.handler = new MetaWebhookHandler(runtime::instance, name -> isConfigured(configurations, name),
                runtime::ingest, runtime::report, MetaMedia.into(blobs), fetches);
    }

    @Deactivate
    void deactivate() {
        fetches.close();
    }

    /** Whether a factory configuration names this instance, whether or not it could be activated. */
    static boolean isConfigured(ConfigurationAdmin configurations, String name) {
        return isConfigured(configurations, MetaInstance.FACTORY_PID, name, MetaInstance::instanceName);
    }

    /** GET is Meta's verification request; other methods than GET and POST are refused. */
    @Override
    protected void notPost(String instanceName, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if ("GET".equals(request.getMethod())) {
            MetaWebhookHandler.Verification answer = handler.verify(instanceName, request.getParameter("hub.mode"),
                    request.getParameter("hub.verify_token"), request.getParameter("hub.challenge"));
            response.setStatus(answer.status());
            // the challenge echoed is Meta's, but this answer is read by nothing but Meta: never as a page
            response.setContentType("text/plain");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setCharacterEncoding("UTF-8");
            byte[] body = answer.text().getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        response.setHeader("Allow", "GET, POST");
        write(response, MetaWebhookHandler.Result.error(405, "Meta's webhooks take GET (the verification) and POST"));
    }

    @Override
    protected OptionalInt maxBodyBytes(String instanceName) {
        MetaInstance instance = runtime.instance(instanceName);
        return instance == null ? OptionalInt.empty() : OptionalInt.of(instance.maxBodyBytes());
    }

    @Override
    protected CompletionStage<MetaWebhookHandler.Result> handle(String instanceName, Function<String, String> headers,
                                                                byte[] body) {
        return handler.handle(instanceName, headers, body);
    }
}
