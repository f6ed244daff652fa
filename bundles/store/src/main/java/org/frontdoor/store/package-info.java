/**
 * Persistence of conversations for core, split by use (ingest, routing, inbox, outbox, events). Only core uses it;
 * channel, rule and department bundles talk to the api.
 */
@Version("0.7.0")
package org.frontdoor.store;

import org.osgi.annotation.versioning.Version;
