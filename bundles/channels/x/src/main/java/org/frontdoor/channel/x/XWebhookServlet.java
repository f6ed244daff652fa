package org.frontdoor.channel.x;

import java.io.IOException;
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
 * {@code GET /webhooks/x/{instance}?crc_token=...} (X's challenge-response check) and {@code POST /webhooks/x/{instance}}
 * (Account Activity deliveries): registered while the channel's CamelContext runs. Asynchronous: while a
 * message waits for its group to commit, no request thread waits with it; the answer is written by whoever completes
 * the ingest.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/webhooks/x/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-channel-x"})
public class XWebhookServlet extends AsyncWebhookServlet {

    private static final long serialVersionUID = 1L;

    private final transient XChannelRuntime runtime;
    private final transient XWebhookHandler handler;
    private final transient MediaFetches fetches;

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public XWebhookServlet(@Reference XChannelRuntime runtime, @Reference ConfigurationAdmin configurations,
                           @Reference Blobs blobs) {
        this.runtime = runtime;
        // the failures' texts hold no token: it goes only in the Authorization header
        this.fetches = new MediaFetches(XInstance.CHANNEL_ID, blobs, text -> text);
        this.handler = new XWebhookHandler(runtime::instance, name -> isConfigured(configurations, name),
                runtime::ingest, XMedia.into(blobs), fetches);
    }

    @Deactivate
    void deactivate() {
        fetches.close();
    }

    /** Whether a factory configuration names this instance, whether or not it could be activated. */
    static boolean isConfigured(ConfigurationAdmin configurations, String name) {
        return isConfigured(configurations, XInstance.FACTORY_PID, name, XInstance::instanceName);
    }

    /** GET is X's challenge-response check; other methods than GET and POST are refused. */
    @Override
    protected void notPost(String instanceName, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if ("GET".equals(request.getMethod())) {
            write(response, handler.crc(instanceName, request.getParameter("crc_token")));
            return;
        }
        response.setHeader("Allow", "GET, POST");
        write(response, XWebhookHandler.Result.error(405, "X's webhooks take GET (the CRC) and POST"));
    }

    @Override
    protected OptionalInt maxBodyBytes(String instanceName) {
        XInstance instance = runtime.instance(instanceName);
        return instance == null ? OptionalInt.empty() : OptionalInt.of(instance.maxBodyBytes());
    }

    @Override
    protected CompletionStage<XWebhookHandler.Result> handle(String instanceName, Function<String, String> headers,
                                                             byte[] body) {
        return handler.handle(instanceName, headers, body);
    }
}
