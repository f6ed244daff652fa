package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.frontdoor.api.doorstate.DoorStates;
import org.frontdoor.store.EventStore;
import org.frontdoor.store.StoreConflictException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Door instances' state in table {@code door_state}: each write is one statement, an UPDATE conditioned on the
 * version read, or an INSERT of version 1 that the primary key refuses when another writer inserted first.
 */
@Component(service = DoorStates.class, immediate = true)
public class DoorStateStore implements DoorStates {

    private final Jdbc jdbc;

    /** In Karaf: after the store ({@code migrated}, unused otherwise) has brought the schema up to date. */
    @Activate
    public DoorStateStore(@Reference(target = "(dataSourceName=frontdoor)") DataSource dataSource,
                          @Reference EventStore migrated) throws SQLException {
        this(dataSource, false);
    }

    /** Outside Karaf (tests, tools): migrates the schema first. */
    public DoorStateStore(DataSource dataSource) throws SQLException {
        this(dataSource, true);
    }

    private DoorStateStore(DataSource dataSource, boolean migrate) throws SQLException {
        if (migrate) {
            new Migrations(dataSource).migrate();
        }
        try (Connection c = dataSource.getConnection()) {
            this.jdbc = new Jdbc(dataSource, Migrations.Dialect.of(c));
        }
    }

    @Override
    public Optional<Entry> read(String channel, String instance, String key) {
        check(channel, instance, key);
        return jdbc.inTransaction("read the state " + key + " of door " + channel + "/" + instance, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT state_value, version FROM door_state "
                    + "WHERE channel = ? AND instance = ? AND state_key = ?")) {
                q.setString(1, channel);
                q.setString(2, instance);
                q.setString(3, key);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(new Entry(rs.getString(1), rs.getLong(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public OptionalLong compareAndSet(String channel, String instance, String key, long expectedVersion,
                                      String value) {
        check(channel, instance, key);
        if (value == null || value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("a door's state value is 0 to " + MAX_VALUE + " characters");
        }
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("a version is 0 (absent) or more");
        }
        String what = "write the state " + key + " of door " + channel + "/" + instance;
        Instant now = Instant.now();
        try {
            return jdbc.inTransaction(what, c -> {
                if (expectedVersion == 0) {
                    try (PreparedStatement i = c.prepareStatement("INSERT INTO door_state (channel, instance, "
                            + "state_key, state_value, version, updated_at) VALUES (?, ?, ?, ?, 1, ?)")) {
                        i.setString(1, channel);
                        i.setString(2, instance);
                        i.setString(3, key);
                        i.setString(4, value);
                        i.setTimestamp(5, Jdbc.ts(now));
                        i.executeUpdate();
                        return OptionalLong.of(1);
                    }
                }
                try (PreparedStatement u = c.prepareStatement("UPDATE door_state SET state_value = ?, "
                        + "version = version + 1, updated_at = ? WHERE channel = ? AND instance = ? AND state_key = ? "
                        + "AND version = ?")) {
                    u.setString(1, value);
                    u.setTimestamp(2, Jdbc.ts(now));
                    u.setString(3, channel);
                    u.setString(4, instance);
                    u.setString(5, key);
                    u.setLong(6, expectedVersion);
                    return u.executeUpdate() == 1 ? OptionalLong.of(expectedVersion + 1) : OptionalLong.empty();
                }
            });
        } catch (StoreConflictException insertedMeanwhile) {
            return OptionalLong.empty();
        }
    }

    private static void check(String channel, String instance, String key) {
        if (channel == null || channel.isBlank() || channel.length() > 64 || instance == null || instance.isBlank()
                || instance.length() > 64) {
            throw new IllegalArgumentException("a door's state is kept under its channel and instance (1 to 64 "
                    + "characters each)");
        }
        if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("a door's state key is 1 to " + MAX_KEY + " characters");
        }
    }
}
