package org.frontdoor.console;

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
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    private Answer get(String path) throws Exception {
        Answer answer = new Answer();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getPathInfo" -> path;
                    case "getMethod" -> "GET";
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
                    case "setContentLength" -> null;
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
        Answer preact = get("/vendor/preact.module.js");
        Answer hooks = get("/vendor/hooks.module.js");

        assertThat(preact.status).isEqualTo(200);
        assertThat(preact.headers.get("Content-Type")).startsWith("text/javascript");
        assertThat(preact.body.toString(StandardCharsets.UTF_8)).contains("export{");
        assertThat(hooks.body.toString(StandardCharsets.UTF_8)).contains("from\"preact\"");
        assertThat(get("/vendor/LICENSE-preact").body.toString(StandardCharsets.UTF_8)).contains("MIT");
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
        Pattern imports = Pattern.compile("from '\\./([a-z]+\\.js)'");
        for (String module : List.of("/app.js", "/nav.js", "/dashboard.js", "/admin.js")) {
            Matcher m = imports.matcher(get(module).body.toString(StandardCharsets.UTF_8));
            while (m.find()) {
                assertThat(ConsoleServlet.FILES).as(module + " imports " + m.group(1)).containsKey("/" + m.group(1));
                assertThat(get("/" + m.group(1)).status).isEqualTo(200);
            }
        }
        Matcher links = Pattern.compile("href=\"/console(/[^\"]+)\"")
                .matcher(get("/").body.toString(StandardCharsets.UTF_8));
        while (links.find()) {
            assertThat(get(links.group(1)).status).as(links.group(1)).isEqualTo(200);
        }
        Matcher loaded = Pattern.compile("'/console(/vendor/[^']+)'").matcher(get("/dashboard.js").body
                .toString(StandardCharsets.UTF_8));
        int vendor = 0;
        while (loaded.find()) {
            assertThat(get(loaded.group(1)).status).as(loaded.group(1)).isEqualTo(200);
            vendor++;
        }
        assertThat(vendor).as("uPlot's script and stylesheet").isEqualTo(2);
    }

    /** uPlot comes from its webjar: the minified classic script (a global, no eval) and its stylesheet. */
    @Test
    void uPlotComesFromItsWebjar() throws Exception {
        Answer script = get("/vendor/uPlot.iife.min.js");
        Answer css = get("/vendor/uPlot.min.css");

        assertThat(script.status).isEqualTo(200);
        assertThat(script.headers.get("Content-Type")).startsWith("text/javascript");
        assertThat(script.headers.get("Cache-Control")).isEqualTo("public, max-age=86400");
        String code = script.body.toString(StandardCharsets.UTF_8);
        assertThat(code).contains("var uPlot=").doesNotContain("eval(").doesNotContain("new Function");
        assertThat(css.headers.get("Content-Type")).startsWith("text/css");
        assertThat(css.body.toString(StandardCharsets.UTF_8)).contains(".uplot");
        assertThat(get("/vendor/LICENSE-uplot").body.toString(StandardCharsets.UTF_8)).contains("MIT");
    }

    @Test
    void nothingElseIsServed() throws Exception {
        assertThat(get("/../ConsoleServlet.class").status).isEqualTo(404);
        assertThat(get("/preact.version").status).isEqualTo(404);
        assertThat(get("/uplot.version").status).isEqualTo(404);
        assertThat(get("/vendor/uPlot.esm.js").status).isEqualTo(404);
        assertThat(get("/vendor/compat.module.js").status).isEqualTo(404);
    }
}
