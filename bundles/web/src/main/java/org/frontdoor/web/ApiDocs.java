package org.frontdoor.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of Swagger UI at {@link #PATH} (served by {@link ApiServlet}, for admins): this bundle's page and its
 * script, which points Swagger UI at {@code /api/v1/openapi.json}, and Swagger UI's own files from its webjar (copied
 * into this bundle at the version the build chose). No inline script: the page runs under {@link #CSP}.
 */
final class ApiDocs {

    /** Where Swagger UI is served. */
    static final String PATH = "/api/docs";

    /**
     * Scripts and styles from this origin only; Swagger UI sets styles on its elements and draws some icons as data:
     * images, and calls only this origin's API.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** A file of the page. */
    record File(String mediaType, byte[] content, String cacheControl) {
    }

    /** The path below {@link #PATH}, the media type, and where the file is: this bundle's or Swagger UI's. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"text/html; charset=utf-8", "docs/index.html"},
            "/docs.js", new String[] {"text/javascript; charset=utf-8", "docs/docs.js"},
            "/swagger-ui.css", new String[] {"text/css; charset=utf-8", "@swagger-ui.css"},
            "/swagger-ui-bundle.js", new String[] {"text/javascript; charset=utf-8", "@swagger-ui-bundle.js"},
            "/swagger-ui-bundle.js.LICENSE.txt", new String[] {"text/plain; charset=utf-8",
                    "@swagger-ui-bundle.js.LICENSE.txt"},
            "/favicon-32x32.png", new String[] {"image/png", "@favicon-32x32.png"});

    private static final Map<String, File> LOADED = new ConcurrentHashMap<>();

    private ApiDocs() {
    }

    /** The file at this path below {@link #PATH}; empty for none. */
    static Optional<File> file(String path) {
        String[] file = FILES.get(path);
        if (file == null) {
            return Optional.empty();
        }
        return Optional.of(LOADED.computeIfAbsent(path, p -> {
            boolean vendor = file[1].startsWith("@");
            String resource = vendor ? "/META-INF/resources/webjars/swagger-ui/" + version() + "/"
                    + file[1].substring(1) : "/org/frontdoor/web/" + file[1];
            // Swagger UI's files change only with its version; the page and its script with Frontdoor's
            return new File(file[0], read(resource), vendor ? "private, max-age=86400" : "no-cache");
        }));
    }

    /** The headers of every file: its CSP, and neither framed nor sniffed. */
    static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        return headers;
    }

    private static String version() {
        return new String(read("/org/frontdoor/web/swagger-ui.version"), StandardCharsets.UTF_8).strip();
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not in the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
