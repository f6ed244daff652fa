package org.frontdoor.console;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the console serves and under which policy: the page, its modules, Preact; nothing else. */
class ConsoleServletTest {

    private final ConsoleServlet servlet = new ConsoleServlet();

    private static final class Answer {
        int status;
        int contentLength = -1;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    private Answer get(String path) throws Exception {
        return ask("GET", path, Map.of());
    }

    private Answer ask(String method, String path, Map<String, String> headers) throws Exception {
        Answer answer = new Answer();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getPathInfo" -> path;
                    case "getMethod" -> method;
                    case "getHeader" -> headers.get((String) a[0]);
                    case "getContextPath" -> "";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                answer.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> switch (m.getName()) {
                    case "setStatus", "sendError" -> {
                        answer.status = (int) a[0];
                        yield null;
                    }
                    case "setHeader" -> {
                        answer.headers.put((String) a[0], (String) a[1]);
                        yield null;
                    }
                    case "setContentType" -> {
                        answer.headers.put("Content-Type", (String) a[0]);
                        yield null;
                    }
                    case "setContentLength" -> {
                        answer.contentLength = (int) a[0];
                        yield null;
                    }
                    case "getOutputStream" -> out;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        servlet.service(request, response);
        return answer;
    }

    @Test
    void thePageHasAStrictPolicyThatAllowsOnlyItsImportMapByHash() throws Exception {
        Answer page = get("/");
        String html = page.body.toString(StandardCharsets.UTF_8);

        assertThat(page.status).isEqualTo(200);
        String csp = page.headers.get("Content-Security-Policy");
        assertThat(csp).startsWith("default-src 'none'; script-src 'self' 'sha256-")
                .doesNotContain("unsafe").contains("frame-ancestors 'none'").contains("base-uri 'none'");
        Matcher map = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(map.find()).isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(map.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(csp).contains("'sha256-" + hash + "'");
        // no other inline script, no inline handler or style
        assertThat(html.split("<script", -1)).hasSize(3);
        assertThat(html).contains("<script type=\"module\" src=\"/console/app.js\"></script>")
                .doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=");
        assertThat(page.headers).containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("X-Frame-Options", "DENY").containsEntry("Referrer-Policy", "no-referrer");
    }

    @Test
    void preactComesFromItsWebjarAsEsModules() throws Exception {
        Answer preact = get(ConsoleServlet.PREACT + "/preact.module.js");
        Answer hooks = get(ConsoleServlet.PREACT + "/hooks.module.js");

        assertThat(preact.status).isEqualTo(200);
        assertThat(preact.headers.get("Content-Type")).startsWith("text/javascript");
        assertThat(preact.body.toString(StandardCharsets.UTF_8)).contains("export{");
        assertThat(hooks.body.toString(StandardCharsets.UTF_8)).contains("from\"preact\"");
        assertThat(get(ConsoleServlet.PREACT + "/LICENSE").body.toString(StandardCharsets.UTF_8)).contains("MIT");
    }

    @Test
    void theAppRendersCustomerTextAsTextOnly() throws Exception {
        for (String module : ConsoleServlet.FILES.keySet()) {
            if (!module.endsWith(".js") || module.startsWith("/vendor/")) {
                continue;
            }
            Answer answer = get(module);
            assertThat(answer.status).as(module).isEqualTo(200);
            assertThat(answer.body.toString(StandardCharsets.UTF_8)).as(module).doesNotContain("innerHTML")
                    .doesNotContain("dangerouslySetInnerHTML").doesNotContain("eval(").doesNotContain("new Function");
        }
    }

    @Test
    void theAppIsInstallableFromItsOwnFilesUnderThePolicy() throws Exception {
        Answer page = get("/");
        assertThat(page.headers.get("Content-Security-Policy")).contains("manifest-src 'self'")
                .contains("worker-src 'self'").contains("img-src 'self'");
        assertThat(page.body.toString(StandardCharsets.UTF_8))
                .contains("<link rel=\"manifest\" href=\"/console/manifest.webmanifest\">");

        Answer manifest = get("/manifest.webmanifest");
        assertThat(manifest.headers.get("Content-Type")).startsWith("application/manifest+json");
        String app = manifest.body.toString(StandardCharsets.UTF_8);
        assertThat(app).contains("\"start_url\": \"/console/\"").contains("\"display\": \"standalone\"");
        Matcher icon = Pattern.compile("\"src\": \"(/console/[^\"]+)\", \"sizes\": \"(\\d+x\\d+)\"").matcher(app);
        int icons = 0;
        while (icon.find()) {
            icons++;
            Answer png = get(icon.group(1).substring("/console".length()));
            assertThat(png.status).as(icon.group(1)).isEqualTo(200);
            assertThat(png.headers.get("Content-Type")).isEqualTo("image/png");
            byte[] bytes = png.body.toByteArray();
            int width = java.nio.ByteBuffer.wrap(bytes, 16, 4).getInt();
            int height = java.nio.ByteBuffer.wrap(bytes, 20, 4).getInt();
            assertThat(width + "x" + height).as(icon.group(1)).isEqualTo(icon.group(2));
        }
        assertThat(icons).isEqualTo(2);
    }

    @Test
    void theServiceWorkerCachesTheShellAndNeverTheApi() throws Exception {
        Answer worker = get("/sw.js");
        String sw = worker.body.toString(StandardCharsets.UTF_8);

        assertThat(worker.headers.get("Content-Type")).startsWith("text/javascript");
        assertThat(worker.headers.get("Cache-Control")).isEqualTo("no-cache");
        assertThat(sw).contains("url.pathname.startsWith('/console/')").contains("event.request.method !== 'GET'")
                .doesNotContain("/api/v1");
    }

    /** Every module a module imports, and every file the page and the dashboard load, is served. */
    @Test
    void everyFileTheConsoleLoadsIsServed() throws Exception {
        // the module graph from the page's app.js, followed import by import
        Pattern imports = Pattern.compile("from '\\./([a-z]+\\.js)'");
        java.util.Set<String> reached = new java.util.TreeSet<>();
        java.util.Deque<String> next = new java.util.ArrayDeque<>(List.of("/app.js"));
        while (!next.isEmpty()) {
            String module = next.pop();
            if (!reached.add(module)) {
                continue;
            }
            Answer answer = get(module);
            assertThat(answer.status).as(module).isEqualTo(200);
            Matcher m = imports.matcher(answer.body.toString(StandardCharsets.UTF_8));
            while (m.find()) {
                assertThat(ConsoleServlet.FILES).as(module + " imports " + m.group(1)).containsKey("/" + m.group(1));
                next.push("/" + m.group(1));
            }
        }
        assertThat(reached).contains("/app.js", "/inbox.js", "/conversation.js", "/shortcuts.js", "/nav.js",
                "/dashboard.js", "/admin.js", "/install.js");
        Matcher links = Pattern.compile("href=\"/console(/[^\"]+)\"")
                .matcher(get("/").body.toString(StandardCharsets.UTF_8));
        while (links.find()) {
            assertThat(get(links.group(1)).status).as(links.group(1)).isEqualTo(200);
        }
        // the dashboard loads uPlot by the import map's "uplot/" folder, which carries uPlot's version
        String html = get("/").body.toString(StandardCharsets.UTF_8);
        Matcher folder = Pattern.compile("\"uplot/\": \"/console(/vendor/uplot-[^\"]+/)\"").matcher(html);
        assertThat(folder.find()).isTrue();
        assertThat(folder.group(1)).isEqualTo(ConsoleServlet.UPLOT + "/");
        Matcher loaded = Pattern.compile("import\\.meta\\.resolve\\('uplot/([^']+)'\\)").matcher(get("/dashboard.js").body
                .toString(StandardCharsets.UTF_8));
        int vendor = 0;
        while (loaded.find()) {
            assertThat(get(folder.group(1) + loaded.group(1)).status).as(loaded.group(1)).isEqualTo(200);
            vendor++;
        }
        Matcher mapped = Pattern.compile("\"(/console/vendor/[^\"]+\\.js)\"").matcher(html);
        int modules = 0;
        while (mapped.find()) {
            assertThat(get(mapped.group(1).substring("/console".length())).status).as(mapped.group(1)).isEqualTo(200);
            modules++;
        }
        assertThat(modules).as("Preact and its hooks in the import map").isEqualTo(2);
        assertThat(vendor).as("uPlot's script and stylesheet").isEqualTo(2);
    }

    /** uPlot comes from its webjar: the minified classic script (a global, no eval) and its stylesheet. */
    @Test
    void uPlotComesFromItsWebjar() throws Exception {
        Answer script = get(ConsoleServlet.UPLOT + "/uPlot.iife.min.js");
        Answer css = get(ConsoleServlet.UPLOT + "/uPlot.min.css");

        assertThat(script.status).isEqualTo(200);
        assertThat(script.headers.get("Content-Type")).startsWith("text/javascript");
        assertThat(script.headers.get("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        String code = script.body.toString(StandardCharsets.UTF_8);
        assertThat(code).contains("var uPlot=").doesNotContain("eval(").doesNotContain("new Function");
        assertThat(css.headers.get("Content-Type")).startsWith("text/css");
        assertThat(css.body.toString(StandardCharsets.UTF_8)).contains(".uplot");
        assertThat(get(ConsoleServlet.UPLOT + "/LICENSE").body.toString(StandardCharsets.UTF_8)).contains("MIT");
    }

    @Test
    void nothingElseIsServed() throws Exception {
        assertThat(get("/../ConsoleServlet.class").status).isEqualTo(404);
        assertThat(get("/preact.version").status).isEqualTo(404);
        assertThat(get("/uplot.version").status).isEqualTo(404);
        assertThat(get(ConsoleServlet.UPLOT + "/uPlot.esm.js").status).isEqualTo(404);
        assertThat(get(ConsoleServlet.PREACT + "/compat.module.js").status).isEqualTo(404);
        assertThat(get("/vendor/preact.module.js").status).as("Preact without its version").isEqualTo(404);
        assertThat(get("/vendor/preact-0.0.1/preact.module.js").status).isEqualTo(404);
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** Every text file, asked for with gzip, comes compressed and decompresses to exactly the file. */
    @Test
    void aBrowserThatAcceptsGzipGetsEachTextFileCompressed() throws Exception {
        for (Map.Entry<String, String> file : ConsoleServlet.FILES.entrySet()) {
            String path = file.getKey();
            byte[] bytes = path.startsWith("/vendor/") ? ConsoleServlet.vendor(path) : ConsoleServlet.read(path);
            Answer gzip = ask("GET", path, Map.of("Accept-Encoding", "gzip, deflate, br, zstd"));

            assertThat(gzip.status).as(path).isEqualTo(200);
            if (file.getValue().startsWith("image/")) {
                assertThat(gzip.headers).as(path).doesNotContainKeys("Content-Encoding", "Vary");
                assertThat(gzip.body.toByteArray()).as(path).isEqualTo(bytes);
                continue;
            }
            assertThat(gzip.headers).as(path).containsEntry("Content-Encoding", "gzip")
                    .containsEntry("Vary", "Accept-Encoding").containsEntry("Content-Type", file.getValue());
            assertThat(gzip.contentLength).as(path).isEqualTo(gzip.body.size());
            assertThat(gunzip(gzip.body.toByteArray())).as(path).isEqualTo(bytes);
            if (bytes.length > 4000) {
                assertThat(gzip.body.size()).as(path).isLessThan(bytes.length / 2);
            }
            // the security headers stay on the compressed answer
            assertThat(gzip.headers.get("Content-Security-Policy")).as(path).startsWith("default-src 'none'");
            assertThat(gzip.headers).as(path).containsEntry("X-Content-Type-Options", "nosniff");
        }
    }

    /** No Accept-Encoding, gzip refused by q=0, or only other codings: the plain bytes, still saying Vary. */
    @Test
    void aClientWithoutGzipGetsThePlainBytes() throws Exception {
        byte[] app = ConsoleServlet.read("/app.js");
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Accept-Encoding", "identity"),
                Map.of("Accept-Encoding", "gzip;q=0, br"), Map.of("Accept-Encoding", "*;q=0"),
                Map.of("Accept-Encoding", "*, gzip;q=0"))) {
            Answer plain = ask("GET", "/app.js", headers);

            assertThat(plain.status).as(headers.toString()).isEqualTo(200);
            assertThat(plain.headers).as(headers.toString()).doesNotContainKey("Content-Encoding")
                    .containsEntry("Vary", "Accept-Encoding");
            assertThat(plain.body.toByteArray()).as(headers.toString()).isEqualTo(app);
            assertThat(plain.contentLength).isEqualTo(app.length);
        }
        assertThat(ask("GET", "/app.js", Map.of("Accept-Encoding", "*")).headers)
                .containsEntry("Content-Encoding", "gzip");
        assertThat(ask("GET", "/app.js", Map.of("Accept-Encoding", "deflate, GZIP;q=0.5")).headers)
                .containsEntry("Content-Encoding", "gzip");
    }

    /** HEAD says what GET would, the compressed length included, with no body. */
    @Test
    void headSaysTheLengthOfWhatGetWouldSend() throws Exception {
        Answer get = ask("GET", "/conversation.js", Map.of("Accept-Encoding", "gzip"));
        Answer head = ask("HEAD", "/conversation.js", Map.of("Accept-Encoding", "gzip"));

        assertThat(head.status).isEqualTo(200);
        assertThat(head.contentLength).isEqualTo(get.body.size());
        assertThat(head.body.size()).isZero();
        assertThat(head.headers).containsEntry("ETag", get.headers.get("ETag"))
                .containsEntry("Content-Encoding", "gzip");
    }

    /**
     * Each answer has a strong ETag made from its bytes (the compressed answer its own); If-None-Match with it gets
     * 304 without a body, and the page and the console's modules are revalidated while the versioned vendor files are
     * kept.
     */
    @Test
    void anEtagFromTheContentTurnsARepeatedRequestInto304() throws Exception {
        Answer plain = get("/inbox.js");
        Answer gzip = ask("GET", "/inbox.js", Map.of("Accept-Encoding", "gzip"));
        String etag = plain.headers.get("ETag");

        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(gzip.headers.get("ETag")).matches("\"[A-Za-z0-9_-]{22}-gzip\"").isNotEqualTo(etag);
        assertThat(get("/inbox.js").headers.get("ETag")).as("the same bytes, the same tag").isEqualTo(etag);
        assertThat(get("/nav.js").headers.get("ETag")).as("other bytes, another tag").isNotEqualTo(etag);
        assertThat(plain.headers).containsEntry("Cache-Control", "no-cache");

        Answer again = ask("GET", "/inbox.js", Map.of("If-None-Match", etag));
        assertThat(again.status).isEqualTo(304);
        assertThat(again.body.size()).isZero();
        assertThat(again.headers).containsEntry("ETag", etag).containsEntry("Cache-Control", "no-cache")
                .containsEntry("Vary", "Accept-Encoding").doesNotContainKey("Content-Encoding");
        assertThat(again.headers.get("Content-Security-Policy")).startsWith("default-src 'none'");
        Answer zipped = ask("GET", "/inbox.js", Map.of("Accept-Encoding", "gzip",
                "If-None-Match", "\"other\", " + gzip.headers.get("ETag")));
        assertThat(zipped.status).isEqualTo(304);
        assertThat(zipped.body.size()).isZero();
        assertThat(ask("GET", "/inbox.js", Map.of("If-None-Match", "W/" + etag)).status).as("weak comparison")
                .isEqualTo(304);
        assertThat(ask("GET", "/inbox.js", Map.of("If-None-Match", "\"stale\"")).status).isEqualTo(200);
        assertThat(ask("GET", "/inbox.js", Map.of("If-None-Match", gzip.headers.get("ETag"))).status)
                .as("the compressed answer's tag does not stand for the plain bytes").isEqualTo(200);

        Answer page = get("/");
        assertThat(page.headers).containsEntry("Cache-Control", "no-cache");
        assertThat(ask("GET", "/", Map.of("If-None-Match", page.headers.get("ETag"))).status).isEqualTo(304);
        for (String path : ConsoleServlet.FILES.keySet()) {
            assertThat(get(path).headers.get("Cache-Control")).as(path)
                    .isEqualTo(path.startsWith("/vendor/") ? "public, max-age=31536000, immutable" : "no-cache");
        }
        assertThat(ConsoleServlet.PREACT).matches("/vendor/preact-\\d+\\.\\d+\\.\\d+");
        assertThat(ConsoleServlet.UPLOT).matches("/vendor/uplot-\\d+\\.\\d+\\.\\d+");
    }
}
