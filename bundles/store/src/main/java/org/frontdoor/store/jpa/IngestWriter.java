package org.frontdoor.store.jpa;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.store.ChannelInstance;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.jpa.SequenceIds.Sequence;

/**
 * Ingest of one group of inbound messages in plain JDBC, in the caller's transaction: the ingest writers' hot path.
 *
 * <p>EclipseLink spent about as much CPU per message here as PostgreSQL did (change tracking, a clone per entity,
 * a statement object per row), and every acknowledgement waits for this path. The rows are
 * those of the entities, with ids from the entities' sequences ({@link SequenceIds}), so both can write the same
 * tables. A group is a fixed number of statements whatever its size: three lookups by arrays of keys, at most two
 * fetches of ids, then one statement per kind of row. On PostgreSQL the conversation updates and the message inserts
 * are each one statement over arrays ({@code unnest}), so the server plans and starts one statement per group, not
 * one per row; on H2 they are JDBC batches.
 *
 * <p>Conversations are updated with the version they were read at, as EclipseLink's optimistic locking does, so a
 * conversation changed meanwhile (an agent resolving it) fails the group instead of being overwritten.
 */
final class IngestWriter {

    private static final String SYSTEM = "system";

    private final SequenceIds ids;
    private final boolean postgresql;

    IngestWriter(SequenceIds ids, boolean postgresql) {
        this.ids = ids;
        this.postgresql = postgresql;
    }

    private record MessageKey(String channel, String instance, String externalId) {
        static MessageKey of(Message m) {
            return new MessageKey(m.channel(), m.instance(), m.externalId());
        }
    }

    private record HandleKey(String channel, String handle) {
        static HandleKey of(Identity author) {
            return new HandleKey(author.channel(), author.handle());
        }
    }

    private record ThreadKey(long customerId, String channel, String instance, String threadRef) {
    }

    /** A customer_identity row as ingest needs it. */
    private static final class IdentityRow {
        long id;
        long customerId;
        String channel;
        String handle;
        String displayName;
        String email;
        String phone;
        long reach;
        boolean inserted;
        boolean changed;
    }

    /** A conversation row as ingest needs it. */
    private static final class ConversationRow {
        long id;
        long customerId;
        String channel;
        String instance;
        String threadRef;
        ConversationStatus status;
        int messageCount;
        long version;
        String preview;
        boolean inserted;
        boolean touched;
    }

    List<Ingested> ingest(Connection c, List<Message> messages) throws SQLException {
        if (postgresql) {
            // Every read below is a lookup by key that an index answers. Without statistics for a table (a fresh
            // deployment under load, autovacuum late or off) PostgreSQL's planner guesses, and for a batch of a few
            // hundred keys it guesses a scan of the whole table, so each batch would cost more as the tables grow.
            // Only this transaction's plans are affected.
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL enable_seqscan = off");
            }
        }
        Instant now = Instant.now();
        Timestamp nowTs = Timestamp.from(now);
        Ingested[] out = new Ingested[messages.size()];
        Map<MessageKey, IngestReceipt> stored = findStoredMessages(c, messages);

