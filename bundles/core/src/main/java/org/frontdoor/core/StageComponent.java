package org.frontdoor.core;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's private component for the asynchronous stages: {@code from("frontdoor-stage:routing?period=5000")} fires
 * an exchange when its {@link Signal} is raised, and at least every period, so work left in the database by a
 * crash is picked up without any signal.
 */
final class StageComponent extends DefaultComponent {

    static final String SCHEME = "frontdoor-stage";
    private static final Logger LOG = LoggerFactory.getLogger(StageComponent.class);

    private final Map<String, Signal> signals;

    StageComponent(Map<String, Signal> signals) {
        this.signals = signals;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Signal signal = signals.get(remaining);
        if (signal == null) {
            throw new IllegalArgumentException("unknown stage " + remaining + ", known: " + signals.keySet());
        }
        long period = getAndRemoveParameter(parameters, "period", Long.class, 1000L);
        return new StageEndpoint(uri, this, remaining, signal, period);
    }

    private static final class StageEndpoint extends DefaultEndpoint {
        private final String stage;
        private final Signal signal;
        private final long period;

        StageEndpoint(String uri, StageComponent component, String stage, Signal signal, long period) {
            super(uri, component);
            this.stage = stage;
            this.signal = signal;
            this.period = period;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("a stage is started by its signal, not by a producer");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new StageConsumer(this, processor);
        }
    }

    private static final class StageConsumer extends DefaultConsumer implements Runnable {
        private final StageEndpoint endpoint;
        private volatile Thread thread;

        StageConsumer(StageEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
            this.endpoint = endpoint;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            thread = new Thread(this, "frontdoor-" + endpoint.stage);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        protected void doStop() throws Exception {
            Thread t = thread;
            thread = null;
            if (t != null) {
                t.interrupt();
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            super.doStop();
        }

        @Override
        public void run() {
            while (thread == Thread.currentThread()) {
                try {
                    endpoint.signal.await(endpoint.period, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (thread != Thread.currentThread()) {
                    return;
                }
                Exchange exchange = createExchange(false);
                try {
                    getProcessor().process(exchange);
                    if (exchange.getException() != null) {
                        LOG.warn("Stage {} failed, retrying on its next run: {}", endpoint.stage,
                                exchange.getException().toString());
                    }
                } catch (Exception e) {
                    LOG.warn("Stage {} failed, retrying on its next run: {}", endpoint.stage, e.toString());
                } finally {
                    releaseExchange(exchange, false);
                }
            }
        }
    }
}
