package org.frontdoor.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's name when none is configured: generated once (the host name and a random suffix, so two nodes never
 * share one) into {@code data/frontdoor/node-name}, readable by its owner only, and read on every later start. A node
 * that keeps its name finds its own claims after a crash and takes them back at once instead of waiting them out.
 */
final class NodeName {

    private static final Logger LOG = LoggerFactory.getLogger(NodeName.class);

    /** As long as a claim's owner column holds. */
    static final int MAX = 100;

    private NodeName() {
    }

    /** The name kept under {@code karaf.data}; without that folder (outside Karaf) a new name for this run. */
    static String kept() {
        String data = System.getProperty("karaf.data");
        if (data == null || data.isBlank()) {
            return generate();
        }
        Path file = Paths.get(data, "frontdoor", "node-name");
        try {
            return readOrCreate(file);
        } catch (IOException e) {
            String name = generate();
            LOG.error("Cannot keep this node's name in {} ({}); it is {} for this run only, so after a restart its "
                    + "claims are taken back only when they run out", file, e.getMessage(), name);
            return name;
        }
    }

    /** The name in {@code file}, or a new one written there when it has none. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String name = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (valid(name)) {
                return name;
            }
            LOG.warn("The node name in {} is not usable (empty, over {} characters or not printable): a new one is "
                    + "written there", file, MAX);
        }
        String name = generate();
        write(file, name);
        LOG.info("This node is named {} (kept in {})", name, file);
        return name;
    }

    static boolean valid(String name) {
        return !name.isEmpty() && name.length() <= MAX && name.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f);
    }

    private static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9_.-]", "-");
        host = host.substring(0, Math.min(host.length(), MAX - 9));
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void write(Path file, String name) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        // written beside the file and moved in whole: a crash leaves no half-written name behind
        Path partial;
        try {
            partial = Files.createTempFile(dir, "node-name", ".partial", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            partial = Files.createTempFile(dir, "node-name", ".partial");
        }
        try {
            Files.writeString(partial, name + System.lineSeparator(), StandardCharsets.UTF_8);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
