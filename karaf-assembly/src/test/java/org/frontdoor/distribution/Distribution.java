package org.frontdoor.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.awaitility.Awaitility.await;

/**
 * A copy of the built distribution ({@code karaf-assembly/target/assembly}), started with {@code bin/karaf server}
 * on free ports and driven as a user would: signed webhooks, the REST API with HTTP Basic, and the console
 * through {@code bin/client}. Its logs are kept under {@code target/it-logs/}.
 */
final class Distribution implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** pax-logging's "| ERROR |", Karaf's launcher's "SEVERE:", a stack frame, a cause or a throwable's own line. */
    private static final Pattern LOG_PROBLEM = Pattern.compile(
            "\\| ERROR +\\||^SEVERE:|^\\s+at \\S+\\(|^Caused by: |^\\s*\\.\\.\\. \\d+ more|^[\\w.$]+(Exception|Error|Throwable)(: |$)");

    /**
     * The first admin's password: the login accounts live in the database, so a node added to a database that has
     * its admin already logs in with that admin's password ({@link #sharingAdminOf}), not with its own.
     */
    String adminPassword = "it-" + UUID.randomUUID();
    final String secret;
    private final String name;
    private final Path home;
    private final Map<String, String> environment = new HashMap<>();
    private final int httpPort;
    private final int sshPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    /** An HTTP answer: status and body as JSON (null when empty or not JSON). */
    record Response(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Distribution(String name, Database database, String secret, URI callbackUrl) throws IOException {
        this(name, database, secret, callbackUrl, Path.of(System.getProperty("frontdoor.distribution", "target/assembly")));
    }

    /** A copy of the distribution built at {@code source} (the benchmark compares two builds this way). */
    Distribution(String name, Database database, String secret, URI callbackUrl, Path source) throws IOException {
        this.name = name;
        this.secret = secret;
        if (!Files.isDirectory(source.resolve("bin"))) {
            throw new IllegalStateException("no built distribution at " + source.toAbsolutePath()
                    + ": run the build (mvn install) first");
        }
        this.home = Files.createTempDirectory("frontdoor-it-");
        copyTree(source, home);
        // the shipped support department answers mon-fri 09:00-17:00 UTC, and a conversation routed outside those hours
        // gets an out-of-hours reply: the scenarios must not depend on the hour they run at, so support is always open
        // here (the scenario of the out-of-hours reply closes it itself)
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
        environment.put("FRONTDOOR_API_DEMO_CALLBACK_URL", callbackUrl.toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // the JVM replaces the start script, so killing the process kills Karaf itself
        environment.put("KARAF_EXEC", "exec");
    }

    /**
     * This node joins the database of {@code first}, whose admin exists there already: it logs in as that admin (its
     * own FRONTDOOR_ADMIN_PASSWORD is read only while no admin exists, as for a real second node).
     */
    Distribution sharingAdminOf(Distribution first) {
        adminPassword = first.adminPassword;
        environment.put("FRONTDOOR_ADMIN_PASSWORD", adminPassword);
        return this;
    }

    /** Sets one more environment variable of the JVM (before {@link #start()}), such as FRONTDOOR_HTTP_HOST. */
    Distribution environment(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    int httpPort() {
        return httpPort;
    }

    int sshPort() {
        return sshPort;
    }

    /** Starts Karaf and waits until the REST API, the demo webhook and the console answer. */
    Distribution start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        try {
            await("Frontdoor answering on port " + httpPort).atMost(Duration.ofMinutes(3))
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
            await("the console").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> shell("frontdoor:channel-list").contains("demo"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the distribution did not come up; karaf.log ends with:\n" + logTail(80), e);
        }
        return this;
    }

    /** Kills the JVM at once (SIGKILL), as a power cut would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Karaf survived SIGKILL");
        }
    }

    /** Stops Karaf cleanly. */
    void stop() throws IOException, InterruptedException {
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

    /** Runs one console command through {@code bin/client} as admin and returns what it printed. */
    String shell(String command) throws IOException, InterruptedException {
        return shell("admin", adminPassword, command);
    }

    /** Runs one console command through {@code bin/client} (SSH) as this user and returns what it printed. */
    String shell(String user, String password, String command) throws IOException, InterruptedException {
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
    record SshLogin(int exitValue, String output) {
        /** What the login runs: printed only once it is in. */
        static final String MARK = "frontdoor-it-logged-in";
    }

    /**
     * Tries one SSH login through {@code bin/client}, for logins that may be refused: one password attempt, no retry,
     * and the result rather than an exception.
     */
    SshLogin sshLogin(String user, String password) throws IOException, InterruptedException {
        return sshExec(user, password, "echo " + SshLogin.MARK);
    }

    /**
     * Runs one command as an SSH exec request ({@code bin/client ... COMMAND}), not through a shell's input, followed
     * by an echo of {@link SshLogin#MARK}. In that mode bin/client sends its standard input along and ends the
     * channel at its end, so stdin stays open until the mark has come back or the client has ended (a refused login
     * ends it at once). A {@code frontdoor:} command that fails ends the exec there, with exit value 1 and its reason.
     */
    SshLogin sshExec(String user, String password, String command) throws IOException, InterruptedException {
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
    SshLogin client(String stdin, String... arguments) throws IOException, InterruptedException {
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

    /** The copy's home directory (bin/, etc/, deploy/, data/). */
    Path home() {
        return home;
    }

    /** The distribution's etc/ directory, watched by Karaf: a cfg written there applies at once. */
    Path etc() {
        return home.resolve("etc");
    }

    String webhookPath(String instance) {
        return "/webhooks/api/" + instance;
    }

    /** Posts a body to the demo instance, signed now with the demo secret. */
    Response postSigned(String body) throws IOException, InterruptedException {
        long now = Instant.now().getEpochSecond();
        return postWebhook(body, now, Signatures.sign(secret, now, body.getBytes(StandardCharsets.UTF_8)));
    }

    Response postWebhook(String body, long timestamp, String signature) throws IOException, InterruptedException {
        return postWebhook("demo", body, timestamp, signature);
    }

    Response postWebhook(String instance, String body, long timestamp, String signature)
            throws IOException, InterruptedException {
        return request("POST", webhookPath(instance), body, Map.of("Content-Type", "application/json",
                "X-Frontdoor-Timestamp", Long.toString(timestamp), "X-Frontdoor-Signature", signature));
    }

    Response get(String path) throws IOException, InterruptedException {
        return request("GET", path, null, Map.of("Authorization", basic("admin", adminPassword)));
    }

    Response postJson(String path, String body) throws IOException, InterruptedException {
        return request("POST", path, body, Map.of("Authorization", basic("admin", adminPassword),
                "Content-Type", "application/json"));
    }

    /** The full URL of a path on this distribution. */
    String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    Response request(String method, String path, String body, Map<String, String> headers)
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

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The whole karaf.log so far. */
    String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Writes a file of etc/ whole at once (a temporary file renamed into place), as an admin should. */
    void writeEtc(String name, String content) throws IOException {
        Path target = etc().resolve(name);
        Path temporary = etc().resolve("." + name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The lines of karaf.log logged at level ERROR (or SEVERE) or belonging to a stack trace, numbered. */
    List<String> logProblems() throws IOException {
        List<String> all = Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (LOG_PROBLEM.matcher(all.get(i)).find()) {
                problems.add((i + 1) + ": " + all.get(i));
            }
        }
        return problems;
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no karaf.log: " + e.getMessage() + ")";
        }
    }

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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
