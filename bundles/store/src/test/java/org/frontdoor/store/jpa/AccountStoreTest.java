package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.AccountExistsException;
import org.frontdoor.api.accounts.LoginResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Login accounts on H2 and PostgreSQL: hashes never in clear, no lost update, rehash on login. */
class AccountStoreTest {

    private static final PasswordHash.Parameters CHEAP = new PasswordHash.Parameters(64, 1, 1);

    private TestDatabase db;

    static List<String> databases() {
        return StoreTest.databases();
    }

    private AccountStore open(String kind, PasswordHash.Parameters parameters) throws SQLException {
        if (db == null) {
            db = TestDatabase.create(kind);
        }
        return new AccountStore(db.dataSource, parameters, Clock.systemUTC());
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anAccountLogsInWithItsPasswordOnlyAndItsHashIsArgon2id(String kind) throws SQLException {
        AccountStore accounts = open(kind, CHEAP);

        Account jane = accounts.create("jane", "correct horse".toCharArray(), Set.of("agent"));

        assertThat(jane.version()).isEqualTo(1);
        assertThat(accounts.login("jane", "correct horse".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.ACCEPTED);
        assertThat(accounts.login("jane", "correct horsE".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.WRONG_PASSWORD);
        assertThat(accounts.login("nobody", "correct horse".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.UNKNOWN);
        assertThat(hashOf("jane")).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain("correct horse");
        assertThat(accounts.list()).extracting(Account::name).containsExactly("jane");
        assertThat(accounts.find("jane").orElseThrow().roles()).containsExactly("agent");

        accounts.setDisabled("jane", true);
        assertThat(accounts.login("jane", "correct horse".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.DISABLED);
        accounts.setDisabled("jane", false);
        accounts.setPassword("jane", "battery staple".toCharArray());
        assertThat(accounts.login("jane", "correct horse".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.WRONG_PASSWORD);
        assertThat(accounts.login("jane", "battery staple".toCharArray()).account().version()).isEqualTo(4);
        assertThat(accounts.remove("jane")).isTrue();
        assertThat(accounts.remove("jane")).isFalse();
        assertThat(accounts.find("jane")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void badInputIsRefusedWithTheReason(String kind) throws SQLException {
        AccountStore accounts = open(kind, CHEAP);

        assertThatThrownBy(() -> accounts.create("jane", "short".toCharArray(), Set.of("agent")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 8 characters");
        assertThatThrownBy(() -> accounts.create("ja ne", "long enough".toCharArray(), Set.of("agent")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account name");
        assertThatThrownBy(() -> accounts.create("jane", "long enough".toCharArray(), Set.of("a,b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role name");
        assertThatThrownBy(() -> accounts.create("jane", "long enough".toCharArray(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one role");
        assertThatThrownBy(() -> accounts.setRoles("nobody", Set.of("agent")))
                .isInstanceOf(NoSuchElementException.class).hasMessage("no account named nobody");
        assertThat(accounts.list()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aHashWithOlderParametersIsReplacedAtTheNextLoginAndStillWorks(String kind) throws SQLException {
        open(kind, CHEAP).create("jane", "correct horse".toCharArray(), Set.of("agent"));
        AccountStore raised = open(kind, new PasswordHash.Parameters(128, 2, 1));

        assertThat(raised.login("jane", "wrong password".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.WRONG_PASSWORD);
        assertThat(hashOf("jane")).as("a wrong password changes nothing").contains("m=64,t=1,p=1");
        assertThat(raised.login("jane", "correct horse".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.ACCEPTED);

        assertThat(hashOf("jane")).startsWith("$argon2id$v=19$m=128,t=2,p=1$");
        assertThat(raised.login("jane", "correct horse".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.ACCEPTED);
    }

    /**
     * Two admins (on two nodes: two stores on one database) add users at the same moment: every distinct user is
     * kept, and of two adding the same name exactly one wins while the other is told the name is taken. A users
     * file's read-modify-write would keep only the last writer's copy.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void concurrentAddsFromTwoNodesLoseNoUserAndTheSameNameIsAddedOnce(String kind) throws Exception {
        AccountStore nodeA = open(kind, CHEAP);
        AccountStore nodeB = open(kind, CHEAP);
        int users = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> distinct = new ArrayList<>();
            List<Future<String>> same = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                AccountStore node = i % 2 == 0 ? nodeA : nodeB;
                String name = "user" + i;
                distinct.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    node.create(name, ("password-" + name).toCharArray(), Set.of("agent"));
                    return null;
                }));
            }
            for (AccountStore node : List.of(nodeA, nodeB, nodeA, nodeB)) {
                same.add(pool.submit(() -> {
                    start.await();
                    try {
                        node.create("sam", "password-sam".toCharArray(), Set.of("supervisor"));
                        return "added";
                    } catch (AccountExistsException e) {
                        return e.getMessage();
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : distinct) {
                f.get(60, TimeUnit.SECONDS);
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : same) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(outcomes).filteredOn("added"::equals).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.equals("added"))
                    .containsOnly("an account named sam exists already");
        } finally {
            pool.shutdownNow();
        }
        assertThat(nodeB.list()).hasSize(users + 1);
        for (int i = 0; i < users; i++) {
            assertThat(nodeA.login("user" + i, ("password-user" + i).toCharArray()).outcome())
                    .isEqualTo(LoginResult.Outcome.ACCEPTED);
        }
    }

    /** Concurrent changes to different fields and accounts: every one of them is there afterwards. */
    @ParameterizedTest
    @MethodSource("databases")
    void concurrentChangesToAccountsAreAllKept(String kind) throws Exception {
        AccountStore nodeA = open(kind, CHEAP);
        AccountStore nodeB = open(kind, CHEAP);
        for (int i = 0; i < 10; i++) {
            nodeA.create("user" + i, "first-password".toCharArray(), Set.of("agent"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                String name = "user" + i;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    nodeA.setRoles(name, Set.of("agent", "supervisor"));
                    return null;
                }));
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    nodeB.setPassword(name, ("second-" + name).toCharArray());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 10; i++) {
            LoginResult result = nodeB.login("user" + i, ("second-user" + i).toCharArray());
            assertThat(result.outcome()).isEqualTo(LoginResult.Outcome.ACCEPTED);
            assertThat(result.account().roles()).containsExactlyInAnyOrder("agent", "supervisor");
            assertThat(result.account().version()).isEqualTo(3);
        }
    }

    private String hashOf(String name) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT password_hash FROM login_account WHERE name = '" + name + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
