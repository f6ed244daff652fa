package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.AccountExistsException;
import org.frontdoor.api.accounts.Accounts;
import org.frontdoor.api.accounts.LoginResult;
import org.frontdoor.store.EventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login accounts in table {@code login_account}. Adding is one INSERT, refused by the unique name when another admin
 * or node added the name first; every change is one UPDATE of one row that bumps its version, so concurrent changes
 * to different accounts never see each other. A rehash after a login only replaces the very hash it checked, so a
 * password changed meanwhile is never overwritten with the old one.
 */
@Component(service = Accounts.class, immediate = true)
public class AccountStore implements Accounts {

    private static final Logger LOG = LoggerFactory.getLogger(AccountStore.class);
    private static final String COLUMNS = "name, roles, disabled, created_at, updated_at, version";

    private final Jdbc jdbc;
    private final PasswordHash hashes;
    private final Clock clock;

    /**
     * In Karaf: after the store ({@code migrated}, unused otherwise) has brought the schema up to date, so two
     * components never migrate a fresh database at once.
     */
    @Activate
    public AccountStore(@Reference(target = "(dataSourceName=frontdoor)") DataSource dataSource,
                        @Reference EventStore migrated) throws SQLException {
        this(dataSource, PasswordHash.DEFAULT, Clock.systemUTC(), false);
    }

    /** Outside Karaf (tests, tools): migrates the schema first. */
    public AccountStore(DataSource dataSource) throws SQLException {
        this(dataSource, PasswordHash.DEFAULT, Clock.systemUTC(), true);
    }

    AccountStore(DataSource dataSource, PasswordHash.Parameters parameters, Clock clock) throws SQLException {
        this(dataSource, parameters, clock, true);
    }

    private AccountStore(DataSource dataSource, PasswordHash.Parameters parameters, Clock clock, boolean migrate)
            throws SQLException {
        if (migrate) {
            new Migrations(dataSource).migrate();
        }
        Migrations.Dialect dialect;
        try (Connection c = dataSource.getConnection()) {
            dialect = Migrations.Dialect.of(c);
        }
        this.jdbc = new Jdbc(dataSource, dialect);
        this.hashes = new PasswordHash(parameters);
        this.clock = clock;
    }

    @Override
    public Account create(String name, char[] password, Set<String> roles) {
        checkPassword(password);
        return adopt(name, password, roles);
    }

    @Override
    public Account adopt(String name, char[] password, Set<String> roles) {
        checkName(name);
        Set<String> checked = checkRoles(roles);
        String hash = hashes.hash(password);
        Instant now = now();
        try {
            jdbc.inTransaction("add account " + name, c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO login_account (name, password_hash, roles, "
                        + "disabled, created_at, updated_at, version) VALUES (?, ?, ?, FALSE, ?, ?, 1)")) {
                    s.setString(1, name);
                    s.setString(2, hash);
                    s.setString(3, String.join(",", checked));
                    s.setTimestamp(4, Timestamp.from(now));
                    s.setTimestamp(5, Timestamp.from(now));
                    s.executeUpdate();
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                throw new AccountExistsException(name);
            }
            throw e;
        }
        return new Account(name, checked, false, now, now, 1);
    }

    @Override
    public Optional<Account> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return jdbc.inTransaction("read account", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM login_account WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(account(rs)) : Optional.<Account>empty();
                }
            }
        });
    }

    @Override
    public List<Account> list() {
        return jdbc.inTransaction("list accounts", c -> {
            List<Account> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM login_account ORDER BY name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(account(rs));
                }
            }
            return out;
        });
    }

    @Override
    public LoginResult login(String name, char[] password) {
        record Row(Account account, String hash) {
        }
        Row row = name == null ? null : jdbc.inTransaction("read account", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + ", password_hash FROM login_account WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new Row(account(rs), rs.getString("password_hash")) : null;
                }
            }
        });
        if (row == null) {
            hashes.verifyDummy(password);
            return new LoginResult(LoginResult.Outcome.UNKNOWN, null);
        }
        if (row.account().disabled()) {
            hashes.verifyDummy(password);
            return new LoginResult(LoginResult.Outcome.DISABLED, null);
        }
        if (!hashes.verify(password, row.hash())) {
            return new LoginResult(LoginResult.Outcome.WRONG_PASSWORD, null);
        }
        if (!hashes.needsRehash(row.hash())) {
            return new LoginResult(LoginResult.Outcome.ACCEPTED, row.account());
        }
        String fresh = hashes.hash(password);
        int updated = jdbc.inTransaction("rehash account " + name, c -> {
            // only the hash just checked is replaced: a password changed meanwhile stays
            try (PreparedStatement s = c.prepareStatement("UPDATE login_account SET password_hash = ?, "
                    + "version = version + 1 WHERE name = ? AND password_hash = ?")) {
                s.setString(1, fresh);
                s.setString(2, name);
                s.setString(3, row.hash());
                return s.executeUpdate();
            }
        });
        if (updated == 1) {
            LOG.info("Rehashed the password of account {} with the current Argon2id parameters", name);
        }
        return new LoginResult(LoginResult.Outcome.ACCEPTED, find(name).orElse(row.account()));
    }

    @Override
    public Account setPassword(String name, char[] password) {
        checkPassword(password);
        String hash = hashes.hash(password);
        return update(name, "change the password of", "password_hash = ?", s -> s.setString(1, hash));
    }

    @Override
    public Account setRoles(String name, Set<String> roles) {
        Set<String> checked = checkRoles(roles);
        return update(name, "change the roles of", "roles = ?", s -> s.setString(1, String.join(",", checked)));
    }

    @Override
    public Account setDisabled(String name, boolean disabled) {
        return update(name, disabled ? "disable" : "enable", "disabled = ?", s -> s.setBoolean(1, disabled));
    }

    @Override
    public boolean remove(String name) {
        return jdbc.inTransaction("remove account " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM login_account WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() == 1;
            }
        });
    }

    private interface Setter {
        void set(PreparedStatement s) throws SQLException;
    }

    /** One UPDATE of one row: the database orders it with any other change to that row, none is lost. */
    private Account update(String name, String what, String assignment, Setter setter) {
        Instant now = now();
        return jdbc.inTransaction(what + " account " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE login_account SET " + assignment
                    + ", updated_at = ?, version = version + 1 WHERE name = ?")) {
                setter.set(s);
                s.setTimestamp(2, Timestamp.from(now));
                s.setString(3, name);
                if (s.executeUpdate() != 1) {
                    throw new NoSuchElementException("no account named " + name);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM login_account WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return account(rs);
                }
            }
        });
    }

    private Instant now() {
        // what both databases keep
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Account account(ResultSet rs) throws SQLException {
        String roles = rs.getString("roles");
        return new Account(rs.getString("name"),
                roles.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(roles.split(","))),
                rs.getBoolean("disabled"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getLong("version"));
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an account name is 1 to 64 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or a digit");
        }
    }

    private static Set<String> checkRoles(Set<String> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("an account needs at least one role (admin, supervisor or agent)");
        }
        for (String role : roles) {
            if (role == null || !ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("a role name is 1 to 40 letters, digits, '.', '_' or '-'");
            }
        }
        if (roles.size() > 20) {
            throw new IllegalArgumentException("an account has at most 20 roles");
        }
        return new TreeSet<>(roles);
    }

    private static void checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("a password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length > 1024) {
            throw new IllegalArgumentException("a password has at most 1024 characters");
        }
    }
}
