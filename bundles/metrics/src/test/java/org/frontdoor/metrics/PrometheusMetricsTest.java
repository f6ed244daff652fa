package org.frontdoor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

    @Test
    void meters_recorded_in_the_registry_are_in_the_scrape_text_under_prometheus_names() {
        PrometheusMetrics metrics = new PrometheusMetrics();
        Counter.builder("frontdoor.messages.ingested").tags("channel", "api", "instance", "shop", "outcome", "stored")
                .register(metrics.registry()).increment(3);
        Timer.builder("frontdoor.delivery").tags("channel", "api", "instance", "shop")
                .serviceLevelObjectives(Duration.ofMillis(100)).register(metrics.registry())
                .record(Duration.ofMillis(40));

        String text = metrics.get();

        assertThat(text).contains("# TYPE frontdoor_messages_ingested_total counter")
                .contains("frontdoor_messages_ingested_total{channel=\"api\",instance=\"shop\",outcome=\"stored\"} 3.0")
                .contains("# TYPE frontdoor_delivery_seconds histogram")
                .contains("frontdoor_delivery_seconds_bucket{channel=\"api\",instance=\"shop\",le=\"0.1\"} 1")
                .contains("frontdoor_delivery_seconds_count{channel=\"api\",instance=\"shop\"} 1");
    }
}
