package org.frontdoor.web;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.servlet.ServletContext;

import org.frontdoor.api.Frontdoor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the servlets and WebSocket endpoints of Frontdoor's bundles that Pax Web's default context runs: registers an
 * {@code Object} with {@code frontdoor.web=ready} ({@link Frontdoor#WEB_READY}) while the context's
 * {@code ServletContext} service is there.
 *
 * <p>Pax Web registers that {@code ServletContext} service on its configuration thread, while its whiteboard waits for
 * that thread holding the whiteboard's lock. Whatever runs on that thread must not wait for anything: a servlet
 * component bound to the service would register its servlet there and wait for the whiteboard's lock, and a DS
 * component bound to it could wait for Declarative Services, busy on Karaf's feature thread registering another
 * servlet, which waits for the whiteboard: Karaf's boot hung both ways. So the service is followed by a plain
 * {@link ServiceTracker}, whose callbacks only hand the work to a thread of this component's own.
 */
@Component(immediate = true, service = {})
public class WebReady {

    private static final Logger LOG = LoggerFactory.getLogger(WebReady.class);
    private static final String DEFAULT_CONTEXT = "(&(objectClass=" + ServletContext.class.getName()
            + ")(osgi.web.contextname=default)(osgi.web.contextpath=/))";

    private final BundleContext context;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "frontdoor-web-ready");
        t.setDaemon(true);
        return t;
    });
    private final ServiceTracker<ServletContext, ServletContext> contexts;
    private ServiceRegistration<Object> registration;
    private int running;

    @Activate
    public WebReady(BundleContext context) throws InvalidSyntaxException {
        this.context = context;
        Filter filter = FrameworkUtil.createFilter(DEFAULT_CONTEXT);
        this.contexts = new ServiceTracker<>(context, filter, null) {
            @Override
            public ServletContext addingService(ServiceReference<ServletContext> reference) {
                thread.execute(() -> changed(+1));
                return context.getService(reference);
            }

            @Override
            public void removedService(ServiceReference<ServletContext> reference, ServletContext service) {
                thread.execute(() -> changed(-1));
                context.ungetService(reference);
            }
        };
        contexts.open();
    }

    /** On this component's thread: the number of default contexts running changed. */
    private void changed(int delta) {
        running += delta;
        if (running > 0 && registration == null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Frontdoor.WEB_PROPERTY, "ready");
            registration = context.registerService(Object.class, new Object(), properties);
            LOG.debug("The default web context runs: servlets and WebSocket endpoints may register");
        } else if (running <= 0 && registration != null) {
            unregister();
        }
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework took it down
            }
            registration = null;
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        contexts.close();
        thread.execute(this::unregister);
        thread.shutdown();
        if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("The web layer's readiness service was not withdrawn in 30 s");
        }
    }
}
