package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.store.ChannelInstance;
import org.frontdoor.store.Ingested;

/**
 * Ingest of one group of inbound messages in plain JDBC, in the caller's transaction: the single writer's hot path.
 *
 * <p>EclipseLink spent about as much CPU per message here as PostgreSQL did (change tracking, a clone per entity,
 * a statement object per row), and this path runs on one thread that every acknowledgement waits for. The rows are
 * those of the entities, with ids from EclipseLink's own sequencing, so both can write the same tables. A group is
 * a fixed number of statements whatever its size: three lookups, then one JDBC batch per kind of row.
 *
 * <p>Conversations are updated with the version they were read at, as EclipseLink's optimistic locking does, so a
 * conversation changed meanwhile (an agent resolving it) fails the group instead of being overwritten.
 */
final class IngestWriter {

    /** Sequence values for new rows, per entity class. */
    interface Ids {
        long next(Class<?> entity);
    }

    private static final String SYSTEM = "system";

    private final Ids ids;
    private final boolean postgresql;

    IngestWriter(Ids ids, boolean postgresql) {
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
        List<IdentityRow> newIdentities = new ArrayList<>();
        Map<Long, String> newCustomers = new LinkedHashMap<>();
        for (int i : fresh) {
            Identity author = messages.get(i).author();
            IdentityRow identity = identities.get(HandleKey.of(author));
            if (identity == null) {
                identity = new IdentityRow();
                identity.customerId = ids.next(CustomerEntity.class);
                identity.id = ids.next(IdentityEntity.class);
                identity.channel = author.channel();
                identity.handle = author.handle();
                identity.inserted = true;
                newCustomers.put(identity.customerId, displayName(author));
                newIdentities.add(identity);
                identities.put(HandleKey.of(author), identity);
            }
            refresh(identity, author);
        }
        insertCustomers(c, newCustomers, nowTs);
        writeIdentities(c, newIdentities, identities.values(), nowTs);

        // conversations: join the customer's latest one on this door and thread, else open one
        Map<ThreadKey, ConversationRow> conversations = findConversations(c, fresh.stream()
                .map(messages::get)
                .filter(m -> !identities.get(HandleKey.of(m.author())).inserted) // a new customer has none yet
                .map(m -> threadKey(identities, m))
                .toList());
        Set<Long> opened = new HashSet<>();
        List<Object[]> reopened = new ArrayList<>();
        for (int i : fresh) {
            Message m = messages.get(i);
            ThreadKey tk = threadKey(identities, m);
            ConversationRow conversation = conversations.get(tk);
            if (conversation == null) {
                conversation = new ConversationRow();
                conversation.id = ids.next(ConversationEntity.class);
                conversation.customerId = tk.customerId();
                conversation.channel = m.channel();
                conversation.instance = m.instance();
                conversation.threadRef = m.threadRef();
                conversation.status = ConversationStatus.NEW;
                conversation.inserted = true;
                conversations.put(tk, conversation);
                opened.add(conversation.id);
            } else if (conversation.status == ConversationStatus.RESOLVED) {
                conversation.status = ConversationStatus.NEW;
                opened.add(conversation.id);
                reopened.add(new Object[] {conversation.id, "new message " + m.externalId()});
            }
            conversation.messageCount++;
            conversation.preview = JpaStore.preview(m.text());
            conversation.touched = true;
        }
        writeConversations(c, conversations.values(), nowTs);
        audit(c, reopened, nowTs);

        // the messages
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO message (id, conversation_id, customer_id, "
                + "identity_id, channel, instance, external_id, direction, visibility, thread_ref, body, raw_payload, "
                + "received_at, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i : fresh) {
                Message m = messages.get(i);
                IdentityRow identity = identities.get(HandleKey.of(m.author()));
                ConversationRow conversation = conversations.get(threadKey(identities, m));
                long id = ids.next(MessageEntity.class);
                insert.setLong(1, id);
                insert.setLong(2, conversation.id);
                insert.setLong(3, identity.customerId);
                insert.setLong(4, identity.id);
                insert.setString(5, m.channel());
                insert.setString(6, m.instance());
                insert.setString(7, m.externalId());
                insert.setString(8, m.direction().name());
                insert.setString(9, m.visibility().name());
                insert.setString(10, m.threadRef());
                insert.setString(11, m.text());
                insert.setString(12, m.rawPayload());
                insert.setTimestamp(13, Timestamp.from(m.receivedAt()));
                insert.setTimestamp(14, nowTs);
                insert.addBatch();
                out[i] = new Ingested(new IngestReceipt(id, conversation.id, identity.customerId, false),
                        opened.remove(conversation.id));
            }
            if (!fresh.isEmpty()) {
                insert.executeBatch();
            }
        }
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
            List<String> externalIds = List.copyOf(door.getValue());
            try (PreparedStatement q = c.prepareStatement("SELECT external_id, id, conversation_id, customer_id "
                    + "FROM message WHERE external_id IN (" + placeholders(externalIds.size())
                    + ") AND channel = ? AND instance = ?")) {
                int p = bindIn(q, 1, externalIds);
                q.setString(p++, door.getKey().channel());
                q.setString(p, door.getKey().instance());
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
            List<String> handles = List.copyOf(channel.getValue());
            try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id, handle, display_name, email, phone, "
                    + "reach FROM customer_identity WHERE handle IN (" + placeholders(handles.size())
                    + ") AND channel = ?")) {
                int p = bindIn(q, 1, handles);
                q.setString(p, channel.getKey());
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
            List<Long> customers = List.copyOf(door.getValue());
            try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id, thread_ref, status, message_count, "
                    + "version FROM conversation WHERE customer_id IN (" + placeholders(customers.size())
                    + ") AND channel = ? AND instance = ?")) {
                int p = bindIn(q, 1, customers);
                q.setString(p++, door.getKey().channel());
                q.setString(p, door.getKey().instance());
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

    /**
     * Placeholders for an IN list, rounded up to a power of two (the last value repeated), so a statement is
     * prepared for a handful of list lengths rather than one per group size.
     */
    static String placeholders(int values) {
        int n = bucket(values);
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.toString();
    }

    static int bucket(int values) {
        return values <= 4 ? Math.max(1, values) : Integer.highestOneBit(values - 1) << 1;
    }

    private static int bindIn(PreparedStatement q, int first, List<?> values) throws SQLException {
        int n = bucket(values.size());
        for (int i = 0; i < n; i++) {
            q.setObject(first + i, values.get(Math.min(i, values.size() - 1)));
        }
        return first + n;
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

    private static void writeConversations(Connection c, Collection<ConversationRow> rows, Timestamp now)
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
        if (!updated.isEmpty()) {
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
                    if (counts[i] == 0) {
                        throw new IllegalStateException("conversation " + updated.get(i).id
                                + " was changed by another transaction while the messages were stored");
                    }
                }
            }
        }
    }

    private void audit(Connection c, List<Object[]> reopened, Timestamp now) throws SQLException {
        if (reopened.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_event (id, at, actor, action, "
                + "subject_type, subject_id, detail) VALUES (?, ?, ?, 'conversation.reopened', 'conversation', ?, ?)")) {
            for (Object[] r : reopened) {
                insert.setLong(1, ids.next(AuditEventEntity.class));
                insert.setTimestamp(2, now);
                insert.setString(3, SYSTEM);
                insert.setLong(4, (Long) r[0]);
                String detail = (String) r[1];
                insert.setString(5, detail.length() <= 2000 ? detail : detail.substring(0, 2000));
                insert.addBatch();
            }
            insert.executeBatch();
        }
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
