package org.frontdoor.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;

/**
 * A copy of the built Frontdoor distribution, started with {@code bin/karaf server} on free ports and driven as a
 * user would: signed webhooks, the REST API with the admin account (HTTP Basic), the console through
 * {@code bin/client}, files in etc/ and deploy/, and checks of karaf.log. Each copy is a temporary directory of its
 * own, deleted at {@link #close()}; its karaf.log and console output are kept under {@code target/it-logs/<name>/}.
 *
 * <p>Which distribution ({@link #location()}): the directory in the system property {@code frontdoor.distribution}
 * (Frontdoor's own build sets it to {@code karaf-assembly/target/assembly}); else the archive in
 * {@code frontdoor.distribution.archive}; else the distribution artifact
 * {@code org.frontdoor:karaf-assembly:<version>:tar.gz} of the local Maven repository ({@code maven.repo.local}, or
 * {@code ~/.m2/repository}), where {@code <version>} is this kit's own ({@code frontdoor.version} overrides it),
 * unpacked once into {@code target/frontdoor-distribution/}.
 *
 * <p>A plugin's integration test boots it with the plugin's feature:
 * <pre>{@code
 * try (Database database = Database.h2();
 *      Distribution frontdoor = new Distribution("AcmeRuleIT", database)
 *              .withFeatureRepository("mvn:com.acme/acme-features/1.0.0/xml/features")
 *              .withFeatures("acme-rule")
 *              .start()) {
 *     Distribution.Response in = frontdoor.postSigned(Distribution.webhookMessage("m-1", "ada", "Ada", "refund please"));
 *     long conversation = in.json().path("conversationId").asLong();
 *     frontdoor.awaitConversation(conversation, c -> "billing".equals(c.path("department").asText()));
 *     assertThat(frontdoor.logProblems()).isEmpty();
 * }
 * }</pre>
 * The distribution's generic HTTP channel answers on its {@code demo} instance ({@code POST /webhooks/api/demo},
 * signed with {@link #secret()}); its replies go to the callback URL given (a {@link CallbackPeer}). The shipped
 * support department is open around the clock in the copy, so that routing does not depend on the hour a test runs.
 */
public final class Distribution implements AutoCloseable {

    /** JSON as the tests read and write it. */
    public static final ObjectMapper JSON = new ObjectMapper();
    /** pax-logging's "| ERROR |", Karaf's launcher's "SEVERE:", a stack frame, a cause or a throwable's own line. */
    private static final Pattern LOG_PROBLEM = Pattern.compile(
            "\\| ERROR +\\||^SEVERE:|^\\s+at \\S+\\(|^Caused by: |^\\s*\\.\\.\\. \\d+ more|^[\\w.$]+(Exception|Error|Throwable)(: |$)");
    private static final Object UNPACKING = new Object();

    private String adminPassword = "it-" + UUID.randomUUID();
    private final String secret;
    private final String name;
    private final Path home;
    private final Map<String, String> environment = new HashMap<>();
    private final int httpPort;
    private final int sshPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> featureRepositories = new ArrayList<>();
    private final List<String> features = new ArrayList<>();
    private Process process;

    /** An HTTP answer: status, the raw response and the body as JSON (null when empty or not JSON). */
    public record Response(int status, HttpResponse<String> raw, JsonNode json) {
        /** The first value of a response header, or {@code null}. */
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The body as text. */
        public String body() {
            return raw.body();
        }
    }

    /**
     * A copy of the distribution at {@link #location()} on {@code database}, its demo HTTP channel instance signing
     * with a random secret and sending replies to the shipped default callback URL.
     *
     * @param name names the copy's kept logs ({@code target/it-logs/<name>/}); the test class's name, say
     */
    public Distribution(String name, Database database) throws IOException {
        this(name, database, "it-secret-" + UUID.randomUUID(), null, location());
    }

