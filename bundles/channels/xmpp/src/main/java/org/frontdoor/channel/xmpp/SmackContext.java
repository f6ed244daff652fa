package org.frontdoor.channel.xmpp;

import org.jivesoftware.smack.SmackConfiguration;

/**
 * Smack finds its parts by name: its startup classes and providers through resources, its XML parser through
 * {@link java.util.ServiceLoader} with the thread context class loader. Inside OSGi the context loader is whatever
 * the calling thread brought, so every call into Smack that may load something runs with this bundle's loader set
 * (try-with-resources), which sees Smack's embedded jars.
 */
final class SmackContext implements AutoCloseable {

    private static volatile boolean initialized;
    /**
     * Smack logs a lost connection with its stack trace at WARNING; the door says the same in one line, with what
     * it does about it. Held here: java.util.logging keeps its loggers weakly.
     */
    private static final java.util.logging.Logger CONNECTION_LOG =
            java.util.logging.Logger.getLogger("org.jivesoftware.smack.AbstractXMPPConnection");

    static {
        CONNECTION_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Thread thread;
    private final ClassLoader previous;

    private SmackContext() {
        thread = Thread.currentThread();
        previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SmackContext.class.getClassLoader());
    }

    /** Sets this bundle's class loader as the thread's context loader until {@link #close()}; initializes Smack. */
    static SmackContext enter() {
        SmackContext context = new SmackContext();
        if (!initialized) {
            // Smack's static initialization reads smack-config.xml with the XML parser it finds by ServiceLoader
            SmackConfiguration.getVersion();
            initialized = true;
        }
        return context;
    }

    @Override
    public void close() {
        thread.setContextClassLoader(previous);
    }
}
