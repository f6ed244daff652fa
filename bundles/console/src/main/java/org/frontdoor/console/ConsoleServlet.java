package org.frontdoor.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

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
 * bundle), uPlot for the dashboard's charts (from its webjar too), over the REST API's browser session. Every answer has
 * a strict Content Security Policy (scripts from this origin only, plus the page's import map by its hash; no inline
 * script, no eval, no framing) and the usual security headers.
 *
 * <p>Every file is read and gzip-compressed once, when the servlet is made, and kept in memory (about 135 KB plain,
 * 55 KB compressed). A browser that accepts gzip gets the compressed bytes ({@code Content-Encoding: gzip}), any other
 * client the plain ones; both answers say {@code Vary: Accept-Encoding}. Each answer has a strong ETag from its bytes
 * (the compressed one its own) and a matching {@code If-None-Match} gets 304. The page and the console's own modules
 * keep their URLs from release to release, so they are {@code no-cache} (the browser asks each time and mostly hears
 * 304); Preact's and uPlot's files are served under their version ({@code /vendor/preact-10.26.4/...}, the page's
 * import map names them), so they are immutable for a year.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/console/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-console"})
public class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String PREACT = "/vendor/preact-" + version("/preact.version");
    static final String UPLOT = "/vendor/uplot-" + version("/uplot.version");

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
            Map.entry(PREACT + "/preact.module.js", "text/javascript; charset=utf-8"),
            Map.entry(PREACT + "/hooks.module.js", "text/javascript; charset=utf-8"),
            Map.entry(PREACT + "/LICENSE", "text/plain; charset=utf-8"),
            Map.entry(UPLOT + "/uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            Map.entry(UPLOT + "/uPlot.min.css", "text/css; charset=utf-8"),
            Map.entry(UPLOT + "/LICENSE", "text/plain; charset=utf-8"));

    /** The vendor files' URLs carry their version: a browser may keep them for a year without asking again. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** The page and the console's own modules: kept, but asked for again (ETag, mostly 304) before each use. */
    static final String REVALIDATE = "no-cache";

    private static final Pattern IMPORT_MAP = Pattern.compile(
            "<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);

    /** Registered only once Pax Web's default context runs. */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    private final transient String csp;
    private final transient Map<String, Asset> assets;

    /** One file as served: its plain bytes and, for text, its gzip-compressed bytes, each with its strong ETag. */
    record Asset(String type, String cacheControl, byte[] plain, String etag, byte[] gzip, String gzipEtag) {

        static Asset of(String path, String type) {
            byte[] plain = path.startsWith("/vendor/") ? vendor(path) : read(path);
            String cache = path.startsWith("/vendor/") ? IMMUTABLE : REVALIDATE;
            String etag = "\"" + digest(plain) + "\"";
            if (type.startsWith("image/")) {
                // PNG is compressed already
                return new Asset(type, cache, plain, etag, null, null);
            }
            return new Asset(type, cache, plain, etag, compress(plain), "\"" + digest(plain) + "-gzip\"");
        }
    }

    public ConsoleServlet() {
        csp = policy(read("/index.html"));
        Map<String, Asset> all = new HashMap<>();
        FILES.forEach((path, type) -> all.put(path, Asset.of(path, type)));
        assets = Map.copyOf(all);
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
        Asset asset = assets.get(path);
        if (asset == null) {
            response.sendError(404);
            return;
        }
        boolean gzip = asset.gzip() != null && acceptsGzip(request.getHeader("Accept-Encoding"));
        String etag = gzip ? asset.gzipEtag() : asset.etag();
        if (asset.gzip() != null) {
            response.setHeader("Vary", "Accept-Encoding");
        }
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", asset.cacheControl());
        if (matches(request.getHeader("If-None-Match"), etag)) {
            response.setStatus(304);
            return;
        }
        byte[] body = gzip ? asset.gzip() : asset.plain();
        response.setStatus(200);
        response.setContentType(asset.type());
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /**
     * Whether an Accept-Encoding header accepts gzip: named ({@code gzip} or {@code x-gzip}) or matched by {@code *},
     * with a quality above 0.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean named = null;
        boolean any = false;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].strip().toLowerCase(Locale.ROOT);
            boolean accepted = true;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        accepted = Double.parseDouble(parameter.substring(2).strip()) > 0;
                    } catch (NumberFormatException e) {
                        accepted = false;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = named == null ? accepted : named || accepted;
            } else if (coding.equals("*")) {
                any = accepted;
            }
        }
        return named != null ? named : any;
    }

    /** If-None-Match against the answer's ETag (weak comparison, as RFC 9110 asks for it), or {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag) || (t.startsWith("W/") && t.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
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
        String file;
        if (path.startsWith(PREACT + "/")) {
            file = switch (path.substring(PREACT.length())) {
                case "/preact.module.js" -> preact + "/dist/preact.module.js";
                case "/hooks.module.js" -> preact + "/hooks/dist/hooks.module.js";
                case "/LICENSE" -> preact + "/LICENSE";
                default -> throw new IllegalArgumentException("no vendor file " + path);
            };
        } else if (path.startsWith(UPLOT + "/")) {
            file = switch (path.substring(UPLOT.length())) {
                case "/uPlot.iife.min.js" -> uplot + "/dist/uPlot.iife.min.js";
                case "/uPlot.min.css" -> uplot + "/dist/uPlot.min.css";
                case "/LICENSE" -> uplot + "/LICENSE";
                default -> throw new IllegalArgumentException("no vendor file " + path);
            };
        } else {
            throw new IllegalArgumentException("no vendor file " + path);
        }
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

    private static byte[] compress(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A strong validator from the bytes: SHA-256, base64url, its first 22 characters (132 bits). */
    private static String digest(byte[] bytes) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
