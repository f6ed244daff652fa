package org.frontdoor.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * A door's generated secret (an HMAC key of its own making, a signing key for visitor tokens): a file
 * {@code channel-<channel>-<instance>.secret} in the secrets directory ({@code ${karaf.data}/frontdoor/secrets}),
 * written once at the first start with a random value, readable by its owner only ({@code rw-------}, written beside
 * it and moved in whole), and read again on every later start. The value is never logged and never part of a
 * reason or an exception message: name the file instead.
 */
public final class SecretFile {

    /** 32 random bytes: a full-strength HMAC-SHA256 key, 43 URL-safe characters. */
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The secret in the file, and whether this call generated it.
     *
     * @param value     the secret; never logged, never in a reason
     * @param generated true when the file did not exist and was just written
     */
    public record Read(String value, boolean generated) {
        public Read {
            Objects.requireNonNull(value, "value");
            if (value.isBlank()) {
                throw new IllegalArgumentException("a secret must not be blank");
            }
        }

        @Override
        public String toString() {
            return generated ? "a generated secret" : "a secret read from its file";
        }
    }

    private SecretFile() {
    }

    /** Where the secret of a channel's {@code instance} lives under {@code secretsDir}. */
    public static Path of(Path secretsDir, String channel, String instance) {
        return secretsDir.resolve("channel-" + channel + "-" + instance + ".secret");
    }

    /**
     * Reads the secret in {@code file}, or writes a new random one there when the file does not exist.
     *
     * @throws IOException with a sentence naming the file and what went wrong (never the secret)
     */
    public static Read readOrGenerate(Path file) throws IOException {
        if (Files.exists(file)) {
            String value;
            try {
                value = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IOException("cannot read the secret file " + file + ": " + describe(e), e);
            }
            if (value.isEmpty()) {
                throw new IOException("the secret file " + file + " is empty: delete it to have a new secret "
                        + "generated");
            }
            return new Read(value, false);
        }
        String value = generate();
        try {
            writeOwnerOnly(file, value);
        } catch (IOException e) {
            throw new IOException("cannot write a generated secret to " + file + ": " + describe(e), e);
        }
        return new Read(value, true);
    }

    /** A random secret of 256 bits, URL-safe Base64 without padding. */
    public static String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Writes {@code value} and a line end to {@code file}, readable by its owner only (its folder made 0700 when this
     * creates it), whole or not at all: written beside it and moved in, so a crash leaves no half-written file.
     */
    public static void writeOwnerOnly(Path file, String value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, ownerOnly("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) { // else another instance made it meanwhile
                    throw e;
                }
            }
        }
        // written beside the file and moved in whole: a crash leaves no half-written file behind
        Path partial;
        try {
            partial = Files.createTempFile(dir, file.getFileName().toString(), ".partial", ownerOnly("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            partial = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
        }
        try {
            Files.writeString(partial, value + System.lineSeparator(), StandardCharsets.UTF_8);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly(String permissions) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }

    /** What went wrong, in words: file system exceptions carry only the path as their message. */
    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException fae) {
            return fae.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException) {
            return "a directory on its path does not exist";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : "an I/O error";
    }
}