        // messages to store: the first of each key not stored yet
        List<Integer> fresh = new ArrayList<>();
        Map<MessageKey, Integer> firstInGroup = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageKey key = MessageKey.of(messages.get(i));
            if (!stored.containsKey(key) && firstInGroup.putIfAbsent(key, i) == null) {
                fresh.add(i);
            }
        }

        // identify: the same handle on the same channel is the same customer
        Map<HandleKey, IdentityRow> identities = findIdentities(c, fresh.stream().map(i -> messages.get(i).author()).toList());
        Map<HandleKey, Identity> newAuthors = new LinkedHashMap<>();
        for (int i : fresh) {
            Identity author = messages.get(i).author();
            if (!identities.containsKey(HandleKey.of(author))) {
                newAuthors.putIfAbsent(HandleKey.of(author), author);
            }
        }
        List<IdentityRow> newIdentities = new ArrayList<>();
        Map<Long, String> newCustomers = new LinkedHashMap<>();
        if (!newAuthors.isEmpty()) {
            Map<Sequence, long[]> taken = ids.take(c, Map.of(Sequence.CUSTOMER, newAuthors.size(),
                    Sequence.IDENTITY, newAuthors.size()));
            int n = 0;
            for (Map.Entry<HandleKey, Identity> author : newAuthors.entrySet()) {
                IdentityRow identity = new IdentityRow();
                identity.customerId = taken.get(Sequence.CUSTOMER)[n];
                identity.id = taken.get(Sequence.IDENTITY)[n++];
                identity.channel = author.getKey().channel();
                identity.handle = author.getKey().handle();
                identity.inserted = true;
                newCustomers.put(identity.customerId, displayName(author.getValue()));
                newIdentities.add(identity);
                identities.put(author.getKey(), identity);
            }
        }
        for (int i : fresh) {
            Identity author = messages.get(i).author();
            refresh(identities.get(HandleKey.of(author)), author);
        }
        insertCustomers(c, newCustomers, nowTs);
        writeIdentities(c, newIdentities, identities.values(), nowTs);

        // conversations: join the customer's latest one on this door and thread, else open one
        Map<ThreadKey, ConversationRow> conversations = findConversations(c, fresh.stream()
                .map(messages::get)
                .filter(m -> !identities.get(HandleKey.of(m.author())).inserted) // a new customer has none yet
                .map(m -> threadKey(identities, m))
                .toList());
        Set<ConversationRow> opened = Collections.newSetFromMap(new IdentityHashMap<>());
        List<ConversationRow> newConversations = new ArrayList<>();
        Map<ConversationRow, String> reopened = new LinkedHashMap<>();
        for (int i : fresh) {
            Message m = messages.get(i);
            ThreadKey tk = threadKey(identities, m);
            ConversationRow conversation = conversations.get(tk);
            if (conversation == null) {
                conversation = new ConversationRow();
                conversation.customerId = tk.customerId();
                conversation.channel = m.channel();
                conversation.instance = m.instance();
                conversation.threadRef = m.threadRef();
                conversation.status = ConversationStatus.NEW;
                conversation.inserted = true;
                conversations.put(tk, conversation);
                newConversations.add(conversation);
                opened.add(conversation);
            } else if (conversation.status == ConversationStatus.RESOLVED) {
                conversation.status = ConversationStatus.NEW;
                opened.add(conversation);
                reopened.put(conversation, "new message " + m.externalId());
            }
            conversation.messageCount++;
            conversation.preview = JpaStore.preview(m.text());
            conversation.touched = true;
        }
        Map<Sequence, Integer> wanted = new EnumMap<>(Sequence.class);
        wanted.put(Sequence.CONVERSATION, newConversations.size());
        wanted.put(Sequence.MESSAGE, fresh.size());
        wanted.put(Sequence.AUDIT_EVENT, reopened.size());
        Map<Sequence, long[]> taken = ids.take(c, wanted);
        for (int n = 0; n < newConversations.size(); n++) {
            newConversations.get(n).id = taken.get(Sequence.CONVERSATION)[n];
        }
        writeConversations(c, conversations.values(), nowTs);
        audit(c, reopened, taken.get(Sequence.AUDIT_EVENT), nowTs);

        // the messages
        List<MessageRow> rows = new ArrayList<>(fresh.size());
        long[] messageIds = taken.get(Sequence.MESSAGE);
        for (int n = 0; n < fresh.size(); n++) {
            int i = fresh.get(n);
            Message m = messages.get(i);
            IdentityRow identity = identities.get(HandleKey.of(m.author()));
            ConversationRow conversation = conversations.get(threadKey(identities, m));
            rows.add(new MessageRow(messageIds[n], conversation.id, identity.customerId, identity.id, m));
            out[i] = new Ingested(new IngestReceipt(messageIds[n], conversation.id, identity.customerId, false),
                    opened.remove(conversation));
        }
        insertMessages(c, rows, nowTs);
        for (int i = 0; i < messages.size(); i++) {
            if (out[i] == null) {
                MessageKey key = MessageKey.of(messages.get(i));
                IngestReceipt first = stored.containsKey(key) ? stored.get(key) : out[firstInGroup.get(key)].receipt();
                out[i] = new Ingested(new IngestReceipt(first.messageId(), first.conversationId(), first.customerId(),
                        true), false);
            }
        }
        return List.of(out);
    }

    private record MessageRow(long id, long conversationId, long customerId, long identityId, Message message) {
    }

    private static ThreadKey threadKey(Map<HandleKey, IdentityRow> identities, Message m) {
        return new ThreadKey(identities.get(HandleKey.of(m.author())).customerId, m.channel(), m.instance(),
                m.threadRef());
    }

    // ---------------------------------------------------------------- lookups

    private Map<MessageKey, IngestReceipt> findStoredMessages(Connection c, List<Message> messages) throws SQLException {
        Map<MessageKey, IngestReceipt> stored = new HashMap<>();
        Map<ChannelInstance, Set<String>> byDoor = new LinkedHashMap<>();
        for (Message m : messages) {
            byDoor.computeIfAbsent(new ChannelInstance(m.channel(), m.instance()), d -> new LinkedHashSet<>())
                    .add(m.externalId());
        }
        for (Map.Entry<ChannelInstance, Set<String>> door : byDoor.entrySet()) {
            try (PreparedStatement q = c.prepareStatement("SELECT external_id, id, conversation_id, customer_id "
                    + "FROM message WHERE external_id = ANY(?) AND channel = ? AND instance = ?")) {
                q.setArray(1, c.createArrayOf("varchar", door.getValue().toArray()));
                q.setString(2, door.getKey().channel());
                q.setString(3, door.getKey().instance());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stored.put(new MessageKey(door.getKey().channel(), door.getKey().instance(), rs.getString(1)),
                                new IngestReceipt(rs.getLong(2), rs.getLong(3), rs.getLong(4), true));
                    }
                }
            }
        }
        return stored;
    }

    private Map<HandleKey, IdentityRow> findIdentities(Connection c, List<Identity> authors) throws SQLException {
        Map<HandleKey, IdentityRow> found = new HashMap<>();
        Map<String, Set<String>> byChannel = new LinkedHashMap<>();
        for (Identity a : authors) {
            byChannel.computeIfAbsent(a.channel(), ch -> new LinkedHashSet<>()).add(a.handle());
        }
        for (Map.Entry<String, Set<String>> channel : byChannel.entrySet()) {
            try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id, handle, display_name, email, phone, "
                    + "reach FROM customer_identity WHERE handle = ANY(?) AND channel = ?")) {
                q.setArray(1, c.createArrayOf("varchar", channel.getValue().toArray()));
                q.setString(2, channel.getKey());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        IdentityRow row = new IdentityRow();
                        row.id = rs.getLong(1);
                        row.customerId = rs.getLong(2);
                        row.channel = channel.getKey();
                        row.handle = rs.getString(3);
                        row.displayName = rs.getString(4);
                        row.email = rs.getString(5);
                        row.phone = rs.getString(6);
                        row.reach = rs.getLong(7);
                        found.put(new HandleKey(row.channel, row.handle), row);
                    }
                }
            }
        }
        return found;
    }

    /**
     * The latest conversation per customer, door and thread. Asked per door with the door in the query, so every
     * column of ix_conversation_customer bounds the scan; no ORDER BY, which would tempt a planner without statistics
     * into reading the primary key index whole.
     */
    private Map<ThreadKey, ConversationRow> findConversations(Connection c, List<ThreadKey> wanted) throws SQLException {
        Map<ThreadKey, ConversationRow> latest = new HashMap<>();
        Map<ChannelInstance, Set<Long>> byDoor = new LinkedHashMap<>();
        for (ThreadKey t : wanted) {
            byDoor.computeIfAbsent(new ChannelInstance(t.channel(), t.instance()), d -> new LinkedHashSet<>())
                    .add(t.customerId());
        }
        for (Map.Entry<ChannelInstance, Set<Long>> door : byDoor.entrySet()) {
            try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id, thread_ref, status, message_count, "
                    + "version FROM conversation WHERE customer_id = ANY(?) AND channel = ? AND instance = ?")) {
                q.setArray(1, c.createArrayOf("bigint", door.getValue().toArray()));
                q.setString(2, door.getKey().channel());
                q.setString(3, door.getKey().instance());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ConversationRow row = new ConversationRow();
                        row.id = rs.getLong(1);
                        row.customerId = rs.getLong(2);
                        row.channel = door.getKey().channel();
                        row.instance = door.getKey().instance();
                        row.threadRef = rs.getString(3);
                        row.status = ConversationStatus.valueOf(rs.getString(4));
                        row.messageCount = rs.getInt(5);
                        row.version = rs.getLong(6);
                        latest.merge(new ThreadKey(row.customerId, row.channel, row.instance, row.threadRef), row,
                                (a, b) -> a.id > b.id ? a : b);
                    }
                }
            }
        }
        return latest;
    }

    // ---------------------------------------------------------------- writes

    private static void insertCustomers(Connection c, Map<Long, String> customers, Timestamp now) throws SQLException {
        if (customers.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO customer (id, display_name, created_at) VALUES (?, ?, ?)")) {
            for (Map.Entry<Long, String> customer : customers.entrySet()) {
                insert.setLong(1, customer.getKey());
                insert.setString(2, customer.getValue());
                insert.setTimestamp(3, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void writeIdentities(Connection c, List<IdentityRow> inserted, Collection<IdentityRow> all,
                                        Timestamp now) throws SQLException {
        if (!inserted.isEmpty()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO customer_identity (id, customer_id, channel, "
                    + "handle, display_name, email, phone, reach, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (IdentityRow row : inserted) {
                    insert.setLong(1, row.id);
                    insert.setLong(2, row.customerId);
                    insert.setString(3, row.channel);
                    insert.setString(4, row.handle);
                    insert.setString(5, row.displayName);
                    insert.setString(6, row.email);
                    insert.setString(7, row.phone);
                    insert.setLong(8, row.reach);
                    insert.setTimestamp(9, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        List<IdentityRow> changed = all.stream().filter(r -> r.changed && !r.inserted).toList();
        if (!changed.isEmpty()) {
            try (PreparedStatement update = c.prepareStatement("UPDATE customer_identity SET display_name = ?, "
                    + "email = ?, phone = ?, reach = ? WHERE id = ?")) {
                for (IdentityRow row : changed) {
                    update.setString(1, row.displayName);
                    update.setString(2, row.email);
                    update.setString(3, row.phone);
                    update.setLong(4, row.reach);
                    update.setLong(5, row.id);
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
    }

    private void writeConversations(Connection c, Collection<ConversationRow> rows, Timestamp now)
            throws SQLException {
        List<ConversationRow> inserted = rows.stream().filter(r -> r.inserted).toList();
        List<ConversationRow> updated = rows.stream().filter(r -> r.touched && !r.inserted).toList();
        if (!inserted.isEmpty()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO conversation (id, customer_id, channel, "
                    + "instance, thread_ref, status, priority, message_count, preview, created_at, last_activity_at, "
                    + "version) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 1)")) {
                for (ConversationRow row : inserted) {
                    insert.setLong(1, row.id);
                    insert.setLong(2, row.customerId);
                    insert.setString(3, row.channel);
                    insert.setString(4, row.instance);
                    insert.setString(5, row.threadRef);
                    insert.setString(6, row.status.name());
                    insert.setInt(7, row.messageCount);
                    insert.setString(8, row.preview);
                    insert.setTimestamp(9, now);
                    insert.setTimestamp(10, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        if (updated.isEmpty()) {
            return;
        }
        Set<Long> changed = new HashSet<>();
        if (postgresql) {
            // one statement for the group: one plan, one executor start, instead of one per conversation
            try (PreparedStatement update = c.prepareStatement("UPDATE conversation c SET status = u.status, "
                    + "message_count = u.message_count, preview = u.preview, last_activity_at = ?, version = c.version + 1 "
                    + "FROM unnest(?::bigint[], ?::bigint[], ?::varchar[], ?::int[], ?::varchar[]) "
                    + "AS u (id, version, status, message_count, preview) "
                    + "WHERE c.id = u.id AND c.version = u.version RETURNING c.id")) {
                update.setTimestamp(1, now);
                update.setArray(2, array(c, "bigint", updated, r -> r.id));
                update.setArray(3, array(c, "bigint", updated, r -> r.version));
                update.setArray(4, array(c, "varchar", updated, r -> r.status.name()));
                update.setArray(5, array(c, "integer", updated, r -> r.messageCount));
                update.setArray(6, array(c, "varchar", updated, r -> r.preview));
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        changed.add(rs.getLong(1));
                    }
                }
            }
        } else {
            try (PreparedStatement update = c.prepareStatement("UPDATE conversation SET status = ?, message_count = ?, "
                    + "preview = ?, last_activity_at = ?, version = ? WHERE id = ? AND version = ?")) {
                for (ConversationRow row : updated) {
                    update.setString(1, row.status.name());
                    update.setInt(2, row.messageCount);
                    update.setString(3, row.preview);
                    update.setTimestamp(4, now);
                    update.setLong(5, row.version + 1);
                    update.setLong(6, row.id);
                    update.setLong(7, row.version);
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 0) {
                        changed.add(updated.get(i).id);
                    }
                }
            }
        }
        for (ConversationRow row : updated) {
            if (!changed.contains(row.id)) {
                throw new IllegalStateException("conversation " + row.id
                        + " was changed by another transaction while the messages were stored");
            }
        }
    }

    private void insertMessages(Connection c, List<MessageRow> rows, Timestamp now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (postgresql) {
            // one statement over arrays: planned once per connection, whatever the group's size
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO message (id, conversation_id, customer_id, "
                    + "identity_id, channel, instance, external_id, direction, visibility, thread_ref, body, raw_payload, "
                    + "received_at, stored_at) SELECT u.*, ? FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], "
                    + "?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], "
                    + "?::text[], ?::text[], ?::timestamptz[]) AS u")) {
                insert.setTimestamp(1, now);
                insert.setArray(2, array(c, "bigint", rows, MessageRow::id));
                insert.setArray(3, array(c, "bigint", rows, MessageRow::conversationId));
                insert.setArray(4, array(c, "bigint", rows, MessageRow::customerId));
                insert.setArray(5, array(c, "bigint", rows, MessageRow::identityId));
                insert.setArray(6, array(c, "varchar", rows, r -> r.message().channel()));
                insert.setArray(7, array(c, "varchar", rows, r -> r.message().instance()));
                insert.setArray(8, array(c, "varchar", rows, r -> r.message().externalId()));
                insert.setArray(9, array(c, "varchar", rows, r -> r.message().direction().name()));
                insert.setArray(10, array(c, "varchar", rows, r -> r.message().visibility().name()));
                insert.setArray(11, array(c, "varchar", rows, r -> r.message().threadRef()));
                insert.setArray(12, array(c, "text", rows, r -> r.message().text()));
                insert.setArray(13, array(c, "text", rows, r -> r.message().rawPayload()));
                // ISO-8601 instants with their zone, so the session's time zone plays no part
                insert.setArray(14, array(c, "text", rows, r -> r.message().receivedAt().toString()));
                insert.executeUpdate();
            }
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO message (id, conversation_id, customer_id, "
                + "identity_id, channel, instance, external_id, direction, visibility, thread_ref, body, raw_payload, "
                + "received_at, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (MessageRow row : rows) {
                Message m = row.message();
                insert.setLong(1, row.id());
                insert.setLong(2, row.conversationId());
                insert.setLong(3, row.customerId());
                insert.setLong(4, row.identityId());
                insert.setString(5, m.channel());
                insert.setString(6, m.instance());
                insert.setString(7, m.externalId());
                insert.setString(8, m.direction().name());
                insert.setString(9, m.visibility().name());
                insert.setString(10, m.threadRef());
                insert.setString(11, m.text());
                insert.setString(12, m.rawPayload());
                insert.setTimestamp(13, Timestamp.from(m.receivedAt()));
                insert.setTimestamp(14, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void audit(Connection c, Map<ConversationRow, String> reopened, long[] ids, Timestamp now)
            throws SQLException {
        if (reopened.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_event (id, at, actor, action, "
                + "subject_type, subject_id, detail) VALUES (?, ?, ?, 'conversation.reopened', 'conversation', ?, ?)")) {
            int n = 0;
            for (Map.Entry<ConversationRow, String> r : reopened.entrySet()) {
                insert.setLong(1, ids[n++]);
                insert.setTimestamp(2, now);
                insert.setString(3, SYSTEM);
                insert.setLong(4, r.getKey().id);
                String detail = r.getValue();
                insert.setString(5, detail.length() <= 2000 ? detail : detail.substring(0, 2000));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A SQL array of one column of the rows, for {@code unnest}. */
    private static <T> Array array(Connection c, String type, List<T> rows, Function<T, Object> column)
            throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return c.createArrayOf(type, values);
    }

    /** Keeps what the channel last told about the author. */
    private static void refresh(IdentityRow identity, Identity author) {
        if (author.displayName() != null && !author.displayName().equals(identity.displayName)) {
            identity.displayName = author.displayName();
            identity.changed = true;
        }
        if (author.email() != null && !author.email().equals(identity.email)) {
            identity.email = author.email();
            identity.changed = true;
        }
        if (author.phone() != null && !author.phone().equals(identity.phone)) {
            identity.phone = author.phone();
            identity.changed = true;
        }
        if (author.reach() != identity.reach) {
            identity.reach = author.reach();
            identity.changed = true;
        }
    }

    private static String displayName(Identity author) {
        return author.displayName() != null && !author.displayName().isBlank() ? author.displayName() : author.handle();
    }
}
