package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.frontdoor.api.accounts.LoginResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The realm's password login: accounts, users moved from etc/users.properties, roles, throttling. */
class AccountLoginModuleTest {

    @TempDir
    Path dir;

    private Logins logins;

    @BeforeEach
    void setUp() throws Exception {
        logins = new Logins(dir);
    }

    private static String sha256(String password) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aUserWithAnUnsaltedSha256HashLogsInOnceIsMovedIntoTheAccountsAndLeavesTheUsersFile() throws Exception {
        Files.writeString(logins.users, Logins.GROUPS + "root = {CRYPT}" + sha256("old-admin-pw")
                + "{CRYPT},_g_\\:admingroup\njane = {CRYPT}" + sha256("jane-pw") + "{CRYPT},_g_\\:agentgroup\n");

        assertThat(logins.login("root", "old-admin-pw"))
                .containsExactlyInAnyOrder("admin", "manager", "viewer", "systembundles", "ssh", "agent");

        String file = Files.readString(logins.users);
        assertThat(file).doesNotContain("root =").doesNotContain(sha256("old-admin-pw"))
                .contains("jane = {CRYPT}" + sha256("jane-pw"));
        assertThat(logins.hashOf("root")).startsWith("$argon2id$v=19$");
        assertThat(logins.accounts.find("root").orElseThrow().roles()).contains("admin", "ssh");
        assertThat(logins.login("root", "old-admin-pw")).contains("admin");
        assertThatThrownBy(() -> logins.login("root", "Old-admin-pw")).isInstanceOf(FailedLoginException.class);

        assertThat(logins.restLogin("jane", "jane-pw")).containsExactly("agent");
        // Karaf's engine drops a group once no user is in it
        assertThat(Files.readString(logins.users)).doesNotContain("jane =").doesNotContain("{CRYPT}");
    }

    @Test
    void aUserWithAPasswordInClearIsMovedTooAndAWrongPasswordMovesNobody() throws Exception {
        Files.writeString(logins.users, Logins.GROUPS + "sam = sam-clear-pw,supervisor\n");

        assertThatThrownBy(() -> logins.login("sam", "guess")).isInstanceOf(FailedLoginException.class);
        assertThat(Files.readString(logins.users)).contains("sam = sam-clear-pw");
        assertThat(logins.accounts.list()).isEmpty();
        assertThatThrownBy(() -> logins.login("_g_:admingroup", "group")).isInstanceOf(FailedLoginException.class);

        assertThat(logins.login("sam", "sam-clear-pw")).containsExactly("supervisor");
        assertThat(Files.readString(logins.users)).doesNotContain("sam");
    }

    @Test
    void accountRolesGiveTheirKarafRolesAndADisabledAccountIsRefused() throws Exception {
        logins.accounts.create("jane", "jane-password".toCharArray(), Set.of("agent"));
        logins.accounts.create("sam", "sam-password".toCharArray(), Set.of("supervisor", "ssh"));

        assertThat(logins.login("jane", "jane-password")).containsExactly("agent");
        assertThat(logins.login("sam", "sam-password")).containsExactlyInAnyOrder("supervisor", "ssh");

        logins.accounts.setDisabled("jane", true);
        assertThatThrownBy(() -> logins.login("jane", "jane-password")).isInstanceOf(FailedLoginException.class);
    }

    @Test
    void failedLoginsLockTheNameThenTheRightPasswordIsRefusedToo() throws Exception {
        logins.accounts.create("jane", "jane-password".toCharArray(), Set.of("agent"));
        ClientPrincipal ssh = new ClientPrincipal("ssh", "/192.0.2.7:52044");

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> logins.login("jane", "guess", ssh))
                    .isInstanceOf(FailedLoginException.class)
                    .isNotInstanceOf(AccountLoginModule.ThrottledLoginException.class);
        }

        assertThatThrownBy(() -> logins.login("jane", "jane-password", ssh))
                .isInstanceOf(AccountLoginModule.ThrottledLoginException.class)
                .hasMessage("too many failed logins for this user; try again later");
        assertThat(logins.accounts.login("jane", "jane-password".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.ACCEPTED);
    }

    @Test
    void failedLoginsFromOneAddressLockItWhateverThePortAndTheNames() throws Exception {
        logins.accounts.create("jane", "jane-password".toCharArray(), Set.of("agent"));

        for (int i = 0; i < 5; i++) {
            ClientPrincipal ssh = new ClientPrincipal("ssh", "/192.0.2.7:" + (50000 + i));
            assertThatThrownBy(() -> logins.login("nobody-" + System.nanoTime(), "guess", ssh))
                    .isInstanceOf(FailedLoginException.class);
        }

        assertThatThrownBy(() -> logins.login("jane", "jane-password", new ClientPrincipal("ssh", "/192.0.2.7:1")))
                .isInstanceOf(AccountLoginModule.ThrottledLoginException.class)
                .hasMessage("too many failed logins from this address; try again later");
        assertThat(logins.login("jane", "jane-password", new ClientPrincipal("ssh", "/192.0.2.8:1")))
                .containsExactly("agent");
    }

    @Test
    void restLoginsAreCountedByTheRestLayerOnlyNotTwice() throws Exception {
        logins.accounts.create("jane", "jane-password".toCharArray(), Set.of("agent"));

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> logins.restLogin("jane", "guess")).isInstanceOf(LoginException.class);
        }

        assertThat(logins.throttle.size()).isZero();
        assertThat(logins.login("jane", "jane-password")).containsExactly("agent");
    }

    @Test
    void theHostOfAnSshClientAddressIsWithoutItsPort() {
        assertThat(AccountLoginModule.host("/192.0.2.7:52044")).isEqualTo("192.0.2.7");
        assertThat(AccountLoginModule.host("client.example/192.0.2.7:52044")).isEqualTo("192.0.2.7");
        assertThat(AccountLoginModule.host("/[2001:db8:0:0:0:0:0:1]:52044")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(AccountLoginModule.host("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(AccountLoginModule.host(null)).isNull();
    }
}