    /**
     * A copy of the distribution at {@link #location()} whose demo HTTP channel instance signs with {@code secret}
     * and sends replies to {@code callbackUrl} (a {@link CallbackPeer}'s {@link CallbackPeer#url()}).
     */
    public Distribution(String name, Database database, String secret, URI callbackUrl) throws IOException {
        this(name, database, secret, callbackUrl, location());
    }

    /** A copy of the distribution unpacked at {@code source} (the benchmarks compare two builds this way). */
    public Distribution(String name, Database database, String secret, URI callbackUrl, Path source)
            throws IOException {
        this.name = name;
        this.secret = secret;
        if (!Files.isDirectory(source.resolve("bin"))) {
            throw new IllegalStateException("no built distribution at " + source.toAbsolutePath()
                    + ": run the build (mvn install) first");
        }
        this.home = Files.createTempDirectory("frontdoor-it-");
        copyTree(source, home);
        // the shipped support department answers mon-fri 09:00-17:00 UTC, and a conversation routed outside those hours
        // gets an out-of-hours reply: tests must not depend on the hour they run at, so support is always open
        // here (a test of the out-of-hours reply closes it itself)
        Path support = home.resolve("etc/org.frontdoor.department-support.cfg");
        if (Files.exists(support)) {
            Files.writeString(support, Files.readString(support, StandardCharsets.UTF_8)
                    + "\n# distribution tests: open around the clock\nbusinessHours = always\n", StandardCharsets.UTF_8);
        }
        this.httpPort = freePort();
        this.sshPort = freePort();
        environment.putAll(database.environment());
        environment.put("FRONTDOOR_HTTP_PORT", Integer.toString(httpPort));
        environment.put("FRONTDOOR_SSH_PORT", Integer.toString(sshPort));
        environment.put("FRONTDOOR_RMI_REGISTRY_PORT", Integer.toString(freePort()));
        environment.put("FRONTDOOR_RMI_SERVER_PORT", Integer.toString(freePort()));
        environment.put("FRONTDOOR_ADMIN_PASSWORD", adminPassword);
        environment.put("FRONTDOOR_API_DEMO_SECRET", secret);
        if (callbackUrl != null) {
            environment.put("FRONTDOOR_API_DEMO_CALLBACK_URL", callbackUrl.toString());
        }
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // the JVM replaces the start script, so killing the process kills Karaf itself
        environment.put("KARAF_EXEC", "exec");
    }

    // ---------------------------------------------------------------- where the distribution comes from

    /**
     * The unpacked distribution tests copy: {@code frontdoor.distribution} (a directory), else the archive in
     * {@code frontdoor.distribution.archive}, else {@code org.frontdoor:karaf-assembly:<version>:tar.gz} from the
     * local Maven repository; an archive is unpacked once into {@code target/frontdoor-distribution/} (again only when
     * the archive changed).
     */
    public static Path location() throws IOException {
        String directory = System.getProperty("frontdoor.distribution");
        if (directory != null && !directory.isBlank()) {
            return Path.of(directory);
        }
        String archive = System.getProperty("frontdoor.distribution.archive");
        return unpacked(archive != null && !archive.isBlank() ? Path.of(archive) : installedArchive(version()),
                Path.of("target", "frontdoor-distribution"));
    }

    /** The Frontdoor version this kit belongs to (the distribution it boots unless {@code frontdoor.version}). */
    public static String version() {
        String override = System.getProperty("frontdoor.version");
        if (override != null && !override.isBlank()) {
            return override;
        }
        try (InputStream in = Distribution.class.getResourceAsStream("testkit.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the test kit's testkit.properties is missing", e);
        }
    }

