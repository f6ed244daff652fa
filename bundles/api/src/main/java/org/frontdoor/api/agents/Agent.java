package org.frontdoor.api.agents;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An agent: a login name of the JAAS realm, and where and how that user works.
 *
 * @param name        the login name (the key; the assignee of conversations)
 * @param displayName the name shown to people; the login name when none is given
 * @param departments the ids of the departments they work in
 * @param skills      what they can handle, as routing rules name skills
 * @param languages   the languages they answer in, as the language classifier names them ({@code en}, {@code de})
 * @param capacity    the most open conversations given to them at once by assignment, 1 and up
 * @param presence    whether they take conversations now
 * @param presenceAt  when the presence last changed; null for an agent not stored yet
 * @param version     the stored version, for compare-and-set; 0 for an agent not stored yet
 * @param open        the conversations assigned to them now (not resolved); 0 for an agent not stored yet
 */
public record Agent(String name, String displayName, Set<String> departments, Set<String> skills,
                    Set<String> languages, int capacity, Presence presence, Instant presenceAt, long version,
                    int open) {

    /** The longest login name. */
    public static final int MAX_NAME = 100;

    /** The longest display name. */
    public static final int MAX_DISPLAY_NAME = 255;

    /** The highest capacity. */
    public static final int MAX_CAPACITY = 1000;

    public Agent {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("an agent's name takes 1 to " + MAX_NAME + " characters");
        }
        displayName = displayName == null || displayName.isBlank() ? name : displayName.strip();
        if (displayName.length() > MAX_DISPLAY_NAME) {
            throw new IllegalArgumentException("a display name takes at most " + MAX_DISPLAY_NAME + " characters");
        }
        departments = sorted(departments);
        skills = sorted(skills);
        languages = sorted(languages);
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity + " is not within 1.." + MAX_CAPACITY);
        }
        presence = presence == null ? Presence.OFFLINE : presence;
        if (version < 0 || open < 0) {
            throw new IllegalArgumentException("version and open conversations are 0 or more");
        }
    }

    /** A new agent, offline, to create. */
    public static Agent of(String name, String displayName, Set<String> departments, Set<String> skills,
                           Set<String> languages, int capacity) {
        return new Agent(name, displayName, departments, skills, languages, capacity, Presence.OFFLINE, null, 0, 0);
    }

    /** Whether they work in this department. */
    public boolean worksIn(String department) {
        return departments.contains(department);
    }

    private static Set<String> sorted(Set<String> values) {
        TreeSet<String> out = new TreeSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    out.add(v.strip());
                }
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }
}
