/**
 * Live views on this node: being told at once that events were committed here, so a view pushes them without polling.
 */
@Version("1.0.0")
package org.frontdoor.api.live;

import org.osgi.annotation.versioning.Version;
