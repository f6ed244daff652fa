package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.store.Door;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.EventLogBusyException;
import org.frontdoor.store.StoreUnavailableException;
import org.frontdoor.store.jpa.SequenceIds.Sequence;

/**
 * Ingest of one group of inbound messages in plain JDBC: the ingest writers' hot path. A group is a fixed number of
 * statements whatever its size: lookups by arrays of keys, at most two fetches of ids, then one statement per kind of
 * row (on PostgreSQL over arrays with {@code unnest}, on H2 as JDBC batches), in these steps: {@link Group#dedupe},
 * {@link Group#identify}, {@link Group#placeInConversations}, {@link Group#updateConversations},
 * {@link Group#insertMessages}, and the group's events and audit last ({@link TxLog}).
 *
 * <p>Ingest changes a conversation only in ways that do not depend on what it read: counts are incremented, the
 * preview and activity moved forward, and the status goes from RESOLVED to NEW (reopened) and from nothing else, all
 * decided by the database on the row as it is when the update takes it. So routing, an assignment or a resolve
 * committed between ingest's read and its write is never undone, and no version check is needed.
 *
 * <p>A conversation another transaction holds longer than the ingest's lock wait does not stall the group: the group
 * is stored again skipping locked rows, and the messages of a locked conversation are deferred (the sender is asked to
 * try again). Such a conversation is remembered for a while, so later groups skip it at once instead of waiting.
 */
final class IngestWriter {

    /** How long a conversation found locked is skipped without waiting for it. */
    private static final long REMEMBER_LOCKED_NANOS = 10_000_000_000L;

    private final Jdbc jdbc;
    private final SequenceIds ids;
    private final Map<Long, Long> recentlyLocked = new ConcurrentHashMap<>();
    private final AtomicLong waits = new AtomicLong();

