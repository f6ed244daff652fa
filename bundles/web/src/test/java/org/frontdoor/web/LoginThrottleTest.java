package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.login.FailedLoginException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failed REST logins, counted per user name and per client address, driven through the servlet. */
class LoginThrottleTest {

    private static final String JANE = "192.0.2.10";
    private static final String GUESSER = "198.51.100.7";
    private static final String OTHER = "203.0.113.5";

    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final AtomicInteger realmCalls = new AtomicInteger();
    private final LoginThrottle throttle = new LoginThrottle(clock,
            new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15), 10_000));
    private final ApiServlet servlet = new ApiServlet(new Authenticator((user, password) -> {
        realmCalls.incrementAndGet();
        String pw = new String(password);
        if (user.equals("jane") && pw.equals("jane-pw") || user.equals("admin") && pw.equals("admin-pw")) {
            return Set.of("agent");
        }
        if (user.equals("broken")) {
            throw new IllegalStateException("the realm is broken");
        }
        throw new FailedLoginException("login failed");
    }, clock, Duration.ofSeconds(30), throttle));

    LoginThrottleTest() {
        servlet.inbox = new MemoryInbox();
    }

    private FakeHttp.Response login(String user, String password, String address) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        JaxRs.service(servlet, FakeHttp.request("GET", "/conversations", null, Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))),
                null, address), response.servlet());
        return response;
    }

    private void failTimes(int times, String user, String address) throws Exception {
        for (int i = 0; i < times; i++) {
            assertThat(login(user, "guess-" + i, address).status).isEqualTo(401);
        }
    }

    @Test
    void fiveWrongPasswordsLockTheUserEvenWithTheRightPasswordWithoutAskingTheRealm() throws Exception {
        failTimes(5, "jane", GUESSER);
        int asked = realmCalls.get();

        FakeHttp.Response right = login("jane", "jane-pw", JANE);
        FakeHttp.Response wrong = login("jane", "guess-6", GUESSER);

        for (FakeHttp.Response r : new FakeHttp.Response[] {right, wrong}) {
            assertThat(r.status).isEqualTo(429);
            assertThat(r.headers.get("Retry-After")).isEqualTo("900");
            assertThat(r.headers).doesNotContainKey("WWW-Authenticate");
            assertThat(r.json().path("error").asText()).isEqualTo("too many failed logins for this user; try again "
                    + "later");
        }
        assertThat(realmCalls).hasValue(asked);

        now = now.plusSeconds(600);
        assertThat(login("jane", "jane-pw", JANE).headers.get("Retry-After")).isEqualTo("300");
    }

    @Test
    void anotherUserFromAnotherAddressIsNotAffected() throws Exception {
        failTimes(5, "jane", GUESSER);

        assertThat(login("admin", "admin-pw", OTHER).status).isEqualTo(200);
        assertThat(login("admin", "wrong", OTHER).status).isEqualTo(401);
    }

    @Test
    void anAddressIsLockedAfterTwentyFailuresWhateverTheNames() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(login("user" + i, "guess", GUESSER).status).isEqualTo(401);
        }
        int asked = realmCalls.get();

        FakeHttp.Response fromGuesser = login("admin", "admin-pw", GUESSER);

        assertThat(fromGuesser.status).isEqualTo(429);
        assertThat(fromGuesser.headers.get("Retry-After")).isEqualTo("900");
        assertThat(fromGuesser.json().path("error").asText()).contains("from this address");
        assertThat(realmCalls).hasValue(asked);
        assertThat(login("admin", "admin-pw", OTHER).status).isEqualTo(200);
        assertThat(login("user1", "guess", OTHER).status).isEqualTo(401);
    }

    @Test
    void onceTheWindowHasPassedTheUserAndTheAddressMayTryAgain() throws Exception {
        failTimes(5, "jane", GUESSER);
        for (int i = 0; i < 15; i++) {
            login("user" + i, "guess", GUESSER);
        }
        assertThat(login("admin", "admin-pw", GUESSER).status).isEqualTo(429);

        now = now.plus(Duration.ofMinutes(15)).minusSeconds(1);
        assertThat(login("jane", "jane-pw", JANE).headers.get("Retry-After")).isEqualTo("1");

        now = now.plusSeconds(1);
        assertThat(login("jane", "jane-pw", JANE).status).isEqualTo(200);
        assertThat(login("admin", "admin-pw", GUESSER).status).isEqualTo(200);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() throws Exception {
        failTimes(4, "jane", GUESSER);
        now = now.plus(Duration.ofMinutes(15));

        failTimes(4, "jane", GUESSER);

        assertThat(login("jane", "jane-pw", JANE).status).isEqualTo(200);
    }

    @Test
    void aSuccessForgetsTheUsersFailuresButNotTheAddresss() throws Exception {
        failTimes(4, "jane", JANE);
        assertThat(login("jane", "jane-pw", JANE).status).isEqualTo(200);

        failTimes(4, "jane", JANE);
        assertThat(login("jane", "jane-pw", JANE).status).isEqualTo(200);

        // 8 failures from this address so far: a success does not reset them, 12 more lock it
        for (int i = 0; i < 12; i++) {
            login("user" + i, "guess", JANE);
        }
        assertThat(login("jane", "jane-pw", JANE).status).isEqualTo(429);
    }

    @Test
    void requestsWithoutCredentialsAreChallengedAsBefore() throws Exception {
        failTimes(5, "jane", GUESSER);
        FakeHttp.Response anonymous = new FakeHttp.Response();

        JaxRs.service(servlet, FakeHttp.request("GET", "/conversations", null, Map.of(), null, GUESSER), anonymous.servlet());

        assertThat(anonymous.status).isEqualTo(401);
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfMadeUpNames() throws Exception {
        LoginThrottle small = new LoginThrottle(clock, new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15), 1_000));
        for (int i = 0; i < 100_000; i++) {
            small.failed(UUID.randomUUID() + "x".repeat(i % 300), "10." + (i >> 16 & 255) + "." + (i >> 8 & 255)
                    + "." + (i & 255));
        }

        assertThat(small.size()).isLessThanOrEqualTo(2_000);
        // the most recent keep counting
        String name = "last-one";
        for (int i = 0; i < 5; i++) {
            small.failed(name, "10.9.9.9");
        }
        assertThatThrownBy(() -> small.check(name, "10.9.9.10")).isInstanceOf(LoginThrottle.Locked.class);
    }

    @Test
    void parallelGuessesGetNoMoreTriesThanSequentialOnes() throws Exception {
        for (int i = 0; i < 5; i++) {
            throttle.begin("jane", "10.0.0." + i);
        }

        assertThatThrownBy(() -> throttle.begin("jane", "10.0.1.1")).isInstanceOfSatisfying(LoginThrottle.Locked.class,
                locked -> {
                    assertThat(locked.getMessage()).contains("being checked at once");
                    assertThat(locked.retryAfterSeconds()).isEqualTo(1);
                });
        for (int i = 0; i < 5; i++) {
            throttle.failed("jane", "10.0.0." + i);
        }
        assertThatThrownBy(() -> throttle.check("jane", "10.0.1.1")).isInstanceOfSatisfying(LoginThrottle.Locked.class,
                locked -> assertThat(locked.retryAfterSeconds()).isEqualTo(900));
    }

    @Test
    void aLoginTheRealmCouldNotCheckCountsForNothing() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(login("broken", "pw", GUESSER).status).isEqualTo(500);
        }
        assertThat(login("admin", "admin-pw", GUESSER).status).isEqualTo(200);
    }

    @Test
    void newLimitsApplyToTheNextAttempt() throws Exception {
        failTimes(2, "jane", GUESSER);
        failTimes(3, "admin", GUESSER);

        throttle.update(new LoginThrottle.Settings(3, 20, Duration.ofMinutes(15), 10_000));

        assertThat(login("jane", "guess", GUESSER).status).isEqualTo(401);
        assertThat(login("jane", "jane-pw", JANE).status).isEqualTo(429);
        FakeHttp.Response admin = login("admin", "admin-pw", OTHER);
        assertThat(admin.status).as("lowered below what was counted: locked at once").isEqualTo(429);
        assertThat(admin.headers.get("Retry-After")).isEqualTo("900");
    }

    @Test
    void userNamesAreLoggedAsData() {
        assertThat(LoginThrottle.printable("eve\r\nINFO forged\u202e")).isEqualTo("\"eve\\u000d\\u000aINFO forged\\u202e\"");
        assertThat(LoginThrottle.printable("x".repeat(100))).isEqualTo("\"" + "x".repeat(64) + "...\"");
        assertThat(LoginThrottle.printable(null)).isEqualTo("unknown");
    }
}
