package org.frontdoor.channel.xmpp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;

/**
 * The file in which an instance keeps the customers' messages it had received but core had not stored when it
 * stopped. The XMPP server handed them over and keeps no copy, so they are written down and taken in at the next start,
 * even after Karaf itself was stopped. One line per message, each field Base64, the file replaced as a whole
 * (written beside it, then moved over it). A message is kept as it was read, with its external id, so a message that
 * core had stored after all is recognised as a repeat and stored once.
 */
final class Spool {

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final String NULL = "-";

    private final Path file;

    Spool(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Writes these messages down in place of what the file held. An empty list removes the file. */
    void keep(Collection<Message> messages) throws IOException {
        if (messages.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder out = new StringBuilder();
        for (Message m : messages) {
            Identity a = m.author();
            out.append(String.join("\t", field(m.externalId()), field(m.visibility().name()), field(a.handle()),
                    field(a.displayName()), field(m.threadRef()), field(m.text()), field(m.receivedAt().toString()),
                    field(m.rawPayload()))).append('\n');
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, out, StandardCharsets.US_ASCII);
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The messages the file holds, oldest first; none when there is no file. The file stays until {@link #keep}. */
    List<Message> read(String instance) throws IOException {
        List<Message> messages = new ArrayList<>();
        if (!Files.exists(file)) {
            return messages;
        }
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 8) {
                throw new IOException("line " + n + " of " + file + " is not a kept message");
            }
            messages.add(Message.inbound(Stanzas.CHANNEL, instance).externalId(value(f[0]))
                    .visibility(Visibility.valueOf(value(f[1])))
                    .author(new Identity(Stanzas.CHANNEL, value(f[2]), value(f[3]), null, null, 0))
                    .threadRef(value(f[4])).text(value(f[5])).receivedAt(Instant.parse(value(f[6])))
                    .rawPayload(value(f[7])).build());
        }
        return messages;
    }

    private static String field(String value) {
        return value == null ? NULL : ENCODE.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(String field) {
        return NULL.equals(field) ? null : new String(DECODE.decode(field), StandardCharsets.UTF_8);
    }
}
