package org.frontdoor.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.frontdoor.api.accounts.LoginResult;
import org.frontdoor.store.jpa.AccountStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** frontdoor:user-* on the real login accounts (H2): admins only, passwords from a file, never the last admin. */
class UserCommandsTest {

    private static final Set<String> ADMIN = Set.of("admin", "ssh");

    @TempDir
    Path dir;

    private AccountStore accounts;

    @BeforeEach
    void setUp() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:shell_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        accounts = new AccountStore(ds);
        accounts.create("root", "root-password".toCharArray(), Set.of("admin"));
    }

    private <A extends UserAction> A wired(A action) {
        action.accounts = accounts;
        return action;
    }

    private Path passwordFile(String password) throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".txt");
        Files.writeString(file, password + "\n");
        return file;
    }

    @Test
    void anAdminAddsListsChangesDisablesAndRemovesAnAccount() throws Exception {
        UserAddCommand add = wired(new UserAddCommand());
        add.name = "jane";
        add.roles = List.of("agent", "ssh");
        add.passwordFile = passwordFile("jane-password").toString();

        assertThat(Console.runAs("root", ADMIN, add).out()).isEqualTo("Added jane with roles agent, ssh\n");
        assertThat(accounts.login("jane", "jane-password".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.ACCEPTED);

        Console.Output list = Console.runAs("root", ADMIN, wired(new UserListCommand()));
        assertThat(list.table()).extracting(row -> row.get(0)).containsExactly("Name", "jane", "root");
        assertThat(list.out()).doesNotContain("argon2");

        UserPasswdCommand passwd = wired(new UserPasswdCommand());
        passwd.name = "jane";
        passwd.passwordFile = passwordFile("second-password").toString();
        assertThat(Console.runAs("root", ADMIN, passwd).out()).isEqualTo("Changed the password of jane\n");
        assertThat(accounts.login("jane", "second-password".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.ACCEPTED);

        UserRolesCommand roles = wired(new UserRolesCommand());
        roles.name = "jane";
        roles.roles = List.of("supervisor");
        assertThat(Console.runAs("root", ADMIN, roles).out()).contains("jane has roles supervisor");

        UserDisableCommand disable = wired(new UserDisableCommand());
        disable.name = "jane";
        assertThat(Console.runAs("root", ADMIN, disable).out()).isEqualTo("Disabled jane\n");
        assertThat(accounts.login("jane", "second-password".toCharArray()).outcome())
                .isEqualTo(LoginResult.Outcome.DISABLED);

        UserRemoveCommand remove = wired(new UserRemoveCommand());
        remove.name = "jane";
        assertThat(Console.runAs("root", ADMIN, remove).out()).isEqualTo("Removed jane\n");
        assertThat(accounts.find("jane")).isEmpty();
    }

    @Test
    void othersAreRefusedInOneSentenceAndBadInputToo() throws Exception {
        UserAddCommand add = wired(new UserAddCommand());
        add.name = "eve";
        add.roles = List.of("admin");
        add.passwordFile = passwordFile("eve-password").toString();

        assertThat(Console.runAs("jane", Set.of("agent"), add).err()).isEqualTo("Only an admin manages login accounts\n");
        assertThat(accounts.find("eve")).isEmpty();

        add.passwordFile = passwordFile("short").toString();
        assertThat(Console.runAs("root", ADMIN, add).err()).isEqualTo("a password has at least 8 characters\n");
        add.name = "root";
        assertThat(Console.runAs("root", ADMIN, add).err()).isEqualTo("An account named root exists already\n");
        add.name = "eve";
        add.passwordFile = null;
        assertThat(Console.runAs("root", ADMIN, add).err())
                .isEqualTo("No console to read the password from: give --password-file\n");
        // bin/client "COMMAND" (SSH exec) has a session but no terminal: Karaf's readLine refuses
        add.session = (org.apache.karaf.shell.api.console.Session) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.apache.karaf.shell.api.console.Session.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException();
                });
        assertThat(Console.runAs("root", ADMIN, add).err())
                .isEqualTo("No console to type the password on: give --password-file\n");
        add.session = null;

        UserRolesCommand roles = wired(new UserRolesCommand());
        roles.name = "root";
        roles.roles = List.of("agent");
        assertThat(Console.runAs("root", ADMIN, roles).err())
                .isEqualTo("root is the last enabled admin; make another admin first\n");
        UserRemoveCommand remove = wired(new UserRemoveCommand());
        remove.name = "root";
        assertThat(Console.runAs("root", ADMIN, remove).err())
                .isEqualTo("root is the last enabled admin; make another admin first\n");
        assertThat(accounts.find("root").orElseThrow().roles()).containsExactly("admin");

        UserListCommand list = new UserListCommand();
        assertThat(Console.runAs("root", ADMIN, list).err()).isEqualTo(UserAction.ACCOUNTS_DOWN + "\n");
    }
}
