package org.frontdoor.channel.api;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.SecretFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiInstanceTest {

    @TempDir
    Path data;

    private static final Map<String, Object> SHOP = Map.of("service.pid", "org.frontdoor.channel.api~shop",
            "felix.fileinstall.filename", "file:/etc/org.frontdoor.channel.api-shop.cfg");

    private ApiInstance start(String secret, boolean generateSecret, Path secretsDir) {
        return new ApiInstance(Instances.registeringOnly(), Instances.config(secret, generateSecret, "http://x/", 10),
                SHOP, secretsDir, Clock.systemUTC());
    }

    /** What the terminal that started Karaf and the log (slf4j-simple writes to stderr) showed while it ran. */
    private record Shown(String terminal, String log) {
    }

    private static Shown capture(Runnable action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setOut(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Shown(terminal.toString(StandardCharsets.UTF_8), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void takesItsNameFromTheFactoryConfigurationOrItsFile() {
        assertThat(ApiInstance.instanceName("", Map.of("service.pid", "org.frontdoor.channel.api~shop"))).isEqualTo("shop");
        assertThat(ApiInstance.instanceName("", Map.of("service.pid", "org.frontdoor.channel.api.8f2c",
                "felix.fileinstall.filename", "file:/opt/frontdoor/etc/org.frontdoor.channel.api-demo.cfg")))
                .isEqualTo("demo");
        assertThat(ApiInstance.instanceName("forms", Map.of("service.pid", "org.frontdoor.channel.api~shop")))
                .isEqualTo("forms");
        assertThatThrownBy(() -> ApiInstance.instanceName("", Map.of("service.pid", "org.frontdoor.channel.api.8f2c")))
                .hasMessageContaining("org.frontdoor.channel.api-<instance>.cfg");
    }

    @Test
    void withoutASecretItIsDownAndSaysWhereToSetIt() {
        ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config(" ", "http://x/", 10),
                Map.of("service.pid", "org.frontdoor.channel.api~shop",
                        "felix.fileinstall.filename", "file:/etc/org.frontdoor.channel.api-shop.cfg"));

        assertThat(shop.secret()).isNull();
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(shop.health().reason()).contains("no secret").contains("org.frontdoor.channel.api-shop.cfg");
    }

    @Test
    void withoutASecretAndWithoutGenerationItWritesNoFile() {
        ApiInstance shop = start("", false, data.resolve("secrets"));

        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(shop.health().reason()).contains("generateSecret");
        assertThat(data.resolve("secrets")).doesNotExist();
    }

    @Test
    void generatesARandomUrlSafeSecretAtFirstStartIntoAFileOnlyItsOwnerCanRead() throws Exception {
        ApiInstance shop = start("", true, data.resolve("frontdoor").resolve("secrets"));

        Path file = data.resolve("frontdoor/secrets/channel-api-shop.secret");
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.UP);
        assertThat(shop.secret()).matches("[A-Za-z0-9_-]{43}"); // 256 bits
        assertThat(Files.readString(file).trim()).isEqualTo(shop.secret());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(shop.secretOrigin()).isEqualTo("generated in " + file.toAbsolutePath());
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void readsTheSameSecretFromItsFileOnLaterStartsAndEachInstanceHasItsOwn() {
        Path secrets = data.resolve("secrets");
        String first = start("", true, secrets).secret();
        String again = start("", true, secrets).secret();
        String other = new ApiInstance(Instances.registeringOnly(), Instances.config("", true, "http://x/", 10),
                Map.of("service.pid", "org.frontdoor.channel.api~forms"), secrets, Clock.systemUTC()).secret();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void theLogAndTheTerminalNameTheSecretFileNeverTheSecret() {
        Path secrets = data.resolve("secrets");
        String file = SecretFile.of(secrets, "api", "shop").toAbsolutePath().toString();
        ApiInstance[] started = new ApiInstance[2];

        Shown generated = capture(() -> started[0] = start("", true, secrets));
        Shown read = capture(() -> started[1] = start("", true, secrets));

        assertThat(generated.terminal()).isEqualTo("Frontdoor: HTTP channel instance shop generated its secret into "
                + file + System.lineSeparator());
        assertThat(generated.log()).contains(file).doesNotContain(started[0].secret());
        assertThat(read.terminal()).isEmpty();
        assertThat(read.log()).contains("reads its secret from " + file).doesNotContain(started[1].secret());
    }

    @Test
    void aConfiguredSecretWinsOverGenerationAndWritesNoFile() {
        ApiInstance shop = start("from-the-cfg", true, data.resolve("secrets"));

        assertThat(shop.secret()).isEqualTo("from-the-cfg");
        assertThat(shop.secretOrigin()).isEqualTo("set in file:/etc/org.frontdoor.channel.api-shop.cfg");
        assertThat(data.resolve("secrets")).doesNotExist();
    }

    @Test
    void anEmptySecretFileLeavesItDownSayingWhatToDo() throws Exception {
        Path secrets = Files.createDirectories(data.resolve("secrets"));
        Files.writeString(SecretFile.of(secrets, "api", "shop"), "\n");

        ApiInstance shop = start("", true, secrets);

        assertThat(shop.secret()).isNull();
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(shop.health().reason()).contains("channel-api-shop.secret is empty: delete it");
    }

    @Test
    void aSecretItCannotWriteLeavesItDownWithTheReason() throws Exception {
        Path inTheWay = Files.writeString(data.resolve("frontdoor"), "not a directory");

        ApiInstance shop = start("", true, inTheWay.resolve("secrets"));

        assertThat(shop.secret()).isNull();
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(shop.health().reason()).startsWith("no usable secret: cannot write a generated secret to ")
                .contains(inTheWay + " exists and is not a directory").contains("org.frontdoor.channel.api-shop.cfg");
    }

    @Test
    void isDownWithoutAUsableCallbackUrl() {
        assertThat(Instances.instance("a", "s", "").health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(Instances.instance("b", "s", "ftp://example.org/").health().reason()).contains("http");
        assertThat(Instances.instance("c", "s", "http://127.0.0.1:9/cb").health().status())
                .isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void degradesAfterAFailedCallbackAndRecoversAfterASuccess() {
        ApiInstance instance = Instances.instance("d", "s", "http://127.0.0.1:9/cb");

        instance.callbackFailed("the callback peer could not take the reply now: it answered 500");
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        assertThat(instance.health().reason()).isEqualTo("the callback peer could not take the reply now: it answered 500");

        instance.callbackSucceeded();
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.UP);
        assertThat(instance.health().reason()).isNull();
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aRefusedSignatureHoldsRepliesUntilTheRetryTimeThenLetsThemTryAgain() {
        MovableClock clock = new MovableClock();
        ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config("s", "http://x/", 10), SHOP,
                data, clock);

        shop.signatureRefused(401);
        clock.move(Duration.ofSeconds(299));
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.AUTH_EXPIRED);
        assertThat(shop.health().reason()).isEqualTo("the callback peer refused our signature (401): check that it "
                + "verifies callbacks with the secret of channel instance shop (set in "
                + "file:/etc/org.frontdoor.channel.api-shop.cfg)");

        clock.move(Duration.ofSeconds(1));
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        assertThat(shop.health().reason()).endsWith("; trying replies again");

        shop.signatureRefused(403);
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.AUTH_EXPIRED);
        assertThat(shop.health().reason()).startsWith("the callback peer refused our signature (403)");

        shop.callbackSucceeded();
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void anInstanceWithoutACallbackUrlStaysDownWhateverItsCallbacksDid() {
        ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config("s", "", 10), SHOP, data,
                Clock.systemUTC());

        shop.signatureRefused(401);
        shop.callbackFailed("the callback peer could not take the reply now: it answered 503");
        shop.callbackSucceeded();

        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
    }

    @Test
    void theCheckConnectsToTheCallbackPeerAndSendsNothing() throws Exception {
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config("s",
                    "http://127.0.0.1:" + peer.getLocalPort() + "/callbacks", 10), SHOP, data, Clock.systemUTC());

            org.frontdoor.api.CheckReport report = shop.check();

            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(report.steps().get(1).detail()).isEqualTo("connected to 127.0.0.1:" + peer.getLocalPort()
                    + "; no request sent");
            try (java.net.Socket accepted = peer.accept()) {
                accepted.setSoTimeout(2000);
                assertThat(accepted.getInputStream().read()).as("nothing sent, the check hung up").isEqualTo(-1);
            }
        }
    }

    @Test
    void theCheckOfAPeerThatIsNotThereNamesTheSettingAndTheFile() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config("s",
                "http://127.0.0.1:" + closed + "/callbacks", 10), SHOP, data, Clock.systemUTC());

        org.frontdoor.api.CheckReport.Step step = shop.check().steps().get(1);

        assertThat(step.ok()).isFalse();
        assertThat(step.detail()).isEqualTo("the callback peer at 127.0.0.1:" + closed + " refused the connection "
                + "(nothing listens there): check 'callbackUrl' in "
                + "etc/org.frontdoor.channel.api-shop.cfg, and that the server runs");
    }

    @Test
    void httpsToAPeerThatSpeaksPlainHttpIsNamed() throws Exception {
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread plain = new Thread(() -> {
                try (java.net.Socket s = peer.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // the check hung up
                }
            });
            plain.setDaemon(true);
            plain.start();
            ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config("s",
                    "https://127.0.0.1:" + peer.getLocalPort() + "/callbacks", 10), SHOP, data, Clock.systemUTC());

            assertThat(shop.check().steps().get(1).detail()).isEqualTo("the callback peer at 127.0.0.1:"
                    + peer.getLocalPort() + " does not speak TLS: fix 'callbackUrl' in "
                    + "etc/org.frontdoor.channel.api-shop.cfg (http://, or the peer's https port)");
        }
    }

    @Test
    void aCallbackUrlThatIsRefusedNamesTheKeyAndTheFile() {
        ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config("s", "ftp://x/", 10), SHOP,
                data, Clock.systemUTC());

        assertThat(shop.health().reason()).isEqualTo("callbackUrl must be an http or https URL with a host: fix "
                + "'callbackUrl' in etc/org.frontdoor.channel.api-shop.cfg");
    }

    @Test
    void reconnectLetsRepliesGoAgainAfterARefusedSignature() {
        ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config("s", "http://x/", 10), SHOP,
                data, Clock.systemUTC());
        shop.signatureRefused(401);
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.AUTH_EXPIRED);

        shop.reconnect();

        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }
}
