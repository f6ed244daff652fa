/**
 * Persistence of conversations for core: a transactional service over the Frontdoor database. Only core uses it;
 * channel, rule and department bundles talk to the api.
 */
@Version("0.1.0")
package org.frontdoor.store;

import org.osgi.annotation.versioning.Version;
