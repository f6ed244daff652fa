package org.frontdoor.channel.webchat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.websocket.CloseReason;
import javax.websocket.OnClose;
import javax.websocket.OnError;
import javax.websocket.OnMessage;
import javax.websocket.OnOpen;
import javax.websocket.Session;
import javax.websocket.server.PathParam;
import javax.websocket.server.ServerEndpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.api.Frontdoor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ws(s)://<frontdoor>/webchat/<instance>/ws}: the widget's WebSocket, a Pax Web whiteboard endpoint (an
 * {@code @ServerEndpoint} instance registered with {@code org.ops4j.pax.web.http.whiteboard.websocket=true}). Pax Web
 * gives such an instance no handshake hook, so the Origin and the client's address are read from Jetty's session
 * ({@code org.eclipse.jetty.websocket.api.Session}); a disallowed origin gets a {@code refused} frame and the close
 * code 4403. The token travels in the first frame (hello), never in the URL.
 */
@Component(service = Object.class, property = "org.ops4j.pax.web.http.whiteboard.websocket=true")
@ServerEndpoint("/webchat/{instance}/ws")
public class ChatSocket {

    static final int CLOSE_REFUSED = 4403;
    static final int CLOSE_UNAVAILABLE = 4503;
    private static final Logger LOG = LoggerFactory.getLogger(ChatSocket.class);

    private static final class Connection {
        final Session session;
        final String address;
        final WebchatInstance instance;
        volatile Chat.Visitor visitor;
        volatile Consumer<LiveVisitors.Pushed> listener;

        Connection(Session session, String address, WebchatInstance instance) {
            this.session = session;
            this.address = address;
            this.instance = instance;
        }
    }

    private final WebchatRuntime runtime;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    Object webReady;

    @Activate
    public ChatSocket(@Reference WebchatRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * The endpoint is going (the bundle stops, is updated or uninstalled): Pax Web unmaps it but leaves its sessions
     * open, talking to a runtime that is gone. Closing them makes the widgets reconnect to whatever comes next.
     */
    @Deactivate
    void deactivate() {
        for (Connection connection : List.copyOf(connections.values())) {
            try {
                connection.session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "restarting"));
            } catch (IOException | RuntimeException e) {
                LOG.debug("A web chat connection could not be closed: {}", e.toString());
            }
            close(connection.session, null);
        }
    }

    @OnOpen
    public void open(Session session, @PathParam("instance") String instanceName) {
        WebchatInstance instance = runtime.chat().instance(instanceName);
        if (instance == null) {
            refuse(session, Chat.refused(null, "unknown", "there is no such chat"), CLOSE_REFUSED);
            return;
        }
        if (!(session instanceof org.eclipse.jetty.websocket.api.Session jetty)) {
            refuse(session, Chat.refused(null, "origin", "this server cannot check where the chat is embedded"),
                    CLOSE_REFUSED);
            return;
        }
        String origin = jetty.getUpgradeRequest().getOrigin();
        if (!instance.origins().allows(origin)) {
            LOG.info("Web chat instance {} refused a WebSocket from origin {}, which is not in its allowedOrigins",
                    instance.instance(), Origins.forLog(origin));
            refuse(session, Chat.refused(null, "origin", "this chat may not be used on this site"), CLOSE_REFUSED);
            return;
        }
        if (!instance.usable()) {
            refuse(session, Chat.refused(null, "unavailable", instance.refusalForVisitors()), CLOSE_UNAVAILABLE);
            return;
        }
        String address = address(instance, jetty);
        if (!instance.connections().tryOpen(address)) {
            refuse(session, Chat.refused(null, "connections", "too many chats are open from your network"),
                    CLOSE_REFUSED);
            return;
        }
        session.setMaxTextMessageBufferSize(instance.config().maxMessageChars() * 4 + 4096);
        connections.put(session.getId(), new Connection(session, address, instance));
    }

    static String address(WebchatInstance instance, org.eclipse.jetty.websocket.api.Session jetty) {
        String header = instance.config().clientAddressHeader();
        if (header != null && !header.isBlank()) {
            String value = jetty.getUpgradeRequest().getHeader(header.trim());
            if (value != null && !value.isBlank()) {
                return value.split(",")[0].trim();
            }
        }
        InetSocketAddress remote = jetty.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    @OnMessage
    public void message(Session session, String text) {
        Connection connection = connections.get(session.getId());
        if (connection == null) {
            return;
        }
        JsonNode frame;
        try {
            frame = Chat.JSON.readTree(text);
        } catch (IOException e) {
            send(session, Chat.refused(null, "invalid", "a frame is one JSON object").toString());
            return;
        }
        String type = frame.path("type").asText("");
        switch (type) {
            case "hello" -> hello(session, connection, frame);
            case "send" -> {
                Chat.Visitor visitor = connection.visitor;
                if (visitor == null) {
                    send(session, Chat.refused(frame.path("id").asText(null), "hello", "say hello first").toString());
                    return;
                }
                runtime.chat().send(visitor, connection.address, frame)
                        .thenAccept(answer -> send(session, answer.toString()));
            }
            case "confirm-start", "confirm" -> {
                Chat.Visitor visitor = connection.visitor;
                if (visitor == null) {
                    send(session, Chat.refused(null, "hello", "say hello first").toString());
                    return;
                }
                send(session, ("confirm".equals(type) ? runtime.chat().confirm(visitor, frame)
                        : runtime.chat().confirmStart(visitor, frame)).toString());
            }
            case "ping" -> send(session, "{\"type\":\"pong\"}");
            default -> send(session, Chat.refused(null, "invalid", "unknown frame type").toString());
        }
    }

    private void hello(Session session, Connection connection, JsonNode frame) {
        if (connection.visitor != null) {
            send(session, Chat.refused(null, "invalid", "hello once per connection").toString());
            return;
        }
        Chat.Hello hello = runtime.chat().hello(connection.instance, connection.address,
                frame.path("token").asText(null), frame.path("conversation").asLong(0));
        if (hello.visitor() == null) {
            refuse(session, hello.frame(), CLOSE_REFUSED);
            return;
        }
        connection.visitor = hello.visitor();
        String key = hello.visitor().key();
        Consumer<LiveVisitors.Pushed> listener = pushed -> send(session, pushed.frame());
        connection.listener = listener;
        // listening before the welcome goes out: a reply sent meanwhile comes as an item, and the widget drops repeats
        runtime.chat().live().listen(key, listener);
        long conversation = hello.frame().path("conversation").asLong(0);
        if (conversation > 0) {
            runtime.chat().live().conversation(key, conversation);
        }
        send(session, hello.frame().toString());
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        Connection connection = connections.remove(session.getId());
        if (connection != null) {
            if (connection.visitor != null && connection.listener != null) {
                runtime.chat().live().unlisten(connection.visitor.key(), connection.listener);
            }
            connection.instance.connections().close(connection.address);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        LOG.debug("A web chat connection failed: {}", failure.toString());
    }

    private static void send(Session session, String frame) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.getAsyncRemote().sendText(frame, result -> {
                if (!result.isOK()) {
                    LOG.debug("A web chat frame was not sent: {}", result.getException().toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("A web chat frame was not sent: {}", e.toString());
        }
    }

    private static void refuse(Session session, ObjectNode frame, int code) {
        try {
            session.getBasicRemote().sendText(frame.toString());
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), frame.path("code").asText("")));
        } catch (IOException | RuntimeException e) {
            LOG.debug("A refused web chat connection could not be told: {}", e.toString());
        }
    }

    /** Connections open on this node, for the benchmark and the log. */
    int open() {
        return connections.size();
    }
}
