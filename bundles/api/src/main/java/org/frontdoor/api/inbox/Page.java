package org.frontdoor.api.inbox;

import java.util.List;

/**
 * One page of a longer list.
 *
 * @param items  the rows of this page
 * @param total  rows matching the query in all
 * @param offset where this page starts
 * @param limit  the page size asked for
 */
public record Page<T>(List<T> items, long total, int offset, int limit) {

    public Page {
        items = List.copyOf(items);
    }
}
