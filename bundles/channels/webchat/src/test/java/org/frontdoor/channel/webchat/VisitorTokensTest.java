package org.frontdoor.channel.webchat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VisitorTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final VisitorTokens tokens = new VisitorTokens("shop", "key-one", Duration.ofDays(30), clock);

    @Test
    void aTokenNamesItsVisitor() {
        String visitor = VisitorTokens.newVisitorId();
        String token = tokens.visitorToken(visitor);

        assertThat(tokens.visitor(token)).contains(visitor);
        assertThat(token).doesNotContain("key-one");
        assertThat(tokens.toString()).doesNotContain("key-one");
    }

    @Test
    void visitorIdsAreRandomAndUrlSafe() {
        String a = VisitorTokens.newVisitorId();
        String b = VisitorTokens.newVisitorId();
        assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void aForgedOrAlteredTokenIsRefused() {
        String token = tokens.visitorToken("visitorA");
        String[] parts = token.split("\\.");
        String otherVisitor = String.join(".", parts[0], parts[1], parts[2], "visitorB", parts[4], parts[5]);
        String flippedMac = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");

        assertThat(tokens.visitor(otherVisitor)).isEmpty();
        assertThat(tokens.visitor(flippedMac)).isEmpty();
        assertThat(tokens.visitor("v1.visitor.c2hvcA.visitorA.1.bm90IGEgbWFj")).isEmpty();
        assertThat(tokens.visitor("")).isEmpty();
        assertThat(tokens.visitor(null)).isEmpty();
        assertThat(tokens.visitor("garbage")).isEmpty();
        assertThat(tokens.visitor("a.b.c.d.e.%%%")).isEmpty();
    }

    @Test
    void anotherInstancesTokenIsRefusedEvenWithTheSameKey() {
        VisitorTokens other = new VisitorTokens("blog", "key-one", Duration.ofDays(30), clock);
        assertThat(tokens.visitor(other.visitorToken("visitorA"))).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        VisitorTokens other = new VisitorTokens("shop", "key-two", Duration.ofDays(30), clock);
        assertThat(tokens.visitor(other.visitorToken("visitorA"))).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefused() {
        VisitorTokens past = new VisitorTokens("shop", "key-one", Duration.ofDays(30),
                Clock.fixed(NOW.minus(Duration.ofDays(31)), ZoneOffset.UTC));
        VisitorTokens recent = new VisitorTokens("shop", "key-one", Duration.ofDays(30),
                Clock.fixed(NOW.minus(Duration.ofDays(29)), ZoneOffset.UTC));

        assertThat(tokens.visitor(past.visitorToken("visitorA"))).isEmpty();
        assertThat(tokens.visitor(recent.visitorToken("visitorA"))).contains("visitorA");
    }

    @Test
    void aTokenFromTheFutureIsRefused() {
        VisitorTokens future = new VisitorTokens("shop", "key-one", Duration.ofDays(30),
                Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertThat(tokens.visitor(future.visitorToken("visitorA"))).isEmpty();
    }

    @Test
    void aTokenOfAnotherPurposeIsNotAVisitorToken() {
        String confirm = tokens.sign("other", "visitorA");
        assertThat(tokens.visitor(confirm)).isEmpty();
        assertThat(tokens.verify(confirm, "other", Duration.ofMinutes(15))).isPresent();
    }
}
