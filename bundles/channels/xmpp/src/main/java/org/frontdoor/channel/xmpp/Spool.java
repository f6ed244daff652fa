package org.frontdoor.channel.xmpp;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;

/**
 * The journal of an instance's incoming messages: each one is appended and forced to disk when it arrives, before the
 * XMPP server is told it was handled (XEP-0198), and marked done once core has stored it. The server keeps no copy of
 * what the door acknowledged, so whatever is not done is taken in again at the next start, even after a kill -9; core
 * stores a repeat once. The file is emptied when everything in it is done, and rewritten with only what is not done
 * when it grows past its compaction size. Owner-only (0700 folder, 0600 file): it holds customers' text.
 *
 * <p>A record: int length n, int CRC32 of the n bytes, then n bytes: a type byte ({@code R} received, {@code D}
 * done), the record's sequence number (long) and, for {@code R}, the message's fields. A record cut short by a
 * crash, or one whose CRC does not match, ends the journal: it and anything after it are cut off at the next open.
 */
final class Spool implements AutoCloseable {

    static final long COMPACT_BYTES = 4L << 20;
    private static final byte RECEIVED = 'R';
    private static final byte DONE = 'D';
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 64 << 20;
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final boolean force;
    private final long compactBytes;
    private final Map<Long, Message> pending = new LinkedHashMap<>();
    private FileChannel channel;
    private long nextSequence = 1;
    private long cutOff;
    /** The bytes of the records not done: the journal is compacted when it is over twice that (and large). */
    private final Map<Long, Integer> pendingBytes = new java.util.HashMap<>();
    private long liveBytes;
    private boolean closed;

    Spool(Path file) {
        this(file, true, COMPACT_BYTES);
    }

    /** @param force whether an arrival is forced to disk before it returns (false only to measure what that costs) */
    Spool(Path file, boolean force, long compactBytes) {
        this.file = file.toAbsolutePath();
        this.force = force;
        this.compactBytes = compactBytes;
    }

    Path file() {
        return file;
    }

    /**
     * Opens the journal (creating the folder and file owner-only) and reads it: the messages not done, by sequence
     * number, oldest first. A torn or damaged tail is cut off ({@link #cutOff()} says how many bytes).
     */
    synchronized Map<Long, Message> open(String instance) throws IOException {
        if (channel != null) {
            throw new IllegalStateException(file + " is open already");
        }
        Path dir = file.getParent();
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } else {
            Files.createDirectories(dir);
        }
        channel = openChannel(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (posix()) {
            Files.setPosixFilePermissions(file, FILE);
        }
        try {
            if (legacy()) {
                convertLegacy(instance);
            }
            long end = replay(instance);
            cutOff = channel.size() - end;
            if (cutOff > 0) {
                channel.truncate(end);
                channel.force(true);
            }
            channel.position(end);
            if (pending.isEmpty() && end > 0) {
                empty();
            }
        } catch (IOException | RuntimeException e) {
            // the file stays as it is, for an admin: close() must not remove it
            channel.close();
            channel = null;
            pending.clear();
            throw e;
        }
        return new LinkedHashMap<>(pending);
    }