    IngestWriter(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    List<Ingested> ingest(List<Message> messages, IngestLimits limits) {
        String what = "store " + messages.size() + " messages";
        try {
            return jdbc.inTransaction(what, limits.lockWaitMillis(), limits.statementTimeoutMillis(), true,
                    c -> new Group(c, messages, false).store());
        } catch (StoreUnavailableException e) {
            if (e instanceof EventLogBusyException || !(e.getCause() instanceof SQLException s
                    && Jdbc.isLockTimeout(s))) {
                throw e;
            }
            // some row of the group is held by another transaction: store what is free, defer the rest
            waits.incrementAndGet();
            return jdbc.inTransaction(what, limits.lockWaitMillis(), limits.statementTimeoutMillis(), true,
                    c -> new Group(c, messages, true).store());
        }
    }

    /** Groups that waited out their lock wait and were stored again skipping held rows. */
    long waits() {
        return waits.get();
    }

    private boolean recentlyLocked(long conversationId) {
        Long until = recentlyLocked.get(conversationId);
        if (until == null) {
            return false;
        }
        if (until - System.nanoTime() > 0) {
            return true;
        }
        recentlyLocked.remove(conversationId, until);
        return false;
    }

    // ---------------------------------------------------------------- rows

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

    /**
     * What a message joins: its door's thread, or without a thread its author's conversation on the door (the column
     * {@code conversation_key}, unique per door).
     */
    private record ConversationKey(String channel, String instance, String key) {
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
        long identityId;
        String channel;
        String instance;
        String threadRef;
        String key;
        String department;
        boolean inserted;
        boolean reopened;
        boolean deferred;
        int added;
        String preview;
        /** The conversation's item counter after this group's messages (taken under its row lock). */
        long itemSeq;
        /** The seq the next of this group's messages in it gets. */
        long nextSeq;
    }

    private record MessageRow(long id, long seq, ConversationRow conversation, IdentityRow author, Message message) {
    }

    // ---------------------------------------------------------------- one group, one transaction

    private final class Group {
        private final Connection c;
        private final List<Message> messages;
        private boolean skipLocked;
        private final Instant now = Instant.now();
        private final Timestamp nowTs = Timestamp.from(now);
        private final TxLog log = new TxLog();

        private Map<MessageKey, IngestReceipt> stored;
        private final List<Integer> fresh = new ArrayList<>();
        private final Map<MessageKey, Integer> firstInGroup = new HashMap<>();
        private Map<HandleKey, IdentityRow> identities;
        private final Map<ConversationKey, ConversationRow> conversations = new LinkedHashMap<>();
        private final Map<Integer, MessageRow> written = new HashMap<>();

        Group(Connection c, List<Message> messages, boolean skipLocked) {
            this.c = c;
            this.messages = messages;
            this.skipLocked = skipLocked;
        }

        List<Ingested> store() throws SQLException {
            // Every read is a lookup by key that an index answers: the transaction keeps PostgreSQL's planner off
            // sequential scans (Jdbc), which a planner without statistics for a table (a fresh deployment under load,
            // autovacuum late or off) may guess for a batch of a few hundred keys, so each batch would cost more as
            // the tables grow.
            dedupe();
            identify();
            placeInConversations();
            updateConversations();
            insertMessages();
            log.flush(c, jdbc, ids, now);
            return answers();
        }

        /** Messages stored before are answered with their first receipt; a repeat within the group too. */
        void dedupe() throws SQLException {
            stored = findStoredMessages();
            for (int i = 0; i < messages.size(); i++) {
                MessageKey key = MessageKey.of(messages.get(i));
                if (!stored.containsKey(key) && firstInGroup.putIfAbsent(key, i) == null) {
                    fresh.add(i);
                }
            }
        }

        /** The same handle on the same channel is the same identity; a new one is a new customer. */
        void identify() throws SQLException {
            identities = findIdentities(fresh.stream().map(i -> messages.get(i).author()).toList());
            Map<HandleKey, Identity> newAuthors = new LinkedHashMap<>();
            for (int i : fresh) {
                Identity author = messages.get(i).author();
                if (!identities.containsKey(HandleKey.of(author))) {
                    newAuthors.putIfAbsent(HandleKey.of(author), author);
                }
            }
            List<IdentityRow> inserted = new ArrayList<>();
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
                    inserted.add(identity);
                    identities.put(author.getKey(), identity);
                }
            }
            for (int i : fresh) {
                Identity author = messages.get(i).author();
                refresh(identities.get(HandleKey.of(author)), author);
            }
            insertCustomers(newCustomers);
            insertIdentities(inserted);
            updateIdentities(identities.values().stream().filter(r -> r.changed && !r.inserted).toList());
        }

        /** Each message joins the conversation of its key, or opens it. */
        void placeInConversations() throws SQLException {
            List<ConversationKey> wanted = new ArrayList<>();
            for (int i : fresh) {
                Message m = messages.get(i);
                IdentityRow author = author(m);
                // a new identity has no conversation of its own yet (a thread it joins may exist)
                if (m.threadRef() != null || !author.inserted) {
                    wanted.add(key(m, author));
                }
            }
            conversations.putAll(findConversations(wanted));
            for (int i : fresh) {
                Message m = messages.get(i);
                IdentityRow author = author(m);
                ConversationKey key = key(m, author);
                ConversationRow conversation = conversations.get(key);
                if (conversation == null) {
                    conversation = new ConversationRow();
                    conversation.customerId = author.customerId;
                    conversation.identityId = author.id;
                    conversation.channel = m.channel();
                    conversation.instance = m.instance();
                    conversation.threadRef = m.threadRef();
                    conversation.key = key.key();
                    conversation.inserted = true;
                    conversations.put(key, conversation);
                }
                conversation.added++;
                conversation.preview = JpaStore.preview(m.text());
                if (!conversation.inserted && recentlyLocked(conversation.id)) {
                    skipLocked = true;
                }
            }
        }

