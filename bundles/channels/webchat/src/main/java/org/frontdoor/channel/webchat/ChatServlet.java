package org.frontdoor.channel.webchat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.api.Frontdoor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /webchat/<instance>/...}: the widget's script, and the HTTP fallback for visitors whose network blocks
 * WebSocket, with the WebSocket's frames: {@code POST hello}, {@code POST send} (answered once stored), {@code POST
 * poll} (long polling: answers with the agents' replies after a reply id, or an empty list after 25 s). The token
 * travels in the {@code X-Webchat-Token} header, never in a URL. Every POST must come from an allowed origin (403 and a
 * reason otherwise). CORS lets any well-formed origin read the answer, so that a site that is not allowed shows its
 * visitor the refusal rather than a network error: the origin check is the server's, not the browser's.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/webchat/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-channel-webchat"})
public class ChatServlet extends HttpServlet {

    static final String TOKEN_HEADER = "X-Webchat-Token";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ChatServlet.class);
    private static final long POLL_MILLIS = 25_000;
    private static final int MAX_BODY = 64 * 1024;

    private final transient WebchatRuntime runtime;
    private final byte[] widget;
    /** Polls waiting for a reply, answered at once when the servlet goes so that widgets poll the next one. */
    private final transient Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public ChatServlet(@Reference WebchatRuntime runtime) throws IOException {
        this.runtime = runtime;
        try (InputStream in = ChatServlet.class.getResourceAsStream("widget.js")) {
            this.widget = in.readAllBytes();
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = path(request.getPathInfo());
        WebchatInstance instance = path == null ? null : runtime.chat().instance(path[0]);
        if (instance == null) {
            write(response, 404, Chat.refused(null, "unknown", "there is no such chat"));
            return;
        }
        String action = path[1];
        if ("widget.js".equals(action) && "GET".equals(request.getMethod())) {
            response.setStatus(200);
            response.setContentType("text/javascript");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "public, max-age=300");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(widget.length);
            response.getOutputStream().write(widget);
            return;
        }
        if (!List.of("hello", "send", "poll", "confirm-start", "confirm").contains(action)) {
            write(response, 404, Chat.refused(null, "unknown", "no such web chat resource"));
            return;
        }
        String origin = request.getHeader("Origin");
        boolean allowed = instance.origins().allows(origin);
        String readable = Origins.normalize(origin);
        if (readable != null) {
            // a site that is not allowed may read the refusal too, so its visitor sees why and not a network error
            response.setHeader("Access-Control-Allow-Origin", readable);
        }
        response.setHeader("Vary", "Origin");
        if ("OPTIONS".equals(request.getMethod())) {
            response.setHeader("Access-Control-Allow-Methods", "POST");
            response.setHeader("Access-Control-Allow-Headers", "Content-Type, " + TOKEN_HEADER);
            response.setHeader("Access-Control-Max-Age", "600");
            response.setStatus(204);
            return;
        }
        if (!allowed) {
            LOG.info("Web chat instance {} refused a request from origin {}, which is not in its allowedOrigins",
                    instance.instance(), Origins.forLog(origin));
            write(response, 403, Chat.refused(null, "origin", "this chat may not be used on this site"));
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST, OPTIONS");
            write(response, 405, Chat.refused(null, "invalid", "use POST"));
            return;
        }
        JsonNode body = body(request);
        if (body == null) {
            write(response, 400, Chat.refused(null, "invalid", "the body is one JSON object of at most 64 KB"));
            return;
        }
        String address = address(instance, request);
        Chat chat = runtime.chat();
        String token = request.getHeader(TOKEN_HEADER);
        if ("hello".equals(action)) {
            Chat.Hello hello = chat.hello(instance, address, token, body.path("conversation").asLong(0));
            write(response, hello.visitor() == null ? status(hello.frame()) : 200, hello.frame());
            return;
        }
        if (!instance.usable()) {
            // not a 401: the widget would forget a token that is fine once the instance is fixed
            write(response, 503, Chat.refused(null, "unavailable", instance.refusalForVisitors()));
            return;
        }
        Chat.Visitor visitor = verified(instance, token);
        if (visitor == null) {
            write(response, 401, Chat.refused(null, "token", "this chat does not know you any more: starting anew"));
            return;
        }
        if ("confirm-start".equals(action) || "confirm".equals(action)) {
            ObjectNode answer = "confirm".equals(action) ? chat.confirm(visitor, body) : chat.confirmStart(visitor, body);
            write(response, status(answer), answer);
            return;
        }
        if ("send".equals(action)) {
            AsyncContext async = request.startAsync();
            async.setTimeout(5 * 60 * 1000L);
            AtomicBoolean answered = new AtomicBoolean();
            chat.send(visitor, address, body).thenAccept(frame -> answer(async, answered, status(frame), frame));
            return;
        }
        poll(request, response, instance, visitor, address, body);
    }

    private void poll(HttpServletRequest request, HttpServletResponse response, WebchatInstance instance, Chat.Visitor visitor, String address,
                      JsonNode body) throws IOException {
        Chat chat = runtime.chat();
        long conversation = body.path("conversation").asLong(0);
        // the replies after the last the widget has, by their place in the conversation (seq); a widget of before
        // names the last reply's id instead, which says nothing about order across nodes: its seq is looked up
        long after = body.has("afterSeq") ? body.path("afterSeq").asLong(0)
                : chat.seqOfReply(visitor, conversation, body.path("after").asLong(0));
        if (!instance.connections().tryOpen(address)) {
            ObjectNode frame = Chat.refused(null, "connections", "too many chats are open from your network");
            write(response, 429, frame);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(POLL_MILLIS);
        AtomicBoolean answered = new AtomicBoolean();
        String key = visitor.key();
        Runnable release = () -> answerItems(async, answered, List.of());
        waiting.add(release);
        Consumer<LiveVisitors.Pushed> listener = pushed -> {
            if (pushed.after(after)) {
                answerItems(async, answered, List.of(pushed.frame()));
            }
        };
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                answerItems(async, answered, List.of());
            }

            @Override
            public void onComplete(AsyncEvent event) {
                waiting.remove(release);
                chat.live().unlisten(key, listener);
                instance.connections().close(address);
            }

            @Override
            public void onError(AsyncEvent event) {
                answerItems(async, answered, List.of());
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        chat.live().listen(key, listener);
        List<String> waiting = chat.repliesAfter(visitor, conversation, after);
        if (!waiting.isEmpty()) {
            answerItems(async, answered, waiting);
        }
    }

    @Override
    public void destroy() {
        for (Runnable release : List.copyOf(waiting)) {
            release.run();
        }
        super.destroy();
    }

    private static void answerItems(AsyncContext async, AtomicBoolean answered, List<String> frames) {
        ObjectNode answer = Chat.JSON.createObjectNode().put("type", "items");
        ArrayNode items = answer.putArray("items");
        ArrayNode others = answer.putArray("frames");
        for (String frame : frames) {
            try {
                JsonNode node = Chat.JSON.readTree(frame);
                if ("item".equals(node.path("type").asText())) {
                    items.add(node.path("item"));
                } else {
                    others.add(node); // status, read, typing: the widget handles each as over WebSocket
                }
            } catch (IOException e) {
                throw new IllegalStateException("a pushed frame is JSON", e);
            }
        }
        answer(async, answered, 200, answer);
    }

    private static Chat.Visitor verified(WebchatInstance instance, String token) {
        if (!instance.usable() || token == null) {
            return null;
        }
        return instance.tokens().visitor(token.trim()).map(id -> new Chat.Visitor(instance, id)).orElse(null);
    }

    /** The HTTP status of a frame: 200 for ack and welcome, 503 for retry, 4xx for refusals. */
    static int status(ObjectNode frame) {
        return switch (frame.path("type").asText()) {
            case "retry" -> 503;
            case "refused" -> switch (frame.path("code").asText()) {
                case "origin" -> 403;
                case "token" -> 401;
                case "rate", "connections" -> 429;
                case "unavailable" -> 503;
                case "confirm-off" -> 404;
                case "confirm-code", "confirm-first", "confirm-expired", "confirm-locked" -> 422;
                case "too-long" -> 413;
                default -> 400;
            };
            default -> 200;
        };
    }

    private static void answer(AsyncContext async, AtomicBoolean answered, int status, ObjectNode frame) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            write((HttpServletResponse) async.getResponse(), status, frame);
        } catch (IOException | RuntimeException gone) {
            LOG.debug("Could not answer a web chat request: {}", gone.toString());
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException ended) {
                LOG.debug("The web chat request had ended: {}", ended.toString());
            }
        }
    }

    static String address(WebchatInstance instance, HttpServletRequest request) {
        String header = instance.config().clientAddressHeader();
        if (header != null && !header.isBlank()) {
            String value = request.getHeader(header.trim());
            if (value != null && !value.isBlank()) {
                return value.split(",")[0].trim();
            }
        }
        return request.getRemoteAddr();
    }

    /** {instance, action} of /instance/action, or null. */
    static String[] path(String pathInfo) {
        if (pathInfo == null) {
            return null;
        }
        String[] parts = pathInfo.split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        return new String[] {parts[1], parts[2]};
    }

    private static JsonNode body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (out.size() + n > MAX_BODY) {
                    return null;
                }
                out.write(buffer, 0, n);
            }
        }
        try {
            JsonNode node = Chat.JSON.readTree(out.size() == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : out.toByteArray());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(HttpServletResponse response, int status, ObjectNode frame) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        byte[] body = frame.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
