package org.frontdoor.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AdminBootstrapTest {

    @Test
    void generatesLongUrlSafeDistinctPasswords() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String password = AdminBootstrap.generate();
            assertThat(password).hasSize(24).matches("[A-Za-z0-9_-]+");
            seen.add(password);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void writesThePasswordFileForItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("frontdoor/admin-password");

        AdminBootstrap.writeOwnerOnly(file, "s3cret");

        assertThat(Files.readString(file).strip()).isEqualTo("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