        /**
         * Opens the new conversations and moves the others on: counts added, preview and activity moved forward, and
         * a resolved one reopened. In skip-locked mode a conversation another transaction holds is left alone and its
         * messages deferred.
         */
        void updateConversations() throws SQLException {
            List<ConversationRow> inserted = conversations.values().stream().filter(r -> r.inserted).toList();
            if (!inserted.isEmpty()) {
                long[] conversationIds = ids.take(c, Map.of(Sequence.CONVERSATION, inserted.size()))
                        .get(Sequence.CONVERSATION);
                for (int n = 0; n < inserted.size(); n++) {
                    inserted.get(n).id = conversationIds[n];
                    inserted.get(n).itemSeq = inserted.get(n).added;
                }
                jdbc.insert(c, "conversation", inserted,
                        new Jdbc.Column<>("id", "bigint", r -> r.id),
                        new Jdbc.Column<>("customer_id", "bigint", r -> r.customerId),
                        new Jdbc.Column<>("identity_id", "bigint", r -> r.identityId),
                        new Jdbc.Column<>("channel", "varchar", r -> r.channel),
                        new Jdbc.Column<>("instance", "varchar", r -> r.instance),
                        new Jdbc.Column<>("thread_ref", "varchar", r -> r.threadRef),
                        new Jdbc.Column<>("conversation_key", "varchar", r -> r.key),
                        new Jdbc.Column<>("status", "varchar", r -> "NEW"),
                        new Jdbc.Column<>("priority", "integer", r -> 0),
                        new Jdbc.Column<>("message_count", "integer", r -> r.added),
                        new Jdbc.Column<>("preview", "varchar", r -> r.preview),
                        new Jdbc.Column<>("created_at", "timestamptz", r -> now),
                        new Jdbc.Column<>("last_activity_at", "timestamptz", r -> now),
                        new Jdbc.Column<>("classified_message_id", "bigint", r -> 0L),
                        new Jdbc.Column<>("item_seq", "bigint", r -> r.itemSeq),
                        new Jdbc.Column<>("classified_seq", "bigint", r -> 0L),
                        new Jdbc.Column<>("version", "bigint", r -> 1L));
            }
            List<ConversationRow> existing = conversations.values().stream().filter(r -> !r.inserted).toList();
            if (existing.isEmpty()) {
                return;
            }
            Set<Long> updated = jdbc.postgresql() ? updatePostgresql(existing) : updateH2(existing);
            for (ConversationRow row : existing) {
                if (!updated.contains(row.id)) {
                    if (!skipLocked) {
                        throw new IllegalStateException("conversation " + row.id + " disappeared while messages were "
                                + "stored in it");
                    }
                    row.deferred = true;
                    recentlyLocked.put(row.id, System.nanoTime() + REMEMBER_LOCKED_NANOS);
                }
            }
        }

