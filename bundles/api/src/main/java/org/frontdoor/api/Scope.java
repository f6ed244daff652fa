package org.frontdoor.api;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * What a caller may see and change: every department, or only some. A conversation not routed yet (no department)
 * is only within the scope of everything.
 *
 * @param all         whether the scope covers every department
 * @param departments the departments covered when {@code all} is false
 */
public record Scope(boolean all, Set<String> departments) {

    /** Every department, and conversations not routed yet. */
    public static final Scope ALL = new Scope(true, Set.of());

    public Scope {
        departments = Set.copyOf(Objects.requireNonNull(departments, "departments"));
        if (all && !departments.isEmpty()) {
            throw new IllegalArgumentException("a scope of everything names no departments");
        }
    }

    /** Only these departments (none at all when empty). */
    public static Scope departments(Collection<String> departments) {
        return new Scope(false, Set.copyOf(departments));
    }

    /** Whether something of this department (null: not routed yet) is within the scope. */
    public boolean covers(String department) {
        return all || (department != null && departments.contains(department));
    }
}
