package org.frontdoor.shell;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.apache.karaf.shell.support.ShellUtil;

/** What the commands share. */
final class Commands {

    static final String CORE_DOWN = "Frontdoor core is not running (feature:install frontdoor-core)";

    /** The author of replies typed where no user is logged in (a local console without JAAS). */
    static final String DEFAULT_USER = "karaf";

    private Commands() {
    }

    /** The user logged in to this console session: the JAAS subject Karaf runs each command as. */
    static String currentUser() {
        String user = ShellUtil.getCurrentUserName();
        return user == null || user.isBlank() ? DEFAULT_USER : user;
    }

    /**
     * The constant named by {@code value}, in any case; null for null.
     *
     * @throws IllegalArgumentException naming the accepted values, for any other text
     */
    static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown " + what + " " + Text.oneLine(value, 40) + "; use one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** A filter option: blank means no filter. */
    static String filter(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
