package org.frontdoor.channel.sms;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.consent.ConsentSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The upgrade from the door's own file of opted-out numbers to core's consent. */
class ConsentTest {

    @TempDir
    Path data;

    @Test
    void anOlderDoorsFileIsMovedIntoCoresConsentOnceAndLosesNoOptOut() throws Exception {
        Files.writeString(data.resolve("shop.opted-out"), "#numbers that texted STOP\n"
                + "+14155552671=2026-11-01T10\\:00\\:00Z\n+14155552672=2026-11-02T10\\:00\\:00Z\n",
                StandardCharsets.UTF_8);
        // one of them texted START since, on another node that already used the database
        Instances.consents(data).record(new org.frontdoor.api.consent.ConsentChange("sms", "+14155552672", true,
                Instant.parse("2026-11-03T10:00:00Z"), ConsentSource.KEYWORD, "7", "START"), "system");

        SmsInstance shop = Instances.instance("shop", "http://127.0.0.1:9", data, Map.of());
        assertThat(shop.health().status()).isEqualTo(Status.UP);
        assertThat(shop.consent().refusal("+14155552671")).hasValueSatisfying(why -> assertThat(why)
                .contains("opted out on 2026-11-01 10:00 UTC").contains("shop.opted-out").contains("START"));
        assertThat(shop.consent().refusal("+14155552672")).as("its later START stands").isEmpty();
        assertThat(data.resolve("shop.opted-out")).doesNotExist();
        assertThat(data.resolve("shop.opted-out.imported")).exists();
        shop.deactivate();

        // read once: a restart finds no file, and the numbers are still opted out
        SmsInstance again = Instances.instance("shop", "http://127.0.0.1:9", data, Map.of());
        assertThat(again.consent().refusal("+14155552671")).isPresent();
        again.deactivate();
    }

    @Test
    void aFileThatCannotBeMovedKeepsTheDoorDownAndTheFile() throws Exception {
        Files.writeString(data.resolve("shop.opted-out"), "+14155552671=yesterday\n", StandardCharsets.UTF_8);
        SmsInstance shop = Instances.instance("shop", "http://127.0.0.1:9", data, Map.of());
        assertThat(shop.health().status()).isEqualTo(Status.DOWN);
        assertThat(shop.health().reason()).contains("shop.opted-out").contains("no valid time")
                .contains("read at the next start");
        assertThat(shop.usable()).isFalse();
        assertThat(data.resolve("shop.opted-out")).exists();
        shop.deactivate();

        Instances.consents(data).down(true);
        Files.writeString(data.resolve("shop.opted-out"), "+14155552671=2026-11-01T10\\:00\\:00Z\n");
        SmsInstance noDatabase = Instances.instance("shop", "http://127.0.0.1:9", data, Map.of());
        assertThat(noDatabase.health().status()).isEqualTo(Status.DOWN);
        assertThat(data.resolve("shop.opted-out")).exists();
        noDatabase.deactivate();
    }
}
