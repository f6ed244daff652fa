package org.frontdoor.channel.sms;

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
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.frontdoor.plugin.media.MediaFetches;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * {@code POST /webhooks/sms/{instance}}: the provider's messaging and voice webhooks, and
 * {@code POST /webhooks/sms/{instance}/status}: the status callbacks of the replies it sent; registered while the
 * channel's CamelContext runs. Asynchronous: the answer is written by whoever completes the ingest.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/webhooks/sms/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-channel-sms"})
public class SmsWebhookServlet extends AsyncWebhookServlet {

    private static final long serialVersionUID = 1L;

    private final transient SmsChannelRuntime runtime;
    private final transient SmsWebhookHandler handler;
    private final transient SmsDeliveryStatus status;
    private final transient MediaFetches fetches;

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public SmsWebhookServlet(@Reference SmsChannelRuntime runtime, @Reference ConfigurationAdmin configurations,
                             @Reference Blobs blobs) {
        this.runtime = runtime;
        this.fetches = new MediaFetches(SmsInstance.CHANNEL_ID, blobs, SmsMedia::mask);
        this.handler = new SmsWebhookHandler(runtime::instance,
                name -> isConfigured(configurations, SmsInstance.FACTORY_PID, name, SmsInstance::instanceName),
                runtime::ingest, SmsMedia.into(blobs), fetches);
        this.status = new SmsDeliveryStatus(runtime::instance, runtime::report);
    }

    @Deactivate
    void deactivate() {
        fetches.close();
    }

    /** As the base servlet, with the request's URL for the signature when the instance has no publicUrl. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        // /{instance}/status: an instance may itself be named "status", so the instance's part must be there
        boolean statusCallback = path != null && path.endsWith(SmsDeliveryStatus.PATH)
                && path.length() > SmsDeliveryStatus.PATH.length() + 1;
        String instanceName = instanceName(statusCallback ? path.substring(0, path.length()
                - SmsDeliveryStatus.PATH.length()) : path);
        if (!"POST".equals(request.getMethod())) {
            notPost(instanceName, request, response);
            return;
        }
        OptionalInt max = instanceName == null ? OptionalInt.empty() : maxBodyBytes(instanceName);
        byte[] body = max.isEmpty() ? new byte[0] : readBody(request, max.getAsInt());
        String query = request.getQueryString();
        String url = request.getRequestURL() + (query == null ? "" : "?" + query);
        answer(request, response, statusCallback
                ? status.handle(instanceName, url, query, request::getHeader, body)
                : handler.handle(instanceName, url, query, request::getHeader, body));
    }

    @Override
    protected OptionalInt maxBodyBytes(String instanceName) {
        SmsInstance instance = runtime.instance(instanceName);
        return instance == null ? OptionalInt.empty() : OptionalInt.of(instance.maxBodyBytes());
    }

    /** Not used: {@link #service} passes the request's URL on. */
    @Override
    protected CompletionStage<Result> handle(String instanceName, Function<String, String> headers, byte[] body) {
        return handler.handle(instanceName, null, null, headers, body);
    }
}
