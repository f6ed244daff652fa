/**
 * Phone calls a door places for an agent: {@link org.frontdoor.api.calls.ChannelCalls}, the optional capability of a
 * voice door, and what core and the REST API say when a call cannot be placed.
 */
@Version("1.0.0")
package org.frontdoor.api.calls;

import org.osgi.annotation.versioning.Version;
