package org.frontdoor.channel.webchat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed tokens of one web chat instance (HMAC-SHA256): a visitor token names the instance and a random visitor id,
 * and is what the widget keeps in the site's localStorage; a token of another purpose is never a visitor token. Never
 * logged: {@link #toString()} names the instance only.
 *
 * <p>Form: {@code v1.<purpose>.<instance, base64url>.<subject>.<issued epoch seconds>.<mac, base64url>}.
 */
final class VisitorTokens {

    static final String VISITOR = "visitor";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a valid token says. */
    record Claims(String purpose, String instance, String subject, Instant issuedAt) {
    }

    private final String instance;
    private final byte[] key;
    private final Duration maxAge;
    private final Clock clock;

    VisitorTokens(String instance, String secret, Duration maxAge, Clock clock) {
        this.instance = instance;
        this.key = secret.getBytes(StandardCharsets.UTF_8);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** A new random visitor id: 128 bits, URL-safe. */
    static String newVisitorId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return B64.encodeToString(id);
    }

    String visitorToken(String visitorId) {
        return sign(VISITOR, visitorId);
    }

    String sign(String purpose, String subject) {
        if (!subject.matches("[A-Za-z0-9_-]{1,200}") || !purpose.matches("[a-z]{1,20}")) {
            throw new IllegalArgumentException("a token's subject is URL-safe base64");
        }
        String body = "v1." + purpose + "." + B64.encodeToString(instance.getBytes(StandardCharsets.UTF_8)) + "."
                + subject + "." + clock.instant().getEpochSecond();
        return body + "." + B64.encodeToString(mac(body));
    }

    /** The visitor id of a valid visitor token of this instance, or empty. */
    Optional<String> visitor(String token) {
        return verify(token, VISITOR, maxAge).map(Claims::subject);
    }

    /**
     * The claims of a token signed by this instance's key for this instance and purpose, issued no longer than
     * {@code maxAge} ago (and not in the future); empty for anything else: forged, altered, expired, of another instance.
     */
    Optional<Claims> verify(String token, String purpose, Duration maxAge) {
        if (token == null || token.length() > 600) {
            return Optional.empty();
        }
        int cut = token.lastIndexOf('.');
        if (cut < 0) {
            return Optional.empty();
        }
        String body = token.substring(0, cut);
        byte[] given;
        try {
            given = B64D.decode(token.substring(cut + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(body), given)) {
            return Optional.empty();
        }
        String[] parts = body.split("\\.", -1);
        if (parts.length != 5 || !"v1".equals(parts[0]) || !purpose.equals(parts[1])) {
            return Optional.empty();
        }
        String named;
        Instant issued;
        try {
            named = new String(B64D.decode(parts[2]), StandardCharsets.UTF_8);
            issued = Instant.ofEpochSecond(Long.parseLong(parts[4]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!instance.equals(named) || issued.isAfter(now.plusSeconds(60)) || issued.plus(maxAge).isBefore(now)) {
            return Optional.empty();
        }
        return Optional.of(new Claims(parts[1], named, parts[3], issued));
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "tokens of web chat instance " + instance;
    }
}
