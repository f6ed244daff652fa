package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Department;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.AgentConflictException;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.store.AgentStore.Assigned;
import org.frontdoor.store.RoutingStore;

/**
 * Agents and assignment, each change one transaction with its events and audit rows.
 *
 * <p>Assignment claims queued conversations {@code FOR UPDATE SKIP LOCKED} and, for each, locks the agent it means to
 * give it to ({@code SKIP LOCKED} too: an agent another node is assigning to right now is passed over, never waited
 * for) and only then counts what the agent holds. Counting after the lock, in a statement of its own, sees every
 * assignment committed before the lock was taken, so two nodes cannot both fill an agent's last place. A change of
 * presence or capacity locks the agent row first and gives back afterwards, so an assignment racing it either
 * commits before (and is given back) or passes the agent over.
 */
final class AgentWrites {

    private static final Pattern DEPARTMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern SKILL = Pattern.compile("[^\\s,]{1," + RoutingStore.MAX_DEPARTMENT + "}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{1,8})?");
    private static final int MAX_SET = 100;

    /** The status of what an agent holds open: counted against capacity, given back when they leave. */
    private static final String OPEN = "'ASSIGNED'";

    /** Answered: the assignee queued a reply since the conversation was given to them. */
    private static final String UNANSWERED = "NOT EXISTS (SELECT 1 FROM reply r WHERE r.conversation_id = v.id "
            + "AND r.author = v.assignee AND r.created_at >= COALESCE(v.assigned_at, v.routed_at, v.created_at))";

    private final Jdbc jdbc;
    private final SequenceIds ids;

