package org.frontdoor.channel.sms;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.frontdoor.api.consent.ConsentChange;
import org.frontdoor.api.consent.ConsentSource;
import org.frontdoor.api.consent.Consents;

/**
 * What customers say about being texted: Twilio's opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) and
 * opt-in keywords (START, YES, UNSTOP), each the whole text of a message, in any case, as Twilio matches them. The
 * door records them in core's consent ({@link Consents}, in the database: every node knows them) once the keyword
 * message is stored, and checks it before a send; the keyword message itself carries a {@code consent} annotation
 * ({@code opt-out} or {@code opt-in}) so agents and rules see it.
 */
final class Consent {

    /** The annotation's name on a keyword message. */
    static final String ANNOTATION = "consent";
    static final String OPT_OUT = "opt-out";
    static final String OPT_IN = "opt-in";

    private static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> START = Set.of("START", "YES", "UNSTOP");

    private final Consents consents;

    Consent(Consents consents) {
        this.consents = consents;
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

    /** Records what {@code number} texted ({@code word}), once core stored it as message {@code messageId}. */
    void record(String number, String what, String word, Instant at, long messageId) {
        consents.record(new ConsentChange(SmsInstance.CHANNEL_ID, number, OPT_IN.equals(what), at,
                ConsentSource.KEYWORD, Long.toString(messageId), word.strip().toUpperCase(Locale.ROOT)), "system");
    }

    /** Why nothing may be texted to {@code number} (it texted STOP), or empty. */
    Optional<String> refusal(String number) {
        return consents.find(SmsInstance.CHANNEL_ID, number).map(org.frontdoor.api.consent.Consent::refusal);
    }

    /**
     * Moves the numbers an older version of the door kept in {@code file} (one {@code number=instant} line each) into
     * core's consent, as opt-outs imported from that file, then renames it {@code <file>.imported}, so an upgrade loses
     * no opt-out and the file is read once. A number that texted START since keeps its START (the later statement
     * wins). Nothing to do when there is no file.
     *
     * @return how many numbers were moved
     * @throws IOException when the file cannot be read or renamed (then it stays, and is read again at the next start)
     */
    static int importFile(Consents consents, Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String from = "the file " + file.getFileName();
        int moved = 0;
        for (String number : p.stringPropertyNames()) {
            Instant since;
            try {
                since = Instant.parse(p.getProperty(number).strip());
            } catch (RuntimeException e) {
                throw new IOException("line " + number + " of " + file + " has no valid time: " + e.getMessage(), e);
            }
            consents.record(new ConsentChange(SmsInstance.CHANNEL_ID, number, false, since, ConsentSource.IMPORT,
                    from, "STOP"), "system");
            moved++;
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".imported"), StandardCopyOption.REPLACE_EXISTING);
        return moved;
    }
}
