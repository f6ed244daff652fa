/**
 * Agents as Frontdoor knows them: the JAAS realm's users who work in departments, with their skills, languages,
 * capacity and presence, and the {@link org.frontdoor.api.Scope} a user's membership gives. Implemented by core.
 */
@Version("1.0.0")
package org.frontdoor.api.agents;

import org.osgi.annotation.versioning.Version;