    AgentWrites(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    // ---------------------------------------------------------------- agents

    List<Agent> agents() {
        return jdbc.inTransaction("list agents", c -> read(c, null));
    }

    Optional<Agent> agent(String name) {
        return jdbc.inTransaction("read agent " + name, c -> read(c, name).stream().findFirst());
    }

    Agent create(Agent agent, String actor) {
        check(agent);
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), InboxWrites.MAX_NAME);
        return jdbc.inTransaction("create agent " + agent.name(), c -> {
            if (!read(c, agent.name()).isEmpty()) {
                throw new AgentConflictException("agent " + agent.name() + " exists already");
            }
            Instant now = Instant.now();
            try (PreparedStatement u = c.prepareStatement("INSERT INTO agent (name, display_name, capacity, presence, "
                    + "presence_at, version, created_at, updated_at) VALUES (?, ?, ?, 'OFFLINE', ?, 1, ?, ?)")) {
                u.setString(1, agent.name());
                u.setString(2, agent.displayName());
                u.setInt(3, agent.capacity());
                u.setTimestamp(4, Jdbc.ts(now));
                u.setTimestamp(5, Jdbc.ts(now));
                u.setTimestamp(6, Jdbc.ts(now));
                u.executeUpdate();
            } catch (SQLException e) {
                if (Jdbc.isConflict(e)) {
                    throw new AgentConflictException("agent " + agent.name() + " exists already");
                }
                throw e;
            }
            writeSets(c, agent);
            TxLog log = new TxLog();
            log.audit(who, "agent.created", "agent", 0, describe(agent));
            log.flush(c, jdbc, ids, now);
            return read(c, agent.name()).get(0);
        });
    }

    Agent update(Agent agent, String actor) {
        check(agent);
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), InboxWrites.MAX_NAME);
        return jdbc.inTransaction("update agent " + agent.name(), c -> {
            long stored = lockAgent(c, agent.name()).version;
            if (stored != agent.version()) {
                throw new AgentConflictException("agent " + agent.name() + " was changed meanwhile (version " + stored
                        + ", not " + agent.version() + "): read it again and repeat the change");
            }
            Instant now = Instant.now();
            try (PreparedStatement u = c.prepareStatement("UPDATE agent SET display_name = ?, capacity = ?, "
                    + "version = version + 1, updated_at = ? WHERE name = ? AND version = ?")) {
                u.setString(1, agent.displayName());
                u.setInt(2, agent.capacity());
                u.setTimestamp(3, Jdbc.ts(now));
                u.setString(4, agent.name());
                u.setLong(5, agent.version());
                if (u.executeUpdate() != 1) {
                    throw new AgentConflictException("agent " + agent.name() + " was changed meanwhile");
                }
            }
            for (String table : List.of("agent_skill", "agent_language")) {
                try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE agent_name = ?")) {
                    d.setString(1, agent.name());
                    d.executeUpdate();
                }
            }
            // departments left lose their rotation place; those kept keep it
            try (PreparedStatement d = c.prepareStatement("DELETE FROM agent_department WHERE agent_name = ? "
                    + "AND NOT (department_id = ANY(?))")) {
                d.setString(1, agent.name());
                d.setArray(2, c.createArrayOf("varchar", agent.departments().toArray()));
                d.executeUpdate();
            }
            writeSets(c, agent);
            TxLog log = new TxLog();
            log.audit(who, "agent.changed", "agent", 0, describe(agent));
            giveBack(c, log, agent.name(), Presence.ONLINE, agent.capacity(), "over capacity " + agent.capacity());
            log.flush(c, jdbc, ids, now);
            return read(c, agent.name()).get(0);
        });
    }

    Agent setPresence(String name, Presence presence, String actor) {
        Objects.requireNonNull(presence, "presence");
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), InboxWrites.MAX_NAME);
        return jdbc.inTransaction("set presence of " + name, c -> {
            Locked agent = lockAgent(c, name);
            Instant now = Instant.now();
            TxLog log = new TxLog();
            if (agent.presence != presence) {
                try (PreparedStatement u = c.prepareStatement("UPDATE agent SET presence = ?, presence_at = ?, "
                        + "version = version + 1 WHERE name = ?")) {
                    u.setString(1, presence.name());
                    u.setTimestamp(2, Jdbc.ts(now));
                    u.setString(3, name);
                    u.executeUpdate();
                }
                log.audit(who, "agent.presence", "agent", 0, name + " " + agent.presence.id() + " -> " + presence.id());
            }
            giveBack(c, log, name, presence, agent.capacity, presence == Presence.ONLINE ? "over capacity"
                    : "went " + presence.id());
            log.flush(c, jdbc, ids, now);
            return read(c, name).get(0);
        });
    }

    /** Validates what the store cannot hold; the record checked the rest. */
    private static void check(Agent agent) {
        requireAll(agent.departments(), DEPARTMENT, "department id",
                "1 to 64 letters, digits, '.', '_' or '-', from a letter or digit");
        requireAll(agent.skills(), SKILL, "skill", "1 to 64 characters without spaces or commas");
        requireAll(agent.languages(), LANGUAGE, "language", "a language code such as en, de or pt-BR");
    }

    private static void requireAll(Set<String> values, Pattern pattern, String what, String rule) {
        if (values.size() > MAX_SET) {
            throw new IllegalArgumentException("at most " + MAX_SET + " of " + what + "s");
        }
        for (String v : values) {
            if (!pattern.matcher(v).matches()) {
                throw new IllegalArgumentException(what + " '" + v + "' must be " + rule);
            }
        }
    }

    private static String describe(Agent a) {
        return a.name() + ": departments " + a.departments() + ", skills " + a.skills() + ", languages "
                + a.languages() + ", capacity " + a.capacity();
    }

    private void writeSets(Connection c, Agent agent) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("INSERT INTO agent_department (agent_name, department_id) "
                + "SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM agent_department WHERE agent_name = ? "
                + "AND department_id = ?)")) {
            for (String d : agent.departments()) {
                u.setString(1, agent.name());
                u.setString(2, d);
                u.setString(3, agent.name());
                u.setString(4, d);
                u.executeUpdate();
            }
        }
        insertAll(c, "agent_skill", "skill", agent.name(), agent.skills());
        insertAll(c, "agent_language", "language", agent.name(), agent.languages());
    }

    private static void insertAll(Connection c, String table, String column, String name, Set<String> values)
            throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement u = c.prepareStatement("INSERT INTO " + table + " (agent_name, " + column
                + ") VALUES (?, ?)")) {
            for (String v : values) {
                u.setString(1, name);
                u.setString(2, v);
                u.addBatch();
            }
            u.executeBatch();
        }
    }

    private record Locked(long version, Presence presence, int capacity) {
    }

    /**
     * Admits a conversation given by hand to {@code agent}, inside the assigning transaction, so the round's give-back
     * does not take it away a second later: an agent who takes a conversation themselves while away or offline is
     * set online (they are evidently at work; audited), one given it by someone else must already be online, and
     * nobody is given more than their capacity. Names that are not agents (an admin without an agent row) are not
     * checked: assignment and the give-back only ever consider agents.
     *
     * @throws IllegalStateException naming what to do when the agent cannot take it now
     */
    static void admitManual(Connection c, TxLog log, String agent, String actor, long conversationId)
            throws SQLException {
        Locked locked;
        try {
            locked = lockAgent(c, agent);
        } catch (NoSuchElementException notAnAgent) {
            return;
        }
        if (locked.presence != Presence.ONLINE) {
            if (!agent.equals(actor)) {
                throw new IllegalStateException(agent + " is " + locked.presence.id() + ": a conversation given to them "
                        + "now would go straight back to the queue; they (or a supervisor) set them online first");
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE agent SET presence = 'ONLINE', presence_at = ?, "
                    + "version = version + 1 WHERE name = ?")) {
                u.setTimestamp(1, Jdbc.ts(Instant.now()));
                u.setString(2, agent);
                u.executeUpdate();
            }
            log.audit(actor, "agent.presence", "agent", 0, agent + " " + locked.presence.id()
                    + " -> online: took conversation " + conversationId);
        }
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM conversation v WHERE v.assignee = ? "
                + "AND v.status = " + OPEN + " AND v.id <> ?")) {
            q.setString(1, agent);
            q.setLong(2, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                int open = rs.getInt(1);
                if (open >= locked.capacity) {
                    throw new IllegalStateException(agent + " already holds " + open + " open conversations, their "
                            + "capacity: resolve or hand one on first, or raise the capacity (frontdoor:agent-set)");
                }
            }
        }
    }

    private static Locked lockAgent(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT version, presence, capacity FROM agent WHERE name = ? "
                + "FOR UPDATE")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("no agent " + name);
                }
                return new Locked(rs.getLong(1), Presence.valueOf(rs.getString(2)), rs.getInt(3));
            }
        }
    }

    /** Agents with their sets and open conversations; one, or all when {@code name} is null. */
    private static List<Agent> read(Connection c, String name) throws SQLException {
        String where = name == null ? "" : " WHERE a.name = ?";
        record Row(String name, String display, int capacity, Presence presence, Instant at, long version, int open) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT a.name, a.display_name, a.capacity, a.presence, "
                + "a.presence_at, a.version, (SELECT COUNT(*) FROM conversation v WHERE v.assignee = a.name "
                + "AND v.status = " + OPEN + ") FROM agent a" + where + " ORDER BY a.name")) {
            if (name != null) {
                q.setString(1, name);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getInt(3), Presence.valueOf(rs.getString(4)),
                            Jdbc.instant(rs, "presence_at"), rs.getLong(6), rs.getInt(7)));
                }
            }
        }
        Map<String, Set<String>> departments = sets(c, "agent_department", "department_id", name);
        Map<String, Set<String>> skills = sets(c, "agent_skill", "skill", name);
        Map<String, Set<String>> languages = sets(c, "agent_language", "language", name);
        List<Agent> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new Agent(r.name(), r.display(), departments.getOrDefault(r.name(), Set.of()),
                    skills.getOrDefault(r.name(), Set.of()), languages.getOrDefault(r.name(), Set.of()), r.capacity(),
                    r.presence(), r.at(), r.version(), r.open()));
        }
        return out;
    }

    private static Map<String, Set<String>> sets(Connection c, String table, String column, String name)
            throws SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT agent_name, " + column + " FROM " + table
                + (name == null ? "" : " WHERE agent_name = ?"))) {
            if (name != null) {
                q.setString(1, name);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- give back

    /**
     * Gives back what the (locked) agent may no longer hold: away, their unanswered conversations; offline, all of
     * them (and the snoozed ones lose their assignee); online, the unanswered ones beyond capacity, latest given first.
     */
    private static void giveBack(Connection c, TxLog log, String agent, Presence presence, int capacity, String why)
            throws SQLException {
        List<Object[]> back = new ArrayList<>();
        String sql = "SELECT v.id, v.channel, v.instance, v.department_id FROM conversation v WHERE v.assignee = ? "
                + "AND v.status = " + OPEN + (presence == Presence.OFFLINE ? "" : " AND " + UNANSWERED)
                + " ORDER BY v.assigned_at DESC, v.id DESC FOR UPDATE";
        if (presence == Presence.ONLINE) {
            int answered;
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM conversation v WHERE v.assignee = ? "
                    + "AND v.status = " + OPEN + " AND NOT " + UNANSWERED)) {
                q.setString(1, agent);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    answered = rs.getInt(1);
                }
            }
            List<Object[]> unanswered = select(c, sql, agent);
            int excess = answered + unanswered.size() - capacity;
            back.addAll(unanswered.subList(0, Math.max(0, Math.min(excess, unanswered.size()))));
        } else {
            back.addAll(select(c, sql, agent));
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET status = 'QUEUED', assignee = NULL, "
                + "assigned_at = NULL, version = version + 1 WHERE id = ? AND status = " + OPEN + " AND assignee = ?")) {
            for (Object[] row : back) {
                u.setLong(1, (Long) row[0]);
                u.setString(2, agent);
                if (u.executeUpdate() == 1) {
                    long id = (Long) row[0];
                    log.event(ConversationEvent.Type.UNASSIGNED, id, (String) row[1], (String) row[2],
                            (String) row[3], 0, TxLog.SYSTEM, "from " + agent + ": " + why);
                    log.audit(TxLog.SYSTEM, "conversation.unassigned", "conversation", id,
                            "given back by " + agent + ": " + why);
                }
            }
        }
        if (presence == Presence.OFFLINE) {
            try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET assignee = NULL, assigned_at = NULL, "
                    + "version = version + 1 WHERE assignee = ? AND status = 'SNOOZED'")) {
                u.setString(1, agent);
                u.executeUpdate();
            }
        }
    }

    private static List<Object[]> select(Connection c, String sql, String agent) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, agent);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return rows;
    }

    /** The sweep: agents not online who hold conversations, or who hold more than their capacity. */
    int giveBack(int limit) {
        List<String[]> agents = jdbc.inTransaction("find conversations to give back", c -> {
            List<String[]> found = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT a.name, a.presence FROM agent a WHERE "
                    + "EXISTS (SELECT 1 FROM conversation v WHERE v.assignee = a.name AND v.status = " + OPEN
                    + " AND (a.presence = 'OFFLINE' OR (a.presence = 'AWAY' AND " + UNANSWERED + "))) "
                    + "OR a.capacity < (SELECT COUNT(*) FROM conversation v WHERE v.assignee = a.name AND v.status = "
                    + OPEN + ") ORDER BY a.name")) {
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next() && found.size() < limit) {
                        found.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            return found;
        });
        int[] total = {0};
        for (String[] a : agents) {
            total[0] += jdbc.inTransaction("give back conversations of " + a[0], c -> {
                Locked agent;
                try {
                    agent = lockAgent(c, a[0]);
                } catch (NoSuchElementException gone) {
                    return 0;
                }
                TxLog log = new TxLog();
                giveBack(c, log, a[0], agent.presence, agent.capacity, agent.presence == Presence.ONLINE
                        ? "over capacity " + agent.capacity : "is " + agent.presence.id());
                int n = log.eventCount();
                log.flush(c, jdbc, ids, Instant.now());
                return n;
            });
        }
        return total[0];
    }

    // ---------------------------------------------------------------- assignment

    private record Candidate(String name, int capacity, Instant lastAssigned, int load) {
    }

    List<Assigned> assignQueued(String department, Department.Assignment strategy, int limit) {
        if (strategy == Department.Assignment.MANUAL) {
            return List.of();
        }
        return jdbc.inTransaction("assign conversations of " + department, c -> {
            List<Object[]> queued = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id, channel, instance, skill FROM conversation "
                    + "WHERE department_id = ? AND status = 'QUEUED' AND assignee IS NULL "
                    + "ORDER BY priority DESC, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                q.setString(1, department);
                q.setInt(2, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        queued.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                    }
                }
            }
            if (queued.isEmpty()) {
                return List.of();
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            TxLog log = new TxLog();
            List<Assigned> done = new ArrayList<>();
            for (Object[] conversation : queued) {
                long id = (Long) conversation[0];
                String skill = (String) conversation[3];
                String language = strategy == Department.Assignment.SKILLS ? language(c, id) : null;
                // a moment of its own for each assignment, so the rotation orders those of one batch too
                Instant at = now.plus(done.size(), ChronoUnit.MICROS);
                for (Candidate candidate : candidates(c, department, strategy, skill, language)) {
                    if (!lockOnline(c, candidate.name())) {
                        continue; // another node is giving this agent one right now, or they just left
                    }
                    if (load(c, candidate.name()) >= candidate.capacity()) {
                        continue;
                    }
                    try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET status = 'ASSIGNED', "
                            + "assignee = ?, assigned_at = ?, version = version + 1 "
                            + "WHERE id = ? AND status = 'QUEUED' AND assignee IS NULL")) {
                        u.setString(1, candidate.name());
                        u.setTimestamp(2, Jdbc.ts(at));
                        u.setLong(3, id);
                        if (u.executeUpdate() != 1) {
                            break;
                        }
                    }
                    try (PreparedStatement u = c.prepareStatement("UPDATE agent_department SET last_assigned_at = ? "
                            + "WHERE agent_name = ? AND department_id = ?")) {
                        u.setTimestamp(1, Jdbc.ts(at));
                        u.setString(2, candidate.name());
                        u.setString(3, department);
                        u.executeUpdate();
                    }
                    String detail = "to " + candidate.name() + " by " + strategy.id()
                            + (language == null ? "" : " (" + language + ")");
                    log.event(ConversationEvent.Type.ASSIGNED, id, (String) conversation[1], (String) conversation[2],
                            department, 0, TxLog.SYSTEM, detail);
                    log.audit(TxLog.SYSTEM, "conversation.assigned", "conversation", id, detail);
                    done.add(new Assigned(id, candidate.name(), department));
                    break;
                }
            }
            log.flush(c, jdbc, ids, now);
            return done;
        });
    }

    /** The conversation's language as the classifier found it on its latest customer message that has one. */
    private static String language(Connection c, long conversationId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT a.annotation_value FROM message_annotation a "
                + "JOIN message m ON m.id = a.message_id WHERE m.conversation_id = ? AND a.name = 'language' "
                + "ORDER BY m.seq DESC, a.confidence DESC LIMIT 1")) {
            q.setLong(1, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1).strip().toLowerCase(java.util.Locale.ROOT) : null;
            }
        }
    }

    /** The department's online members who may take it, best first for the strategy. */
    private static List<Candidate> candidates(Connection c, String department, Department.Assignment strategy,
                                              String skill, String language) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT a.name, a.capacity, d.last_assigned_at, "
                + "(SELECT COUNT(*) FROM conversation v WHERE v.assignee = a.name AND v.status = " + OPEN + ") "
                + "FROM agent a JOIN agent_department d ON d.agent_name = a.name "
                + "WHERE d.department_id = ? AND a.presence = 'ONLINE'");
        List<String> params = new ArrayList<>(List.of(department));
        if (strategy == Department.Assignment.SKILLS) {
            if (skill != null) {
                sql.append(" AND EXISTS (SELECT 1 FROM agent_skill s WHERE s.agent_name = a.name AND s.skill = ?)");
                params.add(skill);
            }
            if (language != null) {
                // "pt" matches an agent who answers in pt or in pt-BR, and "pt-br" one who answers in pt
                sql.append(" AND EXISTS (SELECT 1 FROM agent_language l WHERE l.agent_name = a.name "
                        + "AND (LOWER(l.language) = ? OR LOWER(l.language) LIKE ? OR ? LIKE LOWER(l.language) || '-%'))");
                params.add(language);
                params.add(language + "-%");
                params.add(language);
            }
        }
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                q.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(rs.getString(1), rs.getInt(2), Jdbc.instant(rs, "last_assigned_at"),
                            rs.getInt(4)));
                }
            }
        }
        Comparator<Candidate> rotation = Comparator.comparing(Candidate::lastAssigned,
                Comparator.nullsFirst(Comparator.naturalOrder()));
        Comparator<Candidate> order = strategy == Department.Assignment.ROUND_ROBIN ? rotation
                : Comparator.comparingInt(Candidate::load).thenComparing(rotation);
        out.sort(order.thenComparing(Candidate::name));
        out.removeIf(k -> k.load() >= k.capacity());
        return out;
    }

    private static boolean lockOnline(Connection c, String agent) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT name FROM agent WHERE name = ? AND presence = 'ONLINE' "
                + "FOR UPDATE SKIP LOCKED")) {
            q.setString(1, agent);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int load(Connection c, String agent) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM conversation WHERE assignee = ? "
                + "AND status = " + OPEN)) {
            q.setString(1, agent);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    // ---------------------------------------------------------------- snooze

    List<Long> wakeSnoozed(Instant now, int limit) {
        return jdbc.inTransaction("wake snoozed conversations", c -> {
            List<Object[]> due = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT v.id, v.channel, v.instance, v.department_id, "
                    + "v.assignee, v.snoozed_until FROM conversation v WHERE v.status = 'SNOOZED' "
                    + "AND (v.snoozed_until <= ? OR EXISTS (SELECT 1 FROM message m WHERE m.conversation_id = v.id "
                    + "AND m.direction = 'INBOUND' AND m.stored_at > v.snoozed_at)) "
                    + "ORDER BY v.snoozed_until, v.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                q.setTimestamp(1, Jdbc.ts(now));
                q.setInt(2, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), Jdbc.instant(rs, "snoozed_until")});
                    }
                }
            }
            if (due.isEmpty()) {
                return List.of();
            }
            TxLog log = new TxLog();
            List<Long> woken = new ArrayList<>();
            try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET status = CASE WHEN assignee IS NULL "
                    + "THEN 'QUEUED' ELSE 'ASSIGNED' END, snoozed_until = NULL, snoozed_at = NULL, "
                    + "version = version + 1 WHERE id = ? AND status = 'SNOOZED'")) {
                for (Object[] row : due) {
                    u.setLong(1, (Long) row[0]);
                    if (u.executeUpdate() == 1) {
                        long id = (Long) row[0];
                        Instant until = (Instant) row[5];
                        String why = until != null && !until.isAfter(now) ? "snooze until " + until + " ended"
                                : "the customer wrote";
                        String detail = why + (row[4] == null ? "; back in the queue" : "; with " + row[4]);
                        log.event(ConversationEvent.Type.UNSNOOZED, id, (String) row[1], (String) row[2],
                                (String) row[3], 0, TxLog.SYSTEM, detail);
                        log.audit(TxLog.SYSTEM, "conversation.unsnoozed", "conversation", id, detail);
                        woken.add(id);
                    }
                }
            }
            log.flush(c, jdbc, ids, now);
            return woken;
        });
    }
}
