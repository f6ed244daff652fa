package org.frontdoor.api.inbox;

import java.util.List;

/**
 * Whether what is keyed by customer agrees with who wrote it ({@link Inbox#storeCheck}).
 *
 * @param messagesNotWithTheirAuthor messages whose customer is not their author identity's customer
 * @param messagesWithoutAuthor      messages whose author identity row is missing
 * @param examples                   up to 20 of those messages' ids
 */
public record StoreCheck(long messagesNotWithTheirAuthor, long messagesWithoutAuthor, List<Long> examples) {

    public StoreCheck {
        examples = List.copyOf(examples);
    }

    public boolean consistent() {
        return messagesNotWithTheirAuthor == 0 && messagesWithoutAuthor == 0;
    }
}
