package org.frontdoor.api;

/** Where a message can be seen: in public (a post, a mention) or only by the parties (a direct message). */
public enum Visibility {
    PUBLIC,
    PRIVATE
}
