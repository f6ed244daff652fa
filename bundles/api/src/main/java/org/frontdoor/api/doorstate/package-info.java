/**
 * A door instance's own durable state (where it stopped reading a feed, which of its posts belong to which
 * conversation), kept in the store under the door's channel and instance: every node on the database and a
 * reinstalled door find it. Keys and values are short strings; writes are compare-and-set.
 */
@Version("1.0.0")
package org.frontdoor.api.doorstate;

import org.osgi.annotation.versioning.Version;
