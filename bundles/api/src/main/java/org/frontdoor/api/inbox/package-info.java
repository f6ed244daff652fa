/**
 * The agents' view of Frontdoor: conversations, their messages and replies, customers. Implemented by core,
 * used by the REST API, the console and the shell.
 */
@Version("1.7.0")
package org.frontdoor.api.inbox;

import org.osgi.annotation.versioning.Version;
