package org.frontdoor.api.agents;

import java.util.Locale;

/** Whether an agent takes conversations now. Only an online agent is given conversations. */
public enum Presence {
    /** Working: may be given conversations up to their capacity. */
    ONLINE,
    /** Away for a while: given nothing new, and gives back what they have not answered. */
    AWAY,
    /** Not working: given nothing, and gives back every conversation they hold. */
    OFFLINE;

    /** The id in REST and the shell: {@code online}, {@code away}, {@code offline}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The presence of an id, in any case. */
    public static Presence fromId(String id) {
        try {
            return valueOf(id.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("presence '" + id + "' is none of online, away, offline");
        }
    }
}
