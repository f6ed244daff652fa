package org.frontdoor.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.frontdoor.api.Frontdoor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The agents' console at {@code /console}: one page, its ES modules and Preact (from its webjar, copied into this
 * bundle), uPlot for the dashboard's charts (from its webjar too), over the REST API's browser session. Every answer has a strict Content Security Policy (scripts from this
 * origin only, plus the page's import map by its hash; no inline script, no eval, no framing) and the usual
 * security headers.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/console/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-console"})
public class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** What the console serves, by path below /console, with its media type. */
    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("/index.html", "text/html; charset=utf-8"),
            Map.entry("/app.js", "text/javascript; charset=utf-8"),
            Map.entry("/inbox.js", "text/javascript; charset=utf-8"),
            Map.entry("/install.js", "text/javascript; charset=utf-8"),
            Map.entry("/sw.js", "text/javascript; charset=utf-8"),
            Map.entry("/manifest.webmanifest", "application/manifest+json; charset=utf-8"),
            Map.entry("/icon-192.png", "image/png"),
            Map.entry("/icon-512.png", "image/png"),
            Map.entry("/conversation.js", "text/javascript; charset=utf-8"),
            Map.entry("/conversation.css", "text/css; charset=utf-8"),
            Map.entry("/shortcuts.js", "text/javascript; charset=utf-8"),
            Map.entry("/dashboard.js", "text/javascript; charset=utf-8"),
            Map.entry("/admin.js", "text/javascript; charset=utf-8"),
            Map.entry("/nav.js", "text/javascript; charset=utf-8"),
            Map.entry("/pages.css", "text/css; charset=utf-8"),
            Map.entry("/console.css", "text/css; charset=utf-8"),
            Map.entry("/vendor/preact.module.js", "text/javascript; charset=utf-8"),
            Map.entry("/vendor/hooks.module.js", "text/javascript; charset=utf-8"),
            Map.entry("/vendor/LICENSE-preact", "text/plain; charset=utf-8"),
            Map.entry("/vendor/uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            Map.entry("/vendor/uPlot.min.css", "text/css; charset=utf-8"),
            Map.entry("/vendor/LICENSE-uplot", "text/plain; charset=utf-8"));

    private static final Pattern IMPORT_MAP = Pattern.compile(
            "<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);

    /** Registered only once Pax Web's default context runs. */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    private final transient String csp;

    public ConsoleServlet() {
        csp = policy(read("/index.html"));
    }

    /** The Content Security Policy of every answer, allowing the page's import map (data, not code) by its hash. */
    static String policy(byte[] index) {
        Matcher m = IMPORT_MAP.matcher(new String(index, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("console/index.html has no import map");
        }
        String hash;
        try {
            hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(m.group(1).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "default-src 'none'; script-src 'self' 'sha256-" + hash + "'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'; "
                + "frame-ancestors 'none'";
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            // /console without the slash: the page's relative URLs need it
            response.setStatus(302);
            response.setHeader("Location", request.getContextPath() + "/console/");
            return;
        }
        if (path.equals("/") || path.isEmpty()) {
            path = "/index.html";
        }
        headers(response);
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(405);
            return;
        }
        String type = FILES.get(path);
        if (type == null) {
            response.sendError(404);
            return;
        }
        byte[] body = path.startsWith("/vendor/") ? vendor(path) : read(path);
        response.setStatus(200);
        response.setContentType(type);
        response.setHeader("Cache-Control", path.startsWith("/vendor/") ? "public, max-age=86400" : "no-cache");
        response.setContentLength(body.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    private void headers(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", csp);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    }

    /**
     * Preact's and uPlot's files, where their webjars have them (copied into this bundle at the versions the build
     * chose).
     */
    static byte[] vendor(String path) {
        String preact = "META-INF/resources/webjars/preact/" + version("/preact.version");
        String uplot = "META-INF/resources/webjars/uplot/" + version("/uplot.version");
        String file = switch (path) {
            case "/vendor/preact.module.js" -> preact + "/dist/preact.module.js";
            case "/vendor/hooks.module.js" -> preact + "/hooks/dist/hooks.module.js";
            case "/vendor/LICENSE-preact" -> preact + "/LICENSE";
            case "/vendor/uPlot.iife.min.js" -> uplot + "/dist/uPlot.iife.min.js";
            case "/vendor/uPlot.min.css" -> uplot + "/dist/uPlot.min.css";
            case "/vendor/LICENSE-uplot" -> uplot + "/LICENSE";
            default -> throw new IllegalArgumentException("no vendor file " + path);
        };
        return resource("/" + file);
    }

    private static String version(String file) {
        return new String(read(file), StandardCharsets.UTF_8).strip();
    }

    static byte[] read(String path) {
        return resource("/console" + path);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console bundle lacks " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
