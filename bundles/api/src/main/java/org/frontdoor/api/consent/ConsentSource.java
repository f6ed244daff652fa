package org.frontdoor.api.consent;

/** What a consent change came from. */
public enum ConsentSource {
    /** The customer's own message (STOP, START and their synonyms): the reference is the stored message's id. */
    KEYWORD,
    /** An agent or admin recorded it by hand, with a reason: the reference is their name. */
    AGENT,
    /** Brought in from elsewhere (an older door's file, a list): the reference says from where. */
    IMPORT
}
