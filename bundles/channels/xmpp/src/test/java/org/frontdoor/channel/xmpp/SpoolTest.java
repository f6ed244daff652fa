package org.frontdoor.channel.xmpp;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private Path file() {
        return dir.resolve("frontdoor").resolve("xmpp").resolve("support.spool");
    }

    /** What a next start finds in the journal (as after a kill: the first spool is never closed). */
    private Map<Long, Message> reopen() throws IOException {
        try (Spool again = new Spool(file())) {
            return again.open("support");
        }
    }

    @Test
    void whatArrivedAndIsNotDoneIsThereAfterAKillWithEveryFieldAsItWas() throws IOException {
        Spool spool = new Spool(file());
        assertThat(spool.open("support")).as("a new journal").isEmpty();
        Message plain = message("sid-1", null, null, "Hello");
        Message odd = message("sid-2", "Ann Ängström", "ann@example.org#t1", "tab\there, line\nbreak, <b>é</b> 🙂");
        Message third = message("sid-3", null, null, "third");
        long a = spool.append(plain);
        long b = spool.append(odd);
        long c = spool.append(third);
        spool.done(a);

        Map<Long, Message> kept = reopen();

        assertThat(kept.keySet()).containsExactly(b, c);
        Message after = kept.get(b);
        assertThat(after.externalId()).isEqualTo(odd.externalId());
        assertThat(after.author()).isEqualTo(odd.author());
        assertThat(after.threadRef()).isEqualTo(odd.threadRef());
        assertThat(after.text()).isEqualTo(odd.text());
        assertThat(after.receivedAt()).isEqualTo(odd.receivedAt());
        assertThat(after.rawPayload()).isEqualTo(odd.rawPayload());
        assertThat(after.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(after.instance()).isEqualTo("support");
        assertThat(kept.get(c).author().displayName()).isNull();
    }

    @Test
    void aNextStartNumbersOnAfterWhatItFoundAndTheFileIsEmptiedWhenEverythingIsDone() throws IOException {
        Spool first = new Spool(file());
        first.open("support");
        long a = first.append(message("sid-1", null, null, "one"));

        Spool second = new Spool(file());
        Map<Long, Message> kept = second.open("support");
        assertThat(kept).containsOnlyKeys(a);
        long b = second.append(message("sid-2", null, null, "two"));
        assertThat(b).isGreaterThan(a);

        second.done(a);
        assertThat(Files.size(file())).isPositive();
        second.done(b);
        assertThat(Files.size(file())).as("emptied once nothing in it waits").isZero();
        second.append(message("sid-3", null, null, "three"));
        assertThat(reopen()).hasSize(1);
        second.close();
    }

    @Test
    void closingWithNothingWaitingRemovesTheFileAndWithSomethingWaitingKeepsIt() throws IOException {
        try (Spool spool = new Spool(file())) {
            spool.open("support");
            spool.done(spool.append(message("sid-1", null, null, "one")));
        }
        assertThat(file()).doesNotExist();
        try (Spool spool = new Spool(file())) {
            spool.open("support");
            spool.append(message("sid-1", null, null, "one"));
        }
        assertThat(reopen()).hasSize(1);
    }

    @Test
    void aTornLastRecordIsCutOffAndWhatCameBeforeIsKept() throws IOException {
        Spool spool = new Spool(file());
        spool.open("support");
        spool.append(message("sid-1", null, null, "one"));
        spool.append(message("sid-2", null, null, "two"));
        long whole = Files.size(file());
        spool.append(message("sid-3", null, null, "three, cut short by the crash"));
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.setLength(whole + 11);
        }

        try (Spool again = new Spool(file())) {
            Map<Long, Message> kept = again.open("support");
            assertThat(kept.values()).extracting(Message::text).containsExactly("one", "two");
            assertThat(again.cutOff()).isEqualTo(11);
            assertThat(Files.size(file())).isEqualTo(whole);
            again.append(message("sid-4", null, null, "four"));
        }
        assertThat(reopen().values()).extracting(Message::text).containsExactly("one", "two", "four");
    }

    @Test
    void aRecordWhoseChecksumDoesNotMatchEndsTheJournal() throws IOException {
        Spool spool = new Spool(file());
        spool.open("support");
        spool.append(message("sid-1", null, null, "one"));
        long whole = Files.size(file());
        spool.append(message("sid-2", null, null, "two"));
        long size = Files.size(file());
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.seek(size - 3);
            raf.write('X'); // a byte of the last record's body changed
        }

        try (Spool again = new Spool(file())) {
            assertThat(again.open("support").values()).extracting(Message::text).containsExactly("one");
            assertThat(again.cutOff()).isEqualTo(size - whole);
            assertThat(Files.size(file())).isEqualTo(whole);
        }
    }

    @Test
    void aFileThatIsNeitherAJournalNorAnEarlierSpoolIsRefusedAndKept() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "not a journal\n", StandardCharsets.US_ASCII);

        Spool spool = new Spool(file());
        assertThatThrownBy(() -> spool.open("support")).isInstanceOf(IOException.class)
                .hasMessageContaining("line 1 of " + file());
        spool.close();
        assertThat(file()).hasContent("not a journal");
    }

    @Test
    void aSpoolOfTheEarlierLineFormatIsTakenInWhole() throws IOException {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        java.util.function.Function<String, String> f = v -> b64.encodeToString(v.getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(file().getParent());
        Files.writeString(file(), String.join("\t", f.apply("ann@example.org/m-1"), f.apply("PRIVATE"),
                f.apply("ann@example.org"), "-", f.apply("ann@example.org#t"), f.apply("kept by 0.1"),
                f.apply("2026-12-02T10:00:00Z"), f.apply("<message/>")) + "\n", StandardCharsets.US_ASCII);

        try (Spool spool = new Spool(file())) {
            Map<Long, Message> kept = spool.open("support");
            assertThat(kept.values()).extracting(Message::text).containsExactly("kept by 0.1");
            assertThat(kept.values().iterator().next().externalId()).isEqualTo("ann@example.org/m-1");
            assertThat(spool.cutOff()).isZero();
        }
        assertThat(reopen()).as("a journal now").hasSize(1);
    }

    @Test
    void aGrownJournalIsRewrittenWithWhatWaitsOnly() throws IOException {
        Spool spool = new Spool(file(), true, 2_000);
        spool.open("support");
        long keep = spool.append(message("keep", null, null, "still waiting"));
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stored.add(spool.append(message("sid-" + i, null, null, "stored " + i)));
        }
        for (long s : stored) {
            spool.done(s);
        }
        assertThat(Files.size(file())).as("compacted").isLessThan(2_000);
        assertThat(file().resolveSibling("support.spool.partial")).doesNotExist();
        long after = spool.append(message("after", null, null, "after the compaction"));

        Map<Long, Message> kept = reopen();
        assertThat(kept.keySet()).containsExactly(keep, after);
        assertThat(kept.get(keep).text()).isEqualTo("still waiting");
        assertThat(Files.getPosixFilePermissions(file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        spool.close();
    }

    @Test
    void onlyItsOwnerMayReadTheFileOrItsFolderEvenWhenTheyWereThereBefore() throws IOException {
        Files.createDirectories(file().getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(file().getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(file(), "");
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));

        try (Spool spool = new Spool(file())) {
            spool.open("support");
            spool.append(message("sid-1", null, null, "secret order details"));
            assertThat(Files.getPosixFilePermissions(file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(file().getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
        Path fresh = dir.resolve("other").resolve("xmpp").resolve("sales.spool");
        try (Spool spool = new Spool(fresh)) {
            spool.open("sales");
            spool.append(message("sid-1", null, null, "x"));
            assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(fresh.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void appendingToAClosedJournalFails() throws IOException {
        Spool spool = new Spool(file());
        spool.open("support");
        spool.close();
        assertThatThrownBy(() -> spool.append(message("sid-1", null, null, "x"))).isInstanceOf(IOException.class);
    }

    /** For the lead's notes: what forcing each arrival to disk costs (printed, never asserted). */
    @Test
    void printsWhatForcingEachArrivalToDiskCosts() throws IOException {
        int chats = 200;
        long[] nanos = new long[2];
        for (int round = 0; round < 2; round++) {
            boolean force = round == 0;
            Path path = dir.resolve("measure-" + force).resolve("m.spool");
            try (Spool spool = new Spool(path, force, Spool.COMPACT_BYTES)) {
                spool.open("m");
                long start = System.nanoTime();
                for (int i = 0; i < chats; i++) {
                    spool.append(message("sid-" + i, null, null, "chat number " + i + " about an order"));
                }
                nanos[round] = System.nanoTime() - start;
            }
        }
        System.out.printf("SpoolTest: appending %d chats took %.1f ms with fsync (%.2f ms each), %.1f ms without%n",
                chats, nanos[0] / 1e6, nanos[0] / 1e6 / chats, nanos[1] / 1e6);
    }
}
