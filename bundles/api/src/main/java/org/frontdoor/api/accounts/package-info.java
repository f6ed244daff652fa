/**
 * Login accounts of the Karaf realm {@code karaf}: names, roles, a salted slow hash of each password, and a version
 * every change bumps. Implemented by the store; used by the realm's login module, the first-admin bootstrap, the
 * REST API and the console.
 */
@Version("1.1.0")
package org.frontdoor.api.accounts;

import org.osgi.annotation.versioning.Version;
