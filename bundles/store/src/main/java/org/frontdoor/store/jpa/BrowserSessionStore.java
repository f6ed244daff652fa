package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.frontdoor.api.accounts.Accounts;
import org.frontdoor.api.accounts.BrowserSessions;
import org.frontdoor.store.EventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Browser sessions in table {@code browser_session}, one row a session under the SHA-256 of its id: every node on the
 * database knows every session, and a restart forgets none. Each operation is one statement; a use only moves
 * {@code last_used_at} forward, so two nodes serving one browser at once never move it back.
 */
@Component(service = BrowserSessions.class, immediate = true)
public class BrowserSessionStore implements BrowserSessions {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Jdbc jdbc;

    /** In Karaf: after the store ({@code migrated}, unused otherwise) has brought the schema up to date. */
    @Activate
    public BrowserSessionStore(@Reference(target = "(dataSourceName=frontdoor)") DataSource dataSource,
                               @Reference EventStore migrated) throws SQLException {
        this(dataSource, false);
    }

    /** Outside Karaf (tests, tools): migrates the schema first. */
    public BrowserSessionStore(DataSource dataSource) throws SQLException {
        this(dataSource, true);
    }

    private BrowserSessionStore(DataSource dataSource, boolean migrate) throws SQLException {
        if (migrate) {
            new Migrations(dataSource).migrate();
        }
        try (Connection c = dataSource.getConnection()) {
            this.jdbc = new Jdbc(dataSource, Migrations.Dialect.of(c));
        }
    }

    @Override
    public void create(String idHash, String user, Set<String> roles, Instant now) {
        check(idHash);
        if (user == null || !Accounts.NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("not a login name: " + user);
        }
        String joined = String.join(",", new TreeSet<>(roles));
        if (joined.length() > 1000) {
            throw new IllegalArgumentException("too many roles for one session");
        }
        jdbc.inTransaction("record a browser session", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO browser_session (id_hash, user_name, roles, "
                    + "created_at, last_used_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, idHash);
                s.setString(2, user);
                s.setString(3, joined);
                s.setTimestamp(4, Timestamp.from(now));
                s.setTimestamp(5, Timestamp.from(now));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Session> find(String idHash) {
        if (idHash == null || !HASH.matcher(idHash).matches()) {
            return Optional.empty();
        }
        return jdbc.inTransaction("read a browser session", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT user_name, roles, last_used_at FROM browser_session "
                    + "WHERE id_hash = ?")) {
                q.setString(1, idHash);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String roles = rs.getString(2);
                    Set<String> set = roles.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(roles.split(",")));
                    return Optional.of(new Session(rs.getString(1), set, rs.getTimestamp(3).toInstant()));
                }
            }
        });
    }

    @Override
    public void touch(String idHash, Instant now) {
        check(idHash);
        update("record a browser session's use", "UPDATE browser_session SET last_used_at = ? WHERE id_hash = ? "
                + "AND last_used_at < ?", s -> {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, idHash);
            s.setTimestamp(3, Timestamp.from(now));
        });
    }

    @Override
    public void end(String idHash) {
        if (idHash == null || !HASH.matcher(idHash).matches()) {
            return;
        }
        update("end a browser session", "DELETE FROM browser_session WHERE id_hash = ?", s -> s.setString(1, idHash));
    }

    @Override
    public int endAllOf(String user) {
        return update("end a user's browser sessions", "DELETE FROM browser_session WHERE user_name = ?",
                s -> s.setString(1, user));
    }

    @Override
    public int endIdleSince(Instant before) {
        return update("end idle browser sessions", "DELETE FROM browser_session WHERE last_used_at < ?",
                s -> s.setTimestamp(1, Timestamp.from(before)));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private int update(String what, String sql, Binder binder) {
        return jdbc.inTransaction(what, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                binder.bind(s);
                return s.executeUpdate();
            }
        });
    }

    private static void check(String idHash) {
        if (idHash == null || !HASH.matcher(idHash).matches()) {
            throw new IllegalArgumentException("a session is known by the SHA-256 of its id, in 64 hex digits");
        }
    }
}
