package org.frontdoor.bench.lag;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The benchmark's event consumer: for each message-added event, how long after its transaction began
 * ({@link ConversationEvent#at()}) it reached this route, appended as "position TAB microseconds" to
 * {@code data/bench-lag.tsv}. Not part of the product: the benchmark copies it into deploy/ and removes it.
 */
@Component(immediate = true)
public class LagProbe {

    private final OsgiDefaultCamelContext camel;
    private final BufferedWriter out;

    @Activate
    public LagProbe(BundleContext context,
                    @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor)
            throws Exception {
        Path file = Path.of(System.getProperty("karaf.data", "data"), "bench-lag.tsv");
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        camel = new OsgiDefaultCamelContext(context);
        camel.getCamelContextExtension().setName("frontdoor-bench-lag");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(Frontdoor.events("bench-lag") + "&types=message-added").routeId("bench-lag")
                        .process(e -> record(e.getMessage().getBody(ConversationEvent.class)));
            }
        });
        camel.start();
    }

    private synchronized void record(ConversationEvent event) throws IOException {
        out.write(event.position() + "\t" + ChronoUnit.MICROS.between(event.at(), Instant.now()) + "\n");
        out.flush();
    }

    @Deactivate
    synchronized void deactivate() throws Exception {
        camel.stop();
        out.close();
    }
}
