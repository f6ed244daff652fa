package org.frontdoor.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which events a reader asks for: {@code frontdoor:events?types=&department=}, {@code GET /api/v1/events?types=&department=},
 * {@code frontdoor:event-list --types --department}.
 *
 * @param types      only these types; every type when empty
 * @param department only events of this department, or null for every department. An event is of a department when
 *                   its {@link ConversationEvent#department()} is that one, or, for {@code transferred}, when its
 *                   {@link ConversationEvent#previousDepartment()} is: a department hears of a conversation that left it
 */
public record EventFilter(Set<ConversationEvent.Type> types, String department) {

    /** Every event. */
    public static final EventFilter ALL = new EventFilter(Set.of(), null);

    public EventFilter {
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(types);
        department = department == null || department.isBlank() ? null : department.trim();
    }

    /**
     * A filter from the words a user writes: types as ids, comma separated ({@code routed,resolved}), blank for all.
     *
     * @throws IllegalArgumentException naming a type that does not exist
     */
    public static EventFilter of(String types, String department) {
        Set<ConversationEvent.Type> set = EnumSet.noneOf(ConversationEvent.Type.class);
        if (types != null) {
            for (String id : types.split(",")) {
                if (id.isBlank()) {
                    continue;
                }
                try {
                    set.add(ConversationEvent.Type.fromId(id));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown event type: " + id.trim() + " (one of "
                            + Arrays.stream(ConversationEvent.Type.values()).map(ConversationEvent.Type::id)
                            .collect(Collectors.joining(", ")) + ")", e);
                }
            }
        }
        return new EventFilter(set, department);
    }

    /** True when the filter selects every event. */
    public boolean all() {
        return types.isEmpty() && department == null;
    }

    public boolean matches(ConversationEvent event) {
        return (types.isEmpty() || types.contains(event.type()))
                && (department == null || department.equals(event.department())
                || department.equals(event.previousDepartment()));
    }

    /** The types as ids, comma separated, in declaration order; empty for every type. */
    public String typeIds() {
        return types.stream().sorted().map(ConversationEvent.Type::id).collect(Collectors.joining(","));
    }
}
