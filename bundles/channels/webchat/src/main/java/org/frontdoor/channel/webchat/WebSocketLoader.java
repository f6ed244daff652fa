package org.frontdoor.channel.webchat;

import java.io.IOException;

import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.websocket.server.ServerEndpointConfig;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.Preprocessor;

/**
 * Lets the WebSocket handshakes of {@code /webchat/} find the container's JSR 356 configurator. Pax Web answers a
 * handshake with the configurator it made for our endpoint instance, whose defaults (checkOrigin, ...) look the
 * container's configurator up by ServiceLoader through the thread's context class loader. That loader sees it at
 * first, but not after the feature was uninstalled and installed again ("Cannot load platform configurator", a 500).
 * This whiteboard pre-processor, run before any filter, sets the loader of the bundle that provides the configurator
 * for the length of a {@code /webchat/} upgrade request, and changes nothing for any other request.
 */
@Component(service = Preprocessor.class)
public class WebSocketLoader implements Preprocessor {

    private static final String SERVICE = "META-INF/services/" + ServerEndpointConfig.Configurator.class.getName();

    private final BundleContext context;
    private volatile Bundle provider;

    @Activate
    public WebSocketLoader(BundleContext context) {
        this.context = context;
    }

    @Override
    public void init(FilterConfig config) {
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ClassLoader loader = request instanceof HttpServletRequest http && isChatUpgrade(http) ? loader() : null;
        if (loader == null) {
            chain.doFilter(request, response);
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            chain.doFilter(request, response);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static boolean isChatUpgrade(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri != null && uri.startsWith("/webchat/") && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    /** The class loader of the bundle that declares the container's configurator, or null when none does. */
    private ClassLoader loader() {
        Bundle bundle = provider;
        if (bundle == null || (bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.RESOLVED)) == 0) {
            bundle = null;
            for (Bundle candidate : context.getBundles()) {
                if (candidate.getState() == Bundle.ACTIVE && candidate.getEntry(SERVICE) != null) {
                    bundle = candidate;
                    break;
                }
            }
            provider = bundle;
        }
        BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
        return wiring == null ? null : wiring.getClassLoader();
    }

    @Override
    public void destroy() {
    }
}
