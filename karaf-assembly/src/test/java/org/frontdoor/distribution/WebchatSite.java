package org.frontdoor.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * A company's site on a free port of its own (another origin than Frontdoor's): its pages embed the web chat with
 * one script tag. Its stylesheet would hide and recolour every list item, which the widget's Shadow DOM keeps out.
 * {@code /nows.html} is the same page on a network that blocks WebSocket: the widget must fall back to HTTP.
 */
final class WebchatSite implements AutoCloseable {

    private final HttpServer server;

    WebchatSite(String widgetUrl) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String tag = "<script src=\"" + widgetUrl + "\" async></script>";
        String head = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Shop</title>"
                + "<style>li{display:none!important;color:red!important}button{font-size:40px!important}</style>";
        page("/", head + "</head><body><h1>Shop</h1>" + tag + "</body></html>");
        page("/nows.html", head + "<script>window.WebSocket = undefined;</script></head><body><h1>Shop, "
                + "behind a proxy that blocks WebSocket</h1>" + tag + "</body></html>");
        page("/blank", "<!doctype html><html><body>No chat here</body></html>");
        server.start();
    }

    private void page(String path, String html) {
        server.createContext(path, exchange -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            boolean exact = exchange.getRequestURI().getPath().equals(path);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(exact ? 200 : 404, exact ? body.length : -1);
            if (exact) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The site's origin, as the browser sends it. */
    String origin() {
        return "http://127.0.0.1:" + port();
    }

    /** A page of the site at this origin. */
    String url(String path) {
        return origin() + path;
    }

    /** The same page at another origin (localhost instead of 127.0.0.1): a site that is not allowed. */
    String otherOriginUrl(String path) {
        return "http://localhost:" + port() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
