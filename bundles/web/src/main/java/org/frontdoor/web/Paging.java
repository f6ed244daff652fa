package org.frontdoor.web;

import javax.ws.rs.QueryParam;

/**
 * {@code ?offset=&limit=} of every list, read in one place: whole numbers, blank as absent; each list says its
 * default and its bounds.
 */
public class Paging {

    @QueryParam("offset")
    String offset;

    @QueryParam("limit")
    String limit;

    /** Where the page starts, 0 without one. */
    int offset() {
        return number("offset", offset, 0);
    }

    /** How many at most, the list's default without one. */
    int limit(int fallback) {
        return number("limit", limit, fallback);
    }

    /** How many at most, within 1..max (400 in these words otherwise). */
    int limit(int fallback, int max, String refusal) {
        int n = limit(fallback);
        if (n < 1 || n > max) {
            throw new RestHandler.BadRequest(refusal);
        }
        return n;
    }

    private static int number(String name, String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new RestHandler.BadRequest(name + " must be a whole number");
        }
        if (value != (int) value) {
            throw new RestHandler.BadRequest(name + " is out of range");
        }
        return (int) value;
    }
}
