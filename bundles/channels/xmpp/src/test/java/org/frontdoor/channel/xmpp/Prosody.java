package org.frontdoor.channel.xmpp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A prosody of its own for a test: Debian's /usr/bin/prosody with a configuration written into a temporary
 * directory (a free c2s port on 127.0.0.1, data under the directory, virtual host {@value #DOMAIN}, internal_plain
 * auth, no TLS, offline storage, stream management (XEP-0198, mod_smacks)), run in the foreground as a child process. As root it runs with
 * {@code run_as_root = true} instead of switching to the prosody user; no system service is involved. Shared with the
 * distribution's scenarios through this module's test-jar.
 */
public final class Prosody implements AutoCloseable {

    public static final String DOMAIN = "frontdoor.test";
    private static final Path PROSODY = Path.of("/usr/bin/prosody");
    private static final Path PROSODYCTL = Path.of("/usr/bin/prosodyctl");

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    private Prosody() throws IOException {
        if (!Files.isExecutable(PROSODY) || !Files.isExecutable(PROSODYCTL)) {
            throw new IllegalStateException("prosody is not installed: run bash scripts/install-test-peers");
        }
        dir = Files.createTempDirectory("frontdoor-prosody-");
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("certs"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        config = dir.resolve("prosody.cfg.lua");
        Files.writeString(config, String.join("\n",
                "run_as_root = true",
                "daemonize = false",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "certificates = \"" + dir.resolve("certs") + "\"",
                "modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; \"ping\"; \"offline\"; \"smacks\"; \"posix\"; }",
                "modules_disabled = { \"s2s\"; }",
                "c2s_ports = { " + port + " }",
                "c2s_interfaces = { \"127.0.0.1\" }",
                "c2s_direct_tls_ports = { }",
                "legacy_ssl_ports = { }",
                "c2s_require_encryption = false",
                "allow_unencrypted_plain_auth = true",
                "authentication = \"internal_plain\"",
                "storage = \"internal\"",
                "log = { info = \"" + dir.resolve("prosody.log") + "\"; }",
                "VirtualHost \"" + DOMAIN + "\"",
                ""));
    }

    /** A new prosody, started. */
    public static Prosody start() throws IOException {
        return new Prosody().up();
    }

    public int port() {
        return port;
    }

    /** Creates an account (prosodyctl register). */
    public Prosody register(String user, String password) throws IOException, InterruptedException {
        Process register = new ProcessBuilder(PROSODYCTL.toString(), "--config", config.toString(), "register", user,
                DOMAIN, password).redirectErrorStream(true).redirectOutput(dir.resolve("prosodyctl.out").toFile())
                .start();
        if (!register.waitFor(1, TimeUnit.MINUTES) || register.exitValue() != 0) {
            throw new IllegalStateException("prosodyctl register " + user + " failed: "
                    + Files.readString(dir.resolve("prosodyctl.out")));
        }
        return this;
    }

    /** Starts the server (again, on the same port and data). */
    public Prosody up() throws IOException {
        process = new ProcessBuilder(PROSODY.toString(), "--config", config.toString(), "-F")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.out")
                        .toFile())).start();
        await("prosody listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("prosody exited: " + Files.readString(dir.resolve("console.out")));
                    }
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        return this;
    }

    /** Stops the server (SIGTERM) and waits until it is gone. */
    public void down() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        down();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
