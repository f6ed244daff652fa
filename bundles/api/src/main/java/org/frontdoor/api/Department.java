package org.frontdoor.api;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A department: one an admin configured ({@code etc/org.frontdoor.department-<id>.cfg}), or one only seen because
 * routing or a transfer sent conversations there.
 *
 * @param id                   the department's id, as routing rules name it
 * @param name                 its name for people; the id when it has none
 * @param status               configured, configured but invalid, or seen only
 * @param reason               for {@link Status#INVALID}: what is wrong and in which file; null otherwise
 * @param source               the file (or configuration) it comes from; null when seen only
 * @param hours                its business hours; null when not configured or invalid (then taken as always open)
 * @param defaultPriority      the priority of its conversations when routing gives none, 0 and up
 * @param firstResponseMinutes target for the first answer to a customer, in business minutes; 0 for none
 * @param resolutionMinutes    target for resolving a conversation, in business minutes; 0 for none
 * @param readGroups           the JAAS groups or roles that may read its conversations
 * @param seen                 whether conversations were sent there (it is in the store)
 * @param sla                  per-priority targets, warning point, escalation chain and out-of-hours text
 * @param assignment           how its queued conversations are given to its agents; {@link Assignment#MANUAL} when
 *                             not configured
 */
public record Department(String id, String name, Status status, String reason, String source, BusinessHours hours,
                         int defaultPriority, int firstResponseMinutes, int resolutionMinutes, Set<String> readGroups,
                         boolean seen, SlaPolicy sla, Assignment assignment) {

    /** How a department's queued conversations are given to its online agents, within their capacity. */
    public enum Assignment {
        /** Not at all: agents take them, or a supervisor assigns them. */
        MANUAL,
        /** In turn: the member given one longest ago (remembered in the database) gets the next. */
        ROUND_ROBIN,
        /** To the member holding the fewest open conversations. */
        LEAST_LOADED,
        /**
         * To a member who has the conversation's skill (from routing) and speaks its language (the classifier's
         * {@code language} annotation), when it has them; the least loaded of those.
         */
        SKILLS;

        /** The id in configuration: {@code manual}, {@code round-robin}, {@code least-loaded}, {@code skills}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The strategy of an id, in any case. */
        public static Assignment fromId(String id) {
            String key = id == null ? "" : id.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            for (Assignment a : values()) {
                if (a.name().equals(key)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("assignment '" + id + "' is none of manual, round-robin, least-loaded, "
                    + "skills");
        }
    }

    /** A department with the default {@link SlaPolicy}, assigned by hand. */
    public Department(String id, String name, Status status, String reason, String source, BusinessHours hours,
                      int defaultPriority, int firstResponseMinutes, int resolutionMinutes, Set<String> readGroups,
                      boolean seen) {
        this(id, name, status, reason, source, hours, defaultPriority, firstResponseMinutes, resolutionMinutes,
                readGroups, seen, SlaPolicy.DEFAULT, Assignment.MANUAL);
    }

    /** A department assigned by hand. */
    public Department(String id, String name, Status status, String reason, String source, BusinessHours hours,
                      int defaultPriority, int firstResponseMinutes, int resolutionMinutes, Set<String> readGroups,
                      boolean seen, SlaPolicy sla) {
        this(id, name, status, reason, source, hours, defaultPriority, firstResponseMinutes, resolutionMinutes,
                readGroups, seen, sla, Assignment.MANUAL);
    }

    /** A department with the default {@link SlaPolicy}. */
    public Department(String id, String name, Status status, String reason, String source, BusinessHours hours,
                      int defaultPriority, int firstResponseMinutes, int resolutionMinutes, Set<String> readGroups,
                      boolean seen, Assignment assignment) {
        this(id, name, status, reason, source, hours, defaultPriority, firstResponseMinutes, resolutionMinutes,
                readGroups, seen, SlaPolicy.DEFAULT, assignment);
    }

    /** Where a department stands. */
    public enum Status {
        /** Its file was read and every setting holds. */
        CONFIGURED,
        /** It has a file that cannot be used; {@link #reason()} says why. */
        INVALID,
        /** Conversations were sent there, but it has no file. */
        SEEN_ONLY
    }

    public Department {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        name = name == null || name.isBlank() ? id : name;
        if ((status == Status.INVALID) != (reason != null)) {
            throw new IllegalArgumentException("an invalid department, and only one, has a reason");
        }
        if (status == Status.CONFIGURED && hours == null) {
            throw new IllegalArgumentException("a configured department has business hours");
        }
        if (defaultPriority < 0 || firstResponseMinutes < 0 || resolutionMinutes < 0) {
            throw new IllegalArgumentException("priority and SLA targets are 0 or more");
        }
        readGroups = readGroups == null ? Set.of() : Set.copyOf(readGroups);
        sla = sla == null ? SlaPolicy.DEFAULT : sla;
        assignment = assignment == null ? Assignment.MANUAL : assignment;
    }

    /** The first-response target for a conversation of this priority, in business minutes; 0 for none. */
    public int firstResponseMinutes(int priority) {
        return sla.firstResponseByPriority().getOrDefault(priority, firstResponseMinutes);
    }

    /** The resolution target for a conversation of this priority, in business minutes; 0 for none. */
    public int resolutionMinutes(int priority) {
        return sla.resolutionByPriority().getOrDefault(priority, resolutionMinutes);
    }

    /**
     * The instant {@code open} of business time after {@code start} (see {@link BusinessHours#plusOpenTime}); without
     * business hours, plain elapsed time; empty when the department never opens long enough.
     */
    public Optional<Instant> plusBusinessTime(Instant start, java.time.Duration open) {
        return hours == null ? Optional.of(start.plus(open)) : hours.plusOpenTime(start, open);
    }

    /** A department routing sent conversations to, without a file. */
    public static Department seenOnly(String id) {
        return new Department(id, id, Status.SEEN_ONLY, null, null, null, 0, 0, 0, Set.of(), true);
    }

    /** Its time zone, or null when it has no business hours. */
    public ZoneId zone() {
        return hours == null ? null : hours.zone();
    }

    /** Whether it is open at this instant; always, when it has no business hours. */
    public boolean isOpen(Instant at) {
        return hours == null || hours.isOpen(at);
    }

    /**
     * When it is next open ({@code at} when it is open then); {@code at} when it has no business hours; empty when it
     * never opens.
     */
    public Optional<Instant> nextOpening(Instant at) {
        return hours == null ? Optional.of(at) : hours.nextOpening(at);
    }

    /** The same department, now known to the store too. */
    public Department withSeen(boolean seen) {
        return new Department(id, name, status, reason, source, hours, defaultPriority, firstResponseMinutes,
                resolutionMinutes, readGroups, seen, sla, assignment);
    }
}
