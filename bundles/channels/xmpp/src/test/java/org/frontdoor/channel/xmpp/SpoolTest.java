package org.frontdoor.channel.xmpp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpoolTest {

    @TempDir
    Path dir;

    private static Message message(String id, String name, String thread, String text) {
        return Message.inbound("xmpp", "support").externalId(id).visibility(Visibility.PRIVATE)
                .author(new Identity("xmpp", "ann@example.org", name, null, null, 0)).threadRef(thread).text(text)
                .receivedAt(Instant.parse("2026-12-02T10:00:00Z")).rawPayload("<message><body>" + text + "</body></message>")
                .build();
    }

    @Test
    void keepsEveryFieldADoorReadsAsItWasAndRemovesTheFileWhenNothingIsLeft() throws IOException {
        Spool spool = new Spool(dir.resolve("xmpp").resolve("support.spool"));
        Message plain = message("sid-1", null, null, "Hello");
        Message odd = message("sid-2", "Ann Ängström", "ann@example.org/t1", "tab\there, line\nbreak, <b>é</b> 🙂");

        assertThat(spool.read("support")).as("no file yet").isEmpty();
        spool.keep(List.of(plain, odd));

        List<Message> read = spool.read("support");
        assertThat(read).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Message before = List.of(plain, odd).get(i);
            Message after = read.get(i);
            assertThat(after.externalId()).isEqualTo(before.externalId());
            assertThat(after.author()).isEqualTo(before.author());
            assertThat(after.threadRef()).isEqualTo(before.threadRef());
            assertThat(after.text()).isEqualTo(before.text());
            assertThat(after.receivedAt()).isEqualTo(before.receivedAt());
            assertThat(after.rawPayload()).isEqualTo(before.rawPayload());
            assertThat(after.visibility()).isEqualTo(Visibility.PRIVATE);
            assertThat(after.instance()).isEqualTo("support");
        }
        assertThat(Files.readString(spool.file())).as("customer text is never plain in the file")
                .doesNotContain("Hello").hasLineCount(2);

        spool.keep(List.of());
        assertThat(spool.file()).doesNotExist();
    }

    @Test
    void aDamagedFileIsRefusedWithTheLineAndKept() throws IOException {
        Path file = dir.resolve("support.spool");
        Files.writeString(file, "not a kept message\n", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> new Spool(file).read("support")).hasMessageContaining("line 1 of " + file);
        assertThat(file).exists();
    }
}
