package org.frontdoor.channel.sms;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who said STOP to this number: Twilio's opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) and opt-in
 * keywords (START, YES, UNSTOP), each the whole text of a message, in any case, as Twilio matches them. Core has no
 * consent model yet, so the door keeps the opted-out numbers itself (in a file under the Karaf data directory, so a
 * restart keeps them) and refuses replies to them; the keyword message itself is stored with a {@code consent}
 * annotation ({@code opt-out} or {@code opt-in}) so agents and rules see it.
 */
final class Consent {

    /** The annotation's name on a keyword message. */
    static final String ANNOTATION = "consent";
    static final String OPT_OUT = "opt-out";
    static final String OPT_IN = "opt-in";

    private static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> START = Set.of("START", "YES", "UNSTOP");

    private final Path file;
    private final Map<String, Instant> optedOut = new ConcurrentHashMap<>();

    /** Kept in {@code file}, or in memory only when it is null. */
    Consent(Path file) throws IOException {
        this.file = file;
        if (file != null && Files.exists(file)) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(n -> optedOut.put(n, Instant.parse(p.getProperty(n))));
        }
    }

    /** {@link #OPT_OUT}, {@link #OPT_IN}, or empty: what a message's text says about consent. */
    static Optional<String> keyword(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String word = text.strip().toUpperCase(Locale.ROOT);
        if (STOP.contains(word)) {
            return Optional.of(OPT_OUT);
        }
        if (START.contains(word)) {
            return Optional.of(OPT_IN);
        }
        return Optional.empty();
    }

    /** Records what {@code number} said, once core stored it. */
    synchronized void record(String number, String what, Instant at) throws IOException {
        boolean changed = OPT_OUT.equals(what) ? optedOut.putIfAbsent(number, at) == null
                : optedOut.remove(number) != null;
        if (changed) {
            save();
        }
    }

    /** Since when {@code number} is opted out, or empty. */
    Optional<Instant> optedOutSince(String number) {
        return Optional.ofNullable(optedOut.get(number));
    }

    private void save() throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        Properties p = new Properties();
        new TreeMap<>(optedOut).forEach((n, at) -> p.setProperty(n, at.toString()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "numbers that texted STOP to this door, and when; START removes them");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
