package org.frontdoor.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Seen on main: data/frontdoor/frontdoor.mv.db was 0644 in a 0755 folder, readable by every local user. */
class DataFolderTest {

    @Test
    void everyFolderAndFileUnderTheDataFolderBecomesItsOwnersAlone(@TempDir Path data) throws Exception {
        Path root = Files.createDirectories(data.resolve("frontdoor"));
        Path database = Files.writeString(root.resolve("frontdoor.mv.db"), "customers");
        Path spool = Files.createDirectories(root.resolve("xmpp"));
        Path chat = Files.writeString(spool.resolve("demo.spool"), "chat");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(chat, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(DataFolder.tighten(root)).isEqualTo(4);

        for (Path folder : new Path[] {root, spool}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        }
        for (Path file : new Path[] {database, chat}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(database)).isEqualTo("customers");
        assertThat(DataFolder.tighten(root)).as("nothing left to change").isZero();
    }

    @Test
    void aMissingDataFolderIsLeftForWhoeverMakesIt(@TempDir Path data) {
        assertThat(DataFolder.tighten(data.resolve("frontdoor"))).isZero();
        assertThat(data.resolve("frontdoor")).doesNotExist();
    }
}
