package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node keeps its name across restarts, in an owner-only file under data/. */
class NodeNameTest {

    @TempDir
    Path data;

    /** Fails on main: there every start had a new random suffix, so a restarted node could not know its claims. */
    @Test
    void aNodeNameIsGeneratedOnceAndKeptAcrossRestarts() throws Exception {
        Path file = data.resolve("frontdoor").resolve("node-name");

        String first = NodeName.readOrCreate(file);
        String afterRestart = NodeName.readOrCreate(file);

        assertThat(afterRestart).isEqualTo(first);
        assertThat(first).matches("[A-Za-z0-9_.-]+/[0-9a-f]{8}").hasSizeLessThanOrEqualTo(NodeName.MAX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void anUnusableNameIsReplacedOnce() throws Exception {
        Path file = data.resolve("node-name");
        Files.writeString(file, "  \n");

        String name = NodeName.readOrCreate(file);

        assertThat(NodeName.valid(name)).isTrue();
        assertThat(NodeName.readOrCreate(file)).isEqualTo(name);
    }

    @Test
    void aConfiguredNameWins() {
        assertThat(Settings.nodeName(Configs.core("nodeName", " node-7 "))).isEqualTo("node-7");
    }
}