    /** The distribution artifact {@code org.frontdoor:karaf-assembly:<version>:tar.gz} of the local Maven repository. */
    public static Path installedArchive(String version) {
        String local = System.getProperty("maven.repo.local");
        Path repository = local != null && !local.isBlank() ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path archive = repository.resolve(Path.of("org", "frontdoor", "karaf-assembly", version,
                "karaf-assembly-" + version + ".tar.gz"));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no Frontdoor distribution " + version + " at " + archive + ": install it "
                    + "(mvn install in Frontdoor's tree, or mvn dependency:get -Dartifact=org.frontdoor:karaf-assembly:"
                    + version + ":tar.gz), or name one with -Dfrontdoor.distribution=<directory> or "
                    + "-Dfrontdoor.distribution.archive=<tar.gz>");
        }
        return archive;
    }

    /**
     * Unpacks a distribution archive (a tar.gz holding one top directory) below {@code into}, once: a later call
     * for the same, unchanged archive returns the same directory. Safe across the JVMs of parallel test forks.
     */
    public static Path unpacked(Path archive, Path into) throws IOException {
        String stamp = archive.toAbsolutePath() + "|" + Files.size(archive) + "|"
                + Files.getLastModifiedTime(archive).toMillis();
        Files.createDirectories(into);
        synchronized (UNPACKING) {
            try (FileChannel lockFile = FileChannel.open(into.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                Path marker = into.resolve(".unpacked");
                Path target = into.resolve("distribution");
                if (Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(stamp)) {
                    return single(target);
                }
                Files.deleteIfExists(marker);
                deleteTree(target);
                Files.createDirectories(target);
                // tar keeps the scripts' modes (bin/karaf, bin/client) as the archive has them
                Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C",
                        target.toAbsolutePath().toString()).redirectErrorStream(true).start();
                String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                    throw new IOException("could not unpack " + archive + " with tar: " + output);
                }
                Files.writeString(marker, stamp, StandardCharsets.UTF_8);
                return single(target);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unpacking " + archive, e);
            }
        }
    }

    private static Path single(Path target) throws IOException {
        try (var entries = Files.list(target)) {
            List<Path> dirs = entries.filter(Files::isDirectory).toList();
            if (dirs.size() != 1 || !Files.isDirectory(dirs.get(0).resolve("bin"))) {
                throw new IOException("not one distribution directory in " + target + ": " + dirs);
            }
            return dirs.get(0);
        }
    }

    // ---------------------------------------------------------------- before start

    /**
     * This node joins the database of {@code first}, whose admin exists there already: it logs in as that admin (its
     * own FRONTDOOR_ADMIN_PASSWORD is read only while no admin exists, as for a real second node).
     */
    public Distribution sharingAdminOf(Distribution first) {
        adminPassword = first.adminPassword;
        environment.put("FRONTDOOR_ADMIN_PASSWORD", adminPassword);
        return this;
    }

    /**
     * A feature repository {@link #start()} adds ({@code feature:repo-add}) once the distribution is up: a plugin's
     * own, {@code mvn:com.acme/acme-features/1.0.0/xml/features} say, or a {@code file:} URL. {@code mvn:} URLs
     * resolve from the local Maven repository ({@code maven.repo.local} when set, see
     * {@link #withLocalRepository(Path)}).
     */
    public Distribution withFeatureRepository(String uri) throws IOException {
        featureRepositories.add(uri);
        String local = System.getProperty("maven.repo.local");
        if (uri.startsWith("mvn:") && local != null && !local.isBlank()) {
            withLocalRepository(Path.of(local));
        }
        return this;
    }

    /** Features {@link #start()} installs ({@code feature:install}) after adding the feature repositories. */
    public Distribution withFeatures(String... names) {
        features.addAll(List.of(names));
        return this;
    }

    /**
     * Points the distribution's {@code mvn:} resolver at this local Maven repository (Karaf's default is
     * {@code ~/.m2/repository}): for a build run with {@code -Dmaven.repo.local}.
     */
    public Distribution withLocalRepository(Path repository) throws IOException {
        Path cfg = etc().resolve("org.ops4j.pax.url.mvn.cfg");
        String current = Files.readString(cfg, StandardCharsets.UTF_8);
        String line = "org.ops4j.pax.url.mvn.localRepository = " + repository.toAbsolutePath().toUri();
        if (!current.contains(line)) {
            Files.writeString(cfg, current + "\n# tests: the build's local Maven repository\n" + line + "\n",
                    StandardCharsets.UTF_8);
        }
        return this;
    }

    /**
     * The plugin this build makes, before it is installed anywhere: its bundle and feature repository (as
     * frontdoor-plugin-parent's failsafe hands them over in {@code plugin.bundle}, {@code plugin.featuresFile},
     * {@code plugin.groupId}, {@code plugin.artifactId}, {@code plugin.version}, {@code plugin.feature}) are copied
     * into a Maven layout below {@code target/plugin-under-test/}, which the distribution's {@code mvn:} resolver reads
     * first (a default repository, as its {@code system/}); then {@link #start()} adds
     * {@code mvn:<groupId>/<artifactId>/<version>/xml/features} and installs the feature {@code <artifactId>}, as
     * {@code feature:repo-add} and {@code feature:install} would after {@code mvn install}. So a plugin's {@code *IT}
     * runs at {@code integration-test}, before {@code install}, and installs nothing into the local repository.
     */
    public Distribution withPluginUnderTest() throws IOException {
        String groupId = plugin("plugin.groupId");
        String artifactId = plugin("plugin.artifactId");
        String version = plugin("plugin.version");
        Path staging = Path.of("target", "plugin-under-test").toAbsolutePath();
        Path directory = staging.resolve(Path.of(groupId.replace('.', '/'), artifactId, version));
        Files.createDirectories(directory);
        Files.copy(Path.of(plugin("plugin.bundle")), directory.resolve(artifactId + "-" + version + ".jar"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(plugin("plugin.featuresFile")),
                directory.resolve(artifactId + "-" + version + "-features.xml"), StandardCopyOption.REPLACE_EXISTING);
        Path cfg = etc().resolve("org.ops4j.pax.url.mvn.cfg");
        String current = Files.readString(cfg, StandardCharsets.UTF_8);
        Matcher defaults = Pattern.compile("(?m)^org\\.ops4j\\.pax\\.url\\.mvn\\.defaultRepositories\\s*=\\s*")
                .matcher(current);
        String entry = staging.toUri() + "@id=plugin.under.test@snapshots";
        if (!current.contains(entry)) {
            if (!defaults.find()) {
                throw new IllegalStateException("no org.ops4j.pax.url.mvn.defaultRepositories in " + cfg);
            }
            Files.writeString(cfg, current.substring(0, defaults.end()) + entry + ", "
                    + current.substring(defaults.end()), StandardCharsets.UTF_8);
        }
        withFeatureRepository("mvn:" + groupId + "/" + artifactId + "/" + version + "/xml/features");
        return withFeatures(plugin("plugin.feature"));
    }

    private static String plugin(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("no -D" + property + ": frontdoor-plugin-parent's failsafe sets it; "
                    + "run the IT with mvn verify in a project whose parent that is");
        }
        return value;
    }

    /** An environment variable of the Karaf process (the distribution's cfg files read {@code ${env:...}}). */
    public Distribution withEnvironment(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** A configuration file of etc/ ({@code <pid>.cfg} or {@code <factory pid>-<name>.cfg}), written before start. */
    public Distribution withConfig(String fileName, String content) throws IOException {
        writeEtc(fileName, content);
        return this;
    }

    // ---------------------------------------------------------------- running

    /**
     * Starts Karaf and waits until the REST API, the login accounts, the demo webhook and the console answer; then
     * adds the {@link #withFeatureRepository feature repositories} and installs the {@link #withFeatures features}.
     */
    public Distribution start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        try {
            await("Frontdoor answering on port " + httpPort).atMost(bootTimeout())
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Karaf exited with " + process.exitValue());
                        }
                        // the login accounts come up on their own (503 until then)
                        return get("/api/v1/conversations?limit=1").status() == 200
                                && get("/api/v1/users").status() == 200
                                && request("GET", webhookPath("demo"), null, Map.of()).status() == 405;
                    });
            // bin/client is a JVM of its own: on a crowded machine it takes as long to come up as Karaf did
            await("the console").atMost(bootTimeout().dividedBy(3)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> shell("frontdoor:channel-list").contains("demo"));
        } catch (RuntimeException e) {
            String tail = logTail(80);
            // no Karaf left running behind a test whose set-up failed (it holds no reference to close)
            process.destroyForcibly();
            try {
                process.waitFor(1, TimeUnit.MINUTES);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            keepLogs();
            deleteTree(home);
            throw new IllegalStateException("the distribution did not come up; karaf.log ends with:\n" + tail, e);
        }
        try {
            for (String repository : featureRepositories) {
                addFeatureRepository(repository);
            }
            for (String feature : features) {
                installFeature(feature);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing features", e);
        }
        return this;
    }

    /** Adds a feature repository to the running distribution ({@code feature:repo-add}) and checks it is listed. */
    public void addFeatureRepository(String uri) throws IOException, InterruptedException {
        String added = shell("feature:repo-add " + uri);
        String listed = shell("feature:repo-list");
        if (!listed.contains(uri)) {
            throw new IllegalStateException("feature:repo-add " + uri + " did not add it:\n" + added + "\n" + listed
                    + "\nkaraf.log ends with:\n" + logTail(40));
        }
    }

    /** Installs a feature ({@code feature:install}) and waits until {@code feature:list -i} shows it started. */
    public void installFeature(String feature) throws IOException, InterruptedException {
        String output = shell("feature:install " + feature);
        try {
            await("feature " + feature + " started").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> featureStarted(feature));
        } catch (RuntimeException e) {
            throw new IllegalStateException("feature:install " + feature + " did not start it:\n" + output
                    + "\nkaraf.log ends with:\n" + logTail(40), e);
        }
    }

    /** Uninstalls a feature ({@code feature:uninstall}) and waits until it is no longer listed as installed. */
    public void uninstallFeature(String feature) throws IOException, InterruptedException {
        shell("feature:uninstall " + feature);
        await("feature " + feature + " uninstalled").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> !featureStarted(feature));
    }

    /** Whether {@code feature:list -i} shows the feature started. */
    public boolean featureStarted(String feature) throws IOException, InterruptedException {
        for (String line : shell("feature:list -i --no-format").split("\n")) {
            String[] columns = line.split("\\s*│\\s*|\\s*\\|\\s*|\\s+");
            if (columns.length > 0 && columns[0].strip().equals(feature) && line.contains("Started")) {
                return true;
            }
        }
        return false;
    }

    /** Copies a bundle (or kar, or feature file) into deploy/, where Karaf installs it from. */
    public Path deploy(Path file) throws IOException {
        Path target = home.resolve("deploy").resolve(file.getFileName().toString());
        Path temporary = home.resolve("deploy").resolve("." + file.getFileName() + ".tmp");
        Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * How long {@link #start()} waits for the distribution's HTTP service to answer: 5 minutes, or the minutes in the
     * system property {@code frontdoor.it.bootMinutes} (for a slow or crowded machine); its console gets a third of it
     * more.
     */
    public static Duration bootTimeout() {
        String minutes = System.getProperty("frontdoor.it.bootMinutes");
        return Duration.ofMinutes(minutes == null || minutes.isBlank() ? 5 : Long.parseLong(minutes.strip()));
    }

    /**
     * The running Karaf JVM's process id: bin/karaf's own process when it has become the JVM, else the Java process it
     * started.
     */
    public long jvmPid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("the distribution is not running");
        }
        java.util.function.Predicate<ProcessHandle> java = h -> h.info().command()
                .map(c -> c.endsWith("/java")).orElse(false);
        if (java.test(process.toHandle())) {
            return process.pid();
        }
        return process.descendants().filter(java).findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("no Java process below bin/karaf"));
    }

    /** The Karaf JVM's resident memory in bytes ({@code VmRSS} of /proc/PID/status; Linux only). */
    public long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvmPid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + jvmPid() + "/status");
    }

    /** Kills the JVM at once (SIGKILL), as a power cut would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Karaf survived SIGKILL");
        }
    }

    /** Stops Karaf cleanly ({@code bin/stop}); a copy stopped or killed can be {@link #start() started} again. */
    public void stop() throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        ProcessBuilder stop = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        stop.environment().putAll(environment);
        stop.start().waitFor(1, TimeUnit.MINUTES);
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        }
    }

    // ---------------------------------------------------------------- the console

    /** Runs one console command through {@code bin/client} as admin and returns what it printed. */
    public String shell(String command) throws IOException, InterruptedException {
        return shell("admin", adminPassword, command);
    }

    /** Runs one console command through {@code bin/client} (SSH) as this user and returns what it printed. */
    public String shell(String user, String password, String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort), "-h", "127.0.0.1", "-u", user, "-p", password, "-r", "3", "-d", "1")
                .directory(home.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process client = builder.start();
        // bin/client runs what it reads on its standard input and leaves at its end, but may close the session
        // before the last command's output has all come through (a CI run saw bundle:list cut off). So an echo
        // follows the command, and stdin stays open until its line has come back: by then all of the output has.
        String end = "frontdoor-it-end-" + UUID.randomUUID();
        CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
            try (var stdin = client.getOutputStream(); var out = new BufferedReader(
                    new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                stdin.write((command + "\necho " + end + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                StringBuilder lines = new StringBuilder();
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.strip().endsWith(end) && !line.contains("echo")) {
                        stdin.close();
                        out.transferTo(Writer.nullWriter());
                        return lines.toString();
                    }
                    lines.append(line).append('\n');
                }
                throw new IllegalStateException("bin/client ended before the command's output did: " + command
                        + ":\n" + lines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String output;
        try {
            output = printed.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            client.destroyForcibly();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            client.destroyForcibly();
            throw new IllegalStateException("bin/client did not finish: " + command);
        }
        if (!client.waitFor(2, TimeUnit.MINUTES)) {
            client.destroyForcibly();
            throw new IllegalStateException("bin/client did not finish: " + command);
        }
        if (client.exitValue() != 0) {
            throw new IllegalStateException("bin/client exited with " + client.exitValue() + " for " + command + ":\n"
                    + output);
        }
        return output;
    }

    /** What one SSH login through {@code bin/client} gave: its exit value and all it printed. */
    public record SshLogin(int exitValue, String output) {
        /** What the login runs: printed only once it is in. */
        public static final String MARK = "frontdoor-it-logged-in";
    }

    /**
     * Tries one SSH login through {@code bin/client}, for logins that may be refused: one password attempt, no retry,
     * and the result rather than an exception.
     */
    public SshLogin sshLogin(String user, String password) throws IOException, InterruptedException {
        return sshExec(user, password, "echo " + SshLogin.MARK);
    }

    /**
     * Runs one command as an SSH exec request ({@code bin/client ... COMMAND}), not through a shell's input, followed
     * by an echo of {@link SshLogin#MARK}. In that mode bin/client sends its standard input along and ends the
     * channel at its end, so stdin stays open until the mark has come back or the client has ended (a refused login
     * ends it at once). A {@code frontdoor:} command that fails ends the exec there, with exit value 1 and its reason.
     */
    public SshLogin sshExec(String user, String password, String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort), "-h", "127.0.0.1", "-u", user, "-p", password,
                command + " ; echo " + SshLogin.MARK).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process client = builder.start();
        StringBuffer printed = new StringBuffer();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (var out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    printed.append(line).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            await("bin/client for " + user).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !client.isAlive() || printed.indexOf(SshLogin.MARK) >= 0);
        } finally {
            client.getOutputStream().close();
        }
        if (!client.waitFor(1, TimeUnit.MINUTES)) {
            client.destroyForcibly();
            throw new IllegalStateException("bin/client did not finish for " + user + ": " + command);
        }
        try {
            reading.get(1, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("bin/client's output for " + user, e);
        }
        return new SshLogin(client.exitValue(), printed.toString());
    }

    /**
     * Runs {@code bin/client} as admin the way a script does: {@code arguments} after the port, host, user and password,
     * {@code stdin} as its whole standard input (empty: at its end from the start, as under cron or CI). Returns its
     * exit value and all it printed.
     */
    public SshLogin client(String stdin, String... arguments) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "admin", "-p", adminPassword));
        line.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(line).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process client = builder.start();
        try (var in = client.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!client.waitFor(2, TimeUnit.MINUTES)) {
            client.destroyForcibly();
            throw new IllegalStateException("bin/client did not finish: " + line.subList(9, line.size()));
        }
        try {
            return new SshLogin(client.exitValue(), printed.get(1, TimeUnit.MINUTES));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("bin/client's output", e);
        }
    }

    // ---------------------------------------------------------------- what it is

    /** The demo HTTP channel instance's secret. */
    public String secret() {
        return secret;
    }

    /** The admin account's password (user {@code admin}). */
    public String adminPassword() {
        return adminPassword;
    }

    /** The port of the HTTP service (REST API, webhooks, web chat). */
    public int httpPort() {
        return httpPort;
    }

    /** The port of the SSH console. */
    public int sshPort() {
        return sshPort;
    }

    /** The copy's home directory (bin/, etc/, deploy/, data/). */
    public Path home() {
        return home;
    }

    /** The distribution's etc/ directory, watched by Karaf: a cfg written there applies at once. */
    public Path etc() {
        return home.resolve("etc");
    }

    /** Writes a file of etc/ whole at once (a temporary file renamed into place), as an admin should. */
    public void writeEtc(String name, String content) throws IOException {
        Path target = etc().resolve(name);
        Path temporary = etc().resolve("." + name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---------------------------------------------------------------- HTTP

    /** The path of an HTTP channel instance's webhook. */
    public String webhookPath(String instance) {
        return "/webhooks/api/" + instance;
    }

    /**
     * A message body as the generic HTTP channel documents it: {@code id} (the sender's, for idempotency), the
     * customer {@code from} (id, name, e-mail), the {@code text} and a {@code thread}.
     */
    public static String webhookMessage(String id, String from, String name, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", id);
        body.putObject("from").put("id", from).put("name", name).put("email", from + "@example.org");
        body.put("text", text);
        body.put("thread", "thread-" + from);
        return body.toString();
    }

    /** Posts a body to the demo instance, signed now with the demo secret. */
    public Response postSigned(String body) throws IOException, InterruptedException {
        return postSigned("demo", secret, body);
    }

    /** Posts a body to an HTTP channel instance, signed now with its secret. */
    public Response postSigned(String instance, String secret, String body) throws IOException, InterruptedException {
        long now = Instant.now().getEpochSecond();
        return postWebhook(instance, body, now, Signatures.sign(secret, now, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Posts a body to the demo instance with the given timestamp and signature (forged, stale...). */
    public Response postWebhook(String body, long timestamp, String signature) throws IOException, InterruptedException {
        return postWebhook("demo", body, timestamp, signature);
    }

    /** Posts a body to an HTTP channel instance with the given timestamp and signature. */
    public Response postWebhook(String instance, String body, long timestamp, String signature)
            throws IOException, InterruptedException {
        return request("POST", webhookPath(instance), body, Map.of("Content-Type", "application/json",
                Signatures.TIMESTAMP_HEADER, Long.toString(timestamp), Signatures.SIGNATURE_HEADER, signature));
    }

    /** GET as admin. */
    public Response get(String path) throws IOException, InterruptedException {
        return request("GET", path, null, Map.of("Authorization", basic("admin", adminPassword)));
    }

    /** POST a JSON body as admin. */
    public Response postJson(String path, String body) throws IOException, InterruptedException {
        return request("POST", path, body, Map.of("Authorization", basic("admin", adminPassword),
                "Content-Type", "application/json"));
    }

    /** The full URL of a path on this distribution. */
    public String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** Any request, with exactly the headers given (none added). */
    public Response request(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (!response.body().isBlank()) {
            try {
                json = JSON.readTree(response.body());
            } catch (IOException notJson) {
                json = null;
            }
        }
        return new Response(response.statusCode(), response, json);
    }

    /** An HTTP Basic {@code Authorization} value. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- conversations

    /** A conversation as admin sees it ({@code GET /api/v1/conversations/{id}}): summary, messages, events. */
    public JsonNode conversation(long id) throws IOException, InterruptedException {
        Response detail = get("/api/v1/conversations/" + id);
        if (detail.status() != 200) {
            throw new IllegalStateException("conversation " + id + ": " + detail.status() + " " + detail.body());
        }
        return detail.json();
    }

    /** Waits (up to a minute) until the conversation satisfies {@code until}, and returns it as it was then. */
    public JsonNode awaitConversation(long id, Predicate<JsonNode> until) {
        JsonNode[] last = new JsonNode[1];
        await("conversation " + id).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    last[0] = conversation(id);
                    return until.test(last[0]);
                });
        return last[0];
    }

    /**
     * A page of the conversations list as admin ({@code GET /api/v1/conversations?<query>}, query without the
     * {@code ?}: {@code channel=api&limit=50}, say): {@code items} and {@code total}.
     */
    public JsonNode conversations(String query) throws IOException, InterruptedException {
        Response list = get("/api/v1/conversations" + (query == null || query.isEmpty() ? "" : "?" + query));
        if (list.status() != 200) {
            throw new IllegalStateException("conversations?" + query + ": " + list.status() + " " + list.body());
        }
        return list.json();
    }

    // ---------------------------------------------------------------- karaf.log

    /** The whole karaf.log so far. */
    public String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits (up to a minute) until karaf.log holds {@code text}. */
    public void awaitLog(String text) {
        await("karaf.log to show " + text).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> log().contains(text));
    }

    /** The lines of karaf.log logged at level ERROR (or SEVERE) or belonging to a stack trace, numbered. */
    public List<String> logProblems() throws IOException {
        List<String> all = Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (LOG_PROBLEM.matcher(all.get(i)).find()) {
                problems.add((i + 1) + ": " + all.get(i));
            }
        }
        return problems;
    }

    /** The last lines of karaf.log, for a failure's message. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no karaf.log: " + e.getMessage() + ")";
        }
    }

    /** Stops Karaf, keeps its logs under {@code target/it-logs/<name>/} and deletes the copy. */
    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            keepLogs();
            deleteTree(home);
        }
    }

    private void keepLogs() throws IOException {
        Path target = Path.of("target", "it-logs", name);
        Files.createDirectories(target);
        for (Path log : List.of(home.resolve("data/log/karaf.log"), home.resolve("console.out"))) {
            if (Files.exists(log)) {
                Files.copy(log, target.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * A port free on this machine right now, for a process started later to listen on. It is taken below the
     * kernel's ephemeral range (ip_local_port_range): a port the kernel handed out (new ServerSocket(0)) is given
     * again to the next outgoing connection of any process once closed, so Karaf starting seconds later found it
     * taken now and then (an RMI registry's "Port already in use" during CI). Below that range only another test
     * picking the same port at random could take it.
     */
    public static int freePort() throws IOException {
        int below = ephemeralLow();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200 && below > 10_000; attempt++) {
            int port = random.nextInt(10_000, below);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new java.net.InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // in use: another one
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The lowest port the kernel hands out on its own (32768 where /proc does not say). */
    private static int ephemeralLow() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim()
                    .split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
