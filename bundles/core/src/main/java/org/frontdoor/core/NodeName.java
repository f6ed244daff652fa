package org.frontdoor.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;

import org.frontdoor.api.SecretFile;
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
        SecretFile.writeOwnerOnly(file, name);
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
}
