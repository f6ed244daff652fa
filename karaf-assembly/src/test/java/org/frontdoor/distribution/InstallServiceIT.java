package org.frontdoor.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The systemd unit and its installer as shipped in the built distribution ({@code bin/contrib/}), run as an admin
 * would. What a test may do on the machine it runs on: the unit is checked with {@code systemd-analyze verify} where
 * that is installed (it is on the CI image), and where systemd is not running (containers, CI) the installer must
 * refuse with a sentence and install nothing. The installation itself (a user, /etc/systemd/system, systemctl) is not
 * run here: a test does not create services on its machine.
 */
class InstallServiceIT {

    private final Path distribution = Path.of(System.getProperty("frontdoor.distribution", "target/assembly"));

    private record Run(int exit, String output) {
    }

    private static Run run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("install-service finished").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theShippedUnitIsFilledInForTheDistributionAndIsValidSystemd(@TempDir Path out) throws Exception {
        Path home = distribution.toRealPath();
        Run run = run(home, home.resolve("bin/contrib/install-service").toString(), "--unit-only", out.toString(),
                "--user", "fd-service");

        assertThat(run.exit()).as(run.output()).isZero();
        String unit = Files.readString(out.resolve("frontdoor.service"), StandardCharsets.UTF_8);
        assertThat(unit).contains("ExecStart=" + home + "/bin/karaf server", "WorkingDirectory=" + home,
                "User=fd-service", "Environment=KARAF_EXEC=exec", "EnvironmentFile=-/etc/frontdoor/frontdoor.env",
                "UMask=0077").doesNotContain("@FRONTDOOR_");
        if (onPath("systemd-analyze")) {
            assertThat(run.output()).contains("systemd-analyze verify: " + out.resolve("frontdoor.service") + " is valid");
        } else {
            assertThat(run.output()).contains("systemd-analyze is not installed here");
        }
        assertThat(run.output()).contains("nothing installed");
    }

    /** A unit systemd would read with a setting ignored is refused, not installed with a warning scrolled past. */
    @Test
    void aUnitSystemdWouldMisreadIsRefused(@TempDir Path copy) throws Exception {
        Path home = copy.resolve("frontdoor");
        Files.createDirectories(home.resolve("bin/contrib"));
        for (String file : List.of("bin/karaf", "bin/contrib/install-service")) {
            Files.copy(distribution.resolve(file), home.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        String unit = Files.readString(distribution.resolve("bin/contrib/frontdoor.service"), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("bin/contrib/frontdoor.service"),
                unit.replace("Restart=on-failure", "Restart=sometimes"), StandardCharsets.UTF_8);

        Run run = run(home, home.resolve("bin/contrib/install-service").toString(), "--unit-only",
                copy.resolve("unit").toString());

        if (onPath("systemd-analyze")) {
            assertThat(run.exit()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("systemd-analyze verify refuses").contains("sometimes");
        } else {
            assertThat(run.exit()).as("nothing checks the unit without systemd-analyze").isZero();
        }
    }

    @Test
    void whereSystemdDoesNotRunTheInstallerSaysSoAndInstallsNothing() throws Exception {
        Path home = distribution.toRealPath();
        boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/contrib/install-service").toString()));
        if (systemd) {
            // a host run by systemd: only the refusal of a wrong argument can be tried without installing
            command.add("--user");
            command.add("Not A User");
            Run run = run(home, command.toArray(new String[0]));
            assertThat(run.exit()).as(run.output()).isEqualTo(2);
            assertThat(run.output()).contains("'Not A User' is not a valid user name");
            return;
        }
        boolean installedBefore = Files.exists(Path.of("/etc/systemd/system/frontdoor.service"));

        Run run = run(home, command.toArray(new String[0]));

        assertThat(run.exit()).as(run.output()).isEqualTo(3);
        assertThat(run.output()).contains("install-service: systemd is not running on this machine")
                .contains("Start Frontdoor with " + home + "/bin/start").contains("--unit-only");
        assertThat(Files.exists(Path.of("/etc/systemd/system/frontdoor.service"))).isEqualTo(installedBefore);
    }
}
