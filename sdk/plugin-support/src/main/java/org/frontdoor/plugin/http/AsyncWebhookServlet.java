package org.frontdoor.plugin.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet of {@code POST /webhooks/{door}/{instance}}, asynchronous: the instance's name from the path, the body
 * read up to the instance's limit, then the answer of {@link #handle}, written at once when the request was refused
 * before it reached core, otherwise by whoever completes the ingest, so that no request thread waits while a message
 * waits for its group to commit. Register it with the whiteboard's async-supported property.
 */
public abstract class AsyncWebhookServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Core answers within its ingest timeout; this is only the backstop should an answer never come. */
    private static final long ANSWER_BACKSTOP_MILLIS = 5 * 60 * 1000L;

    private final transient Logger log = LoggerFactory.getLogger(getClass());

    protected AsyncWebhookServlet() {
    }

    /** The body's limit of the running instance of that name, or empty when none of that name runs. */
    protected abstract OptionalInt maxBodyBytes(String instanceName);

    /**
     * The answer, once there is one; the stage never fails.
     *
     * @param instanceName the name from the path, or null when the path names none
     * @param headers      the request's headers by name
     * @param body         the raw body (empty when no instance of that name runs), or null when it was larger than
     *                     the instance's {@link #maxBodyBytes}
     */
    protected abstract CompletionStage<Result> handle(String instanceName, Function<String, String> headers,
                                                      byte[] body);

    /** A request with another method than POST: 405 {@code webhooks take POST}, with {@code Allow: POST}. */
    protected void notPost(String instanceName, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader("Allow", "POST");
        write(response, Result.error(405, "webhooks take POST"));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String instanceName = instanceName(request.getPathInfo());
        if (!"POST".equals(request.getMethod())) {
            notPost(instanceName, request, response);
            return;
        }
        OptionalInt max = instanceName == null ? OptionalInt.empty() : maxBodyBytes(instanceName);
        byte[] body = max.isEmpty() ? new byte[0] : readBody(request, max.getAsInt());
        answer(request, response, handle(instanceName, request::getHeader, body));
    }

    /**
     * Writes the answer at once when it is there already (refused before it reached core: no need to go
     * asynchronous), otherwise once the stage completes, or 503 should it not complete within five minutes.
     */
    protected void answer(HttpServletRequest request, HttpServletResponse response, CompletionStage<Result> stage)
            throws IOException {
        CompletableFuture<Result> answer = stage.toCompletableFuture();
        if (answer.isDone()) {
            write(response, answer.join());
            return;
        }
        AsyncContext async = request.startAsync();
        AtomicBoolean answered = new AtomicBoolean();
        async.setTimeout(ANSWER_BACKSTOP_MILLIS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                answer(async, answered, JsonWebhook.notStored("message"));
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
    private void answer(AsyncContext async, AtomicBoolean answered, Result result) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            write((HttpServletResponse) async.getResponse(), result);
        } catch (IOException | RuntimeException gone) {
            log.debug("Could not answer a webhook: {}", gone.toString()); // the sender went away meanwhile
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException ended) {
                log.debug("The webhook request had ended: {}", ended.toString());
            }
        }
    }

    /** The instance's name in a path info {@code /{instance}}, or null when there is none or more than one segment. */
    public static String instanceName(String pathInfo) {
        if (pathInfo == null || pathInfo.length() < 2) {
            return null;
        }
        String name = pathInfo.substring(1);
        return name.isEmpty() || name.contains("/") ? null : name;
    }

    /**
     * The body, or null when it is larger than {@code max} bytes: by its Content-Length before a byte is read, or
     * once more than {@code max} bytes came (a chunked body, or one longer than it said).
     */
    public static byte[] readBody(HttpServletRequest request, int max) throws IOException {
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

    /**
     * Writes the answer: its status, its headers, its body as UTF-8 with its length, of the type its
     * {@code Content-Type} header names ({@code text/xml} for a TwiML answer, say), else {@code application/json}.
     */
    public static void write(HttpServletResponse response, Result result) throws IOException {
        response.setStatus(result.status());
        String type = "application/json";
        for (Map.Entry<String, String> header : result.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                type = header.getValue();
            } else {
                response.setHeader(header.getKey(), header.getValue());
            }
        }
        response.setContentType(type);
        response.setCharacterEncoding("UTF-8");
        byte[] body = result.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Whether a factory configuration of {@code factoryPid} names this instance, whether or not it could be
     * activated: the difference between 503 (configured, not running: send it again) and 404.
     *
     * @param namer the instance's name of a configuration from its {@code instance} property ("" when unset) and
     *              all its properties; throws {@link IllegalArgumentException} when it has no usable name
     */
    public static boolean isConfigured(ConfigurationAdmin configurations, String factoryPid, String name,
                                       BiFunction<String, Map<String, Object>, String> namer) {
        try {
            Configuration[] all = configurations.listConfigurations("(service.factoryPid=" + factoryPid + ")");
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
                    if (name.equals(namer.apply(explicit == null ? "" : explicit.toString(), properties))) {
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
}
