package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;

/**
 * Ids for the rows that ingest writes, taken from the entities' own sequences in blocks, as EclipseLink takes them:
 * each sequence steps by {@value #BLOCK} and a value {@code v} stands for the ids {@code v - 49 .. v}. So ingest and
 * EclipseLink can write the same tables without ever handing out the same id.
 *
 * <p>Blocks are fetched on the caller's connection, inside its transaction, in one statement for every sequence a
 * group needs. EclipseLink fetched them in a transaction of its own: one more commit, and one more flush of the
 * log, per 50 messages. A sequence is not transactional, so a block fetched by a group that then rolls back is
 * simply skipped.
 */
final class SequenceIds {

    static final int BLOCK = 50;

    /** The sequences ingest takes ids from. */
    enum Sequence {
        CUSTOMER("customer_seq"),
        IDENTITY("identity_seq"),
        CONVERSATION("conversation_seq"),
        MESSAGE("message_seq"),
        REPLY("reply_seq"),
        AUDIT_EVENT("audit_event_seq"),
        CUSTOMER_MERGE("customer_merge_seq"),
        MERGE_SUGGESTION("merge_suggestion_seq"),
        CONVERSATION_NOTE("conversation_note_seq");

        final String sequenceName;

        Sequence(String sequenceName) {
            this.sequenceName = sequenceName;
        }
    }

    private final Migrations.Dialect dialect;
    /** Per sequence, the ids fetched and not handed out yet: ranges [first, last]. */
    private final Map<Sequence, ArrayDeque<long[]>> free = new EnumMap<>(Sequence.class);

    SequenceIds(Migrations.Dialect dialect) {
        this.dialect = dialect;
        for (Sequence s : Sequence.values()) {
            free.put(s, new ArrayDeque<>());
        }
    }

    /**
     * Takes {@code wanted.get(s)} ids from each sequence {@code s}, fetching the blocks that are missing in one
     * statement on {@code c}.
     */
    synchronized Map<Sequence, long[]> take(Connection c, Map<Sequence, Integer> wanted) throws SQLException {
        StringBuilder fetch = new StringBuilder();
        for (Map.Entry<Sequence, Integer> w : wanted.entrySet()) {
            long missing = w.getValue() - available(w.getKey());
            if (missing > 0) {
                long blocks = (missing + BLOCK - 1) / BLOCK;
                if (fetch.length() > 0) {
                    fetch.append(" UNION ALL ");
                }
                String name = w.getKey().sequenceName;
                fetch.append("SELECT ").append(w.getKey().ordinal()).append(", ").append(switch (dialect) {
                    case POSTGRESQL -> "nextval('" + name + "') FROM generate_series(1, " + blocks + ")";
                    case H2 -> "NEXT VALUE FOR " + name + " FROM SYSTEM_RANGE(1, " + blocks + ")";
                });
            }
        }
        if (fetch.length() > 0) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(fetch.toString())) {
                while (rs.next()) {
                    long last = rs.getLong(2);
                    free.get(Sequence.values()[rs.getInt(1)]).add(new long[] {last - BLOCK + 1, last});
                }
            }
        }
        Map<Sequence, long[]> out = new EnumMap<>(Sequence.class);
        for (Map.Entry<Sequence, Integer> w : wanted.entrySet()) {
            long[] ids = new long[w.getValue()];
            ArrayDeque<long[]> ranges = free.get(w.getKey());
            for (int i = 0; i < ids.length; i++) {
                long[] range = ranges.peek();
                ids[i] = range[0]++;
                if (range[0] > range[1]) {
                    ranges.poll();
                }
            }
            out.put(w.getKey(), ids);
        }
        return out;
    }

    /**
     * Refuses to start on a database whose sequences do not step by {@value #BLOCK}: ids would be handed out twice
     * (a block of 50 taken from a sequence stepping by 1 overlaps the next value).
     */
    static void checkAllocation(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT sequence_name, increment FROM information_schema.sequences WHERE sequence_schema = CURRENT_SCHEMA")) {
            Map<String, String> increments = new java.util.HashMap<>();
            while (rs.next()) {
                increments.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
            }
            for (Sequence sequence : Sequence.values()) {
                String increment = increments.get(sequence.sequenceName);
                if (increment == null) {
                    throw new SQLException("sequence " + sequence.sequenceName + " is missing: the schema is not "
                            + "Frontdoor's");
                }
                if (Long.parseLong(increment.trim()) != BLOCK) {
                    throw new SQLException("sequence " + sequence.sequenceName + " steps by " + increment.trim()
                            + ", Frontdoor takes its ids in blocks of " + BLOCK + ": refusing to start rather than "
                            + "hand out an id twice (ALTER SEQUENCE " + sequence.sequenceName + " INCREMENT BY " + BLOCK
                            + ")");
                }
            }
        }
    }

    private long available(Sequence s) {
        long n = 0;
        for (long[] range : free.get(s)) {
            n += range[1] - range[0] + 1;
        }
        return n;
    }
}