    /** What a next start would take in from this file, read without changing it (for tests and an admin's look). */
    static Map<Long, Message> peek(Path file, String instance) throws IOException {
        Spool spool = new Spool(file);
        if (!Files.exists(file)) {
            return Map.of();
        }
        synchronized (spool) {
            try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
                spool.channel = read;
                spool.replay(instance);
            }
            return new LinkedHashMap<>(spool.pending);
        }
    }

    /** Bytes of a torn or damaged tail cut off by the last {@link #open}. */
    synchronized long cutOff() {
        return cutOff;
    }

    /** Appends a message that arrived and forces it to disk: once this returns, a crash does not lose it. */
    synchronized long append(Message message) throws IOException {
        requireOpen();
        long sequence = nextSequence++;
        ByteBuffer record = record(RECEIVED, sequence, message);
        int bytes = record.remaining();
        write(channel, record);
        if (force) {
            channel.force(false);
        }
        pending.put(sequence, message);
        pendingBytes.put(sequence, bytes);
        liveBytes += bytes;
        return sequence;
    }

    /**
     * Marks a message stored. Not forced: a mark lost in a crash makes the next start hand core a repeat, which it
     * stores once. Empties the journal when nothing is left in it, compacts it when it grew too large.
     */
    synchronized void done(long sequence) throws IOException {
        if (closed || channel == null || pending.remove(sequence) == null) {
            return;
        }
        liveBytes -= pendingBytes.remove(sequence);
        if (pending.isEmpty()) {
            empty();
            return;
        }
        write(channel, record(DONE, sequence, null));
        long size = channel.size();
        if (size > compactBytes && size > 2 * liveBytes) {
            compact();
        }
    }

    /** Messages appended and not done yet. */
    synchronized int pending() {
        return pending.size();
    }

    /** Closes the file; it goes when nothing in it waits. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null) {
            channel.close();
            if (pending.isEmpty()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void requireOpen() throws IOException {
        if (closed || channel == null) {
            throw new IOException(file + " is closed");
        }
    }

    /** Not forced either: a crash that undoes it leaves only repeats. */
    private void empty() throws IOException {
        channel.truncate(0);
        channel.position(0);
    }

    /** Rewrites the journal with only what is not done: beside it, forced, then moved over it. */
    private void compact() throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel out = openChannel(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (Map.Entry<Long, Message> entry : pending.entrySet()) {
                write(out, record(RECEIVED, entry.getKey(), entry.getValue()));
            }
            out.force(true);
        }
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        }
        channel.close();
        channel = openChannel(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.position(channel.size());
        forceDirectory();
    }

    /**
     * Whether the file is in the format of earlier versions: lines of Base64 fields. A journal starts with a record's
     * length, at most {@link #MAX_RECORD}, so its first byte is 0 to 4, never a Base64 character or '-'.
     */
    private boolean legacy() throws IOException {
        ByteBuffer first = ByteBuffer.allocate(1);
        return channel.size() > 0 && channel.read(first, 0) == 1 && first.get(0) > 4;
    }

    /** Rewrites a file of an earlier version as a journal (beside it, then moved over it), so an upgrade loses nothing. */
    private void convertLegacy(String instance) throws IOException {
        java.util.Base64.Decoder base64 = java.util.Base64.getUrlDecoder();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 8) {
                throw new IOException("line " + n + " of " + file + " is neither a journal nor a kept message of an "
                        + "earlier version; the file stays for an admin to look at");
            }
            try {
                for (int i = 0; i < f.length; i++) {
                    f[i] = "-".equals(f[i]) ? null : new String(base64.decode(f[i]), StandardCharsets.UTF_8);
                }
                Message message = Message.inbound(Stanzas.CHANNEL, instance).externalId(f[0])
                        .visibility(Visibility.valueOf(f[1]))
                        .author(new Identity(Stanzas.CHANNEL, f[2], f[3], null, null, 0)).threadRef(f[4]).text(f[5])
                        .receivedAt(Instant.parse(f[6])).rawPayload(f[7]).build();
                pending.put(nextSequence++, message);
            } catch (RuntimeException e) {
                throw new IOException("line " + n + " of " + file + " is not a kept message (" + e + ")");
            }
        }
        compact();
        pending.clear();
        nextSequence = 1;
    }

    /** Reads the records into {@link #pending}; returns where the last whole record ends. */
    private long replay(String instance) throws IOException {
        long size = channel.size();
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        CRC32 crc = new CRC32();
        while (position < size) {
            header.clear();
            if (size - position < HEADER || channel.read(header, position) < HEADER) {
                break;
            }
            header.flip();
            int length = header.getInt();
            int expected = header.getInt();
            if (length < 9 || length > MAX_RECORD || size - position - HEADER < length) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            while (body.hasRemaining() && channel.read(body, position + HEADER + body.position()) > 0) {
                // reads the whole record
            }
            if (body.hasRemaining()) {
                break;
            }
            crc.reset();
            crc.update(body.array());
            if ((int) crc.getValue() != expected) {
                break;
            }
            body.flip();
            byte type = body.get();
            long sequence = body.getLong();
            if (type == RECEIVED) {
                try {
                    pending.put(sequence, readMessage(body, instance));
                    pendingBytes.put(sequence, HEADER + length);
                    liveBytes += HEADER + length;
                } catch (RuntimeException e) {
                    throw new IOException("the record at byte " + position + " of " + file + " is not a message ("
                            + e + "); the file stays for an admin to look at");
                }
            } else if (type == DONE) {
                if (pending.remove(sequence) != null) {
                    liveBytes -= pendingBytes.remove(sequence);
                }
            } else {
                break;
            }
            nextSequence = Math.max(nextSequence, sequence + 1);
            position += HEADER + length;
        }
        return position;
    }

    private static ByteBuffer record(byte type, long sequence, Message message) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message == null ? 16 : 256 + message.text().length());
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(type);
        out.writeLong(sequence);
        if (message != null) {
            Identity a = message.author();
            for (String field : new String[] {message.externalId(), message.visibility().name(), a.handle(),
                    a.displayName(), message.threadRef(), message.text(), message.receivedAt().toString(),
                    message.rawPayload()}) {
                writeField(out, field);
            }
        }
        out.flush();
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer record = ByteBuffer.allocate(HEADER + body.length);
        record.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
        return record;
    }

    private static void writeField(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static Message readMessage(ByteBuffer body, String instance) {
        String[] f = new String[8];
        for (int i = 0; i < f.length; i++) {
            f[i] = readField(body);
        }
        if (body.hasRemaining()) {
            throw new IllegalArgumentException("it holds more than a message");
        }
        return Message.inbound(Stanzas.CHANNEL, instance).externalId(f[0]).visibility(Visibility.valueOf(f[1]))
                .author(new Identity(Stanzas.CHANNEL, f[2], f[3], null, null, 0)).threadRef(f[4]).text(f[5])
                .receivedAt(Instant.parse(f[6])).rawPayload(f[7]).build();
    }

    private static String readField(ByteBuffer body) {
        int length = body.getInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        body.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void write(FileChannel channel, ByteBuffer record) throws IOException {
        while (record.hasRemaining()) {
            channel.write(record);
        }
    }

    private static FileChannel openChannel(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> set = Set.of(options);
        return posix() ? FileChannel.open(path, set, PosixFilePermissions.asFileAttribute(FILE))
                : FileChannel.open(path, set, new FileAttribute<?>[0]);
    }

    /** Makes the rename of a compaction durable (Linux: fsync of the folder). */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException notOnThisSystem) {
            // not every system opens a folder; the journal's content is forced either way
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
