package org.frontdoor.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.frontdoor.testkit.DsFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationAdmin;

class AsyncWebhookServletTest {

    @Test
    void theInstanceIsTheOneSegmentOfThePath() {
        assertThat(AsyncWebhookServlet.instanceName("/shop")).isEqualTo("shop");
        assertThat(AsyncWebhookServlet.instanceName(null)).isNull();
        assertThat(AsyncWebhookServlet.instanceName("/")).isNull();
        assertThat(AsyncWebhookServlet.instanceName("//")).isNull();
        assertThat(AsyncWebhookServlet.instanceName("/shop/more")).isNull();
    }

    @Test
    void aBodyIsReadUpToItsLimit() throws Exception {
        byte[] exact = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        assertThat(AsyncWebhookServlet.readBody(request(exact, exact.length), 10_000)).isEqualTo(exact);
        // chunked (no length), within the limit
        assertThat(AsyncWebhookServlet.readBody(request(exact, -1), 10_000)).isEqualTo(exact);
        assertThat(AsyncWebhookServlet.readBody(request(new byte[0], 0), 10)).isEmpty();
    }

    @Test
    void aBodyOverItsLimitIsNullWhateverItsLengthSaid() throws Exception {
        byte[] body = "x".repeat(10_001).getBytes(StandardCharsets.UTF_8);
        assertThat(AsyncWebhookServlet.readBody(request(body, body.length), 10_000)).isNull(); // said so
        assertThat(AsyncWebhookServlet.readBody(request(body, -1), 10_000)).isNull(); // chunked
        assertThat(AsyncWebhookServlet.readBody(request(body, 5), 10_000)).isNull(); // said less than it sent
        // a declared length over the limit is refused before a byte is read
        assertThat(AsyncWebhookServlet.readBody(request(null, 1L << 40), 10_000)).isNull();
    }

    @Test
    void anAnswerIsWrittenAsUtf8JsonWithItsHeadersAndLength() throws Exception {
        Map<String, Object> written = new LinkedHashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncWebhookServlet.write(response(written, out),
                Result.error(503, "pas prêt").with("Retry-After", "5"));
        byte[] body = "{\"error\":\"pas prêt\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(out.toByteArray()).isEqualTo(body);
        assertThat(written).containsEntry("status", 503).containsEntry("Retry-After", "5")
                .containsEntry("contentType", "application/json").containsEntry("encoding", "UTF-8")
                .containsEntry("length", body.length);
    }

    @Test
    void anInstanceIsConfiguredWhenAFactoryConfigurationNamesIt(@TempDir Path dir) throws Exception {
        try (DsFramework osgi = new DsFramework(dir)) {
            ConfigurationAdmin admin = osgi.configurationAdmin();
            osgi.factoryConfiguration("org.frontdoor.channel.acme", "one", Map.of("instance", "shop"));
            osgi.factoryConfiguration("org.frontdoor.channel.acme", "two", Map.of("other", "x"));
            osgi.factoryConfiguration("org.frontdoor.channel.other", "three", Map.of("instance", "elsewhere"));
            // the name the door gives a configuration: its instance property, or no usable name
            java.util.function.BiFunction<String, Map<String, Object>, String> namer = (explicit, properties) -> {
                if (explicit.isEmpty()) {
                    throw new IllegalArgumentException("no name");
                }
                return explicit;
            };
            assertThat(AsyncWebhookServlet.isConfigured(admin, "org.frontdoor.channel.acme", "shop", namer)).isTrue();
            assertThat(AsyncWebhookServlet.isConfigured(admin, "org.frontdoor.channel.acme", "elsewhere", namer))
                    .isFalse();
            assertThat(AsyncWebhookServlet.isConfigured(admin, "org.frontdoor.channel.none", "shop", namer)).isFalse();
        }
    }

    /** A request with this body and Content-Length (-1: chunked); a null body must not be read. */
    private static HttpServletRequest request(byte[] body, long contentLength) {
        return (HttpServletRequest) Proxy.newProxyInstance(AsyncWebhookServletTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getContentLengthLong" -> contentLength;
                    case "getInputStream" -> {
                        if (body == null) {
                            throw new AssertionError("the body was read");
                        }
                        yield input(new ByteArrayInputStream(body));
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ServletInputStream input(InputStream in) {
        return new ServletInputStream() {
            @Override
            public int read() throws java.io.IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return in.read(b, off, Math.min(len, 1000)); // in pieces, as a network would
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** A response that records what was set on it in {@code written} and its body in {@code out}. */
    private static HttpServletResponse response(Map<String, Object> written, ByteArrayOutputStream out) {
        ServletOutputStream stream = new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
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
        return (HttpServletResponse) Proxy.newProxyInstance(AsyncWebhookServletTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> written.put("status", args[0]);
                    case "setHeader" -> written.put((String) args[0], args[1]);
                    case "setContentType" -> written.put("contentType", args[0]);
                    case "setCharacterEncoding" -> written.put("encoding", args[0]);
                    case "setContentLength" -> written.put("length", args[0]);
                    case "getOutputStream" -> stream;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
