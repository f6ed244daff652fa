package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.login.FailedLoginException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {

    private final AtomicInteger logins = new AtomicInteger();
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final Authenticator authenticator = new Authenticator((user, password) -> {
        logins.incrementAndGet();
        if (user.equals("jane") && new String(password).equals("pä:ss wörd")) {
            return Set.of("agent", "group");
        }
        throw new FailedLoginException("wrong");
    }, clock, Duration.ofSeconds(30), new LoginThrottle(clock,
            new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15), 10_000)));

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesBasicCredentialsIncludingColonsAndUnicodeInThePassword() {
        assertThat(Authenticator.parseBasic(basic("jane:pä:ss wörd"))).containsExactly("jane", "pä:ss wörd");
        assertThat(Authenticator.parseBasic("basic " + Base64.getEncoder().encodeToString("a:b".getBytes())))
                .containsExactly("a", "b");
    }

    @Test
    void rejectsMalformedHeaders() {
        assertThat(Authenticator.parseBasic(null)).isNull();
        assertThat(Authenticator.parseBasic("Bearer abc")).isNull();
        assertThat(Authenticator.parseBasic("Basic ###")).isNull();
        assertThat(Authenticator.parseBasic(basic("no-colon"))).isNull();
        assertThat(Authenticator.parseBasic(basic(":password-only"))).isNull();
    }

    @Test
    void logsInAndReturnsTheRoles() throws Exception {
        Authenticator.User user = authenticator.authenticate(basic("jane:pä:ss wörd"), "192.0.2.1");

        assertThat(user.name()).isEqualTo("jane");
        assertThat(user.roles()).contains("agent");
        assertThat(authenticator.authenticate(basic("jane:wrong"), "192.0.2.1")).isNull();
    }

    @Test
    void remembersASuccessfulLoginUntilItExpires() throws Exception {
        authenticator.authenticate(basic("jane:pä:ss wörd"), "192.0.2.1");
        authenticator.authenticate(basic("jane:pä:ss wörd"), "192.0.2.1");
        assertThat(logins).hasValue(1);

        now = now.plusSeconds(31);
        authenticator.authenticate(basic("jane:pä:ss wörd"), "192.0.2.1");
        assertThat(logins).hasValue(2);
    }

    @Test
    void neverRemembersAFailure() throws Exception {
        authenticator.authenticate(basic("jane:wrong"), "192.0.2.1");
        authenticator.authenticate(basic("jane:wrong"), "192.0.2.1");

        assertThat(logins).hasValue(2);
    }

    @Test
    void aForgottenLoginIsCheckedAgainAtTheNextRequest() throws Exception {
        authenticator.authenticate(basic("jane:pä:ss wörd"), "192.0.2.1");
        authenticator.forget(basic("jane:pä:ss wörd"));
        authenticator.authenticate(basic("jane:pä:ss wörd"), "192.0.2.1");

        assertThat(logins).hasValue(2);
    }
}
