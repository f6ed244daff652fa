package org.frontdoor.web;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.servlet.ServletContext;

import org.frontdoor.api.Frontdoor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the servlets and WebSocket endpoints of Frontdoor's bundles that Pax Web's default context runs: registers an
 * {@code Object} with {@code frontdoor.web=ready} ({@link Frontdoor#WEB_READY}) while the context's
 * {@code ServletContext} service is there.
 *
 * <p>The registration is made on a thread of its own. Pax Web registers the {@code ServletContext} service on its
 * configuration thread; a servlet component bound to it directly is activated, and registers its servlet, on that
 * thread, and the whiteboard, busy re-registering elements, waits for that same thread: Karaf's boot hung that way
 * (the whiteboard's lock held by "HttpService->Whiteboard" waiting on "paxweb-config-1-thread-1", which waited for the
 * lock). Off that thread, the servlets' registrations wait for the whiteboard, not the other way round.
 */
@Component(immediate = true, service = {})
public class WebReady {

    private static final Logger LOG = LoggerFactory.getLogger(WebReady.class);

    private final BundleContext context;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "frontdoor-web-ready");
        t.setDaemon(true);
        return t;
    });
    private ServiceRegistration<Object> registration;

    @Activate
    public WebReady(BundleContext context,
                    @Reference(target = "(&(osgi.web.contextname=default)(osgi.web.contextpath=/))")
                    ServletContext defaultContext) {
        this.context = context;
        thread.execute(() -> {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Frontdoor.WEB_PROPERTY, "ready");
            registration = context.registerService(Object.class, new Object(), properties);
            LOG.debug("The default web context runs: servlets and WebSocket endpoints may register");
        });
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        thread.execute(() -> {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping: the framework took it down
                }
                registration = null;
            }
        });
        thread.shutdown();
        if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("The web layer's readiness service was not withdrawn in 30 s");
        }
    }
}
