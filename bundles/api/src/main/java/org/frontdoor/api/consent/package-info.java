/**
 * A customer's consent to be written to, per identity (a door and an address: {@code sms} {@code +15551230000}):
 * opted in or out, since when, and by what (a keyword message, an agent, an import). Kept by the store, so every node
 * on the database knows it; a door records what customers say ({@code STOP}, {@code START}), core refuses replies to
 * an identity that opted out before they are queued, and fails those queued before the opt-out arrived.
 */
@Version("1.0.0")
package org.frontdoor.api.consent;

import org.osgi.annotation.versioning.Version;
