package org.frontdoor.core;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frontdoor's data folder ({@code ${karaf.data}/frontdoor}: the embedded database, secrets, spools, the node's name)
 * holds customer data and secrets, so it is its owner's alone: at start every folder in it is made 0700 and every file
 * 0600. {@code bin/setenv} sets {@code umask 077} so files are born that way; this also covers a start that skipped it
 * (a service wrapper, an older install) and files copied in by hand.
 */
@Component(immediate = true, service = DataFolder.class)
public final class DataFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DataFolder.class);
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    @Activate
    public DataFolder() {
        tighten(Path.of(System.getProperty("karaf.data", "data"), "frontdoor"));
    }

    /** Makes every folder under {@code root} (itself included) 0700 and every file 0600; returns how many it changed. */
    static int tighten(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)
                || !root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return 0;
        }
        int[] changed = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    changed[0] += set(dir, FOLDER);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) { // links are left alone: what they point at is not ours to change
                        changed[0] += set(file, FILE);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    LOG.warn("Could not make {} readable by its owner only: {}", file, e.toString());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not make {} readable by its owner only: {}", root, e.toString());
        }
        if (changed[0] > 0) {
            LOG.info("Made {} files and folders under {} readable by their owner only", changed[0], root);
        }
        return changed[0];
    }

    private static int set(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(permissions)) {
            return 0;
        }
        Files.setPosixFilePermissions(path, permissions);
        return 1;
    }
}
