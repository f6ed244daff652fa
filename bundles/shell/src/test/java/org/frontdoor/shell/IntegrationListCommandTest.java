package org.frontdoor.shell;

import java.time.Instant;
import java.util.List;

import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.IntegrationInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** frontdoor:integration-list: each integration beside its events consumer's position and backlog. */
class IntegrationListCommandTest {

    @Test
    void showsEachIntegrationWithItsConsumersPositionBacklogAndLastError() throws Exception {
        IntegrationInfo webhook = new IntegrationInfo("webhook-crm", "webhook", "integration.webhook-crm", "sales",
                "https://crm.example.com:443", 12, Instant.parse("2026-12-06T10:00:00Z"), 1, null, null);
        IntegrationInfo slack = new IntegrationInfo("slack-support", "slack", "integration.slack-support", null,
                null, 0, null, 0, "no webhook URL: set urlFile, urlEnv or url in x.cfg", Instant.EPOCH);
        EventConsumerInfo consumer = new EventConsumerInfo("integration.webhook-crm", 340, 5, "n1", null,
                "the peer could not take it now: it answered 503", Instant.EPOCH);

        Console.Output out = Console.run(() -> {
            IntegrationListCommand.table(List.of(webhook, slack), List.of(consumer)).print(System.out);
            return null;
        });

        List<List<String>> rows = out.table();
        assertThat(rows.get(0)).containsExactly("Integration", "Department", "Target", "Consumer", "Position",
                "Behind", "Delivered", "Last delivered", "Parked", "Last error");
        assertThat(rows.get(1)).startsWith("webhook-crm", "sales", "https://crm.example.com:443",
                "integration.webhook-crm", "340", "5", "12");
        assertThat(rows.get(1).get(9)).isEqualTo("the peer could not take it now: it answered 503");
        assertThat(rows.get(2)).startsWith("slack-support", "all", "-", "integration.slack-support", "-", "-", "0");
        assertThat(rows.get(2).get(9)).startsWith("no webhook URL");
    }
}
