package org.frontdoor.api.delivery;

/** What a reported receipt did. */
public enum ReceiptOutcome {
    /** The reply's delivery state moved; its event is in the log. */
    APPLIED,
    /** The reply already was in this state or a later one (a duplicate, or a receipt that came late): no change. */
    UNCHANGED,
    /**
     * No reply carries this vendor id yet (the receipt came before the send was recorded, or names a reply of another
     * system): it is kept and applied when a reply with that id is recorded as sent.
     */
    KEPT
}
