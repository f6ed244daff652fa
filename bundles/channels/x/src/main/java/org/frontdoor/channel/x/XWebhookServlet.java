package org.frontdoor.channel.x;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.frontdoor.api.Frontdoor;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public class XWebhookServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(XWebhookServlet.class);
    private static final long ANSWER_BACKSTOP_MILLIS = 5 * 60 * 1000L;

    private final transient XChannelRuntime runtime;
    private final transient XWebhookHandler handler;

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public XWebhookServlet(@Reference XChannelRuntime runtime, @Reference ConfigurationAdmin configurations) {
        this.runtime = runtime;
        this.handler = new XWebhookHandler(runtime::instance, name -> isConfigured(configurations, name),
                runtime::ingest);
    }

    /** Whether a factory configuration names this instance, whether or not it could be activated. */
    static boolean isConfigured(ConfigurationAdmin configurations, String name) {
        try {
            Configuration[] all = configurations.listConfigurations(
                    "(service.factoryPid=" + XInstance.FACTORY_PID + ")");
            if (all == null) {
                return false;
            }
            for (Configuration c : all) {
                Map<String, Object> properties = new HashMap<>();
                Dictionary<String, Object> d = c.getProperties();
                if (d == null) {
                    continue;
                }
                for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
                    String key = keys.nextElement();
                    properties.put(key, d.get(key));
                }
                Object explicit = properties.get("instance");
                try {
                    if (name.equals(XInstance.instanceName(explicit == null ? "" : explicit.toString(), properties))) {
                        return true;
                    }
                } catch (IllegalArgumentException unnamed) {
                    // a configuration without a usable name serves no path
                }
            }
            return false;
        } catch (IOException | InvalidSyntaxException e) {
            return false;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String instanceName = instanceName(request.getPathInfo());
        if ("GET".equals(request.getMethod())) {
            write(response, handler.crc(instanceName, request.getParameter("crc_token")));
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, POST");
            write(response, XWebhookHandler.Result.error(405, "X's webhooks take GET (the CRC) and POST"));
            return;
        }
        XInstance instance = instanceName == null ? null : runtime.instance(instanceName);
        byte[] body = instance == null ? new byte[0] : read(request, instance.maxBodyBytes());
        CompletableFuture<XWebhookHandler.Result> answer =
                handler.handle(instanceName, request::getHeader, body).toCompletableFuture();
        if (answer.isDone()) { // refused before it reached core: no need to go asynchronous
            write(response, answer.join());
            return;
        }
        AsyncContext async = request.startAsync();
        AtomicBoolean answered = new AtomicBoolean();
        // core answers within its ingest timeout; this is only the backstop should an answer never come
        async.setTimeout(ANSWER_BACKSTOP_MILLIS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                answer(async, answered, XWebhookHandler.Result.error(503,
                        "the message could not be stored now; send it again later").with("Retry-After", "5"));
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        answer.thenAccept(result -> answer(async, answered, result));
    }

    /** Writes the answer and ends the request, unless it was answered already. */
    private static void answer(AsyncContext async, AtomicBoolean answered, XWebhookHandler.Result result) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            write((HttpServletResponse) async.getResponse(), result);
        } catch (IOException | RuntimeException gone) {
            LOG.debug("Could not answer a webhook: {}", gone.toString()); // the sender went away meanwhile
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException ended) {
                LOG.debug("The webhook request had ended: {}", ended.toString());
            }
        }
    }

    static String instanceName(String pathInfo) {
        if (pathInfo == null || pathInfo.length() < 2) {
            return null;
        }
        String name = pathInfo.substring(1);
        return name.isEmpty() || name.contains("/") ? null : name;
    }

    /** The body, or null when it is larger than {@code max} bytes. */
    private static byte[] read(HttpServletRequest request, int max) throws IOException {
        if (request.getContentLengthLong() > max) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (out.size() + n > max) {
                    return null;
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static void write(HttpServletResponse response, XWebhookHandler.Result result) throws IOException {
        response.setStatus(result.status());
        result.headers().forEach(response::setHeader);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = result.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
