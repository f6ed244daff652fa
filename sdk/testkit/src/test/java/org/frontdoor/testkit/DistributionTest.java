package org.frontdoor.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the distribution comes from; booting it is what karaf-assembly's ITs do with the kit. */
class DistributionTest {

    @TempDir
    Path dir;

    private Path archive(String marker) throws Exception {
        Path tree = dir.resolve("tree-" + marker);
        Files.createDirectories(tree.resolve("frontdoor-9.9.9/bin"));
        Path karaf = tree.resolve("frontdoor-9.9.9/bin/karaf");
        Files.writeString(karaf, "#!/bin/sh\necho " + marker + "\n");
        karaf.toFile().setExecutable(true);
        Path archive = dir.resolve("karaf-assembly-9.9.9.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", tree.toString(), "frontdoor-9.9.9")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        return archive;
    }

    @Test
    void anArchiveIsUnpackedOnceAndAgainOnlyWhenItChanged() throws Exception {
        Path into = dir.resolve("target/frontdoor-distribution");
        Path first = Distribution.unpacked(archive("one"), into);
        assertThat(first.getFileName().toString()).isEqualTo("frontdoor-9.9.9");
        assertThat(Files.isExecutable(first.resolve("bin/karaf"))).isTrue();
        Files.writeString(first.resolve("left-by-the-first"), "x");

        assertThat(Distribution.unpacked(dir.resolve("karaf-assembly-9.9.9.tar.gz"), into)).isEqualTo(first);
        assertThat(first.resolve("left-by-the-first")).exists();

        Path changed = archive("two-and-longer");
        Path second = Distribution.unpacked(changed, into);
        assertThat(second).isEqualTo(first);
        assertThat(second.resolve("left-by-the-first")).doesNotExist();
        assertThat(Files.readString(second.resolve("bin/karaf"), StandardCharsets.UTF_8)).contains("two-and-longer");
    }

    @Test
    void theInstalledArtifactIsLookedUpInTheLocalRepositoryAndItsAbsenceExplained() {
        String before = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", dir.toString());
        try {
            assertThatThrownBy(() -> Distribution.installedArchive("9.9.9"))
                    .hasMessageContaining(dir.resolve("org/frontdoor/karaf-assembly/9.9.9/karaf-assembly-9.9.9.tar.gz")
                            .toString())
                    .hasMessageContaining("-Dfrontdoor.distribution=");
        } finally {
            if (before == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", before);
            }
        }
    }

    @Test
    void theKitKnowsItsVersionAndBuildsTheDocumentedWebhookMessage() throws Exception {
        assertThat(Distribution.version()).matches("\\d+\\.\\d+\\.\\d+.*").doesNotContain("${");
        var message = Distribution.JSON.readTree(Distribution.webhookMessage("m-1", "ada", "Ada", "Hi <b>"));
        assertThat(message.path("from").path("email").asText()).isEqualTo("ada@example.org");
        assertThat(message.path("text").asText()).isEqualTo("Hi <b>");
    }
}
