package org.frontdoor.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;

/** Just enough of a servlet request and response to drive the servlets without a container. */
final class FakeHttp {

    private FakeHttp() {
    }

    static HttpServletRequest request(String method, String pathInfo, String queryString, Map<String, String> headers,
                                      String body) {
        return request(method, pathInfo, queryString, headers, body, "192.0.2.1");
    }

    static HttpServletRequest request(String method, String pathInfo, String queryString, Map<String, String> headers,
                                      String body, String remoteAddr) {
        return request("/api/v1", method, pathInfo, queryString, headers, body, remoteAddr);
    }

    /** A GET of Swagger UI's pages ({@link ApiDocs#PATH}); pathInfo null for the path itself. */
    static HttpServletRequest docs(String pathInfo, Map<String, String> headers) {
        return request(ApiDocs.PATH, "GET", pathInfo, null, headers, null, "192.0.2.1");
    }

    static HttpServletRequest request(String servletPath, String method, String pathInfo, String queryString,
                                      Map<String, String> headers, String body, String remoteAddr) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ServletInputStream stream = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
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
        Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeaderNames" -> java.util.Collections.enumeration(headers.keySet());
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getAttributeNames" -> java.util.Collections.enumeration(attributes.keySet());
                    case "setAttribute" -> {
                        if (args[1] == null) {
                            attributes.remove((String) args[0]);
                        } else {
                            attributes.put((String) args[0], args[1]);
                        }
                        yield null;
                    }
                    case "removeAttribute" -> {
                        attributes.remove((String) args[0]);
                        yield null;
                    }
                    case "toString" -> method + " " + servletPath + pathInfo;
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    case "getQueryString" -> queryString;
                    case "getRequestURI" -> servletPath + pathInfo;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getHeaders" -> java.util.Collections.enumeration(headers.containsKey((String) args[0])
                            ? java.util.List.of(headers.get((String) args[0])) : java.util.List.<String>of());
                    case "getContentType" -> headers.get("Content-Type");
                    case "getContentLengthLong" -> (long) bytes.length;
                    case "getInputStream" -> stream;
                    case "getRemoteAddr" -> remoteAddr;
                    case "isSecure" -> false;
                    case "getParameterMap" -> throw new AssertionError("reads the body of a form-encoded request");
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** The names of a request's headers. */
    static List<String> headerNames(HttpServletRequest request) {
        return java.util.Collections.list(request.getHeaderNames());
    }

    /** The same request, as the servlet registered at this path sees it. */
    static HttpServletRequest wrap(HttpServletRequest request, String servletPath, String pathInfo) {
        return new javax.servlet.http.HttpServletRequestWrapper(request) {
            @Override
            public String getServletPath() {
                return servletPath;
            }

            @Override
            public String getPathInfo() {
                return pathInfo.isEmpty() ? null : pathInfo;
            }

            @Override
            public String getRequestURI() {
                return servletPath + pathInfo;
            }
        };
    }

    /** What a servlet wrote. */
    static final class Response {
        int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        JsonNode json() throws Exception {
            assertJson();
            return Json.MAPPER.readTree(body.toByteArray());
        }

        private void assertJson() {
            if (!"application/json".equals(headers.get("Content-Type"))) {
                throw new AssertionError("not JSON: " + headers);
            }
        }

        HttpServletResponse servlet() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
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
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (int) args[0];
                            yield null;
                        }
                        case "setHeader" -> {
                            headers.put((String) args[0], (String) args[1]);
                            yield null;
                        }
                        case "setContentType" -> {
                            headers.put("Content-Type", (String) args[0]);
                            yield null;
                        }
                        case "setCharacterEncoding", "setContentLength" -> null;
                        case "getOutputStream" -> out;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }
}