        /** One statement; whether it reopened a conversation is known from the transaction that last reopened it. */
        private Set<Long> updatePostgresql(List<ConversationRow> rows) throws SQLException {
            Map<Long, ConversationRow> byId = new HashMap<>();
            rows.forEach(r -> byId.put(r.id, r));
            Set<Long> updated = new HashSet<>();
            try (PreparedStatement update = c.prepareStatement("UPDATE conversation c SET "
                    + "message_count = c.message_count + u.n, item_seq = c.item_seq + u.n, preview = u.preview, "
                    + "last_activity_at = GREATEST(c.last_activity_at, ?), " + REOPEN_IF_RESOLVED
                    + "reopened_by = CASE WHEN c.status = 'RESOLVED' THEN txid_current() ELSE c.reopened_by END, "
                    + "version = c.version + 1 "
                    + "FROM unnest(?::bigint[], ?::integer[], ?::varchar[]) AS u (id, n, preview) WHERE c.id = u.id"
                    + (skipLocked ? " AND c.id IN (SELECT id FROM conversation WHERE id = ANY(?) FOR UPDATE SKIP LOCKED)"
                    : "")
                    + " RETURNING c.id, c.department_id, c.reopened_by = txid_current(), c.item_seq")) {
                update.setTimestamp(1, nowTs);
                update.setArray(2, Jdbc.array(c, "bigint", rows, r -> r.id));
                update.setArray(3, Jdbc.array(c, "integer", rows, r -> r.added));
                update.setArray(4, Jdbc.array(c, "varchar", rows, r -> r.preview));
                if (skipLocked) {
                    update.setArray(5, Jdbc.array(c, "bigint", rows, r -> r.id));
                }
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        ConversationRow row = byId.get(rs.getLong(1));
                        row.department = rs.getString(2);
                        row.reopened = rs.getBoolean(3);
                        row.itemSeq = rs.getLong(4);
                        updated.add(row.id);
                    }
                }
            }
            return updated;
        }

        /** H2 cannot tell in an update what it changed: the rows are locked first, then read, then updated. */
        private Set<Long> updateH2(List<ConversationRow> rows) throws SQLException {
            Map<Long, ConversationRow> byId = new HashMap<>();
            rows.forEach(r -> byId.put(r.id, r));
            Set<Long> locked = new HashSet<>();
            try (PreparedStatement lock = c.prepareStatement("SELECT id, status, department_id FROM conversation "
                    + "WHERE id = ANY(?) ORDER BY id FOR UPDATE" + (skipLocked ? " SKIP LOCKED" : ""))) {
                lock.setArray(1, Jdbc.array(c, "bigint", rows, r -> r.id));
                try (ResultSet rs = lock.executeQuery()) {
                    while (rs.next()) {
                        ConversationRow row = byId.get(rs.getLong(1));
                        row.reopened = "RESOLVED".equals(rs.getString(2));
                        row.department = rs.getString(3);
                        locked.add(row.id);
                    }
                }
            }
            List<ConversationRow> lockedRows = rows.stream().filter(r -> locked.contains(r.id)).toList();
            try (PreparedStatement update = c.prepareStatement("UPDATE conversation c SET "
                    + "message_count = c.message_count + ?, item_seq = c.item_seq + ?, preview = ?, "
                    + "last_activity_at = GREATEST(c.last_activity_at, ?), " + REOPEN_IF_RESOLVED
                    + "version = c.version + 1 WHERE c.id = ?")) {
                for (ConversationRow row : lockedRows) {
                    update.setInt(1, row.added);
                    update.setInt(2, row.added);
                    update.setString(3, row.preview);
                    update.setTimestamp(4, nowTs);
                    update.setLong(5, row.id);
                    update.addBatch();
                }
                update.executeBatch();
            }
            // the counters as this transaction left them: the rows are locked, so no other writer moved them
            if (!lockedRows.isEmpty()) {
                try (PreparedStatement q = c.prepareStatement("SELECT id, item_seq FROM conversation WHERE id = ANY(?)")) {
                    q.setArray(1, Jdbc.array(c, "bigint", lockedRows, r -> r.id));
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            byId.get(rs.getLong(1)).itemSeq = rs.getLong(2);
                        }
                    }
                }
            }
            return locked;
        }

        void insertMessages() throws SQLException {
            List<Integer> storable = fresh.stream().filter(i -> !conversation(messages.get(i)).deferred).toList();
            if (storable.isEmpty()) {
                return;
            }
            long[] messageIds = ids.take(c, Map.of(Sequence.MESSAGE, storable.size())).get(Sequence.MESSAGE);
            List<MessageRow> rows = new ArrayList<>(storable.size());
            Set<ConversationRow> announced = new HashSet<>();
            for (ConversationRow conversation : conversations.values()) {
                // the group's messages in a conversation take the last `added` numbers of its counter, in order
                conversation.nextSeq = conversation.itemSeq - conversation.added + 1;
            }
            for (int n = 0; n < storable.size(); n++) {
                Message m = messages.get(storable.get(n));
                ConversationRow conversation = conversation(m);
                MessageRow row = new MessageRow(messageIds[n], conversation.nextSeq++, conversation, author(m), m);
                rows.add(row);
                written.put(storable.get(n), row);
                events(row, announced.add(row.conversation()));
            }
            jdbc.insert(c, "message", rows,
                    new Jdbc.Column<>("id", "bigint", MessageRow::id),
                    new Jdbc.Column<>("conversation_id", "bigint", r -> r.conversation().id),
                    new Jdbc.Column<>("seq", "bigint", MessageRow::seq),
                    new Jdbc.Column<>("customer_id", "bigint", r -> r.author().customerId),
                    new Jdbc.Column<>("identity_id", "bigint", r -> r.author().id),
                    new Jdbc.Column<>("channel", "varchar", r -> r.message().channel()),
                    new Jdbc.Column<>("instance", "varchar", r -> r.message().instance()),
                    new Jdbc.Column<>("external_id", "varchar", r -> r.message().externalId()),
                    new Jdbc.Column<>("direction", "varchar", r -> r.message().direction().name()),
                    new Jdbc.Column<>("visibility", "varchar", r -> r.message().visibility().name()),
                    new Jdbc.Column<>("thread_ref", "varchar", r -> r.message().threadRef()),
                    new Jdbc.Column<>("body", "text", r -> r.message().text()),
                    new Jdbc.Column<>("raw_payload", "text", r -> r.message().rawPayload()),
                    new Jdbc.Column<>("received_at", "timestamptz", r -> r.message().receivedAt()),
                    new Jdbc.Column<>("stored_at", "timestamptz", r -> now));
            insertChannelAnnotations(rows);
            insertAttachments(rows);
        }

        /** A conversation's first message in the group says it was created or reopened; every message is added. */
        private void events(MessageRow row, boolean first) {
            ConversationRow conversation = row.conversation();
            String actor = "customer:" + row.author().customerId;
            if (first && conversation.inserted) {
                log.event(ConversationEvent.Type.CREATED, conversation.id, conversation.channel, conversation.instance,
                        null, row.id(), actor, null);
                log.audit(actor, "conversation.created", "conversation", conversation.id,
                        "on " + conversation.channel + "/" + conversation.instance);
            }
            if (first && conversation.reopened) {
                log.event(ConversationEvent.Type.REOPENED, conversation.id, conversation.channel, conversation.instance,
                        conversation.department, row.id(), actor, null);
                log.audit(actor, "conversation.reopened", "conversation", conversation.id,
                        "new message " + row.message().externalId());
            }
            log.event(ConversationEvent.Type.MESSAGE_ADDED, conversation.id, conversation.channel,
                    conversation.instance, conversation.department, row.id(), actor, null);
        }

        private void insertChannelAnnotations(List<MessageRow> rows) throws SQLException {
            List<Object[]> annotations = new ArrayList<>();
            for (MessageRow row : rows) {
                for (Annotation a : row.message().annotations()) {
                    annotations.add(new Object[] {row.id(), a, "channel:" + row.message().channel()});
                }
            }
            Annotations.insert(c, jdbc, annotations);
        }

        /** What was attached, in the order sent; the content is in {@code blob_content} already (Blobs). */
        private void insertAttachments(List<MessageRow> rows) throws SQLException {
            List<Object[]> attachments = new ArrayList<>();
            for (MessageRow row : rows) {
                List<Attachment> sent = row.message().attachments();
                for (int i = 0; i < sent.size(); i++) {
                    attachments.add(new Object[] {row.id(), i, sent.get(i)});
                }
            }
            Attachments.insert(c, jdbc, attachments);
        }

        List<Ingested> answers() {
            Ingested[] out = new Ingested[messages.size()];
            Set<ConversationRow> opened = new HashSet<>();
            for (int i : fresh) {
                MessageRow row = written.get(i);
                if (row == null) {
                    out[i] = Ingested.deferred("conversation " + conversation(messages.get(i)).id
                            + " is held by another transaction");
                    continue;
                }
                ConversationRow conversation = row.conversation();
                boolean newConversation = (conversation.inserted || conversation.reopened) && opened.add(conversation);
                out[i] = Ingested.stored(new IngestReceipt(row.id(), conversation.id, row.author().customerId, false),
                        newConversation);
            }
            for (int i = 0; i < messages.size(); i++) {
                if (out[i] == null) {
                    MessageKey key = MessageKey.of(messages.get(i));
                    IngestReceipt first = stored.get(key);
                    if (first == null) {
                        Ingested firstOfGroup = out[firstInGroup.get(key)];
                        if (firstOfGroup.isDeferred()) {
                            out[i] = firstOfGroup;
                            continue;
                        }
                        first = firstOfGroup.receipt();
                    }
                    out[i] = Ingested.stored(new IngestReceipt(first.messageId(), first.conversationId(),
                            first.customerId(), true), false);
                }
            }
            return List.of(out);
        }

        private IdentityRow author(Message m) {
            return identities.get(HandleKey.of(m.author()));
        }

        private ConversationRow conversation(Message m) {
            return conversations.get(key(m, author(m)));
        }

        // ------------------------------------------------------------ lookups

        private Map<MessageKey, IngestReceipt> findStoredMessages() throws SQLException {
            Map<MessageKey, IngestReceipt> found = new HashMap<>();
            Map<Door, Set<String>> byDoor = new LinkedHashMap<>();
            for (Message m : messages) {
                byDoor.computeIfAbsent(new Door(m.channel(), m.instance()), d -> new LinkedHashSet<>())
                        .add(m.externalId());
            }
            for (Map.Entry<Door, Set<String>> door : byDoor.entrySet()) {
                try (PreparedStatement q = c.prepareStatement("SELECT external_id, id, conversation_id, customer_id "
                        + "FROM message WHERE external_id = ANY(?) AND channel = ? AND instance = ?")) {
                    q.setArray(1, c.createArrayOf("varchar", door.getValue().toArray()));
                    q.setString(2, door.getKey().channel());
                    q.setString(3, door.getKey().instance());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            found.put(new MessageKey(door.getKey().channel(), door.getKey().instance(),
                                    rs.getString(1)), new IngestReceipt(rs.getLong(2), rs.getLong(3), rs.getLong(4), true));
                        }
                    }
                }
            }
            return found;
        }

        private Map<HandleKey, IdentityRow> findIdentities(List<Identity> authors) throws SQLException {
            Map<HandleKey, IdentityRow> found = new HashMap<>();
            // channels and handles in one order, so two groups lock the rows they share in the same order
            Map<String, Set<String>> byChannel = new java.util.TreeMap<>();
            for (Identity a : authors) {
                byChannel.computeIfAbsent(a.channel(), ch -> new java.util.TreeSet<>()).add(a.handle());
            }
            for (Map.Entry<String, Set<String>> channel : byChannel.entrySet()) {
                // an author's customer as of this commit: a merge moving it locks the row FOR UPDATE, which waits for
                // this lock, and this one for it (PostgreSQL's KEY SHARE leaves other ingests of the author free; H2
                // has only FOR UPDATE)
                try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id, handle, display_name, email, "
                        + "phone, reach FROM customer_identity WHERE handle = ANY(?) AND channel = ? ORDER BY handle "
                        + (jdbc.postgresql() ? "FOR KEY SHARE" : "FOR UPDATE"))) {
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

        /** The conversation of each key, asked per door so every column of the unique index bounds the lookup. */
        private Map<ConversationKey, ConversationRow> findConversations(List<ConversationKey> wanted)
                throws SQLException {
            Map<ConversationKey, ConversationRow> found = new HashMap<>();
            Map<Door, Set<String>> byDoor = new LinkedHashMap<>();
            for (ConversationKey k : wanted) {
                byDoor.computeIfAbsent(new Door(k.channel(), k.instance()), d -> new LinkedHashSet<>()).add(k.key());
            }
            for (Map.Entry<Door, Set<String>> door : byDoor.entrySet()) {
                try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id, identity_id, thread_ref, "
                        + "conversation_key FROM conversation WHERE conversation_key = ANY(?) AND channel = ? "
                        + "AND instance = ?")) {
                    q.setArray(1, c.createArrayOf("varchar", door.getValue().toArray()));
                    q.setString(2, door.getKey().channel());
                    q.setString(3, door.getKey().instance());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            ConversationRow row = new ConversationRow();
                            row.id = rs.getLong(1);
                            row.customerId = rs.getLong(2);
                            row.identityId = rs.getLong(3);
                            row.threadRef = rs.getString(4);
                            row.channel = door.getKey().channel();
                            row.instance = door.getKey().instance();
                            found.put(new ConversationKey(row.channel, row.instance, rs.getString(5)), row);
                        }
                    }
                }
            }
            return found;
        }

        // ------------------------------------------------------------ writes

        private void insertCustomers(Map<Long, String> customers) throws SQLException {
            jdbc.insert(c, "customer", new ArrayList<>(customers.entrySet()),
                    new Jdbc.Column<>("id", "bigint", Map.Entry::getKey),
                    new Jdbc.Column<>("display_name", "varchar", Map.Entry::getValue),
                    new Jdbc.Column<>("created_at", "timestamptz", e -> now));
        }

        private void insertIdentities(List<IdentityRow> rows) throws SQLException {
            jdbc.insert(c, "customer_identity", rows,
                    new Jdbc.Column<>("id", "bigint", r -> r.id),
                    new Jdbc.Column<>("customer_id", "bigint", r -> r.customerId),
                    new Jdbc.Column<>("channel", "varchar", r -> r.channel),
                    new Jdbc.Column<>("handle", "varchar", r -> r.handle),
                    new Jdbc.Column<>("display_name", "varchar", r -> r.displayName),
                    new Jdbc.Column<>("email", "varchar", r -> r.email),
                    new Jdbc.Column<>("phone", "varchar", r -> r.phone),
                    new Jdbc.Column<>("reach", "bigint", r -> r.reach),
                    new Jdbc.Column<>("created_at", "timestamptz", r -> now));
        }

        /** What the channel last told about an author; a row another transaction holds keeps its old details. */
        private void updateIdentities(List<IdentityRow> changed) throws SQLException {
            if (changed.isEmpty()) {
                return;
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE customer_identity SET display_name = ?, "
                    + "email = ?, phone = ?, reach = ? WHERE id = ?" + (skipLocked
                    ? " AND id IN (SELECT id FROM customer_identity WHERE id = ? FOR UPDATE SKIP LOCKED)" : ""))) {
                for (IdentityRow row : changed) {
                    update.setString(1, row.displayName);
                    update.setString(2, row.email);
                    update.setString(3, row.phone);
                    update.setLong(4, row.reach);
                    update.setLong(5, row.id);
                    if (skipLocked) {
                        update.setLong(6, row.id);
                    }
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
    }

    /** The assignments that reopen a resolved conversation, decided on the row as the update finds it. */
    private static final String REOPEN_IF_RESOLVED = "status = CASE WHEN c.status = 'RESOLVED' THEN 'NEW' ELSE c.status END, "
            + "assignee = CASE WHEN c.status = 'RESOLVED' THEN NULL ELSE c.assignee END, "
            + "route_claim = CASE WHEN c.status = 'RESOLVED' THEN NULL ELSE c.route_claim END, "
            + "route_claim_until = CASE WHEN c.status = 'RESOLVED' THEN NULL ELSE c.route_claim_until END, ";

    private static ConversationKey key(Message m, IdentityRow author) {
        return new ConversationKey(m.channel(), m.instance(),
                m.threadRef() != null ? "thread:" + m.threadRef() : "identity:" + author.id);
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
